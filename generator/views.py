"""Views: the plain, already-localised values templates show. Templates present; this computes."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from itertools import groupby
from urllib.parse import unquote

from generator.dates import DatePoint, EventDate, Precision, calendar_date
from generator.localize import (
    format_day_heading,
    format_event_date,
    format_figure_value,
    format_hijri,
    format_point,
    qualifier_words,
)
from generator.model import Content, Event, Language, Translation


@dataclass(frozen=True)
class Urls:
    """Site-internal links as root-relative paths under the base URL's path."""

    prefix: str  # "/" or "/sub-path/"
    base_url: str

    def page(self, *parts: str) -> str:
        tail = "/".join([part.strip("/") for part in parts if part])  # a list: 33,000 calls at 1,000 events
        return self.prefix + (tail + "/" if tail else "")

    def absolute(self, path: str) -> str:
        return self.base_url.rstrip("/") + "/" + path.removeprefix(self.prefix)

    def timeline(self, lang: str) -> str:
        return self.page(lang)

    def event(self, lang: str, event_id: str) -> str:
        return self.page(lang, "events", event_id)

    def tag(self, lang: str, tag: str) -> str:
        return self.page(lang, "tags", tag)


def date_view(when: EventDate, zone: str, language: Language, words: dict[str, str]) -> dict:
    """A date for display: text, machine values for `<time>`, qualifier words, Hijri."""
    anchor = when.anchor
    return {
        "text": _in_direction(format_event_date(when, zone, language.form, words), language),
        "start": anchor.machine_value(zone) if when.start else "",
        "end": when.end.machine_value(zone) if when.end else "",
        "qualifier": qualifier_words(when.start, words) or qualifier_words(when.end, words),
        "hijri": format_hijri(anchor, language.form) if when.end is None and when.start else "",
        "is_period": when.is_period,
        "open_end": when.open_end,
        "precision": anchor.precision.name.lower(),
    }


def point_text(point: DatePoint | None, zone: str, language: Language, words: dict[str, str]) -> str:
    return _in_direction(format_point(point, zone, language.form), language) if point else words.get("undated", "")


class ViewBuilder:
    """Builds the views of one language: events, groups by day, figures, sources."""

    def __init__(self, content: Content, language: Language, urls: Urls) -> None:
        self.content, self.language, self.urls = content, language, urls
        self.strings = content.strings[language.code]
        self.words = self.strings.words
        self.fallback = (language.code, content.config.default_language, *content.config.codes)
        self._tags: dict[str, dict] = {}
        self._sources: dict[str, dict] = {}

    def link(self, event: Event) -> dict:
        """What a link to an event shows (previous/next): its title, in the language it is written in."""
        text = event.text_in(self.language.code, self.fallback)
        return self._link(event, text, self.content.config.language(text.lang))

    def _link(self, event: Event, text: Translation, text_language: Language) -> dict:
        return {
            "id": event.id,
            "url": self.urls.event(self.language.code, event.id),
            # The writer's text keeps its digits only when shown in another language's page.
            "title": text_language.form.digits_of(text.title),
            "lang": text.lang,
            "dir": text_language.direction,
            "untranslated": text.lang != self.language.code,
            "page_lang": self.language.code,
            "page_dir": self.language.direction,
        }

    def event(self, event: Event) -> dict:
        text = event.text_in(self.language.code, self.fallback)
        text_language = self.content.config.language(text.lang)
        source_numbers = {source_id: index for index, source_id in enumerate(event.sources, 1)}
        own = text_language.form
        return {
            **self._link(event, text, text_language),
            "title_id": f"{event.id}-title",
            "summary": own.digits_of(text.summary),
            "body_html": own.digits_in_html(text.body_html),
            # Shown in a language written the other way: the theme keeps its marker on the page's axis.
            "flipped": text_language.direction != self.language.direction,
            "date": date_view(event.when, event.timezone, self.language, self.words),
            "importance": event.importance,
            "key_label": self.words.get("importance_key", "") if event.importance == 1 else "",
            "tags": [self.tag(tag) for tag in event.tags],
            "tag_ids": " ".join(event.tags),
            "places": [self.place(place_id) for place_id in event.places],
            "comma": _comma(self.language.form.locale),
            "sources": [
                {**self.source(source_id), "anchor": _source_anchor(event.id, number)}
                for source_id, number in source_numbers.items()
            ],
            "figures": _by_measure([self.figure(figure, source_numbers, event.id) for figure in event.figures]),
        }

    def tag(self, tag: str) -> dict:
        """A tag's view, made once per language: every event with the tag shows the same."""
        known = self._tags.get(tag)
        if known is not None:
            return known
        label = self.strings.tags.get(tag, tag)
        known = self._tags[tag] = {
            "id": tag,
            "label": label,
            "url": self.urls.tag(self.language.code, tag),
            "heading": self.words.get("tag_page_title", "{tag}").format(tag=label),
        }
        return known

    def place(self, place_id: str) -> dict:
        place = self.content.places[place_id]
        return {
            "id": place_id,
            "name": place.names.get(self.language.code, place_id),
            "lat": place.lat,
            "lon": place.lon,
        }

    def source(self, source_id: str) -> dict:
        """A source's view, made once per language (events cite the same sources again and again)."""
        known = self._sources.get(source_id)
        if known is not None:
            return known
        source = self.content.sources[source_id]
        zone = self.content.config.timezone
        known = self._sources[source_id] = {
            "id": source.id,
            "publisher": source.publisher,
            "title": source.title,
            "url": source.url,
            "url_text": readable_url(source.url),
            "via": source.via,
            "archive_url": source.archive_url,
            "language": source.language,
            "date_text": point_text(source.date.anchor if source.date else None, zone, self.language, self.words),
            "date_value": source.date.anchor.machine_value(zone) if source.date else "",
        }
        return known

    def figure(self, figure, source_numbers: dict[str, int], event_id: str = "") -> dict:
        source = self.content.sources[figure.source]
        zone = self.content.config.timezone
        number = source_numbers.get(figure.source)
        return {
            "measure": figure.measure,
            "measure_label": self.strings.measures.get(figure.measure, figure.measure),
            "value": format_figure_value(figure.value, self.language.form, self.words),
            "source": source.publisher,
            "source_number": number,
            "source_number_text": self.language.form.number(number) if number else "",
            "source_anchor": _source_anchor(event_id, number) if number else "",
            "source_url": source.url,
            "source_url_text": readable_url(source.url),
            "as_of": point_text(figure.as_of.anchor if figure.as_of else None, zone, self.language, self.words),
            "as_of_value": figure.as_of.anchor.machine_value(zone) if figure.as_of else "",
        }

    def groups(self, events: list[dict], originals: tuple[Event, ...]) -> list[dict]:
        """Consecutive events under one heading: a day, or a month or year for coarser dates."""
        pairs = list(zip(originals, events, strict=True))
        result = []
        for key, members in groupby(pairs, key=lambda pair: _group_key(pair[0].when)):
            heading_date, precision = key
            result.append(
                {
                    "heading": self._heading(heading_date, precision),
                    "datetime": _machine_group(heading_date, precision),
                    "id": f"day-{_machine_group(heading_date, precision)}",
                    "events": [view for _, view in members],
                }
            )
        return result

    def _heading(self, day: date, precision: Precision) -> str:
        form = self.language.form
        if precision == Precision.YEAR:
            return form.digits_of(str(day.year))
        if precision == Precision.MONTH:
            return format_point(DatePoint(day.year, day.month), self.content.config.timezone, form)
        return format_day_heading(day, form)

    def figures_table(self, events: tuple[Event, ...]) -> list[dict]:
        """Every claim of each measure across the timeline, measure by measure."""
        by_measure: dict[str, list[dict]] = {measure: [] for measure in self.strings.measures}
        for event in events:
            for figure in event.figures:
                claims = by_measure.get(figure.measure)
                if claims is None:  # a measure without a label: validation lets none through
                    continue
                claim = self.figure(figure, {})
                text = event.text_in(self.language.code, self.fallback)
                claims.append(
                    {
                        **claim,
                        "event_title": text.title,
                        "event_lang": text.lang,
                        "event_dir": self.content.config.language(text.lang).direction,
                        "event_url": self.urls.event(self.language.code, event.id),
                        "sort": (claim["as_of_value"], claim["source"]),
                    }
                )
        rows = []
        for measure, claims in by_measure.items():
            if claims:
                claims.sort(key=lambda claim: claim["sort"])
                rows.append({"measure": measure, "label": self.strings.measures[measure], "claims": claims})
        return rows


_UTC_OFFSET = re.compile(r"UTC[+\-−]?[0-9٠-٩:]*")


def readable_url(url: str) -> str:
    """A URL as printed for readers: percent-escaped Arabic shown as Arabic."""
    try:
        return unquote(url, errors="strict")
    except UnicodeDecodeError:  # escapes of bytes that are not UTF-8: print them as they are
        return url


def _in_direction(text: str, language: Language) -> str:
    """A date for display: in right-to-left text 'UTC+٢' stays one left-to-right unit (else '٢+UTC')."""
    if language.direction != "rtl":
        return text
    return _UTC_OFFSET.sub(lambda match: f"\u2066{match[0]}\u2069", text)


def _by_measure(figures: list[dict]) -> list[dict]:
    """An event's claims grouped by measure, measures in order of first mention."""
    groups: dict[str, dict] = {}
    for figure in figures:
        group = groups.setdefault(figure["measure"], {"measure": figure["measure"], "label": figure["measure_label"]})
        group.setdefault("claims", []).append(figure)
    return list(groups.values())


# Languages written in Arabic script, whose comma is U+060C.
_ARABIC_COMMA_LANGUAGES = {"ar", "fa", "ur", "ps", "sd", "ckb", "ug"}


def _comma(locale: str) -> str:
    """The comma between the parts of a source citation."""
    return "، " if locale.replace("-", "_").split("_")[0] in _ARABIC_COMMA_LANGUAGES else ", "


def _source_anchor(event_id: str, number: int) -> str:
    """Unique per page, since the timeline shows the sources of every event."""
    return f"{event_id}-source-{number}"


def _group_key(when: EventDate) -> tuple[date, Precision]:
    anchor = when.anchor
    precision = min(anchor.precision, Precision.DAY)
    day = calendar_date(anchor)
    if precision == Precision.YEAR:
        return date(day.year, 1, 1), precision
    if precision == Precision.MONTH:
        return date(day.year, day.month, 1), precision
    return day, precision


def _machine_group(day: date, precision: Precision) -> str:
    if precision == Precision.YEAR:
        return f"{day.year:04d}"
    if precision == Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()
