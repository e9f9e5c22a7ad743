"""The page-weight budget, on the real content: the Arabic index page's HTML+CSS+JS at most 150 KB
gzipped, its fonts at most 200 KB, as a browser loads them (every response, by resource type)."""

from __future__ import annotations

import gzip
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.theme_pages import served

KB = 1024
CODE_BUDGET = 150 * KB  # HTML + CSS + JS, gzipped
FONT_BUDGET = 200 * KB  # woff2 is compressed already
CODE_TYPES = {"document", "stylesheet", "script"}


def loaded_bytes(browser, url: str) -> dict[str, list[tuple[str, int]]]:
    """(path, size) of every response the page loads, by resource type; code sizes gzipped."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses = []
    page.on("response", lambda response: responses.append(response))
    page.goto(url, wait_until="networkidle")
    page.evaluate("document.fonts.ready")
    loaded: dict[str, list[tuple[str, int]]] = {}
    for response in responses:
        kind = response.request.resource_type
        body = response.body()
        size = len(gzip.compress(body, 6)) if kind in CODE_TYPES else len(body)
        loaded.setdefault(kind, []).append((urlsplit(response.url).path, size))
    context.close()
    return loaded


@pytest.fixture(scope="module")
def arabic_index(browser, real_site: Path) -> dict[str, list[tuple[str, int]]]:
    return loaded_bytes(browser, served(real_site) + "ar/")


def test_arabic_index_code_within_budget(arabic_index):
    code = [item for kind in CODE_TYPES for item in arabic_index.get(kind, [])]
    assert {path for path, _ in arabic_index["document"]} == {"/ar/"}
    assert any(path.endswith(".css") for path, _ in code) and any(path.endswith(".js") for path, _ in code)
    assert sum(size for _, size in code) <= CODE_BUDGET, sorted(code, key=lambda item: -item[1])


def test_arabic_index_fonts_within_budget(arabic_index):
    fonts = arabic_index.get("font", [])
    assert any("arabic" in path for path, _ in fonts)  # the page really renders in its own Arabic face
    assert sum(size for _, size in fonts) <= FONT_BUDGET, fonts


def test_the_index_holds_the_whole_story(real_site: Path):
    """The budget means something only if the page it measures is the full timeline."""
    html = (real_site / "ar" / "index.html").read_text("utf-8")
    events = list((real_site / "ar" / "events").iterdir())
    assert len(events) >= 60
    assert html.count('<article class="event') == len(events)
