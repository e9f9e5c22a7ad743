"""Numbers and figure values in each language's digits."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from generator.localize import LanguageForm, format_figure_value
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
