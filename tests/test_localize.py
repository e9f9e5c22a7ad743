"""Numbers and figure values in each language's digits; dates written exactly as Babel writes them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from functools import partial
from unittest import mock

import pytest
from babel import Locale, localedata
from babel.dates import PATTERN_CHARS, DateTimePattern, parse_pattern, tokenize_pattern
from babel.numbers import format_decimal
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import localize
from generator.date_patterns import DATE_FIELDS, TIME_FIELDS, compile_pattern
from generator.dates import DatePoint, EventDate
from generator.localize import LanguageForm, format_figure_value, validate_locale
from tests.test_dates import WORDS

ARABIC = LanguageForm("ar_SY", "arab")
ENGLISH = LanguageForm("en_GB", "latn")


def test_arabic_body_digits_follow_the_locale_but_isolated_latin_keeps_its_own():
    html = '<p>قُتل 23 في 2022 <bdi>M4</bdi> <a href="https://example.org/59918">تقرير 5</a> <code>x=1</code></p>'
    converted = BeautifulSoup(ARABIC.digits_in_html(html), "html.parser")
    assert converted.p.contents[0] == "قُتل ٢٣ في ٢٠٢٢ "
    assert converted.bdi.get_text() == "M4" and converted.code.get_text() == "x=1"
    assert converted.a["href"] == "https://example.org/59918" and converted.a.get_text() == "تقرير ٥"
    assert ENGLISH.digits_in_html(html) == html


@pytest.mark.parametrize(("value", "english", "arabic"), [
    (3500, "3,500", "٣٬٥٠٠"),
    ("~5000", "about 5,000", "نحو ٥٬٠٠٠"),
    (">100", "more than 100", "أكثر من ١٠٠"),
    (">=100", "at least 100", "ما لا يقل عن ١٠٠"),
    ("60-90", "60–90", "٦٠–٩٠"),
    ("~19:30", "about 19:30", "نحو ١٩:٣٠"),
])
def test_figure_values_keep_their_qualifier_in_words(value, english, arabic):
    assert format_figure_value(value, ENGLISH, WORDS["en"]) == english
    assert format_figure_value(value, ARABIC, WORDS["ar"]) == arabic


# Our sites' locales first, then scripts and patterns of every kind: quoted words (es 'de',
# ru 'г.'), stand-alone months and weekdays (ru, fi, nb), K and B hours (ja, de), 12-hour periods.
SITE_LOCALES = ["ar_SY", "ar_EG", "ar", "en_GB", "en"]
NAMED_LOCALES = [*SITE_LOCALES, "ar_MA", "ar_SA", "en_US", "fr", "fr_CA", "de", "tr", "fa", "ku", "ckb", "he",
                 "ja", "ru", "uk", "mk", "bg", "zh_Hant", "ko", "es", "es_MX", "pt", "fi", "nb", "mn", "sq", "ga",
                 "hi", "ur", "sw"]
locales = st.one_of(st.sampled_from(NAMED_LOCALES), st.sampled_from(sorted(localedata.locale_identifiers())))
moments = st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59))
# Each random pattern also meets the hours where h, K, k and a turn over, and the calendar's ends.
EDGES = [datetime(1, 1, 1), datetime(2000, 1, 2, 11, 59, 59), datetime(2000, 1, 3, 12, 0, 1),
         datetime(9999, 12, 31, 23, 59, 59)]
WIDTHS = ("full", "long", "medium", "short")
QUICK_FIELDS = DATE_FIELDS + TIME_FIELDS
# Every field Babel parses, at every length it allows; those not compiled make the whole pattern decline.
FIELD_NAMES = [char * num for char, lengths in PATTERN_CHARS.items() for num in (lengths or range(1, 6))]
QUICK_NAMES = [name for name in FIELD_NAMES if name[0] in QUICK_FIELDS]
# Literal text as patterns write it: quoted runs, a doubled quote, an unclosed quote, letters that are
# no field, and the % Babel has to escape in its own %-template.
LITERALS = [" ", ", ", "، ", ".", "/", "-", "'de'", "'o''clock'", "''", "'", "'h'", "%", "%%", "%(d)s", "\0",
            "\0'", "l", "j", "г.", "年", "\u202f", "\u200f"]
patterns = st.lists(
    st.one_of(st.sampled_from(QUICK_NAMES), st.sampled_from(FIELD_NAMES), st.sampled_from(LITERALS)), max_size=8,
).map("".join)


def babel_patterns(locale: Locale) -> Iterator[tuple[DateTimePattern, str]]:
    """The locale's own patterns, each with the fields it may be compiled with."""
    for width in WIDTHS:
        yield locale.date_formats[width], DATE_FIELDS
        yield locale.time_formats[width], TIME_FIELDS
    for pattern in locale.datetime_skeletons.values():
        yield pattern, QUICK_FIELDS
    for parts in locale.interval_formats.get("yMMMd", {}).values():
        for part in parts:  # as localize._calendar_interval widens them
            yield parse_pattern(localize._FULL_MONTH.sub("MMMM", part)), DATE_FIELDS


def value_for(fields: str, moment: datetime) -> date | time | datetime:
    """What localize gives each kind of pattern: a date, a naive time, or (skeletons) a date-time."""
    return {DATE_FIELDS: moment.date(), TIME_FIELDS: moment.time()}.get(fields, moment)


def is_compiled_field(name: str) -> bool:
    return name[0] in QUICK_FIELDS


@given(locales, moments)
def test_each_pattern_of_a_locale_is_written_as_babel_writes_it(name: str, moment: datetime) -> None:
    locale = Locale.parse(name)
    for pattern, fields in babel_patterns(locale):
        quick = compile_pattern(pattern, locale, fields)
        if quick is not None:
            value = value_for(fields, moment)
            assert quick(value) == pattern.apply(value, locale), (name, pattern.pattern, value)


@settings(max_examples=max(settings().max_examples, 1_000))  # cheap, and the one test of every field length
@given(patterns, st.sampled_from(NAMED_LOCALES), moments)  # a few locales: loading each costs more than a test
def test_any_pattern_of_compiled_fields_is_written_as_babel_writes_it(text: str, name: str, moment: datetime) -> None:
    try:
        pattern = parse_pattern(text)
    except ValueError:  # two runs of one letter joined into a length Babel refuses
        return
    locale = Locale.parse(name)
    quick = compile_pattern(pattern, locale, QUICK_FIELDS)
    if not all(is_compiled_field(field) for field in _fields_of(pattern)):
        assert quick is None, text  # declined: Babel writes it, whatever it does with zones and weeks
        return
    try:
        expected = [pattern.apply(value, locale) for value in (moment, *EDGES)]
    except (KeyError, ValueError):  # names this locale lacks: declined, so Babel raises as before
        assert quick is None, text
        return
    assert quick is not None, text
    assert [quick(value) for value in (moment, *EDGES)] == expected, (text, name, moment)


def _fields_of(pattern: DateTimePattern) -> list[str]:
    """The pattern's fields as Babel's tokeniser reads them ('dd', 'MMMM')."""
    return [value[0] * value[1] for kind, value in tokenize_pattern(pattern.pattern) if kind == "field"]


@pytest.mark.parametrize("name", SITE_LOCALES)
def test_the_sites_locales_take_the_quick_way(name: str) -> None:
    """Each Babel call localize makes for our languages is compiled, none left to Babel."""
    locale = Locale.parse(name)
    writers: list[Callable[..., str]] = [
        localize._date_writer("long", name),
        localize._time_writer("short", name),
        localize._time_writer("medium", name),
        localize._skeleton_writer("yMMMM", name),
        localize._skeleton_writer("yMMMMEEEEd", name),
    ]
    for parts in locale.interval_formats["yMMMd"].values():
        writers += [localize._date_writer(localize._FULL_MONTH.sub("MMMM", part), name) for part in parts]
    assert not [writer for writer in writers if isinstance(writer, partial)]
    for pattern, fields in babel_patterns(locale):
        if all(is_compiled_field(field) and field[0] in fields for field in _fields_of(pattern)):
            assert compile_pattern(pattern, locale, fields) is not None, pattern.pattern


def test_what_babel_would_fail_on_stays_babels_to_fail() -> None:
    """An hour of a date, a day of a time, or a % template Babel never writes: declined."""
    locale = Locale.parse("en_GB")
    assert compile_pattern(parse_pattern("d MMMM y, HH:mm"), locale, DATE_FIELDS) is None
    assert compile_pattern(parse_pattern("HH:mm, d"), locale, TIME_FIELDS) is None
    assert compile_pattern(parse_pattern("d MMMM y, HH:mm"), locale, QUICK_FIELDS) is not None
    assert compile_pattern(DateTimePattern("d %", "%(d)s %"), locale, DATE_FIELDS) is None
    assert compile_pattern(DateTimePattern("d % x", "%(d)s % x"), locale, DATE_FIELDS) is None
    assert compile_pattern(DateTimePattern("d %", "%(d)s %%"), locale, DATE_FIELDS) is not None


@contextmanager
def babel_only() -> Iterator[None]:
    """localize with every pattern left to Babel, its caches emptied before and after."""
    caches = [localize.format_point, localize._calendar_interval, localize.format_day_heading,
              localize._date_writer, localize._time_writer, localize._skeleton_writer]
    for cache in caches:
        cache.cache_clear()
    try:
        with mock.patch.object(localize, "compile_pattern", lambda *args: None):
            yield
    finally:
        for cache in caches:
            cache.cache_clear()


@st.composite
def date_points(draw: st.DrawFn) -> DatePoint:
    moment = draw(moments)
    precision = draw(st.integers(0, 4))
    return DatePoint(
        moment.year,
        moment.month if precision >= 1 else None,
        moment.day if precision >= 2 else None,
        moment.hour if precision >= 3 else None,
        moment.minute if precision >= 3 else None,
        moment.second if precision >= 4 else None,
        offset_minutes=draw(st.none() | st.integers(-14 * 60, 14 * 60)),
    )


event_dates = st.one_of(
    st.builds(EventDate, date_points()),
    st.builds(EventDate, date_points(), date_points()),
    st.builds(lambda start: EventDate(start, open_end=True), date_points()),
    st.builds(lambda end: EventDate(None, end), date_points()),
    # one day's two times, and periods inside one month or year, as the site writes them most
    st.builds(lambda day, first, second: EventDate(
        DatePoint(day.year, day.month, day.day, first.hour, first.minute),
        DatePoint(day.year, day.month, day.day, second.hour, second.minute)), st.dates(), st.times(), st.times()),
    st.builds(lambda first, last: EventDate(
        DatePoint(first.year, first.month, first.day), DatePoint(first.year, last.month, min(last.day, 28))),
        st.dates(), st.dates()),
)
forms = st.builds(LanguageForm, st.sampled_from(NAMED_LOCALES), st.sampled_from(["arab", "latn"]), st.booleans())


@given(event_dates, forms, st.sampled_from(["Asia/Damascus", "UTC", "America/New_York"]))
def test_event_dates_read_the_same_with_patterns_compiled(when: EventDate, form: LanguageForm, zone: str) -> None:
    words = WORDS["ar" if form.locale.startswith("ar") else "en"]
    day = localize.calendar_date(when.anchor)
    with babel_only():
        expected = [_outcome(localize.format_event_date, when, zone, form, words),
                    _outcome(localize.format_day_heading, day, form)]
    quick = [_outcome(localize.format_event_date, when, zone, form, words),
             _outcome(localize.format_day_heading, day, form)]
    assert quick == expected


def _outcome(function: Callable[..., str], *args: object) -> str | type[Exception]:
    try:
        return function(*args)
    except Exception as error:  # Babel's own failures (an interval CLDR lacks) must stay the same
        return type(error)


def test_a_locale_that_babel_does_not_know_is_a_message_not_an_exception():
    """Well formed but not in CLDR (Babel raises its own UnknownLocaleError, not a ValueError)."""
    assert validate_locale("en_GB") is None
    assert validate_locale("xx_NOPE") == "unknown locale 'xx_NOPE'; use a CLDR locale such as ar_SY, ar_EG or en_GB"
    assert validate_locale("en-GB").startswith("unknown locale 'en-GB' (")


NUMBERS = st.one_of(st.integers(0, 10**7), st.integers(0, 10**27), st.sampled_from([0, 7, 999, 1000, 12345, 10**6]))


@given(locales, st.sampled_from(["latn", "arab"]), st.lists(NUMBERS, min_size=1, max_size=5))
def test_whole_numbers_are_written_as_babel_writes_them(name: str, digits: str, values: list[int]) -> None:
    """The quick writer of whole numbers, where it takes a locale, against format_decimal itself."""
    write = localize._whole_number_writer(name, digits)
    if write is None:
        return
    locale = Locale.parse(name)
    for value in values:
        assert write(value) == format_decimal(value, locale=locale, numbering_system=digits), (name, digits, value)


@pytest.mark.parametrize("name", SITE_LOCALES)
def test_the_sites_locales_write_numbers_the_quick_way(name: str) -> None:
    assert localize._whole_number_writer(name, "latn") is not None
    assert localize._whole_number_writer(name, "arab") is not None


def test_a_figure_of_more_digits_than_babels_decimals_hold_is_written_not_a_traceback() -> None:
    """Babel quantizes with Python's 28-digit decimals: a longer number raised InvalidOperation."""
    huge = 10**40 + 1
    english, arabic = LanguageForm("en_GB", "latn"), LanguageForm("ar_SY", "arab")
    assert format_figure_value(str(huge), english, WORDS) == f"{huge:,}"
    assert format_figure_value(str(huge), arabic, WORDS) == localize.arab_digits(f"{huge:,}".replace(",", "٬"))
    with mock.patch.object(localize, "_whole_number_writer", return_value=None):  # Babel's own way
        assert localize._number.__wrapped__(huge, "en_GB", "latn") == f"{huge:,}"
