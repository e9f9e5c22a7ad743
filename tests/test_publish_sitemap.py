"""Sitemap with hreflang alternates, robots.txt, head links and the bilingual 404 page, under a sub-path."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from bs4 import BeautifulSoup

from generator.content import read_content
from generator.sitemap import page_address, page_alternates
from tests.conftest import FIXTURES, PUBLISH_BASE_URL

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
CONFIG = read_content(FIXTURES / "publish" / "content")[0].config


def _sitemap(site: Path) -> dict[str, dict[str, str]]:
    """{page URL: {hreflang: URL}} as a crawler reads the sitemap."""
    root = ET.fromstring((site / "sitemap.xml").read_bytes())
    return {
        url.findtext("s:loc", namespaces=NS): {
            link.get("hreflang"): link.get("href")
            for link in url.findall("x:link", NS)
            if link.get("rel") == "alternate"
        }
        for url in root.findall("s:url", NS)
    }


def _html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html") if p.name != "404.html")


def test_sitemap_lists_every_html_page(publish_site: Path) -> None:
    listed = set(_sitemap(publish_site))
    expected = {PUBLISH_BASE_URL + page_address(path) for path in _html_pages(publish_site)}
    assert listed == expected
    assert PUBLISH_BASE_URL + "404.html" not in listed


def test_every_url_has_both_languages_and_x_default(publish_site: Path) -> None:
    for url, alternates in _sitemap(publish_site).items():
        assert set(alternates) == {"ar", "en", "x-default"}, url
        assert url in alternates.values(), f"{url} does not list itself"
        for code in ("ar", "en"):
            assert alternates[code].startswith(PUBLISH_BASE_URL + f"{code}/"), (url, code)


def test_alternates_of_one_page_agree(publish_site: Path) -> None:
    sitemap = _sitemap(publish_site)
    for alternates in sitemap.values():
        for other in alternates.values():
            assert sitemap[other] == alternates


def test_x_default_of_homes_is_the_chooser_and_of_pages_the_default_language() -> None:
    pages = {"index.html", "ar/index.html", "en/index.html", "ar/about/index.html", "en/about/index.html"}
    assert page_alternates("en/index.html", pages, CONFIG)["x-default"] == "index.html"
    assert page_alternates("index.html", pages, CONFIG)["x-default"] == "index.html"
    assert page_alternates("en/about/index.html", pages, CONFIG)["x-default"] == "ar/about/index.html"
    assert page_alternates("en/about/index.html", pages - {"ar/about/index.html"}, CONFIG) == {
        "en": "en/about/index.html"
    }


def test_robots_txt_points_to_the_sitemap(publish_site: Path) -> None:
    lines = (publish_site / "robots.txt").read_text(encoding="utf-8").splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {PUBLISH_BASE_URL}sitemap.xml" in lines


def test_every_page_head_has_canonical_and_hreflang(publish_site: Path) -> None:
    for path in _html_pages(publish_site):
        head = BeautifulSoup((publish_site / path).read_text(encoding="utf-8"), "html.parser").head
        canonical = head.find("link", rel="canonical")["href"]
        assert canonical == PUBLISH_BASE_URL + page_address(path), path
        hreflangs = {link["hreflang"] for link in head.find_all("link", rel="alternate", hreflang=True)}
        assert {"ar", "en"} <= hreflangs, path


def test_not_found_page_has_both_languages_and_honours_the_base_url(publish_site: Path) -> None:
    soup = BeautifulSoup((publish_site / "404.html").read_text(encoding="utf-8"), "html.parser")
    languages = {section["lang"] for section in soup.main.find_all(attrs={"lang": True})}
    assert {"ar", "en"} <= languages
    prefix = "/sina-prison/"
    local = [tag.get("href") or tag.get("src") for tag in soup.find_all(["a", "link", "script"])]
    local = [url for url in local if url and not url.startswith(("https://", "http://", "#"))]
    assert local, "the 404 page links nowhere"
    for url in local:
        assert url.startswith(prefix), f"404.html links to {url}, outside {prefix}: broken when served at any depth"
