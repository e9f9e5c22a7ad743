"""`<lang>/timelinejs.json`: the events in Knight Lab TimelineJS3's JSON format, for newsrooms to embed.

TimelineJS places dates in the reader's browser time zone and has no zone
option (TimelineJS3#305), so every date carries a `display_date` already
written in the page language, and the numbers only position the slide: they
are the wall-clock fields as written, in the event's own zone.
"""

from __future__ import annotations

from collections.abc import Iterator
from html import escape

from generator.dates import DatePoint, Precision
from generator.exports import date_text, line_per_item_json, permalink, text_in
from generator.localize import format_point
from generator.model import Content, Event, Language
from generator.views import Urls

_FIELDS = (
    ("year", Precision.YEAR),
    ("month", Precision.MONTH),
    ("day", Precision.DAY),
    ("hour", Precision.MINUTE),
    ("minute", Precision.MINUTE),
    ("second", Precision.SECOND),
)


def timelinejs_json(content: Content, language: Language, urls: Urls) -> Iterator[bytes]:
    """TimelineJS3 data: one slide per event, in timeline order, no title slide; as JSON in
    pieces, each slide made as it is read."""
    return line_per_item_json({"events": (_slide(content, event, language, urls) for event in content.events)})


def _slide(content: Content, event: Event, language: Language, urls: Urls) -> dict:
    code = language.code
    text = text_in(content, event, code)
    words = content.strings[code].words
    when, zone = event.when, event.timezone
    link = permalink(urls, code, event.id)
    direction = content.config.language(text.lang).direction
    body = f'<p>{escape(text.summary)}</p>' if text.summary else ""
    body += f'<p><a href="{escape(link)}#sources">{escape(words.get("sources", link))}</a></p>'
    slide = {
        "unique_id": event.id,
        "start_date": _date(when.anchor, zone, language),
        "display_date": date_text(when, zone, language, words),
        "text": {"headline": escape(text.title), "text": f'<div lang="{text.lang}" dir="{direction}">{body}</div>'},
    }
    if when.start is not None and when.end is not None:
        slide["end_date"] = _date(when.end, zone, language)
    labels = content.strings[code].tags
    if event.tags:
        slide["group"] = labels.get(event.tags[0], event.tags[0])
    return slide


def _date(point: DatePoint, zone: str, language: Language) -> dict:
    fields = {name: getattr(point, name) for name, precision in _FIELDS if point.precision >= precision}
    return {**fields, "display_date": format_point(point, zone, language.form)}
