"""The Content-Security-Policy: strict on every page, and the site still works under it in Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from tests.conftest import serve_folder

LOADS = ("script", "style")  # elements that must come after the policy
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "http:", "https:", "blob:"}
VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
"""


def policy_of(page: Path) -> dict[str, set[str]]:
    """The page's one CSP meta tag, as directive -> sources; it must precede every script and style."""
    head = BeautifulSoup(page.read_text("utf-8"), "html.parser").head
    [meta] = head.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
    earlier = [tag.name for tag in meta.find_all_previous(True)]
    assert not [name for name in earlier if name in LOADS]
    assert not meta.find_all_previous("link", rel="stylesheet")
    return {name: set(sources) for name, *sources in (d.split() for d in meta["content"].split(";") if d.strip())}


def test_every_page_has_a_strict_policy_first(small_site: Path) -> None:
    pages = sorted(small_site.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        policy = policy_of(page)
        assert policy["default-src"] == {"'none'"}
        assert policy["object-src"] == {"'none'"} and policy["base-uri"] == {"'none'"}
        for directive in ("script-src", "style-src", "font-src", "img-src", "connect-src"):
            assert "'self'" in policy[directive] and not policy[directive] & UNSAFE, (page, directive)
        assert policy["script-src"] - {"'self'"} == {"'wasm-unsafe-eval'"}  # Pagefind's WebAssembly, no more


@pytest.fixture(scope="module")
def site_url(small_site: Path):
    server, url = serve_folder(small_site)
    yield url
    server.shutdown()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(VIOLATIONS)  # run by the browser itself, outside the page's policy
    yield page
    context.close()


@pytest.mark.parametrize("path", ["", "en/", "ar/", "en/events/2022-01-20-car-bomb/", "en/tags/attack/"])
def test_pages_run_their_scripts_styles_and_fonts_with_no_violation(page, site_url: str, path: str) -> None:
    page.goto(site_url + path)
    page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("[...document.styleSheets].filter((s) => s.cssRules.length > 0).length") >= 1
    assert page.evaluate("document.querySelector('link[rel=stylesheet]').sheet !== null")
    assert page.evaluate("[...document.fonts].some((font) => font.status === 'loaded')")
    if page.locator(".search-form").count():
        assert page.locator(".search-form").is_visible()  # search.js (a module script) ran and showed it


@pytest.mark.parametrize("worker", [True, False], ids=["in its worker", "on the main thread"])
def test_pagefind_search_works_under_the_policy(page, site_url: str, worker: bool) -> None:
    """Pagefind compiles its WebAssembly in a worker, or on the page where workers are missing: the
    second needs 'wasm-unsafe-eval'."""
    lang, query, event = "en", "bomb", "2022-01-20-car-bomb"
    if not worker:
        page.add_init_script("delete window.Worker")
    page.goto(f"{site_url}{lang}/")
    page.fill("#search-input", query)
    page.wait_for_function("() => document.querySelector('.search-count') !== null", timeout=15_000)
    found = page.eval_on_selector_all(".search-results li > a", "links => links.map((a) => a.href)")
    assert any(event in url for url in found)
    assert page.evaluate("window.__violations") == []


def test_markup_that_slipped_through_would_not_run(page, site_url: str) -> None:
    """The policy's point: even markup that reached a page cannot run inline code."""
    page.goto(site_url + "en/")
    page.evaluate("""() => document.body.insertAdjacentHTML("beforeend", '<img src="/missing.png"'
        + ' onerror="window.__ran = true"><a id="x" href="javascript:window.__ran = true">x</a>')""")
    page.click("#x")
    page.wait_for_function("() => window.__violations.length >= 2")
    assert page.evaluate("window.__ran") is None
    assert all(v.startswith("script-src") for v in page.evaluate("window.__violations"))
