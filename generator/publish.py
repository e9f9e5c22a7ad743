"""Publishing outputs made from the whole timeline at once: feeds, sitemap, robots.txt and data exports."""

from __future__ import annotations

from collections.abc import Iterable
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


def publish_files(content: Content, urls: Urls, page_paths: Iterable[str]) -> dict[str, bytes]:
    """{output path: bytes} of every publishing output; `page_paths` are the site's HTML pages."""
    files = {
        "sitemap.xml": sitemap_xml(page_paths, content.config, urls),
        "robots.txt": robots_txt(urls),
        SCHEMA_NAME: SCHEMA_FILE.read_bytes(),
    }
    for language in content.config.languages:
        code = language.code
        files[feed_path(code)] = atom_feed(content, language, urls)
        files[data_path(code)] = timeline_json(content, language, urls)
        files[timelinejs_path(code)] = timelinejs_json(content, language, urls)
    return files
