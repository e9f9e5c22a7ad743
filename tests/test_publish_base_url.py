"""A site built for a sub-path works there: a crawl of every page, asset, feed and sitemap URL finds no broken link."""

from __future__ import annotations

import re
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urldefrag, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from generator.build import Project, build
from tests.conftest import PUBLISH_BASE_URL, REPO, serve_folder

_CSS_URL = re.compile(r"""url\((['"]?)([^'")]+)\1\)""")
_LINKING = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src", "iframe": "src"}


class Crawl:
    """Follows every link of a site served at `start` (which stands for PUBLISH_BASE_URL)."""

    def __init__(self, start: str) -> None:
        self.start = start
        self.origin = f"{urlsplit(start).scheme}://{urlsplit(start).netloc}/"
        self.status: dict[str, int] = {}
        self.ids: dict[str, set[str]] = {}
        self.links: list[tuple[str, str]] = []  # (page, link) pairs, fragments kept

    def local(self, url: str) -> str | None:
        """The served URL a link points to, or None if it leaves the site."""
        if url.startswith(PUBLISH_BASE_URL):
            return self.start + url.removeprefix(PUBLISH_BASE_URL)
        return url if url.startswith(self.origin) else None

    def run(self) -> None:
        queue = [self.start + "robots.txt", self.start]
        while queue:
            url = queue.pop()
            if url in self.status:
                continue
            for link in self._visit(url):
                target = self.local(link)
                if target is not None:
                    self.links.append((url, target))
                    queue.append(urldefrag(target).url)

    def _visit(self, url: str) -> Iterator[str]:
        try:
            with urllib.request.urlopen(url, timeout=10) as response:
                self.status[url], kind, body = response.status, response.headers.get_content_type(), response.read()
        except urllib.error.HTTPError as error:
            self.status[url] = error.code
            return
        if kind == "text/html":
            yield from self._html_links(url, body)
        elif kind == "text/css":
            yield from (urljoin(url, match[2]) for match in _CSS_URL.finditer(body.decode("utf-8")))
        elif url.endswith("/robots.txt"):
            lines = body.decode("utf-8").splitlines()
            yield from (line.split(":", 1)[1].strip() for line in lines if line.lower().startswith("sitemap:"))
        elif url.endswith(".xml"):
            root = ET.fromstring(body)
            yield from (element.text for element in root.iter() if element.tag.endswith("}loc") and element.text)
            yield from (element.get("href") for element in root.iter() if element.get("href"))

    def _html_links(self, url: str, body: bytes) -> Iterator[str]:
        soup = BeautifulSoup(body, "html.parser")
        self.ids[url] = {tag["id"] for tag in soup.find_all(id=True)}
        for tag in soup.find_all(list(_LINKING)):
            value = tag.get(_LINKING[tag.name])
            if value and not value.startswith(("mailto:", "data:")):
                yield urljoin(url, value)
        for tag in soup.find_all(attrs={"data-bundle": True}):  # the search script's Pagefind bundle
            yield from (urljoin(url, tag["data-bundle"] + name) for name in ("pagefind.js", "normalise.json"))

    def broken(self) -> list[str]:
        problems = [f"{url}: HTTP {status}" for url, status in self.status.items() if status != 200]
        for page, link in self.links:
            address, fragment = urldefrag(link)
            if fragment and address in self.ids and fragment not in self.ids[address]:
                problems.append(f"{page} links to {link}: no element has id '{fragment}'")
        return sorted(set(problems))


def _crawl(start: str) -> Crawl:
    crawl = Crawl(start)
    crawl.run()
    return crawl


def test_the_sub_path_build_has_no_broken_internal_link(publish_url: str, publish_site: Path) -> None:
    crawl = _crawl(publish_url)
    assert crawl.broken() == []
    html_files = {p.relative_to(publish_site).as_posix() for p in publish_site.rglob("*.html")} - {"404.html"}
    reached = {url.removeprefix(publish_url) + ("index.html" if url.endswith("/") else "") for url in crawl.status}
    assert html_files <= reached, f"pages no link leads to: {sorted(html_files - reached)}"
    for path in ("sitemap.xml", "ar/feed.xml", "en/feed.xml", "assets/", "pagefind/pagefind.js"):
        assert any(url.removeprefix(publish_url).startswith(path) for url in crawl.status), path


def test_a_link_outside_the_sub_path_is_reported(tmp_path: Path) -> None:
    """The crawl itself: a root-relative link that forgets the sub-path shows up as broken."""
    site = tmp_path / "sina-prison"
    site.mkdir()
    (site / "index.html").write_text('<a href="/en/">en</a><a href="#nowhere">x</a>', encoding="utf-8")
    server, url = serve_folder(tmp_path)
    try:
        broken = _crawl(url + "sina-prison/").broken()
    finally:
        server.shutdown()
    missing_id = f"{url}sina-prison/ links to {url}sina-prison/#nowhere: no element has id 'nowhere'"
    assert broken == sorted([f"{url}en/: HTTP 404", f"{url}sina-prison/robots.txt: HTTP 404", missing_id])


@pytest.fixture(scope="module")
def real_sub_path_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    output = tmp_path_factory.mktemp("real-sub-path") / "sina-prison"
    build(Project.at(REPO), output, base_url=PUBLISH_BASE_URL, cache=False)
    server, url = serve_folder(output.parent)
    yield url + "sina-prison/"
    server.shutdown()


def test_the_real_site_under_a_sub_path_has_no_broken_internal_link(real_sub_path_url: str) -> None:
    crawl = _crawl(real_sub_path_url)
    assert crawl.broken() == []
    assert len(crawl.status) > 100
