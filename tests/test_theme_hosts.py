"""No built page loads anything from another host: no script, style, font, image or frame URL outside
the site. Links to sources are fine. Checked twice: a scan of the output, and a browser that records
every request each page type makes.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.theme_pages import all_page_types, built_pages, served, theme_site

# <link rel> values that make the browser fetch something.
FETCHING_RELS = {"stylesheet", "preload", "modulepreload", "prefetch", "prerender", "preconnect", "dns-prefetch",
                 "icon", "apple-touch-icon", "mask-icon", "manifest"}
RESOURCE_ATTRIBUTES = {
    "script": ["src"], "img": ["src", "srcset"], "source": ["src", "srcset"], "iframe": ["src"],
    "frame": ["src"], "embed": ["src"], "object": ["data"], "video": ["src", "poster"], "audio": ["src"],
    "track": ["src"], "input": ["src"], "image": ["href", "xlink:href"], "use": ["href", "xlink:href"],
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


def is_external(url: str) -> bool:
    url = url.strip()
    return url.startswith("//") or (urlsplit(url).scheme not in ("", "data", "blob") and "://" in url)


class LoadCollector(HTMLParser):
    """Every URL a page makes the browser fetch by itself (not the ones a reader may follow).

    A plain HTMLParser, not a tree: the real index pages are large and there are hundreds of pages.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "link" and FETCHING_RELS & set(values.get("rel", "").lower().split()):
            self.urls.append(values.get("href", ""))
        for attribute in RESOURCE_ATTRIBUTES.get(tag, []):
            if values.get(attribute):
                self.urls.extend(part.split()[0] for part in values[attribute].split(",") if part.strip())
        if "style" in values:
            self.css(values["style"])
        if tag == "meta" and values.get("http-equiv", "").lower() == "refresh":
            self.urls.extend(re.findall(r"url=(\S+)", values.get("content", ""), re.I))
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.css(data)

    def css(self, text: str) -> None:
        self.urls.extend(first or second for first, second in CSS_URL.findall(text))


def loaded_urls(html: str) -> list[str]:
    collector = LoadCollector()
    collector.feed(html)
    collector.close()
    return collector.urls


def external_loads(site: Path) -> dict[str, list[str]]:
    found = {}
    for page in built_pages(site):
        external = [url for url in loaded_urls(page.read_text("utf-8")) if is_external(url)]
        if external:
            found[page.relative_to(site).as_posix()] = external
    for css in site.rglob("*.css"):
        external = [first or second for first, second in CSS_URL.findall(css.read_text("utf-8"))
                    if is_external(first or second)]
        if external:
            found[css.relative_to(site).as_posix()] = external
    return found


def test_the_scan_sees_every_kind_of_load():
    html = """<link rel="stylesheet" href="https://cdn.example/a.css"><link rel="alternate" href="https://x.example/">
    <script src="//cdn.example/b.js"></script><img srcset="/ok.png 1x, https://img.example/c.png 2x">
    <iframe src="https://frame.example/"></iframe><p style="background:url(https://bg.example/d.png)">x</p>
    <style>@import "https://style.example/e.css";</style><a href="https://source.example/">a source</a>"""
    external = sorted(url for url in loaded_urls(html) if is_external(url))
    assert external == ["//cdn.example/b.js", "https://bg.example/d.png", "https://cdn.example/a.css",
                        "https://frame.example/", "https://img.example/c.png", "https://style.example/e.css"]


def test_theme_site_loads_nothing_from_another_host():
    assert external_loads(theme_site()) == {}


def test_real_site_loads_nothing_from_another_host(real_site: Path):
    assert external_loads(real_site) == {}


@pytest.mark.parametrize("site_name", ["theme", "real"])
def test_browser_requests_stay_on_the_site(browser, request, site_name):
    if site_name == "theme":
        site, paths = theme_site(), [path for _, path in all_page_types()]
    else:
        site, paths = request.getfixturevalue("real_site"), ["ar/", "en/", "", "404.html"]
    base = served(site)
    own_host = urlsplit(base).netloc
    elsewhere = []
    context = browser.new_context()

    def refuse_other_hosts(route):
        if urlsplit(route.request.url).netloc != own_host:
            elsewhere.append(route.request.url)
            route.abort()
        else:
            route.continue_()

    context.route("**/*", refuse_other_hosts)
    page = context.new_page()
    for path in paths:
        page.goto(base + path)
    page.wait_for_load_state("networkidle")
    context.close()
    assert elsewhere == []
