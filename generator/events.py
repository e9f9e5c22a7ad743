"""Validate stage: check each event's fields and join its translations into one Event."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache

from generator.dates import DateSyntaxError, EventDate, check_zone, with_end
from generator.fields import FieldReader, check_slug
from generator.localize import is_figure_value
from generator.model import Event, Figure, Page, Place, SiteConfig, Source, Strings, Translation
from generator.parse import ParsedFile, YamlData
from generator.problems import Problem

PER_LANGUAGE_FIELDS = ("title", "summary")
SHARED_FIELDS = ("date", "end", "timezone", "tags", "places", "sources", "figures", "importance", "order", "draft")
EVENT_FIELDS = frozenset(PER_LANGUAGE_FIELDS + SHARED_FIELDS)
FIGURE_FIELDS = frozenset({"measure", "value", "source", "as_of"})
_FILE_NAME = re.compile(r"^(?P<id>[^.]+)\.(?P<lang>[^.]+)\.md$")


class Registries:
    """What event fields may refer to: languages, tags, measures, sources, places."""

    def __init__(
        self, config: SiteConfig, strings: dict[str, Strings], sources: dict[str, Source], places: dict[str, Place]
    ) -> None:
        self.config, self.sources, self.places = config, sources, places
        default = strings.get(config.default_language)
        self.tags = set(default.tags) if default else set()
        self.measures = set(default.measures) if default else set()


def group_translations(
    files: list[ParsedFile], codes: tuple[str, ...], problems: list[Problem]
) -> dict[str, dict[str, ParsedFile]]:
    """Group files by id, checking the `<id>.<lang>.md` name of each."""
    groups: dict[str, dict[str, ParsedFile]] = defaultdict(dict)
    for file in files:
        item_id, lang, hint = _file_name(file.relative, codes)
        if item_id is None:
            problems.append(Problem(file.path, None, lang, hint))
        else:
            groups[item_id][lang] = file
    return dict(sorted(groups.items()))


def translation_of(relative: str, codes: tuple[str, ...]) -> tuple[str, str] | None:
    """(id, language) of a well-named `<id>.<lang>.md` file; None for a name group_translations refuses."""
    item_id, lang, _ = _file_name(relative, codes)
    return None if item_id is None else (item_id, lang)


@lru_cache(maxsize=1 << 16)  # this runs for every file on every rebuild; the names rarely change
def _file_name(relative: str, codes: tuple[str, ...]) -> tuple[str | None, str, str]:
    """(id, language, "") from a file's `<id>.<lang>.md` name, else (None, message, hint)."""
    name = relative.rsplit("/", 1)[-1]
    suffixes = " or ".join(f".{code}.md" for code in codes)
    match = _FILE_NAME.match(name)
    if not match:
        hint = f"name it <id>{suffixes.split(' or ')[0]} (one of {suffixes})"
        return None, f"the file name '{name}' has no language suffix", hint
    item_id, lang = match["id"], match["lang"]
    if lang not in codes:
        hint = f"use {suffixes}, or add '{lang}' to languages in site.yaml"
        return None, f"unknown language suffix '.{lang}.md'", hint
    if message := check_slug(item_id, "the id"):
        return None, message, "rename the file (the id is the URL)"
    return item_id, lang, ""


def join_event(
    event_id: str, files: dict[str, ParsedFile], registries: Registries, problems: list[Problem]
) -> Event | None:
    """One Event from its translations, or None if a required part is broken."""
    translations = {}
    for lang, file in sorted(files.items()):
        reader = FieldReader(file.front, file.path, problems)
        reader.unknown_fields(EVENT_FIELDS, "an event")
        translations[lang] = Translation(
            lang,
            reader.text("title", required=True) or event_id,
            reader.text("summary") or "",
            file.body_html,
            file.path,
        )
    shared = _shared_readers(files, problems)
    count = len(problems)
    when = _read_when(shared, files, problems)
    zone = _read_zone(shared.get("timezone"), registries.config.timezone)

    def field(key: str) -> FieldReader:
        return shared.get(key) or FieldReader(YamlData({}), "", problems)

    event = Event(
        id=event_id,
        when=when or EventDate(None),
        timezone=zone,
        translations=translations,
        tags=field("tags").id_list("tags", registries.tags, "the strings files (tags:)"),
        places=field("places").id_list("places", registries.places, "content/places.yaml"),
        sources=field("sources").id_list("sources", registries.sources, "content/sources.yaml"),
        figures=_read_figures(shared.get("figures"), registries),
        importance=field("importance").integer("importance", 1, 3, 2),
        order=field("order").integer("order", -1_000_000, 1_000_000, 0),
        draft=field("draft").boolean("draft", False),
    )
    return event if when is not None and len(problems) == count else None


def join_page(name: str, files: dict[str, ParsedFile], problems: list[Problem]) -> Page:
    translations = {}
    for lang, file in sorted(files.items()):
        reader = FieldReader(file.front, file.path, problems)
        reader.unknown_fields(("title", "summary"), "a page")
        translations[lang] = Translation(
            lang, reader.text("title", required=True) or name, reader.text("summary") or "", file.body_html, file.path
        )
    return Page(name, translations)


def _shared_readers(files: dict[str, ParsedFile], problems: list[Problem]) -> dict[str, FieldReader]:
    """For each shared field, a reader on the file that sets it; conflicting values are problems."""
    readers: dict[str, FieldReader] = {}
    for _, file in sorted(files.items()):
        reader = FieldReader(file.front, file.path, problems)
        for key in SHARED_FIELDS:
            if key not in file.front.values:
                continue
            first = readers.get(key)
            if first is None:
                readers[key] = reader
            elif first.raw(key) != reader.raw(key):
                reader.problem(
                    key,
                    f"'{key}' differs from {first.path}:{first.line(key)}"
                    f" ({first.raw(key)!r} here {reader.raw(key)!r})",
                    "a shared field must be equal in both translations; write it in one file only",
                )
    return readers


def _read_when(
    shared: dict[str, FieldReader], files: dict[str, ParsedFile], problems: list[Problem]
) -> EventDate | None:
    reader = shared.get("date")
    if reader is None:
        first = next(iter(sorted(files.items())))[1]
        problems.append(
            Problem(
                first.path,
                2,
                "the event has no 'date'",
                "add 'date: YYYY-MM-DD' (or YYYY-MM, YYYY) to one of its files",
            )
        )
        return None
    when = reader.date("date")
    end_reader = shared.get("end")
    if when is None or end_reader is None:
        return when
    try:
        return with_end(when, end_reader.raw("end"))
    except DateSyntaxError as error:
        end_reader.problem("end", f"'end': {error}")
        return None


def _read_zone(reader: FieldReader | None, default: str) -> str:
    if reader is None:
        return default
    zone = reader.text("timezone") or default
    try:
        check_zone(zone)
    except DateSyntaxError as error:
        reader.problem("timezone", str(error))
        return default
    return zone


def _read_figures(reader: FieldReader | None, registries: Registries) -> tuple[Figure, ...]:
    if reader is None:
        return ()
    items = reader.raw("figures")
    if not isinstance(items, list):
        reader.problem("figures", "'figures' must be a list of {measure, value, source, as_of}")
        return ()
    figures = []
    for index, item in enumerate(items):
        line = reader.data.line(f"figures.{index}", reader.line("figures"))
        if not isinstance(item, dict):
            reader.problems.append(
                Problem(reader.path, line, f"figure {index + 1} must be a mapping {{measure, value, source, as_of}}")
            )
            continue
        figure = FieldReader(YamlData(item), reader.path, reader.problems, line=line)
        figure.unknown_fields(FIGURE_FIELDS, "a figure")
        measure = figure.text("measure", required=True) or ""
        if measure and measure not in registries.measures:
            figure.problem(
                "measure",
                f"unknown figure measure '{measure}'",
                "use a measure id listed under 'measures:' in the strings files",
            )
        source = figure.text("source", required=True, what=": every figure needs who said it") or ""
        if source and source not in registries.sources:
            figure.problem("source", f"figure source '{source}' is not in content/sources.yaml")
        value = item.get("value")
        if not is_figure_value(value):
            figure.problem(
                "value",
                f"figure value {value!r} is not a number, range or time",
                "write 3500, '~3500', '>100', '>=100', '60-90' or '19:00'",
            )
        figures.append(Figure(measure, value if is_figure_value(value) else "", source, figure.date("as_of")))
    return tuple(figures)
