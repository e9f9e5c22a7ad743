"""`<lang>/timeline.json`: every event as data for re-users, in the shape of schema/timeline.schema.json.

Also the per-event helpers the other exports share (feeds, TimelineJS, sharing
metadata): the text shown in a language, permalinks, dates written back as EDTF.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import NamedTuple

import orjson

from generator import __version__
from generator.dates import DatePoint, EventDate
from generator.localize import format_event_date, format_figure_value, qualifier_words
from generator.model import Content, Event, Figure, Language, Source, Translation
from generator.views import Urls

SCHEMA_NAME = "timeline.schema.json"
FORMAT_VERSION = 1


def text_in(content: Content, event: Event, code: str) -> Translation:
    """The translation a `code` page shows: its own, else the default language's, else any."""
    config = content.config
    return event.text_in(code, (code, config.default_language, *config.codes))


def permalink(urls: Urls, code: str, event_id: str) -> str:
    return urls.absolute(urls.event(code, event_id))


def feed_path(code: str) -> str:
    return f"{code}/feed.xml"


def data_path(code: str) -> str:
    return f"{code}/timeline.json"


def file_url(urls: Urls, relative: str) -> str:
    """The absolute URL of an output file such as `en/feed.xml`, under the base URL."""
    return urls.absolute(urls.prefix + relative)


def rfc3339(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def edtf(when: EventDate) -> str:
    """The date as written in content (`2022-01-20T19:00~`, `2022-01-20/..`, `../2022-01-20`)."""
    start = when.start.as_edtf() if when.start else ".."
    if when.end is not None:
        return f"{start}/{when.end.as_edtf()}"
    return f"{start}/.." if when.open_end else start


def date_text(when: EventDate, zone: str, language: Language, words: dict[str, str]) -> str:
    """The date as the site shows it, qualifier included: '2016 (approximately)'."""
    text = format_event_date(when, zone, language.form, words)
    qualifier = qualifier_words(when.start, words) or qualifier_words(when.end, words)
    return f"{text} ({qualifier})" if qualifier else text


def event_instant(event: Event) -> datetime:
    """The instant an event is placed at on the time axis (its start, else its end)."""
    return event.when.sort_instant(event.timezone)


def _timeline_head(content: Content, language: Language, urls: Urls) -> dict:
    """timeline.json's fields before its events."""
    code = language.code
    return {
        "format": "timeline-data",
        "version": FORMAT_VERSION,
        "schema": file_url(urls, SCHEMA_NAME),
        "generator": f"timeline {__version__}",
        "language": code,
        "languages": list(content.config.codes),
        "title": language.title,
        "description": language.description,
        "url": urls.absolute(urls.timeline(code)),
        "feed": file_url(urls, feed_path(code)),
        "timezone": content.config.timezone,
    }


def timeline_json(content: Content, language: Language, urls: Urls,
                  shared: dict[str, _SameInEveryLanguage] | None = None) -> Iterator[bytes]:
    """Every event of the timeline as JSON data, labels in `language`, in pieces made as they are
    read: each event's data is made, encoded and let go in turn (at 10,000 events the file is
    80 MB, its events' data more).
    `shared`: what each event's data has alike in every language's file, by event id (its
    translations, as JSON: most of the file's bytes; its date's points; its sources): the first
    file makes it, the others reuse it."""
    known = {} if shared is None else shared
    events = (_event_json(content, event, language, urls, known) for event in content.events)
    return line_per_item_json({**_timeline_head(content, language, urls), "events": events})


class _SameInEveryLanguage(NamedTuple):
    translations: bytes  # JSON
    start: dict | None
    end: dict | None
    sources: list[dict]


def _event_json(content: Content, event: Event, language: Language, urls: Urls,
                shared: dict[str, _SameInEveryLanguage]) -> bytes:
    """An event's data as `compact_json` encodes it, keys in the order of the schema's examples."""
    same = shared.get(event.id)
    if same is None:
        same = shared[event.id] = _same_in_every_language(content, event, urls)
    code = language.code
    strings = content.strings[code]
    when = event.when
    data = {
        "id": event.id,
        "url": permalink(urls, code, event.id),
        "language": text_in(content, event, code).lang,
        "date": {
            "edtf": edtf(when),
            "text": date_text(when, event.timezone, language, strings.words),
            "timezone": event.timezone,
            "start": same.start,
            "end": same.end,
            "open_end": when.open_end,
        },
        "importance": event.importance,
        "translations": 0,  # its JSON put in below: made once for every language
        "tags": [{"id": tag, "label": strings.tags.get(tag, tag)} for tag in event.tags],
        "places": [_place_data(content, place_id, code) for place_id in event.places],
        "sources": same.sources,
        "figures": [_figure_data(figure, language, strings.words, strings.measures) for figure in event.figures],
    }
    # The first '"translations":0' is the key's: the keys before it name no other, and a string's
    # quotes are escaped in JSON.
    head, tail = compact_json(data).split(b'"translations":0', 1)
    return b'%s"translations":%s%s' % (head, same.translations, tail)


def _same_in_every_language(content: Content, event: Event, urls: Urls) -> _SameInEveryLanguage:
    translations = {
        lang: {
            "title": text.title,
            "summary": text.summary,
            "body_html": text.body_html,
            "url": permalink(urls, lang, event.id),
        }
        for lang, text in sorted(event.translations.items())
    }
    return _SameInEveryLanguage(
        # Kept until every language's file is made: a copy of its size, as orjson's bytes
        # keep the room it reserved (up to ten times the text).
        bytes(memoryview(compact_json(translations))),
        _point_data(event.when.start, event.timezone),
        _point_data(event.when.end, event.timezone),
        [_source_data(content.sources[source_id]) for source_id in event.sources],
    )


def compact_json(value: object) -> bytes:
    """Compact JSON, text as it is (not \\u-escaped), as UTF-8. orjson writes what the standard
    library's encoder writes (but tiny floats: 0.00001, not 1e-05) three times as fast, and bytes
    already: 0.2 s of a 5,000-event build's timeline.json. An integer beyond 64 bits, which orjson
    refuses, goes to the standard library's encoder."""
    try:
        return orjson.dumps(value)
    except orjson.JSONEncodeError:
        return _STANDARD_JSON.encode(value).encode()


_STANDARD_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))


def line_per_item_json(data: dict) -> Iterator[bytes]:
    """JSON with each top-level field, and each item of a top-level list, on a line of its own:
    readable and diff-friendly, and made by compiled encoders (indented JSON is made in Python, and
    took a second at a thousand events). It comes in pieces, as read: a list may be given as an
    iterator, whose items are encoded one by one (an item given as bytes is JSON already), so a
    big file's whole text is never held, let alone twice."""
    encode = compact_json
    yield b"{\n"
    for number, (key, value) in enumerate(data.items()):
        if number:
            yield b",\n"
        if not isinstance(value, list | Iterator):
            yield b"%s:%s" % (encode(key), encode(value))
            continue
        yield b"%s:" % encode(key)
        before = b"[\n"  # the first item's; an empty list is written `[]`
        for item in value:
            yield before
            yield item if isinstance(item, bytes) else encode(item)
            before = b",\n"
        yield b"[]" if before == b"[\n" else b"\n]"
    yield b"\n}\n"


def _point_data(point: DatePoint | None, zone: str) -> dict | None:
    if point is None:
        return None
    return {
        "edtf": point.as_edtf(),
        "precision": point.precision.name.lower(),
        "approximate": point.approximate,
        "uncertain": point.uncertain,
        "datetime": point.machine_value(zone),
        "instant": rfc3339(point.instant(zone)),
    }


def _place_data(content: Content, place_id: str, code: str) -> dict:
    place = content.places[place_id]
    return {
        "id": place_id,
        "name": place.names.get(code, place_id),
        "names": dict(sorted(place.names.items())),
        "lat": place.lat,
        "lon": place.lon,
    }


def _source_data(source: Source) -> dict:
    return {
        "id": source.id,
        "publisher": source.publisher,
        "title": source.title,
        "date": edtf(source.date) if source.date else None,
        "language": source.language,
        "url": source.url,
        "via": source.via or None,
        "archive_url": source.archive_url or None,
    }


def _figure_data(figure: Figure, language: Language, words: dict[str, str], measures: dict[str, str]) -> dict:
    return {
        "measure": figure.measure,
        "label": measures.get(figure.measure, figure.measure),
        "value": figure.value,
        "text": format_figure_value(figure.value, language.form, words),
        "source": figure.source,
        "as_of": edtf(figure.as_of) if figure.as_of else None,
    }
