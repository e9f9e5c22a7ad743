"""Every date form of DESIGN.md: instant, precision and display in both languages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import yaml

from generator.dates import DateSyntaxError, Precision, parse_event_date, parse_point, with_end
from generator.localize import LanguageForm, format_event_date, format_hijri, qualifier_words
from tests.conftest import REPO

EN = LanguageForm("en_GB", "latn")
AR = LanguageForm("ar_SY", "arab", hijri=True)
WORDS = {code: yaml.safe_load((REPO / f"content/strings/{code}.yaml").read_text("utf-8")) for code in ("ar", "en")}
DAMASCUS = "Asia/Damascus"

# CLDR puts thin spaces (U+2009) around the English interval dash.
# text, zone, UTC instant of the start, precision, English display, Arabic display
CASES = [
    ("2022", DAMASCUS, "2021-12-31T22:00", Precision.YEAR, "2022", "٢٠٢٢"),
    ("2022-01", DAMASCUS, "2021-12-31T22:00", Precision.MONTH, "January 2022", "كانون الثاني ٢٠٢٢"),
    ("2022-01-20", DAMASCUS, "2022-01-19T22:00", Precision.DAY, "20 January 2022", "٢٠ كانون الثاني ٢٠٢٢"),
    ("2022-01-20T21:30", DAMASCUS, "2022-01-20T19:30", Precision.MINUTE,
     "20 January 2022, 21:30 (UTC+2)", "٢٠ كانون الثاني ٢٠٢٢، ٩:٣٠ م (UTC+٢)"),
    ("2022-01-20 21:30", DAMASCUS, "2022-01-20T19:30", Precision.MINUTE,
     "20 January 2022, 21:30 (UTC+2)", "٢٠ كانون الثاني ٢٠٢٢، ٩:٣٠ م (UTC+٢)"),
    ("2022-01-20T21:30+02:00", DAMASCUS, "2022-01-20T19:30", Precision.MINUTE,
     "20 January 2022, 21:30 (UTC+2)", "٢٠ كانون الثاني ٢٠٢٢، ٩:٣٠ م (UTC+٢)"),
    ("2022-01-20T19:30Z", DAMASCUS, "2022-01-20T19:30", Precision.MINUTE,
     "20 January 2022, 19:30 (UTC+0)", "٢٠ كانون الثاني ٢٠٢٢، ٧:٣٠ م (UTC+٠)"),
    ("2022-01-20T21:30-05:00", DAMASCUS, "2022-01-21T02:30", Precision.MINUTE,
     "20 January 2022, 21:30 (UTC-5)", "٢٠ كانون الثاني ٢٠٢٢، ٩:٣٠ م (UTC-٥)"),
    ("2022-01-20T21:30+0530", DAMASCUS, "2022-01-20T16:00", Precision.MINUTE,
     "20 January 2022, 21:30 (UTC+5:30)", "٢٠ كانون الثاني ٢٠٢٢، ٩:٣٠ م (UTC+٥:٣٠)"),
    ("2022-01-20T21:30:15", DAMASCUS, "2022-01-20T19:30:15", Precision.SECOND,
     "20 January 2022, 21:30:15 (UTC+2)", "٢٠ كانون الثاني ٢٠٢٢، ٩:٣٠:١٥ م (UTC+٢)"),
    # Historical offsets: summer time in 2022, then permanent UTC+3 from 28 October 2022.
    ("2021-12-01T12:00", DAMASCUS, "2021-12-01T10:00", Precision.MINUTE,
     "1 December 2021, 12:00 (UTC+2)", "١ كانون الأول ٢٠٢١، ١٢:٠٠ م (UTC+٢)"),
    ("2022-07-01T12:00", DAMASCUS, "2022-07-01T09:00", Precision.MINUTE,
     "1 July 2022, 12:00 (UTC+3)", "١ تموز ٢٠٢٢، ١٢:٠٠ م (UTC+٣)"),
    ("2022-12-01T12:00", DAMASCUS, "2022-12-01T09:00", Precision.MINUTE,
     "1 December 2022, 12:00 (UTC+3)", "١ كانون الأول ٢٠٢٢، ١٢:٠٠ م (UTC+٣)"),
    ("2022-01-21T03:00", "Asia/Baghdad", "2022-01-21T00:00", Precision.MINUTE,
     "21 January 2022, 03:00 (UTC+3)", "٢١ كانون الثاني ٢٠٢٢، ٣:٠٠ ص (UTC+٣)"),
    ("2022-01-20~", DAMASCUS, "2022-01-19T22:00", Precision.DAY, "20 January 2022", "٢٠ كانون الثاني ٢٠٢٢"),
    ("2022-01-20?", DAMASCUS, "2022-01-19T22:00", Precision.DAY, "20 January 2022", "٢٠ كانون الثاني ٢٠٢٢"),
    ("2022-01-20%", DAMASCUS, "2022-01-19T22:00", Precision.DAY, "20 January 2022", "٢٠ كانون الثاني ٢٠٢٢"),
    ("2022-01~", DAMASCUS, "2021-12-31T22:00", Precision.MONTH, "January 2022", "كانون الثاني ٢٠٢٢"),
    ("2020?", DAMASCUS, "2019-12-31T22:00", Precision.YEAR, "2020", "٢٠٢٠"),
    ("2022-01-20T19:00~", DAMASCUS, "2022-01-20T17:00", Precision.MINUTE,
     "20 January 2022, 19:00 (UTC+2)", "٢٠ كانون الثاني ٢٠٢٢، ٧:٠٠ م (UTC+٢)"),
    ("2024-02-29", DAMASCUS, "2024-02-28T21:00", Precision.DAY, "29 February 2024", "٢٩ شباط ٢٠٢٤"),
    ("2022-01-20/2022-01-30", DAMASCUS, "2022-01-19T22:00", Precision.DAY,
     "20\u2009–\u200930 January 2022", "٢٠–٣٠ كانون الثاني ٢٠٢٢"),
    ("2022-01-20/2022-02-03", DAMASCUS, "2022-01-19T22:00", Precision.DAY,
     "20 January\u2009–\u20093 February 2022", "٢٠ كانون الثاني – ٣ شباط ٢٠٢٢"),
    ("2021-12-30/2022-01-02", DAMASCUS, "2021-12-29T22:00", Precision.DAY,
     "30 December 2021\u2009–\u20092 January 2022", "٣٠ كانون الأول ٢٠٢١ – ٢ كانون الثاني ٢٠٢٢"),
    ("2016/2019", DAMASCUS, "2015-12-31T22:00", Precision.YEAR, "2016\u2009–\u20092019", "٢٠١٦–٢٠١٩"),
    ("2019-09/2019-10-12", DAMASCUS, "2019-08-31T21:00", Precision.MONTH,
     "September 2019 – 12 October 2019", "أيلول ٢٠١٩ – ١٢ تشرين الأول ٢٠١٩"),
    ("2022-01/2022-02", DAMASCUS, "2021-12-31T22:00", Precision.MONTH,
     "January\u2009–\u2009February 2022", "كانون الثاني – شباط ٢٠٢٢"),
    ("2022-01-20T19:00/2022-01-20T20:00", DAMASCUS, "2022-01-20T17:00", Precision.MINUTE,
     "20 January 2022, 19:00–20:00 (UTC+2)", "٢٠ كانون الثاني ٢٠٢٢، ٧:٠٠ م–٨:٠٠ م (UTC+٢)"),
    ("2022-01-20/..", DAMASCUS, "2022-01-19T22:00", Precision.DAY,
     "20 January 2022 – ongoing", "٢٠ كانون الثاني ٢٠٢٢ – مستمر"),
    ("../2022-01-20", DAMASCUS, "2022-01-19T22:00", Precision.DAY,
     "unknown start – 20 January 2022", "بداية غير معروفة – ٢٠ كانون الثاني ٢٠٢٢"),
    ("2022-01-21/2022-01-20T23:00", DAMASCUS, "2022-01-20T22:00", Precision.DAY, None, None),
]


@pytest.mark.parametrize(("text", "zone", "instant", "precision", "english", "arabic"), CASES)
def test_date_forms(text, zone, instant, precision, english, arabic):
    if english is None:  # an end before its start (compared by day) is refused
        with pytest.raises(DateSyntaxError, match="comes before"):
            parse_event_date(text)
        return
    when = parse_event_date(text)
    expected = datetime.fromisoformat(instant).replace(tzinfo=UTC)
    assert when.sort_instant(zone) == expected
    assert when.anchor.precision == precision
    assert format_event_date(when, zone, EN, WORDS["en"]) == english
    assert format_event_date(when, zone, AR, WORDS["ar"]) == arabic


def test_a_bare_year_from_yaml_is_a_year():
    assert parse_event_date(2022).anchor.precision == Precision.YEAR


@pytest.mark.parametrize(("text", "approximate", "uncertain", "en", "ar"), [
    ("2022-01-20~", True, False, "approximately", "على وجه التقريب"),
    ("2022-01-20?", False, True, "uncertain", "غير مؤكد"),
    ("2022-01-20%", True, True, "approximate and uncertain", "تقريبي وغير مؤكد"),
    ("2022-01-20", False, False, "", ""),
])
def test_qualifiers_are_kept_and_said_in_words(text, approximate, uncertain, en, ar):
    point = parse_point(text)
    assert (point.approximate, point.uncertain) == (approximate, uncertain)
    assert point.as_edtf() == text
    assert qualifier_words(point, WORDS["en"]) == en
    assert qualifier_words(point, WORDS["ar"]) == ar


@pytest.mark.parametrize(("text", "machine"), [
    ("2022", "2022"),
    ("2022-01", "2022-01"),
    ("2022-01-20~", "2022-01-20"),
    ("2022-01-20T21:30", "2022-01-20T21:30+02:00"),
    ("2022-12-01T12:00", "2022-12-01T12:00+03:00"),
    ("2022-01-20T21:30Z", "2022-01-20T21:30Z"),
])
def test_machine_value_keeps_precision(text, machine):
    assert parse_point(text).machine_value(DAMASCUS) == machine


@pytest.mark.parametrize("text", [
    "2022-02-30", "2023-02-29", "2022-13", "2022-00", "2022-01-32", "20-01-2022", "2022-1-5",
    "yesterday", "", "2022-01-20T25:00", "2022-01-20T21:60", "0000", "2022-01-20T21:30+15:00",
    "../..", "2022/2023/2024", "2022-01-20~?", "2022-01-20/2022-01-10",
])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(DateSyntaxError):
        parse_event_date(text)


def test_end_field_makes_a_period_and_checks_its_order():
    period = with_end(parse_event_date("2022-01-24"), "2022-01-31")
    assert period.is_period and period.end.day == 31
    assert with_end(parse_event_date("2022-01-24"), "..").open_end
    with pytest.raises(DateSyntaxError, match="comes before"):
        with_end(parse_event_date("2022-01-24"), "2022-01-23")
    with pytest.raises(DateSyntaxError, match="already an interval"):
        with_end(parse_event_date("2022-01-20/2022-01-21"), "2022-01-23")


@pytest.mark.parametrize(("locale", "digits", "expected"), [
    ("ar", "latn", "20 يناير 2022"),  # CLDR 2024+: plain ar defaults to Latin digits
    ("ar_SY", "arab", "٢٠ كانون الثاني ٢٠٢٢"),  # Levantine month names, Arabic-Indic digits
    ("ar_EG", "arab", "٢٠ يناير ٢٠٢٢"),  # Egyptian month names
])
def test_arabic_locales_differ_in_month_names_and_digits(locale, digits, expected):
    form = LanguageForm(locale, digits)
    assert format_event_date(parse_event_date("2022-01-20"), DAMASCUS, form, WORDS["ar"]) == expected


def test_hijri_date_only_for_whole_days():
    assert format_hijri(parse_point("2022-01-20"), AR) == "١٧ جمادى الآخرة ١٤٤٣ هـ"
    assert format_hijri(parse_point("2022-01"), AR) == ""
    assert format_hijri(parse_point("2022-01-20"), EN) == ""


@pytest.mark.parametrize(("text", "end"), [
    ("2022", "2022-12-31T21:00"),  # 1 January 2023 in Damascus is already UTC+3
    ("2022-01", "2022-01-31T22:00"),
    ("2022-02", "2022-02-28T22:00"),
    ("2022-01-20", "2022-01-20T22:00"),
    ("2022-01-20T21:30", "2022-01-20T19:31"),
])
def test_a_partial_date_covers_its_whole_period(text, end):
    expected = datetime.fromisoformat(end).replace(tzinfo=UTC)
    assert parse_point(text).end_instant(DAMASCUS) == expected
