"""Incremental builds: keep what the last build read, parsed, joined and rendered; redo only what changed.

A `SiteBuilder` lives as long as the live server (or one `timeline build`, with the persistent
cache of generator/cache.py behind it). Each `build()` stats the content folder, reads and
parses only files whose stamp changed, joins again only events whose files changed, and renders
only the pages whose key changed (see generator/pages.py). Its result is the whole site, equal
byte for byte to what a build from nothing gives.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import Environment, TemplateError

from generator.cache import BuildCache, CacheData, JoinedEvent, OutputRecord, SourceRecord, Stamp, text_digest
from generator.content import assemble_content, markdown_files
from generator.events import Registries, join_event
from generator.load import CONTENT_SUFFIXES, ContentFileError, TextFile, display_path, read_text
from generator.model import Content, Event
from generator.outputs import OutputFiles, kept_file, records_of
from generator.pages import FragmentMemo, PageJob, digest
from generator.parallel import fork_map
from generator.parse import MarkdownRenderer, ParsedFile, ParseError, parse_markdown_file
from generator.problems import ContentError, Problem
from generator.render import SiteRenderer, find_assets, make_environment
from generator.search import search_files, searchable_pages


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


@dataclass(frozen=True)
class _Found:
    path: str
    shown: str
    relative: str
    stamp: Stamp


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
        self.previous: dict[str, bytes | Path] = {}  # the last build's files
        self.search = search  # the live server turns this off after its first build (Pagefind takes seconds)
        self.searching = search  # False: no search index at all
        # The live server sets this: feeds, data and sitemap (slow, whole-site) stay as they were in a
        # rebuild, `stale` says so, and the next build (which the server runs right after) makes them.
        self.defer_whole_site = False
        self.stale = False
        self.memo = FragmentMemo()
        self._changed_events = False
        self.joined: dict[str, JoinedEvent] = stored.events
        self.theme: tuple[str, Environment | None] = ("", None)

    def build(self) -> SiteBuild:
        """The whole site, reusing all it can. Raises ContentError with every problem found."""
        started = time.perf_counter()
        files, problems = self._read()
        parsed_count = self._parsed_now
        read = time.perf_counter()
        registries = digest(*(f"{f.relative}\0{f.text}" for f in files if f.relative in self._yaml_names))
        content, warnings = assemble_content(
            self.project.content, files, self._parsed(), problems, drafts=self.drafts,
            join=lambda *args: self._join(registries, *args),
        )
        joined = time.perf_counter()
        self._content = content
        output, rendered = self._render(content)
        done = time.perf_counter()
        files = OutputFiles(output)
        changed = {path for path, data in output.items() if not _same(self.previous.get(path), data)}
        removed = set(self.previous) - set(output)
        self.previous = dict(output)
        unchanged = files.all_kept() and set(output) == set(self.stored)
        return SiteBuild(files, changed, removed, content, warnings, rendered, parsed_count,
                         {"read": read - started, "validate": joined - read, "render": done - joined}, unchanged)

    # Reading and parsing: only files whose stamp changed.

    def _read(self) -> tuple[list[TextFile], list[Problem]]:
        found, problems = scan_content(self.project.content)
        self._yaml_names = {f.relative for f in found if not f.relative.endswith(".md")}
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
        markdown = [TextFile(f.shown, f.relative, "") for f in found if f.relative.endswith(".md")]
        wanted = {f.relative for f in markdown_files(markdown, problems)}
        stale = [item for item in found if item.relative in wanted and self._is_stale(item)]
        self._parsed_now = len(stale)
        results = fork_map(_read_and_parse, [(item, self.sources.get(item.relative)) for item in stale]) \
            if self.parallel else [_read_and_parse((item, self.sources.get(item.relative))) for item in stale]
        for item, (record, problem) in zip(stale, results, strict=True):
            if problem is not None:
                problems.append(problem)
                self.sources.pop(item.relative, None)
            else:
                self.sources[item.relative] = record
        for relative in set(self.sources) - wanted:
            del self.sources[relative]
        self._failed = {problem.path for problem in problems}
        return yaml_files, problems

    @property
    def _root(self) -> Path:
        return self.project.content.resolve()

    def _is_stale(self, item: _Found) -> bool:
        record = self.sources.get(item.relative)
        return record is None or record.stamp != item.stamp or record.parsed.path != item.shown

    def _parsed(self) -> list[ParsedFile]:
        return [record.parsed for record in self.sources.values() if record.parsed.path not in self._failed]

    def _join(self, registries: str, event_id: str, files: dict[str, ParsedFile], known: Registries,
              problems: list[Problem]) -> Event | None:
        """join_event, reused while the event's files have the same text and the registries are the same."""
        key = (registries, *(f"{lang}\0{parsed.path}\0{self.sources[parsed.relative].digest}"
                             for lang, parsed in sorted(files.items())))
        memo = self.joined.get(event_id)
        if memo is None or memo.key != key:
            found: list[Problem] = []
            event = join_event(event_id, files, known, found)
            fingerprint = self.memo.fingerprint(event) if event is not None else ""
            memo = self.joined[event_id] = JoinedEvent(key, event, tuple(found), fingerprint)
            self._changed_events = True
        elif memo.event is not None:
            self.memo.remember(memo.event, memo.fingerprint)
        problems.extend(memo.problems)
        return memo.event

    # Rendering: only pages whose key changed.

    def _render(self, content: Content) -> tuple[dict[str, bytes], int]:
        environment, theme = self._environment()
        try:
            assets = find_assets(self.project.templates)
            renderer = SiteRenderer(content, environment, assets, self.base_url, memo=self.memo, theme=theme)
            jobs = renderer.jobs()
        except TemplateError as error:
            raise ContentError([template_problem(error, self.project.root)]) from None
        output: dict[str, bytes | Path] = {}
        keys: dict[str, str] = {}
        todo: list[PageJob | None] = []  # None: the whole-site outputs (feeds, data), made alongside
        extras_key = "extras:" + digest(renderer.site_key, *renderer.fingerprints)
        extras = self._kept_group(extras_key)
        self.stale = extras is None and self.defer_whole_site and bool(self.keys)
        if self.stale:
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
        work = [(renderer, job) for job in todo]
        results = fork_map(_render_job, work) if self.parallel else [_render_job(item) for item in work]
        errors = [result for result in results if isinstance(result, Problem)]
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
                      output: dict[str, bytes | Path]) -> tuple[dict, str]:
        """The search index, made again only when a searchable page changed (and `search` is on)."""
        searchable = searchable_pages(renderer.content, renderer.urls)
        key = "search:" + digest(*(keys[path] for path in searchable))
        if not self.search:  # keep the index made at the start
            key = next((known for known in self.keys.values() if known.startswith("search:")), key)
        kept = self._kept_group(key)
        if kept is not None:
            return kept, key
        return search_files(OutputFiles(output), searchable), key

    def _environment(self) -> tuple[Environment, str]:
        """The Jinja environment, made again only when a template changed (compiling is costly)."""
        folder = self.project.templates
        parts = [f"{p.relative_to(folder).as_posix()}\0{p.read_text('utf-8', 'replace')}"
                 for p in sorted(folder.rglob("*")) if p.is_file() and "static" not in p.relative_to(folder).parts]
        theme = digest(*parts)
        if self.theme[0] != theme or self.theme[1] is None:
            self.theme = (theme, make_environment(folder))
        return self.theme[1], theme  # type: ignore[return-value]

    def remember_output(self, output: Path) -> None:
        """Record the written files' stamps in the persistent cache, for the next run's warm build."""
        if self.cache is None:
            return
        records = records_of(output, self.keys)
        if records != self.stored or self._parsed_now or self._changed_events:
            self.stored = records
            alive = {event.id for event in self._content.events}
            events = {key: value for key, value in self.joined.items() if key in alive}
            self.cache.save(CacheData(self.sources, records, events))
            self._changed_events = False


def _is_content_name(name: str) -> bool:
    """load.load_content's rule for which files are content, without pathlib (run on every save)."""
    if name.startswith((".", "#")) or name.endswith("~"):
        return False
    return os.path.splitext(name)[1] in CONTENT_SUFFIXES


def _same(before: bytes | Path | None, after: bytes | Path) -> bool:
    return before is after or (isinstance(before, bytes) and isinstance(after, bytes) and before == after)


def scan_content(content_dir: Path) -> tuple[list[_Found], list[Problem]]:
    """Every content file with its stamp (as load.load_content would read them), without reading any."""
    root = content_dir.resolve()
    shown_root = display_path(content_dir, root.parent)
    if not root.is_dir():
        return [], [Problem(shown_root, None, "the content folder does not exist or is not a folder",
                            "pass --content DIR pointing to a folder with site.yaml and events/")]
    problems: list[Problem] = []

    def unreadable(error: OSError) -> None:
        problems.append(Problem(display_path(Path(error.filename or root), root.parent), None,
                                f"the folder cannot be read ({error.strerror})", "check its permissions"))

    found: list[_Found] = []
    pending = [("", str(root))]
    while pending:  # os.scandir, not pathlib: this runs on every save in the live server
        relative_folder, folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            unreadable(error)
            continue
        for entry in entries:
            relative = f"{relative_folder}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    pending.append((relative + "/", entry.path))
                continue
            if not _is_content_name(entry.name):
                continue
            try:
                status = entry.stat()
                stamp = (status.st_mtime_ns, status.st_size, status.st_ino)
            except OSError:
                stamp = (0, 0, 0)
            found.append(_Found(entry.path, f"{shown_root}/{relative}", relative, stamp))
    return found, problems


_renderer: MarkdownRenderer | None = None


def _read_and_parse(work: tuple[_Found, SourceRecord | None]) -> tuple[SourceRecord | None, Problem | None]:
    """Read one Markdown file and parse it, unless its text is what the cache parsed already."""
    global _renderer
    item, known = work
    try:
        path = Path(item.path)
        text = read_text(path, path.parent.parent.resolve())
    except ContentFileError as error:
        return None, Problem(item.shown, error.line, error.message, error.hint)
    text_hash = text_digest(text)
    if known is not None and known.digest == text_hash and known.parsed.path == item.shown:
        return SourceRecord(item.stamp, text_hash, known.parsed), None
    _renderer = _renderer or MarkdownRenderer()
    try:
        parsed = parse_markdown_file(item.shown, item.relative, text, _renderer)
    except ParseError as error:
        return None, error.problem
    return SourceRecord(item.stamp, text_hash, parsed), None


def _render_job(work: tuple[SiteRenderer, PageJob | None]) -> bytes | dict[str, bytes] | Problem:
    renderer, job = work
    try:
        return renderer.extra_files() if job is None else renderer.render(job).encode("utf-8")
    except TemplateError as error:
        return template_problem(error, Path.cwd())


def template_problem(error: TemplateError, root: Path) -> Problem:
    """A template error as a located problem (templates are content too, for an editor)."""
    line = getattr(error, "lineno", None)
    name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates"
    path = Path(name)
    shown = path.resolve().relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else name
    return Problem(shown, line, f"template error: {error.message}", "fix the template")
