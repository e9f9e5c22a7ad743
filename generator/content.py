"""Read and validate a whole content folder into one `Content` value (load → parse → validate → order)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

from generator.config import read_places, read_site_config, read_sources, read_strings
from generator.events import Registries, group_translations, join_event, join_page
from generator.load import TextFile, load_content
from generator.localize import prepare_locale
from generator.model import Content, Event, Place, SiteConfig, Source, Strings
from generator.order import in_timeline_order
from generator.parse import MarkdownRenderer, ParsedFile, ParseError, YamlData, load_yaml_mapping, parse_markdown_file
from generator.problems import ContentError, Problem

REGISTRY_FILES = ("site.yaml", "sources.yaml", "places.yaml")
MARKDOWN_FOLDERS = ("events", "pages")
YAML = (".yaml", ".yml")

ParseMarkdown = Callable[[TextFile], ParsedFile]
JoinEvent = Callable[[str, dict[str, ParsedFile], Registries, list[Problem]], Event | None]


def read_content(
    content_dir: Path, *, drafts: bool = False, parse_markdown: ParseMarkdown | None = None
) -> tuple[Content, list[Problem]]:
    """The validated content, and warnings. Raises ContentError with every problem found.

    `parse_markdown` lets a caller supply parsed files; the build cache and the live server
    use `assemble_content` directly (see generator/incremental.py).
    """
    files, problems = load_content(content_dir)
    if parse_markdown is None:
        renderer = MarkdownRenderer()

        def parse_markdown(file: TextFile) -> ParsedFile:
            return parse_markdown_file(file.path, file.relative, file.text, renderer)

    parsed = []
    for file in markdown_files(files, problems):
        try:
            parsed.append(parse_markdown(file))
        except ParseError as error:
            problems.append(error.problem)
    return assemble_content(content_dir, files, parsed, problems, drafts=drafts)


def markdown_files(files: list[TextFile], problems: list[Problem]) -> list[TextFile]:
    """The event and page files to parse; a problem for each Markdown file anywhere else."""
    wanted = []
    for file in files:
        if not file.relative.endswith(".md"):
            continue
        problem = misplaced_markdown(file.path, file.relative)
        if problem is None:
            wanted.append(file)
        else:
            problems.append(problem)
    return wanted


def misplaced_markdown(shown: str, relative: str) -> Problem | None:
    """A problem if a Markdown file (`relative` inside content/) is not an event or page file."""
    if relative.split("/", 1)[0] in MARKDOWN_FOLDERS and relative.count("/") == 1:
        return None
    return Problem(
        shown,
        None,
        "Markdown file outside content/events/ and content/pages/",
        "move it into events/ (an event) or pages/ (a page)",
    )


def assemble_content(
    content_dir: Path,
    files: list[TextFile],
    parsed: list[ParsedFile],
    problems: list[Problem],
    *,
    drafts: bool = False,
    join: JoinEvent = join_event,
    warnings: bool = True,
    order: Callable[[list[Event]], tuple[Event, ...]] = in_timeline_order,
) -> tuple[Content, list[Problem]]:
    """Validate registries and parsed Markdown files into Content (see read_content).

    `files` needs only the YAML files; `join` may reuse events whose files did not change;
    without `warnings` (the live server's rebuilds) the list of warnings is left empty.
    """
    config, strings, sources, places, found = _read_registries(content_dir, _yaml_files(files))
    problems.extend(found)
    if config is None:
        raise ContentError(problems)
    by_folder: dict[str, list[ParsedFile]] = {folder: [] for folder in MARKDOWN_FOLDERS}
    for file in parsed:
        by_folder[file.relative.split("/", 1)[0]].append(file)
    known = Registries(config, strings, sources, places)
    events: list[Event] = []
    for event_id, translations in group_translations(by_folder["events"], config.codes, problems).items():
        event = join(event_id, translations, known, problems)
        if event is not None and (drafts or not event.draft):
            events.append(event)
    pages = [
        join_page(name, translations, problems)
        for name, translations in group_translations(by_folder["pages"], config.codes, problems).items()
    ]
    if problems:
        raise ContentError(problems)
    content = Content(config, strings, sources, places, order(events), tuple(pages))
    return content, content_warnings(content, content_dir) if warnings else []


def prepare_registries(content_dir: Path, files: list[TextFile]) -> None:
    """Read the registries now (assemble_content finds them cached) and load each language's locale
    data (prepare_locale): work a build does beside its parse workers, not after them."""
    config, *_, problems = _read_registries(content_dir, _yaml_files(files))
    if config is not None and not problems:  # else assemble_content reports them, and stops
        for language in config.languages:
            prepare_locale(language.form, config.timezone)


def valid_registries(content_dir: Path, files: list[TextFile]) -> Registries | None:
    """What events may refer to, as assemble_content will find it, if the registries have no
    problem (read once: prepare_registries read them already)."""
    config, strings, sources, places, problems = _read_registries(content_dir, _yaml_files(files))
    return Registries(config, strings, sources, places) if config is not None and not problems else None


def _yaml_files(files: list[TextFile]) -> tuple[tuple[str, str, str], ...]:
    """The YAML files' relative paths, shown paths and texts: _read_registries' key."""
    return tuple(sorted((f.relative, f.path, f.text) for f in files if posixpath.splitext(f.relative)[1] in YAML))


@lru_cache(maxsize=4)
def _read_registries(
    content_dir: Path, yaml_files: tuple[tuple[str, str, str], ...]
) -> tuple[SiteConfig | None, dict[str, Strings], dict[str, Source], dict[str, Place], tuple[Problem, ...]]:
    """Site config, strings, sources and places from the YAML files (relative, shown path, text).

    Cached: the live server rebuilds with the same registries on nearly every save.
    """
    files = {relative: TextFile(path, relative, text) for relative, path, text in yaml_files}
    problems: list[Problem] = []
    registries = {name: _yaml(files.get(name), content_dir, name, problems) for name in REGISTRY_FILES}
    config = read_site_config(registries["site.yaml"], _shown(content_dir, "site.yaml"), problems)
    if config is None:
        return None, {}, {}, {}, tuple(problems)
    strings = _read_all_strings(files, config.codes, content_dir, problems)
    sources = read_sources(registries["sources.yaml"], _shown(content_dir, "sources.yaml"), problems)
    places = read_places(registries["places.yaml"], _shown(content_dir, "places.yaml"), problems, config.codes)
    for relative, file in files.items():
        if relative not in REGISTRY_FILES and not relative.startswith("strings/"):
            problems.append(
                Problem(
                    file.path,
                    None,
                    "unexpected YAML file in content/",
                    "registries are site.yaml, sources.yaml, places.yaml and strings/<lang>.yaml",
                )
            )
    return config, strings, sources, places, tuple(problems)


def content_warnings(content: Content, content_dir: Path) -> list[Problem]:
    """Things a build allows but `check` reports: unsourced events, unused sources, untranslated."""
    warnings = []
    cited = {s for event in content.events for s in event.sources} | {
        figure.source for event in content.events for figure in event.figures
    }
    for source_id in sorted(set(content.sources) - cited):
        warnings.append(
            Problem(
                _shown(content_dir, "sources.yaml"),
                None,
                f"source '{source_id}' is not cited by any event",
                "cite it or remove it",
            )
        )
    for event in content.events:
        first = next(iter(event.translations.values())).path
        if not event.sources:
            warnings.append(Problem(first, None, f"event '{event.id}' cites no source", "add 'sources: [id]'"))
        for code in content.config.codes:
            if code not in event.translations:
                warnings.append(
                    Problem(first, None, f"event '{event.id}' has no '{code}' translation", f"add {event.id}.{code}.md")
                )
    return warnings


def _read_all_strings(
    yaml_files: dict[str, TextFile], codes: tuple[str, ...], content_dir: Path, problems: list[Problem]
) -> dict[str, Strings]:
    strings = {}
    for code in codes:
        name = f"strings/{code}.yaml"
        strings[code] = read_strings(
            _yaml(yaml_files.get(name), content_dir, name, problems), _shown(content_dir, name), problems
        )
    default = strings[codes[0]]
    for code, other in strings.items():
        for kind in ("tags", "measures"):
            missing = set(getattr(default, kind)) ^ set(getattr(other, kind))
            if missing:
                problems.append(
                    Problem(
                        _shown(content_dir, f"strings/{code}.yaml"),
                        None,
                        f"{kind} labels differ between languages: {', '.join(sorted(missing))}",
                        f"give every {kind[:-1]} a label in each strings file",
                    )
                )
    return strings


def _yaml(file: TextFile | None, content_dir: Path, name: str, problems: list[Problem]) -> YamlData:
    if file is None:
        problems.append(
            Problem(
                _shown(content_dir, name), None, f"{name} is missing", f"create content/{name} (see docs/content.md)"
            )
        )
        return YamlData({})
    try:
        return load_yaml_mapping(file.text, file.path)
    except ParseError as error:
        problems.append(error.problem)
        return YamlData({})


def _shown(content_dir: Path, name: str) -> str:
    return f"{content_dir.name}/{name}"
