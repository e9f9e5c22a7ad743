"""Publishing outputs made from the whole timeline at once: feeds, sitemap, robots.txt and data exports."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from generator.exports import SCHEMA_NAME, data_path, feed_path, timeline_json
from generator.feeds import atom_feed
from generator.model import Content
from generator.sitemap import robots_txt, sitemap_xml
from generator.timelinejs import timelinejs_json
from generator.views import Urls

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "schema" / SCHEMA_NAME


def timelinejs_path(code: str) -> str:
    return f"{code}/timelinejs.json"


def publish_files(content: Content, urls: Urls, page_paths: Iterable[str]) -> Iterator[tuple[str, Iterator[bytes]]]:
    """(output path, bytes in pieces) of every publishing output, one at a time, each made as its
    pieces are read: a big timeline's data file is tens of megabytes, and whoever writes them need
    not hold any whole. `page_paths` are the site's HTML pages."""
    yield "sitemap.xml", sitemap_xml(page_paths, content.config, urls)
    yield "robots.txt", iter((robots_txt(urls),))
    yield SCHEMA_NAME, iter((SCHEMA_FILE.read_bytes(),))
    shared: dict = {}  # what every language's timeline.json has alike: made once
    for language in content.config.languages:
        code = language.code
        yield feed_path(code), atom_feed(content, language, urls)
        yield data_path(code), timeline_json(content, language, urls, shared)
        yield timelinejs_path(code), timelinejs_json(content, language, urls)
