"""The theme's markup, read through an HTML parser: event blocks, dates, sources, figures, languages."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from urllib.parse import unquote

import pytest

from tests.theme_pages import (
    KEY_EVENT,
    LANGUAGES,
    all_page_types,
    built_pages,
    page_types,
    soup,
    theme_content,
    theme_site,
)

ARABIC_DIGIT = re.compile("[٠-٩]")
LATIN_DIGIT = re.compile("[0-9]")
FONTS = Path(__file__).resolve().parent.parent / "templates" / "static" / "fonts"


@pytest.fixture(scope="module")
def site() -> Path:
    return theme_site()


def test_every_id_on_every_page_is_unique(site):
    for page in built_pages(site):
        ids = Counter(tag["id"] for tag in soup(page.parent, page.name).find_all(id=True))
        assert [name for name, count in ids.items() if count > 1] == [], page


def test_key_event_block_has_everything(site):
    for code in LANGUAGES:
        article = soup(site, page_types(code)["timeline"]).find("article", id=KEY_EVENT)
        assert "importance-1" in article["class"]
        assert article.select_one(".key-label").get_text(strip=True)
        assert article.select_one(".event-title a")["href"] == f"/{code}/events/{KEY_EVENT}/"
        machine = article.select_one(".event-meta time")["datetime"]
        assert machine == "2022-01-20T19:00+02:00"  # Damascus was UTC+2 in January 2022
        assert article.select_one(".date-qualifier").get_text(strip=True)  # "~" said in words
        assert article.select_one(".summary").get_text(strip=True)
        assert article.select_one(".body p")
        assert len(article.select(".places .place")) == 2
        assert len(article.select("ul.tags a[href]")) == 2


def test_digits_follow_each_language(site):
    ar = soup(site, page_types("ar")["timeline"]).find("article", id=KEY_EVENT)
    en = soup(site, page_types("en")["timeline"]).find("article", id=KEY_EVENT)
    ar_date, en_date = ar.select_one(".event-meta time").get_text(), en.select_one(".event-meta time").get_text()
    assert ARABIC_DIGIT.search(ar_date) and not LATIN_DIGIT.search(ar_date.replace("UTC", ""))
    assert LATIN_DIGIT.search(en_date) and not ARABIC_DIGIT.search(en_date)
    assert ARABIC_DIGIT.search(ar.select_one(".hijri").get_text())  # Hijri beside Gregorian, Arabic only
    assert en.select_one(".hijri") is None


def test_day_headings_name_the_weekday_and_carry_the_date(site):
    headings = {
        code: soup(site, page_types(code)["timeline"]).select_one("#day-2022-01-20 .day-heading time")
        for code in LANGUAGES
    }
    assert headings["en"]["datetime"] == headings["ar"]["datetime"] == "2022-01-20"
    assert "Thursday" in headings["en"].get_text()
    assert "الخميس" in headings["ar"].get_text()


def test_sources_are_a_numbered_list_with_publisher_date_and_link(site):
    content = theme_content()
    expected = content.events[[event.id for event in content.events].index(KEY_EVENT)].sources
    for code in LANGUAGES:
        article = soup(site, page_types(code)["event"]).find("article", id=KEY_EVENT)
        items = article.select(".sources ol > li")
        assert len(items) == len(expected)
        for item, source_id in zip(items, expected, strict=True):
            source = content.sources[source_id]
            assert item.select_one("bdi.publisher").get_text() == source.publisher
            assert item.select_one("cite a")["href"] == source.url
            assert item.select_one("cite a")["data-url"] == unquote(source.url)  # printed after the title
            assert item.select_one("cite")["lang"] == source.language
            if source.date:
                assert item.select_one("time")["datetime"] == source.date.anchor.machine_value("UTC")
        # Each figure's source reference points at its numbered source on the same page.
        for ref in article.select("table.figures a.source-ref"):
            assert article.find(id=ref["href"].removeprefix("#")) is not None


def test_event_figures_table_groups_claims_by_measure(site):
    content = theme_content()
    event = next(event for event in content.events if event.id == KEY_EVENT)
    measures = list(dict.fromkeys(figure.measure for figure in event.figures))
    for code in LANGUAGES:
        table = soup(site, page_types(code)["event"]).select_one("article table.figures")
        labels = [th.get_text() for th in table.select("tbody th[scope=rowgroup]")]
        assert labels == [content.strings[code].measures[measure] for measure in measures]
        assert len(table.select("tbody tr:not(.measure-row)")) == len(event.figures)
        assert len(table.select("thead th[scope=col]")) == 3


def test_figures_page_compares_every_claim_of_each_measure(site):
    content = theme_content()
    claims = Counter(figure.measure for event in content.events for figure in event.figures)
    for code in LANGUAGES:
        page = soup(site, page_types(code)["figures"])
        shown = {
            section["id"].removeprefix("measure-"): len(section.select("tbody tr"))
            for section in page.select("section.measure")
        }
        assert shown == dict(claims)
        for link in page.select("section.measure td a[href*='/events/']"):
            assert link["href"].startswith(f"/{code}/events/")


def test_untranslated_event_keeps_its_language_and_the_page_keeps_its_own(site):
    # 2022-01-23-centcom-statement exists in English only, 2022-01-24-hawar-toll in Arabic only.
    for code, event_id, other in (("ar", "2022-01-23-centcom-statement", "en"), ("en", "2022-01-24-hawar-toll", "ar")):
        article = soup(site, page_types(code)["timeline"]).find("article", id=event_id)
        assert article["lang"] == other and "flipped" in article["class"]
        for frame in article.select(".event-meta, .untranslated, ul.tags, .sources"):
            assert frame["lang"] == code, frame
        translated = soup(site, page_types(code)["timeline"]).find("article", id=KEY_EVENT)
        assert "lang" not in translated.attrs


def test_latin_names_in_arabic_text_are_isolated(site):
    article = soup(site, page_types("ar")["event"]).find("article", id=KEY_EVENT)
    for publisher in article.select(".sources .publisher"):
        assert publisher.name == "bdi"
    for cell in article.select("table.figures td.value"):
        assert cell.find("bdi")
    for cite in article.select(".sources cite"):
        assert cite["dir"] == "auto"
    # 'UTC+٢' is one left-to-right unit inside the Arabic date.
    assert "\u2066UTC+٢\u2069" in article.select_one(".event-meta time").get_text()


@pytest.mark.parametrize(("name", "path"), all_page_types())
def test_every_page_has_a_skip_link_and_the_other_language(site, name, path):
    page = soup(site, path)
    skip = page.select_one("body > a.skip-link")
    assert skip is not None and page.find(id=skip["href"].removeprefix("#")).name == "main"
    if name in ("root", "404"):
        return
    code = page.html["lang"]
    other = next(lang for lang in LANGUAGES if lang != code)
    switch = page.select_one(f".language-switch a[hreflang={other}]")
    assert switch["href"] == "/" + path.replace(f"{code}/", f"{other}/", 1)


def test_periods_and_precision_are_marked(site):
    page = soup(site, page_types("en")["timeline"])
    period = page.find("article", id="2022-01-21-fighting-in-zuhour")
    assert "period" in period["class"]
    assert [time.get("datetime") for time in period.select(".event-meta time")] == ["2022-01-21", "2022-01-26"]
    assert "open-ended" in page.find("article", id="2022-01-30-displacement")["class"]
    month = page.find("article", id="2022-02-trials").select_one(".event-meta time")
    assert month["datetime"] == "2022-02" and not re.search(r"\b1\b", month.get_text())
    assert page.find("article", id="2020-03-15-riot").select_one(".date-qualifier").get_text() == "(uncertain)"


def test_fonts_are_the_subsets_used_with_their_licences():
    fonts = sorted(path.name for path in FONTS.iterdir())
    faces = [name for name in fonts if not name.startswith("OFL-")]
    assert faces and all(name.endswith(".woff2") for name in faces)
    subsets = [re.fullmatch(r"(.+?)-(arabic|latin)-(wght|\d{3})-(normal|italic)\.woff2", name) for name in faces]
    assert all(subsets), faces
    families = {match[1] for match in subsets if match}
    assert {f"OFL-{family}.txt" for family in families} <= set(fonts)
    for licence in FONTS.glob("OFL-*.txt"):
        assert "SIL Open Font License" in licence.read_text("utf-8")


def test_stylesheet_fonts_resolve_to_published_assets(site):
    css = next((site / "assets").glob("style.*.css"))
    urls = re.findall(r"url\(([^)]+)\)", css.read_text("utf-8"))
    assert len(urls) == len(list(FONTS.glob("*.woff2")))
    for url in urls:
        assert (css.parent / url.strip("'\"")).is_file(), url
