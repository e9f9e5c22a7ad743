"""Dates, numbers and figures written in each language's own form.

Babel gives CLDR month names and patterns but writes ASCII digits in dates, and
since CLDR 2024 plain `ar` defaults to Latin digits while Mashriq locales keep
Arabic-Indic ones; so the digits are the site config's choice, applied here.
"""

from __future__ import annotations

import decimal
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, time, timedelta
from functools import lru_cache, partial

from babel import Locale, UnknownLocaleError
from babel.dates import (
    format_date,
    format_datetime,
    format_interval,
    format_time,
    get_date_format,
    get_time_format,
    match_skeleton,
    parse_pattern,
)
from babel.numbers import UnsupportedNumberingSystemError, format_decimal, get_group_symbol
from babel.numbers import parse_pattern as parse_number_pattern
from hijridate import Gregorian

from generator.date_patterns import DATE_FIELDS, TIME_FIELDS, compile_pattern
from generator.dates import DatePoint, EventDate, Precision, calendar_date

_ARAB_DIGIT_PAIRS = tuple(zip("0123456789", "٠١٢٣٤٥٦٧٨٩", strict=True))
_ASCII_DIGIT = re.compile(r"[0-9]")
_FIGURE = re.compile(r"^(?P<qualifier>~|>=|<=|>|<)?(?P<first>[\d:]+)(?:-(?P<second>[\d:]+))?$")
_MARKUP = re.compile(r"(<[^>]*>)")
_TAG_NAME = re.compile(r"<(?P<closing>/?)(?P<name>[a-zA-Z0-9]+)")
_VERBATIM_TAGS = {"bdi", "code", "pre", "kbd", "samp"}
_FULL_MONTH = re.compile(r"(?<!M)MMM(?!M)")
_WIDTHS = ("full", "long", "medium", "short")
_QUALIFIER_KEYS = {
    "~": "value_about",
    ">": "value_more_than",
    ">=": "value_at_least",
    "<": "value_fewer_than",
    "<=": "value_up_to",
}


@dataclass(frozen=True)
class LanguageForm:
    """How one language writes dates and numbers: its CLDR locale and digits."""

    locale: str
    digits: str  # "arab" (Arabic-Indic) or "latn"
    hijri: bool = False

    def digits_of(self, text: str) -> str:
        return arab_digits(text) if self.digits == "arab" else text

    def digits_in_html(self, html: str) -> str:
        """Digits of the text in this language's form; markup, and Latin kept apart in <bdi>, untouched."""
        # Ten substring searches: on a page-long body, a third of the time of one regex search.
        if self.digits != "arab" or not any(digit in html for digit in "0123456789"):
            return html
        return _arab_digits_in_html(html)

    def number(self, value: int) -> str:
        return _number(value, self.locale, self.digits)


def arab_digits(text: str) -> str:
    """ASCII digits as Arabic-Indic ones. Ten replaces, not str.translate: on Arabic text (not
    Latin-1) translate looks up every character, and bodies are long while digits are few."""
    if not _ASCII_DIGIT.search(text):
        return text
    for ascii_digit, arab_digit in _ARAB_DIGIT_PAIRS:
        text = text.replace(ascii_digit, arab_digit)
    return text


def _arab_digits_in_html(html: str) -> str:
    parts = _MARKUP.split(html)
    isolated = 0  # depth inside <bdi>/<code>/<pre>/<kbd>/<samp>, where the writer's digits stay
    for index, part in enumerate(parts):
        if part.startswith("<"):
            tag = _TAG_NAME.match(part)
            if tag and tag["name"].lower() in _VERBATIM_TAGS and not part.endswith("/>"):
                isolated += -1 if tag["closing"] else 1
        elif isolated <= 0:
            parts[index] = arab_digits(part)
    return "".join(parts)


@lru_cache(maxsize=1 << 12)
def _number(value: int, locale: str, digits: str) -> str:
    write = _whole_number_writer(locale, digits) if value >= 0 else None
    if write is not None:
        text = write(value)
    else:
        with decimal.localcontext() as context:  # Babel quantizes: more than 28 digits need more room
            context.prec = max(context.prec, len(str(value)) + 4)
            text = format_decimal(value, locale=_locale(locale), numbering_system=digits)
    return arab_digits(text) if digits == "arab" else text


@lru_cache(maxsize=64)
def _whole_number_writer(locale: str, digits: str) -> Callable[[int], str] | None:
    """Babel's format_decimal for a whole number from 0 up, made once per locale: the decimal
    pattern's prefix and suffix around the digits, grouped by its group sizes with the locale's
    group symbol (NumberPattern.apply and _format_int, without their Decimal arithmetic and a
    look-up of the symbol for every number: 5-7 µs a figure, and 3,000 figures are written six
    times in a 5,000-event build). None for a pattern of another kind, left to Babel."""
    parsed = _locale(locale)
    pattern = parse_number_pattern(parsed.decimal_formats[None])
    prefix, suffix = pattern.prefix[0], pattern.suffix[0]
    if pattern.exp_prec or pattern.scale or pattern.frac_prec[0] or "@" in pattern.pattern \
            or not pattern.number_pattern or "'" in prefix + suffix:
        return None
    try:
        group = get_group_symbol(parsed, numbering_system=digits)
    except UnsupportedNumberingSystemError:
        return None  # Babel says so, as before
    if "'" in group:  # Babel would read it as a quote
        return None
    least, (first, then) = pattern.int_prec[0], pattern.grouping

    def write(value: int) -> str:
        text = str(value).rjust(least, "0")
        size, grouped = first, ""
        while len(text) > size:
            grouped = group + text[-size:] + grouped
            text, size = text[:-size], then
        return prefix + text + grouped + suffix

    return write


@lru_cache(maxsize=64)
def _locale(name: str) -> Locale:
    return Locale.parse(name)


@lru_cache(maxsize=64)
def _skeleton_pattern(skeleton: str, locale: str):
    known = _locale(locale).datetime_skeletons
    return known[skeleton if skeleton in known else match_skeleton(skeleton, known)]


def _format_skeleton(skeleton: str, day: date, locale: str) -> str:
    """babel's format_skeleton, with the skeleton matched once per locale (matching is its slow part)."""
    return _skeleton_writer(skeleton, locale)(day)


# Babel's format_date / format_time / format_datetime, each pattern compiled once per locale
# (generator.date_patterns); a pattern with a field not compiled there stays with Babel.


@lru_cache(maxsize=256)
def _date_writer(format: str, locale: str) -> Callable[[date], str]:
    """format_date(day, format, locale): format is a width ('long') or a pattern."""
    loc = _locale(locale)
    try:
        pattern = get_date_format(format, locale=loc) if format in _WIDTHS else parse_pattern(format)
    except ValueError:  # a malformed pattern: Babel says so at the call
        pattern = None
    quick = pattern and compile_pattern(pattern, loc, DATE_FIELDS)
    return quick or partial(format_date, format=format, locale=loc)


@lru_cache(maxsize=64)
def _time_writer(width: str, locale: str) -> Callable[[time], str]:
    """format_time(clock, width, locale) of a naive time."""
    loc = _locale(locale)
    quick = compile_pattern(get_time_format(width, locale=loc), loc, TIME_FIELDS)
    return quick or partial(format_time, format=width, locale=loc)


@lru_cache(maxsize=64)
def _skeleton_writer(skeleton: str, locale: str) -> Callable[[date], str]:
    """format_datetime(day, skeleton's pattern, locale): a date's fields read the same from its midnight."""
    loc = _locale(locale)
    pattern = _skeleton_pattern(skeleton, locale)
    quick = compile_pattern(pattern, loc, DATE_FIELDS)
    return quick or partial(format_datetime, format=pattern, locale=loc)


def validate_locale(name: str) -> str | None:
    """None if Babel knows the locale, else a message saying what is wrong."""
    hint = "use a CLDR locale such as ar_SY, ar_EG or en_GB"
    try:
        _locale(name)
    except UnknownLocaleError:  # well formed, but not in CLDR
        return f"unknown locale '{name}'; {hint}"
    except (ValueError, TypeError) as error:
        return f"unknown locale '{name}' ({error}); {hint}"
    return None


@lru_cache(maxsize=1 << 16)  # pure, and Babel's pattern matching is slow: a timeline repeats dates
def format_point(point: DatePoint, zone: str, form: LanguageForm) -> str:
    """A point at its own precision: a month-precision date never shows a day."""
    day = calendar_date(point)
    if point.precision == Precision.YEAR:
        text = str(point.year)
    elif point.precision == Precision.MONTH:
        text = _format_skeleton("yMMMM", day, form.locale)
    else:
        text = _date_writer("long", form.locale)(day)
    if point.precision >= Precision.MINUTE:
        text = _locale(form.locale).datetime_formats["medium"].format(_clock(point, form), text)
        text = f"{text} ({utc_label(point.utc_offset(zone))})"
    return form.digits_of(text)


def prepare_locale(form: LanguageForm, zone: str) -> None:
    """Load a language's locale data and date patterns now, as the first dates it formats would
    (with reading the registries, 20 ms for two languages): a build does it beside its parse workers."""
    for point in (DatePoint(2000, 1), DatePoint(2000, 1, 1), DatePoint(2000, 1, 1, 12, 0)):
        format_point(point, zone, form)
    format_day_heading(date(2000, 1, 1), form)
    form.number(0)


def format_event_date(when: EventDate, zone: str, form: LanguageForm, words: dict[str, str]) -> str:
    """The whole date of an event, periods included, in one language."""
    start, end = when.start, when.end
    if start is None:
        assert end is not None
        return f"{words['unknown_start']} – {format_point(end, zone, form)}"
    if when.open_end:
        return f"{format_point(start, zone, form)} – {words['ongoing']}"
    if end is None:
        return format_point(start, zone, form)
    if start.precision == end.precision and start.precision <= Precision.DAY:
        return form.digits_of(_calendar_interval(calendar_date(start), calendar_date(end), start.precision, form))
    timed = start.precision >= Precision.MINUTE and end.precision >= Precision.MINUTE
    if timed and calendar_date(start) == calendar_date(end) and start.utc_offset(zone) == end.utc_offset(zone):
        clocks = f"{_clock(start, form)}–{_clock(end, form)}"
        day = _date_writer("long", form.locale)(calendar_date(start))
        text = _locale(form.locale).datetime_formats["medium"].format(clocks, day)
        return form.digits_of(f"{text} ({utc_label(start.utc_offset(zone))})")
    return f"{format_point(start, zone, form)} – {format_point(end, zone, form)}"


@lru_cache(maxsize=1 << 14)
def _calendar_interval(start: date, end: date, precision: Precision, form: LanguageForm) -> str:
    """'20–30 January 2022': CLDR has no yMMMMd interval, so widen yMMMd's month to full names."""
    if precision == Precision.YEAR:
        return format_interval(start, end, "y", locale=_locale(form.locale))
    if precision == Precision.MONTH:
        return format_interval(start, end, "yMMMM", locale=_locale(form.locale))
    patterns = _locale(form.locale).interval_formats["yMMMd"]
    field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
    if start == end or field not in patterns:
        return format_interval(start, end, "yMMMd", locale=_locale(form.locale))
    return "".join(
        _date_writer(_FULL_MONTH.sub("MMMM", pattern), form.locale)(day)
        for pattern, day in zip(patterns[field], (start, end), strict=True)
    )


def _clock(point: DatePoint, form: LanguageForm) -> str:
    width = "medium" if point.precision == Precision.SECOND else "short"
    return _time_writer(width, form.locale)(point.local_start().time())


def qualifier_words(point: DatePoint | None, words: dict[str, str]) -> str:
    """'approximately' / 'uncertain' in the reader's language, or ''."""
    if point is None:
        return ""
    if point.approximate and point.uncertain:
        return words["approximate_uncertain"]
    if point.approximate:
        return words["approximate"]
    return words["uncertain"] if point.uncertain else ""


@lru_cache(maxsize=1 << 16)  # pure, and Babel's pattern matching is slow: a timeline repeats dates
def format_day_heading(day: date, form: LanguageForm) -> str:
    """A day header such as 'Thursday, 20 January 2022' / 'الخميس، ٢٠ كانون الثاني ٢٠٢٢'."""
    return form.digits_of(_format_skeleton("yMMMMEEEEd", day, form.locale))


@lru_cache(maxsize=1 << 16)  # pure, and Babel's pattern matching is slow: a timeline repeats dates
def format_hijri(point: DatePoint, form: LanguageForm) -> str:
    """The Umm al-Qura Hijri date of a day-precision point, or '' when not shown."""
    if not form.hijri or point.precision < Precision.DAY:
        return ""
    try:
        hijri = Gregorian(point.year, point.month, point.day).to_hijri()
    except OverflowError:  # outside the Umm al-Qura table (1937-2077)
        return ""
    return form.digits_of(f"{hijri.day} {hijri.month_name('ar')} {hijri.year} {hijri.notation('ar')}")


def utc_label(offset: timedelta) -> str:
    hours, rest = divmod(int(offset.total_seconds() // 60), 60)
    if rest:
        return f"UTC{hours:+d}:{rest:02d}"
    return f"UTC{hours:+d}"


def is_figure_value(value: object) -> bool:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and _FIGURE.match(value.replace(",", "").strip()) is not None
    )


def format_figure_value(value: int | str, form: LanguageForm, words: dict[str, str]) -> str:
    """A contested figure as written by its source: qualifier, number, range or time."""
    match = _FIGURE.match(str(value).replace(",", "").strip())
    assert match, f"unchecked figure value {value!r}"
    parts = [_figure_part(match["first"], form)]
    if match["second"]:
        parts.append(_figure_part(match["second"], form))
    text = "–".join(parts)
    qualifier = match["qualifier"]
    return f"{words[_QUALIFIER_KEYS[qualifier]]} {text}" if qualifier else text


def _figure_part(text: str, form: LanguageForm) -> str:
    return form.digits_of(text) if ":" in text else form.number(int(text))
