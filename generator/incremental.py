"""Incremental builds: keep what the last build read, parsed, joined and rendered; redo only what changed.

A `SiteBuilder` lives as long as the live server (or one `timeline build`, with the persistent
cache of generator/cache.py behind it). Each `build()` stats the content folder (or only the
paths a file watcher reports changed), reads and parses only files whose stamp changed, joins
again only events whose files changed, and renders only the pages whose key changed (see
generator/pages.py). Its result is the whole site, byte for byte what a build from nothing gives.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from generator.cache import (
    CACHE_DIR,
    BuildCache,
    CacheData,
    JoinedEvent,
    OutputRecord,
    PendingSave,
    SourceRecord,
    Stamp,
)
from generator.content import assemble_content, misplaced_markdown, prepare_registries, valid_registries
from generator.events import Registries, join_event, translation_of
from generator.load import ContentFileError, TextFile, read_text
from generator.model import Content, Event
from generator.order import RememberedOrder
from generator.outputs import OutputFiles, OutputValue, kept_file, records_of
from generator.pages import FragmentMemo, PageJob, digest
from generator.parallel import MIN_ITEMS, big_blocks_from_the_heap, collections_paused, fork_map
from generator.parse import ParsedFile
from generator.problems import ContentError, Problem
from generator.render import SiteRenderer, find_assets
from generator.scan import FoundFile, rescan, scan_content
from generator.search import search_files, searchable_pages
from generator.workers import (
    DeferredEnvironment,
    TemplateFailure,
    prepare_parsing,
    prepare_rendering,
    read_and_parse,
    render_job,
)
from generator.write import new_staging_folder


@dataclass
class SiteBuild:
    """One build's result: every output file, and what differs from the builder's previous build.

    `unchanged`: every file is the previous output's own, so there is nothing to write.
    """

    files: OutputFiles
    changed: set[str]
    removed: set[str]
    content: Content
    warnings: list[Problem]
    rendered: int
    parsed: int
    timings: dict[str, float] = field(default_factory=dict)
    unchanged: bool = False


class SiteBuilder:
    """Builds one project's site repeatedly; see the module docstring."""

    def __init__(self, project, *, base_url: str | None = None, drafts: bool = False,
                 cache: BuildCache | None = None, parallel: bool = True, output: Path | None = None,
                 search: bool = True) -> None:
        self.project, self.base_url, self.drafts, self.parallel = project, base_url, drafts, parallel
        self.cache, self.output = cache, output
        stored = cache.load() if cache else CacheData()
        self.sources: dict[str, SourceRecord] = stored.sources
        self.stored: dict[str, OutputRecord] = stored.pages  # the previous output, as last written
        self.yaml: dict[str, tuple[Stamp, TextFile]] = {}
        self.keys: dict[str, str] = {}  # output path -> what it was made from, in the last build
        self.previous: dict[str, OutputValue] = {}  # the last build's files
        self.search = search  # the live server turns this off after its first build (Pagefind takes seconds)
        self.searching = search  # False: no search index at all
        self.warnings = True  # the live server has no use for `check`'s warnings after its first build
        # The live server sets this: feeds, data and sitemap (slow, whole-site) stay as they were in a
        # rebuild; `pending` then holds what to make them from, and `accept_whole_site` takes them.
        self.defer_whole_site = False
        self.pending: tuple[str, SiteRenderer] | None = None
        self.memo = FragmentMemo()
        self._order = RememberedOrder()
        self._changed_events = False
        self._changed_sources = False  # parsed files added, changed or gone since the cache was saved
        self._cache_save: PendingSave | None = None
        self._content: Content | None = None
        self._join_inputs: dict[str, tuple] = {}  # the parsed-file objects each event was last joined from
        self._registries_key = ""  # the registries' texts, digested (a joined event depends on them)
        self._found: dict[str, FoundFile] | None = None  # the last scan of the content folder
        self._scan_problems: list[Problem] = []
        self.scratch: list[Path] = []
        self.joined: dict[str, JoinedEvent] = stored.events
        self.theme: tuple[str, DeferredEnvironment | None] = ("", None)

    def build(self, changed: Iterable[Path] | None = None) -> SiteBuild:
        """The whole site, reusing all it can. Raises ContentError with every problem found.

        `changed` (from a file watcher) names the paths that changed since the last build, so
        only those are looked at; without it the whole content folder is scanned.
        """
        big_blocks_from_the_heap()
        with collections_paused():
            return self._build(changed)

    def _build(self, changed: Iterable[Path] | None) -> SiteBuild:
        started = time.perf_counter()
        files, problems = self._read(changed)
        parsed_count = self._parsed_now
        read = time.perf_counter()
        registries = self._registries_key
        content, warnings = assemble_content(
            self.project.content, files, self._parsed(), problems, drafts=self.drafts,
            join=lambda *args: self._join(registries, *args), warnings=self.warnings, order=self._order,
        )
        joined = time.perf_counter()
        self._content = content
        if self.parallel and self.cache is not None and len(self.sources) >= MIN_ITEMS \
                and (self._changed_sources or self._changed_events):
            self.abandon_cache_save()  # a build that failed after starting one
            self._cache_save = self.cache.save_parsed_apart(*self._parsed_to_keep(content))
        output, rendered = self._render(content)
        done = time.perf_counter()
        files = OutputFiles(output)
        previous = self.previous
        changed = {path for path, data in output.items()
                   if (before := previous.get(path)) is not data and not _same(before, data)}
        removed = set(self.previous) - set(output)
        self.previous = dict(output)
        unchanged = not rendered and files.all_kept(self.output) and set(output) == set(self.stored)
        return SiteBuild(files, changed, removed, content, warnings, rendered, parsed_count,
                         {"read": read - started, "validate": joined - read, "render": done - joined}, unchanged)

    # Reading and parsing: only files whose stamp changed.

    def _read(self, changed: Iterable[Path] | None) -> tuple[list[TextFile], list[Problem]]:
        found, problems = self._scan(changed)
        yaml_files = []
        for item in found:
            if item.relative.endswith(".md"):
                continue
            known = self.yaml.get(item.relative)
            if known is None or known[0] != item.stamp:
                try:
                    known = (item.stamp, TextFile(item.shown, item.relative, read_text(Path(item.path), self._root)))
                except ContentFileError as error:
                    problems.append(Problem(item.shown, error.line, error.message, error.hint))
                    continue
                self.yaml[item.relative] = known
            yaml_files.append(known[1])
        self._registries_key = digest(*(f"{f.relative}\0{f.text}" for f in yaml_files))
        wanted = set()
        for item in found:
            if item.relative.endswith(".md"):
                problem = misplaced_markdown(item.shown, item.relative)
                if problem is None:
                    wanted.add(item.relative)
                else:
                    problems.append(problem)
        stale = [item for item in found if item.relative in wanted and self._is_stale(item)]
        self._parsed_now = len(stale)
        if self.parallel and len(stale) >= MIN_ITEMS:
            prepare_parsing()  # Python-Markdown and its extensions loaded once, before the workers fork
        results = fork_map(read_and_parse, [(item, self.sources.get(item.relative)) for item in stale],
                           meanwhile=lambda: self._while_parsing(yaml_files),
                           arrived=_EarlyJoins(self, stale, wanted, yaml_files)) \
            if self.parallel else [read_and_parse((item, self.sources.get(item.relative))) for item in stale]
        for item, (record, problem) in zip(stale, results, strict=True):
            if problem is not None:
                problems.append(problem)
                self.sources.pop(item.relative, None)
            else:
                self.sources[item.relative] = record
                if item.stamp is None:  # the scan left it to the reading (nothing was cached)
                    self._found[item.relative] = replace(item, stamp=record.stamp)  # type: ignore[index]
        gone = set(self.sources) - wanted
        for relative in gone:
            del self.sources[relative]
        self._changed_sources = self._changed_sources or bool(stale) or bool(gone)
        self._failed = {problem.path for problem in problems}
        return yaml_files, problems

    def _scan(self, changed: Iterable[Path] | None) -> tuple[list[FoundFile], list[Problem]]:
        """The content files and their stamps: all scanned, or the last scan updated for `changed`."""
        updated = None if changed is None or self._found is None \
            else rescan(self.project.content, changed, self._found)
        if updated is None:
            found, problems = scan_content(self.project.content, markdown_stamps=bool(self.sources))
            self._found, self._scan_problems = {item.relative: item for item in found}, problems
        return list(self._found.values()), list(self._scan_problems)  # type: ignore[union-attr]

    @property
    def _root(self) -> Path:
        return self.project.content.resolve()

    def _is_stale(self, item: FoundFile) -> bool:
        record = self.sources.get(item.relative)
        return record is None or record.stamp != item.stamp or record.parsed.path != item.shown

    def _parsed(self) -> list[ParsedFile]:
        return [record.parsed for record in self.sources.values() if record.parsed.path not in self._failed]

    def _join(self, registries: str, event_id: str, files: dict[str, ParsedFile], known: Registries,
              problems: list[Problem]) -> Event | None:
        """join_event, reused while the event's files have the same text and the registries are the same."""
        memo = self.joined.get(event_id)
        same_objects = tuple(files.items())
        if memo is not None and self._join_inputs.get(event_id) == (registries, same_objects):
            problems.extend(memo.problems)  # the very same parsed files as last build: nothing to compare
            return memo.event
        self._join_inputs[event_id] = (registries, same_objects)
        key = (registries, *(f"{lang}\0{parsed.path}\0{self.sources[parsed.relative].digest}"
                             for lang, parsed in sorted(files.items())))
        if memo is None or memo.key != key:
            found: list[Problem] = []
            event = join_event(event_id, files, known, found)
            # The event is made from exactly what the key names (its files' texts, the registries),
            # so the key's digest fingerprints it: no need to digest the whole event's repr.
            fingerprint = digest(*key) if event is not None else ""
            memo = self.joined[event_id] = JoinedEvent(key, event, tuple(found), fingerprint)
            self._changed_events = True
        if memo.event is not None:
            self.memo.remember(memo.event, memo.fingerprint)
        problems.extend(memo.problems)
        return memo.event

    # Rendering: only pages whose key changed.

    def _render(self, content: Content) -> tuple[dict[str, bytes], int]:
        environment, theme = self._environment()
        assets = find_assets(self.project.templates)
        renderer = SiteRenderer(content, environment, assets, self.base_url, memo=self.memo, theme=theme)  # type: ignore[arg-type]
        jobs = renderer.jobs()
        output: dict[str, OutputValue] = {}
        keys: dict[str, str] = {}
        todo: list[PageJob | None] = []  # None: the whole-site outputs (feeds, data), made alongside
        extras_key = "extras:" + digest(renderer.site_key, *renderer.fingerprints)
        extras = self._kept_group(extras_key)
        self.pending = None
        if extras is None and self.defer_whole_site and bool(self.keys):
            self.pending = (extras_key, renderer)
            extras_key = next(known for known in self.keys.values() if known.startswith("extras:"))
            extras = self._kept_group(extras_key)
        elif extras is None:
            todo.append(None)
        for job in jobs:
            if job.path in keys:
                raise ValueError(f"two pages would be written to {job.path}")
            keys[job.path] = job.key
            kept = self._kept(job.path, job.key)
            if kept is None:
                todo.append(job)
            else:
                output[job.path] = kept
        scratch = self._scratch() if self.parallel and len(todo) >= MIN_ITEMS else None
        listing = 0
        if scratch:
            # Pages that list events (timeline, tags) first, all made by one process, which makes
            # the events' list form once for them all, while the others make the whole-site
            # outputs and event pages (which need none); and the templates compiled here, once,
            # not in each worker.
            todo.sort(key=_render_order)
            listing = sum(_render_order(job) == 0 for job in todo)
            failure = prepare_rendering(renderer, {job.template for job in todo if job is not None})
            if failure is not None:
                raise ContentError([failure.problem(self.project.root)])
        work = [(renderer, job, scratch) for job in todo]
        results = fork_map(render_job, work, together=listing) if scratch else [render_job(item) for item in work]
        errors = [result.problem(self.project.root) for result in results if isinstance(result, TemplateFailure)]
        if errors:
            raise ContentError(errors)
        for job, data in zip(todo, results, strict=True):
            if job is None:
                extras = data
            else:
                output[job.path] = data
        self._add(output, keys, extras or {}, extras_key)
        if self.searching:
            self._add(output, keys, *self._search_files(renderer, keys, output))
        for asset in assets.values():
            keys[asset.published] = "asset"
            output[asset.published] = self._kept(asset.published, "asset") or asset.data
        self.keys = keys
        return output, len(todo) - (None in todo)

    def _scratch(self) -> Path:
        """A folder for pages rendered in worker processes (see render_job), removed by `discard_scratch`.

        With an output folder it is the new output in the making (write_site's staging folder, beside
        the output): the workers write pages, and make their folders, right where they will stay.
        """
        if self.output is not None:
            folder = new_staging_folder(self.output)
        else:
            parent = self.project.root / CACHE_DIR  # git-ignored, safe to delete, should a build be killed
            parent.mkdir(exist_ok=True)
            folder = Path(tempfile.mkdtemp(prefix="render-", dir=parent))
        self.scratch.append(folder)
        return folder

    @property
    def staging(self) -> Path | None:
        """The new output in the making, if worker processes wrote pages into it (see _scratch)."""
        return self.scratch[-1] if self.scratch and self.output is not None else None

    def discard_scratch(self) -> None:
        """Remove the rendered pages' scratch folders, once the site is written (or not)."""
        for folder in self.scratch:
            shutil.rmtree(folder, ignore_errors=True)
        self.scratch.clear()

    def _add(self, output: dict, keys: dict[str, str], files: dict, key: str) -> None:
        for path, data in files.items():
            if path in keys:
                raise ValueError(f"two outputs would be written to {path}")
            keys[path], output[path] = key, data

    def _kept(self, path: str, key: str) -> bytes | Path | None:
        """The page as the last build made it, if made from the same things; else None."""
        if self.keys.get(path) == key and path in self.previous:
            return self.previous[path]
        return kept_file(self.output, path, self.stored.get(path), key)

    def _kept_group(self, key: str) -> dict[str, bytes | Path] | None:
        """The files of a whole-site output (feeds, search index) if made for `key` last time."""
        paths = [path for path, known in self.keys.items() if known == key]
        if paths:
            return {path: self.previous[path] for path in paths}
        stored = [path for path, record in self.stored.items() if record.key == key]
        kept = {path: kept_file(self.output, path, self.stored[path], key) for path in stored}
        return kept if kept and all(value is not None for value in kept.values()) else None  # type: ignore[return-value]

    def _search_files(self, renderer: SiteRenderer, keys: dict[str, str],
                      output: dict[str, OutputValue]) -> tuple[dict, str]:
        """The search index, made again only when a searchable page changed (and `search` is on)."""
        if not self.search:  # keep the index made at the start, without looking at the pages at all
            known = next((known for known in self.keys.values() if known.startswith("search:")), None)
            kept = self._kept_group(known) if known else None
            if kept is not None:
                return kept, known  # type: ignore[return-value]
        searchable = searchable_pages(renderer.content, renderer.urls)
        key = "search:" + digest(*(keys[path] for path in searchable))
        kept = self._kept_group(key)
        if kept is not None:
            return kept, key
        return search_files(OutputFiles(output), searchable, parallel=self.parallel), key

    def _while_parsing(self, yaml_files: list[TextFile]) -> None:
        """What rendering needs, made while workers parse: the registries, the languages' locale
        data, and every template compiled (one that does not compile is reported when a page needs it)."""
        prepare_registries(self.project.content, yaml_files)
        environment, _ = self._environment()
        environment.compile_all()

    def _environment(self) -> tuple[DeferredEnvironment, str]:
        """The Jinja environment, made again only when a template changed (compiling is costly)."""
        folder = self.project.templates
        parts = [f"{p.relative_to(folder).as_posix()}\0{p.read_text('utf-8', 'replace')}"
                 for p in sorted(folder.rglob("*")) if p.is_file() and "static" not in p.relative_to(folder).parts]
        theme = digest(*parts)
        if self.theme[0] != theme or self.theme[1] is None:
            self.theme = (theme, DeferredEnvironment(folder))
        return self.theme[1], theme  # type: ignore[return-value]

    def accept_whole_site(self, key: str, files: dict[str, bytes]) -> tuple[dict[str, bytes], set[str]]:
        """Take feeds, data and sitemap made elsewhere for `key` (see `pending`); returns what changed
        (to write) and what is gone, or nothing if the site changed again since."""
        if self.pending is None or self.pending[0] != key:
            return {}, set()
        self.pending = None
        old = {path for path, known in self.keys.items() if known.startswith("extras:")}
        changed = {path: data for path, data in files.items() if not _same(self.previous.get(path), data)}
        for path in old:
            del self.keys[path]
            self.previous.pop(path, None)
        for path, data in files.items():
            self.keys[path], self.previous[path] = key, data
        return changed, old - set(files)

    def remember_output(self, output: Path) -> None:
        """Record the written files' stamps in the persistent cache, for the next run's warm build."""
        if self.cache is None or self._content is None:  # no good build yet: nothing to record
            return
        # Pickling makes no cycles: the collector's passes over the whole heap took 0.3 s at 10,000 events.
        with collections_paused():
            records = records_of(output, self.keys, self.previous)
            if records != self.stored:
                self.stored = records
                self.cache.save_pages(records)
            if self._cache_save is not None:  # made while rendering
                self._cache_save.finish(keep=True)
                self._cache_save = None
            elif self._changed_sources or self._changed_events:  # the parsed files, kept apart: often unchanged
                self.cache.save_parsed(*self._parsed_to_keep(self._content))
            self._changed_sources = self._changed_events = False

    def abandon_cache_save(self) -> None:
        """Drop the parsed files' cache being written for a build that failed after all."""
        if self._cache_save is not None:
            self._cache_save.finish(keep=False)
            self._cache_save = None

    def _parsed_to_keep(self, content: Content) -> tuple[dict[str, SourceRecord], dict[str, JoinedEvent]]:
        alive = {event.id for event in content.events}
        return self.sources, {event_id: known for event_id, known in self.joined.items() if event_id in alive}


class _EarlyJoins:
    """Events joined while workers still parse, each as soon as all its files are: fork_map hands
    this process each chunk of parsed files as it comes. `SiteBuilder._join` remembers every
    event, so assemble_content then finds them joined: joining 5,000 events (0.2 s) no longer
    waits for the last file to be parsed. An event with a file that failed is left to it."""

    def __init__(self, builder: SiteBuilder, stale: list[FoundFile], wanted: set[str],
                 yaml_files: list[TextFile]) -> None:
        self.builder, self.stale, self.wanted, self.yaml_files = builder, stale, wanted, yaml_files
        self.registries: Registries | None = None
        self.files: dict[str, list[tuple[str, str]]] = {}  # event id -> its files' (relative path, language)
        self.event_of: dict[str, str] = {}  # a file being parsed -> its event's id
        self.waiting: dict[str, int] = {}  # event id -> how many of its files are still being parsed
        self.failed: set[str] = set()
        self.started = False

    def __call__(self, first: int, values: list) -> None:
        if not self.started:  # on the first results, when the registries are read (fork_map's meanwhile)
            self._start()
        if self.registries is None:
            return
        sources = self.builder.sources
        for item, (record, problem) in zip(self.stale[first:first + len(values)], values, strict=True):
            event_id = self.event_of.get(item.relative)
            if event_id is None:
                continue
            if problem is not None:
                self.failed.add(event_id)
                continue
            sources[item.relative] = record  # as the builder records it once all are parsed
            self.builder._changed_sources = True
            self.waiting[event_id] -= 1
            if self.waiting[event_id] == 0 and event_id not in self.failed:
                files = {lang: sources[relative].parsed for relative, lang in self.files[event_id]}
                self.builder._join(self.builder._registries_key, event_id, files, self.registries, [])

    def _start(self) -> None:
        self.started = True
        self.registries = valid_registries(self.builder.project.content, self.yaml_files)
        if self.registries is None:
            return  # assemble_content reports what is wrong with them
        codes = self.registries.config.codes
        stale = {item.relative for item in self.stale}
        for relative in sorted(self.wanted):
            named = translation_of(relative, codes) if relative.startswith("events/") else None
            if named is None:
                continue
            event_id, lang = named
            self.files.setdefault(event_id, []).append((relative, lang))
            if relative in stale:
                self.event_of[relative] = event_id
                self.waiting[event_id] = self.waiting.get(event_id, 0) + 1


def _render_order(job: PageJob | None) -> int:
    """0: a page other than an event's (most list events), 1: the whole-site outputs, 2: an event's page."""
    return 1 if job is None else 2 if job.context == "_event_context" else 0


def _same(before: OutputValue | None, after: OutputValue) -> bool:
    return before is after or (isinstance(before, bytes) and isinstance(after, bytes) and before == after)


