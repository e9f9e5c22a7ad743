"""The real content of this repository: the story is complete, translated and sourced."""

from __future__ import annotations

import re

import pytest

from generator.config import is_web_url
from generator.content import read_content
from tests.conftest import REPO

DISPUTED_MEASURES = {"start_time", "attackers", "prisoners_held", "escaped", "recaptured", "killed_isis",
                     "killed_sdf", "killed_civilians", "hostages", "children_held", "displaced", "transferred"}


@pytest.fixture(scope="module")
def story():
    return read_content(REPO / "content")


def test_at_least_sixty_events_all_in_both_languages(story):
    content, warnings = story
    assert len(content.events) >= 60
    assert all(set(event.translations) == {"ar", "en"} for event in content.events)
    assert warnings == []  # no untranslated event, no unsourced event, no uncited source


# Key events for which the dossier has one publisher only (checked against its section 1).
SINGLE_PUBLISHER_KEY_EVENTS = {
    "2022-02-sohr-final-toll",  # SOHR's own final toll: SOHR is the only teller
    "2026-02-13-centcom-ends-transfers",  # known only through Burathanews' report
}


def test_every_event_cites_a_source_and_key_events_two_publishers(story):
    content, _ = story
    for event in content.events:
        publishers = {content.sources[source].publisher for source in event.sources}
        assert publishers, event.id
        if event.importance == 1 and event.id not in SINGLE_PUBLISHER_KEY_EVENTS:
            assert len(publishers) >= 2, event.id


def test_importance_levels_are_all_used_with_key_events_few(story):
    content, _ = story
    levels = [event.importance for event in content.events]
    assert set(levels) == {1, 2, 3}
    assert levels.count(1) <= len(levels) // 4


def test_every_source_is_complete_with_a_web_url(story):
    content, _ = story
    for source in content.sources.values():
        assert source.publisher and source.title and source.language, source.id
        assert is_web_url(source.url), source.id


def test_every_contested_measure_has_claims_from_several_sources(story):
    content, _ = story
    claims: dict[str, set[str]] = {}
    for event in content.events:
        for figure in event.figures:
            claims.setdefault(figure.measure, set()).add(figure.source)
    for measure in DISPUTED_MEASURES:
        assert len(claims.get(measure, ())) >= 2, measure


def test_arabic_text_is_arabic_and_english_text_is_not(story):
    content, _ = story
    arabic = re.compile(r"[\u0600-\u06ff]")
    for event in content.events:
        assert arabic.search(event.translations["ar"].title), event.id
        assert not arabic.search(event.translations["en"].title), event.id


def test_about_page_exists_in_both_languages(story):
    content, _ = story
    about = next(page for page in content.pages if page.name == "about")
    assert set(about.translations) == {"ar", "en"}
