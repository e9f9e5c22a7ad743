"""Sharing metadata in each page's head: feed links, OpenGraph, Twitter card, JSON-LD on event pages."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.content import read_content
from generator.sharing import PublishLinks
from generator.views import Urls
from tests.conftest import FIXTURES, PUBLISH_BASE_URL

CONTENT = read_content(FIXTURES / "publish" / "content")[0]
BOMB = next(event for event in CONTENT.events if event.id == "2022-01-20-car-bomb")
PREFIX = "/sina-prison/"


def _head(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser").head


def _meta(head: BeautifulSoup) -> dict[str, str]:
    return {tag.get("property") or tag.get("name"): tag["content"] for tag in head.find_all("meta", content=True)}


@pytest.mark.parametrize("code", ["ar", "en"])
def test_event_page_shares_title_summary_and_address(publish_site: Path, code: str) -> None:
    head = _head(publish_site, f"{code}/events/2022-01-20-car-bomb/index.html")
    meta = _meta(head)
    text = BOMB.translations[code]
    assert meta["og:type"] == "article"
    assert meta["og:title"].startswith(text.title) and meta["og:title"] == head.title.get_text()
    assert meta["og:description"] == text.summary == meta["twitter:description"]
    assert meta["og:url"] == head.find("link", rel="canonical")["href"]
    assert meta["og:url"] == f"{PUBLISH_BASE_URL}{code}/events/2022-01-20-car-bomb/"
    assert meta["og:locale"] == {"ar": "ar_SY", "en": "en_GB"}[code]
    assert meta["og:locale:alternate"] == {"ar": "en_GB", "en": "ar_SY"}[code]
    assert meta["twitter:card"] == "summary"


@pytest.mark.parametrize("path", ["index.html", "en/index.html", "ar/tags/attack/index.html", "404.html"])
def test_other_pages_are_websites_with_feed_links(publish_site: Path, path: str) -> None:
    head = _head(publish_site, path)
    assert _meta(head)["og:type"] == "website"
    assert head.find("script", type="application/ld+json") is None
    feeds = head.find_all("link", rel="alternate", type="application/atom+xml")
    assert {feed["href"] for feed in feeds} == {f"{PREFIX}ar/feed.xml", f"{PREFIX}en/feed.xml"}
    assert not any(feed.has_attr("hreflang") for feed in feeds), "hreflang marks translations of the page"
    for link in [*feeds, head.find("link", rel="alternate", type="application/json")]:
        assert link["href"].startswith(PREFIX)
        assert (publish_site / link["href"].removeprefix(PREFIX)).is_file(), link["href"]


def test_page_language_feed_comes_first(publish_site: Path) -> None:
    head = _head(publish_site, "en/about/index.html")
    first = head.find("link", rel="alternate", type="application/atom+xml")
    assert first["href"] == f"{PREFIX}en/feed.xml"


def test_event_json_ld_describes_the_event(publish_site: Path) -> None:
    head = _head(publish_site, "en/events/2022-01-20-car-bomb/index.html")
    data = json.loads(head.find("script", type="application/ld+json").string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == "Car bomb at the prison gate"
    assert data["startDate"] == "2022-01-20T19:00+02:00"
    assert data["url"] == f"{PUBLISH_BASE_URL}en/events/2022-01-20-car-bomb/"
    prison = data["location"][0]
    assert prison["name"] == "al-Sina'a prison"
    assert (prison["geo"]["latitude"], prison["geo"]["longitude"]) == (36.47, 40.75)
    assert "geo" not in data["location"][1]
    assert [work["url"] for work in data["subjectOf"]] == ["https://example.com/ap", "http://islamist-movements.com/59918"]
    assert data["subjectOf"][1]["publisher"]["name"] == "بوابة الحركات الإسلامية"


def test_period_json_ld_has_an_end(publish_site: Path) -> None:
    head = _head(publish_site, "ar/events/2022-01-21-hospital-siege/index.html")
    data = json.loads(head.find("script", type="application/ld+json").string)
    assert (data["startDate"], data["endDate"]) == ("2022-01-21", "2022-01-23")
    assert data["inLanguage"] == "ar"


def test_unknown_start_is_left_out_of_json_ld(publish_site: Path) -> None:
    head = _head(publish_site, "en/events/2021-12-unknown-start-warnings/index.html")
    data = json.loads(head.find("script", type="application/ld+json").string)
    assert "startDate" not in data and data["endDate"] == "2021-12-31"


def test_json_ld_cannot_close_its_script_element() -> None:
    event = BOMB
    hostile = dataclasses.replace(event.translations["en"], title="</script><script>alert(1)</script> & co")
    changed = dataclasses.replace(event, translations={**event.translations, "en": hostile})
    content = dataclasses.replace(CONTENT, events=tuple(changed if e is event else e for e in CONTENT.events))
    links = PublishLinks(content, Urls(prefix="/", base_url="https://example.org/"), content.config.language("en"))
    text = str(links.event_json_ld(event.id))
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text)["name"] == hostile.title
