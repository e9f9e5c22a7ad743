"""The publishing outputs of the real story: feeds, data and sitemap hold every event and page."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import jsonschema
import pytest

from generator.content import read_content
from generator.dates import parse_event_date
from tests.conftest import REPO

SCHEMA = json.loads((REPO / "schema" / "timeline.schema.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def real_content():
    return read_content(REPO / "content")[0]


@pytest.mark.parametrize("code", ["ar", "en"])
def test_real_feeds_parse_and_hold_every_event(real_site: Path, real_content, code: str) -> None:
    parsed = feedparser.parse((real_site / code / "feed.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert len(parsed.entries) == len(real_content.events)
    assert all(entry.title_detail.language in ("ar", "en") for entry in parsed.entries)


@pytest.mark.parametrize("code", ["ar", "en"])
def test_real_timeline_json_is_valid_and_complete(real_site: Path, real_content, code: str) -> None:
    data = json.loads((real_site / code / "timeline.json").read_text(encoding="utf-8"))
    jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)
    assert [event["id"] for event in data["events"]] == [event.id for event in real_content.events]
    for written, event in zip(data["events"], real_content.events, strict=True):
        assert parse_event_date(written["date"]["edtf"]) == event.when
        assert {lang: text["title"] for lang, text in written["translations"].items()} == {
            lang: text.title for lang, text in event.translations.items()
        }


def test_real_sitemap_lists_every_page(real_site: Path, real_content) -> None:
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    root = ET.fromstring((real_site / "sitemap.xml").read_bytes())
    listed = {loc.text for loc in root.findall("s:url/s:loc", namespace)}
    pages = {p.relative_to(real_site).as_posix().removesuffix("index.html") for p in real_site.rglob("*.html")}
    assert {url.removeprefix(real_content.config.base_url) for url in listed} == pages - {"404.html"}
