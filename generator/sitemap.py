"""`sitemap.xml` with hreflang alternates for every page, and `robots.txt` pointing to it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from generator.exports import file_url
from generator.model import SiteConfig
from generator.views import Urls
from generator.xml_text import closing, document, leaf, opening

SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML = "http://www.w3.org/1999/xhtml"
NOT_FOUND_PAGE = "404.html"


def page_address(path: str) -> str:
    """The site-relative address of an output HTML file: `en/events/x/index.html` -> `en/events/x/`."""
    return path.removesuffix("index.html")


def page_alternates(path: str, pages: set[str], config: SiteConfig) -> dict[str, str]:
    """The same page in every language that has it, plus `x-default`, as {hreflang: output path}.

    A language home's `x-default` is the root page (the language chooser); any
    other page's is its version in the default language.
    """
    code, _, tail = path.partition("/")
    if path == "index.html" or (code in config.codes and tail == "index.html"):
        homes = {lang: f"{lang}/index.html" for lang in config.codes if f"{lang}/index.html" in pages}
        default = "index.html" if "index.html" in pages else homes.get(config.default_language)
        return {**homes, "x-default": default} if default else homes
    if code not in config.codes:
        return {}
    versions = {lang: f"{lang}/{tail}" for lang in config.codes if f"{lang}/{tail}" in pages}
    default = versions.get(config.default_language)
    return {**versions, "x-default": default} if default else versions


def sitemap_xml(paths: Iterable[str], config: SiteConfig, urls: Urls) -> Iterator[bytes]:
    """Every HTML page except the 404 page, each with its language alternates."""
    pages = {path for path in paths if path.endswith(".html") and path != NOT_FOUND_PAGE}
    return document("urlset", {"xmlns": SITEMAP, "xmlns:xhtml": XHTML}, _url_lines(pages, config, urls))


def _url_lines(pages: set[str], config: SiteConfig, urls: Urls) -> Iterator[str]:
    for path in sorted(pages):  # one piece a page, its lines joined
        alternates = page_alternates(path, pages, config).items()
        yield "\n".join((
            opening(1, "url"),
            leaf(2, "loc", file_url(urls, page_address(path))),
            *(leaf(2, "xhtml:link", None, {"rel": "alternate", "hreflang": hreflang,
                                           "href": file_url(urls, page_address(other))})
              for hreflang, other in alternates),
            closing(1, "url"),
        ))


def robots_txt(urls: Urls) -> bytes:
    """Allow everything and name the sitemap. Crawlers read only the host's root robots.txt."""
    return f"User-agent: *\nDisallow:\n\nSitemap: {file_url(urls, 'sitemap.xml')}\n".encode()
