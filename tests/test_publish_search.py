"""Search: Arabic normalisation (Python and browser alike), Pagefind in headless Chromium, no-script links, failure."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import Project, build
from generator.cli import main
from generator.search import SearchIndexError, indexed_copy
from generator.search_text import extra_terms, normalise
from tests.conftest import copy_fixture

PREFIX = "/sina-prison/"


@pytest.mark.parametrize(
    ("written", "searched"),
    [
        ("والحراس", "حراس"),  # و + ال, which Pagefind's stemmer leaves
        ("الحراس", "حراس"),
        ("بالمستشفى", "مستشفي"),
        ("للمستشفى", "مستشفي"),
        ("وبالمستشفى", "مستشفي"),
        ("بمستشفى", "مستشفي"),
        ("لمستشفى", "مستشفي"),
        ("إطلاق", "اطلاق"),
        ("أسرى", "اسري"),
        ("آلاف", "الاف"),
        ("مفخخة", "مفخخه"),
        ("مُفخَّخةٌ", "مفخخه"),  # harakat
        ("٣٥٠٠", "3500"),
        ("۳۵۰۰", "3500"),
    ],
)
def test_arabic_words_take_one_search_form(written: str, searched: str) -> None:
    assert normalise(written) == searched


@pytest.mark.parametrize("word", ["بعد", "ولد", "لهم", "الدم", "الله", "Car", "al-Sina'a", "guards", "2022"])
def test_short_words_and_other_scripts_stay_as_written(word: str) -> None:
    assert normalise(word) == word


def test_a_query_keeps_its_spaces_and_latin_words() -> None:
    assert normalise("والحراس CENTCOM ٢٠ يناير") == "حراس CENTCOM 20 يناير"


def test_extra_terms_are_only_the_forms_not_already_written() -> None:
    assert extra_terms("الحراس والحراس حراس في ٢٠٢٢ Car") == ["2022"]
    assert extra_terms("اشتبك المهاجمون والحراس") == ["مهاجمون", "حراس"]


def test_indexed_copy_adds_summary_and_terms_inside_main() -> None:
    html = (
        '<html lang="ar"><head><meta name="description" content="ملخص &amp; قصير"></head><body>'
        '<nav>الخط الزمني</nav><main><p class="breadcrumb">العودة</p><h1>والحراس</h1>'
        "<nav>الحدث التالي</nav></main></body></html>"
    )
    main = BeautifulSoup(indexed_copy(html), "html.parser").main
    assert main.find(attrs={"data-pagefind-meta": "summary"}).get_text() == "ملخص & قصير"
    added = main.find_all("p")[-1].get_text().split()
    assert added == ["حراس"]  # not the words of the way back or of the other events' links


def test_indexed_copy_needs_a_main_element() -> None:
    with pytest.raises(SearchIndexError):
        indexed_copy("<html><body><p>no main</p></body></html>")


def _search(page, query: str) -> list[str]:
    page.fill("#search-input", "")
    page.fill("#search-input", query)
    page.wait_for_function(
        "q => document.querySelector('#search-input').value === q && !document.querySelector('.search-results').hidden",
        arg=query,
    )
    page.wait_for_function("() => document.querySelector('.search-count') !== null")
    return page.eval_on_selector_all(".search-results li > a", "links => links.map(a => a.getAttribute('href'))")


@pytest.fixture(scope="module")
def search_page(browser, publish_url: str):
    """One open page per language, its search box ready; tests share it and type their own query."""
    pages: dict[str, tuple] = {}

    def open_language(code: str):
        if code not in pages:
            page = browser.new_page()
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(f"{publish_url}{code}/")
            page.locator("#search-input").wait_for(state="visible")
            pages[code] = (page, errors)
        return pages[code]

    yield open_language
    for page, _ in pages.values():
        page.close()


@pytest.mark.parametrize(
    ("query", "event"),
    [
        ("الحراس", "2022-01-20-car-bomb"),  # the page says والحراس
        ("حراس", "2022-01-20-car-bomb"),
        ("والحراس", "2022-01-20-car-bomb"),
        ("والمستشفى", "2022-01-21-hospital-siege"),  # the page says المستشفى
        ("بالمستشفى", "2022-01-21-hospital-siege"),
        ("للمستشفى", "2022-01-21-hospital-siege"),
        ("اطلاق", "2022-01-22-release-of-detainees"),  # the page says إطلاق
        ("الاسرى", "2016-school-becomes-prison"),  # the page says الأسرى
        ("3500", "2016-school-becomes-prison"),  # the page says ٣٥٠٠
    ],
)
def test_arabic_search_finds_the_event(search_page, query: str, event: str) -> None:
    page, errors = search_page("ar")
    found = _search(page, query)
    assert f"{PREFIX}ar/events/{event}/" in found, found
    assert not errors, errors


def test_english_search_finds_the_event_and_the_result_opens(browser, publish_url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{publish_url}en/")
    found = _search(page, "guards")
    assert found == [f"{PREFIX}en/events/2022-01-20-car-bomb/"]
    assert page.locator(".search-results li").first.locator("p").inner_text() == (
        "The attack began with a car bomb at the gate."
    )
    assert page.inner_text(".search-count") == "1 events"
    page.click(".search-results li > a")
    page.wait_for_url(f"{publish_url}en/events/2022-01-20-car-bomb/")
    assert page.locator("h1").first.inner_text() == "Car bomb at the prison gate"
    assert not errors, errors
    page.close()


def test_a_word_of_no_event_finds_nothing(search_page) -> None:
    page, _ = search_page("en")
    assert _search(page, "zeppelin") == []


def test_the_browser_normalises_as_python_does(search_page, publish_url: str) -> None:
    words = ["والحراس", "بالمستشفى", "للأسرى", "إطلاق", "مُفخَّخةٌ", "٣٥٠٠ و ٢٠", "Car bomb", "al-Sina'a", "ولد"]
    page, _ = search_page("ar")
    script = page.get_attribute("script[type=module]", "src")
    browser_forms = page.evaluate(
        """async ([script, rules, words]) => {
            const { makeNormaliser } = await import(script);
            const normalise = makeNormaliser(await (await fetch(rules)).json());
            return words.map(normalise);
        }""",
        [script, f"{PREFIX}pagefind/normalise.json", words],
    )
    assert browser_forms == [normalise(word) for word in words]


def test_without_javascript_the_topics_lead_to_the_tag_pages(browser, publish_url: str, publish_site: Path) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{publish_url}en/events/2022-01-20-car-bomb/")
    assert not page.locator("#search-input").is_visible()
    page.click(".search-topics summary")
    links = page.eval_on_selector_all(".search-topics a", "links => links.map(a => a.getAttribute('href'))")
    assert links == [f"{PREFIX}en/tags/{tag}/" for tag in ("attack", "prison", "aftermath")]
    page.click(".search-topics a >> nth=0")
    page.wait_for_url(f"{publish_url}en/tags/attack/")
    assert (publish_site / "en" / "tags" / "attack" / "index.html").is_file()
    context.close()


def _tree_digest(folder: Path) -> str:
    hasher = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        hasher.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            hasher.update(path.read_bytes())
    return hasher.hexdigest()


def test_a_failed_pagefind_run_leaves_the_previous_output(tmp_path: Path, monkeypatch, capsys) -> None:
    project = copy_fixture("publish", tmp_path)
    output = tmp_path / "output"
    build(Project.at(project), output, cache=False)
    before = _tree_digest(output)
    broken = tmp_path / "broken-python"
    broken.write_text("#!/bin/sh\necho 'pagefind: disk on fire' >&2\nexit 3\n", encoding="utf-8")
    broken.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(broken))
    event = project / "content" / "events" / "2022-01-20-car-bomb.en.md"
    event.write_text(event.read_text(encoding="utf-8").replace("guards", "wardens"), encoding="utf-8")
    with pytest.raises(SearchIndexError, match="disk on fire"):
        build(Project.at(project), output, cache=False)
    assert _tree_digest(output) == before
    code = main(["build", "--project", str(project), "--output", str(output)])
    assert code == 1
    assert "error: Pagefind failed to build the search index: pagefind: disk on fire" in capsys.readouterr().err
    assert _tree_digest(output) == before


def test_the_search_index_is_the_same_on_every_build(tmp_path: Path) -> None:
    """Pagefind lists languages in varying order; the build sorts them, so outputs stay byte-identical."""
    project = copy_fixture("publish", tmp_path)
    for name in ("one", "two"):
        build(Project.at(project), tmp_path / name, cache=False)
    assert _tree_digest(tmp_path / "one" / "pagefind") == _tree_digest(tmp_path / "two" / "pagefind")
    entry = (tmp_path / "one" / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    assert entry.index('"ar"') < entry.index('"en"')
