"""Atom feeds: parsed by feedparser, one entry per event, newest first, each in its text's language."""

from __future__ import annotations

from pathlib import Path

import feedparser
import pytest

from generator.content import read_content
from tests.conftest import FIXTURES, PUBLISH_BASE_URL

CONTENT = read_content(FIXTURES / "publish" / "content")[0]


@pytest.fixture(scope="module", params=["ar", "en"])
def feed(request: pytest.FixtureRequest, publish_site: Path) -> tuple[str, feedparser.FeedParserDict]:
    code = request.param
    return code, feedparser.parse((publish_site / code / "feed.xml").read_bytes())


def test_feed_parses_without_bozo(feed) -> None:
    _, parsed = feed
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"


def test_one_entry_per_event_newest_first(feed) -> None:
    code, parsed = feed
    assert len(parsed.entries) == len(CONTENT.events)
    expected = [PUBLISH_BASE_URL + f"{code}/events/{event.id}/" for event in reversed(CONTENT.events)]
    assert [entry.link for entry in parsed.entries] == expected
    updated = [entry.updated_parsed for entry in parsed.entries]
    assert updated == sorted(updated, reverse=True)


def test_entries_carry_the_language_of_their_text(feed) -> None:
    code, parsed = feed
    assert parsed.feed.language == code
    by_link = {entry.link: entry for entry in parsed.entries}
    for event in CONTENT.events:
        entry = by_link[PUBLISH_BASE_URL + f"{code}/events/{event.id}/"]
        text = event.translations.get(code) or next(iter(event.translations.values()))
        assert entry.title_detail.language == text.lang
        assert entry.summary_detail.language == text.lang
        assert entry.title == text.title
        assert entry.summary == text.summary


def test_entry_body_and_tags(feed) -> None:
    code, parsed = feed
    entry = next(e for e in parsed.entries if e.link.endswith("/events/2022-01-20-car-bomb/"))
    assert entry.content[0].type == "text/html"
    assert {"ar": "CENTCOM", "en": "guards"}[code] in entry.content[0].value
    labels = {"ar": "الهجوم", "en": "The attack"}
    assert [(tag.term, tag.label) for tag in entry.tags] == [("attack", labels[code])]


def test_feed_links_honour_the_base_url(feed) -> None:
    code, parsed = feed
    links = {link.rel: link.href for link in parsed.feed.links}
    assert links == {"self": PUBLISH_BASE_URL + f"{code}/feed.xml", "alternate": PUBLISH_BASE_URL + f"{code}/"}
