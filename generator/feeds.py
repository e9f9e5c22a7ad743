"""`<lang>/feed.xml`: an Atom feed per language, one entry per event, newest event first.

Entries carry the language of their text (an untranslated event keeps its own),
and `updated` is the event's own instant: a build has no other date that stays
the same from one build to the next, and byte-identical output matters more.
"""

from __future__ import annotations

from collections.abc import Iterator

from generator import __version__
from generator.exports import event_instant, feed_path, file_url, permalink, rfc3339, text_in
from generator.model import Content, Event, Language
from generator.views import Urls
from generator.xml_text import closing, document, leaf, opening

ATOM = "http://www.w3.org/2005/Atom"  # the default namespace, declared on the root element


def atom_feed(content: Content, language: Language, urls: Urls) -> Iterator[bytes]:
    """The Atom document of one language, as UTF-8 bytes in pieces."""
    return document("feed", {"xmlns": ATOM, "xml:lang": language.code}, _feed_lines(content, language, urls))


def _feed_lines(content: Content, language: Language, urls: Urls) -> Iterator[str]:
    code = language.code
    events = content.events[::-1]
    yield leaf(1, "title", language.title)
    yield leaf(1, "subtitle", language.description)
    yield leaf(1, "id", file_url(urls, feed_path(code)))
    yield _link(1, "self", file_url(urls, feed_path(code)), "application/atom+xml")
    yield _link(1, "alternate", urls.absolute(urls.timeline(code)), "text/html", code)
    latest = max((event_instant(event) for event in events), default=None)
    if latest is not None:
        yield leaf(1, "updated", rfc3339(latest))
    yield opening(1, "author")
    yield leaf(2, "name", language.title)
    yield closing(1, "author")
    yield leaf(1, "generator", "timeline", {"version": __version__})
    labels = content.strings[code].tags
    for event in events:
        yield _entry(content, event, code, urls, labels)


def _entry(content: Content, event: Event, code: str, urls: Urls, labels: dict[str, str]) -> str:
    """An event's entry, its lines joined (one piece an event, not a dozen)."""
    text = text_in(content, event, code)
    instant = rfc3339(event_instant(event))
    address = permalink(urls, code, event.id)
    return "\n".join((
        opening(1, "entry", {"xml:lang": text.lang}),
        leaf(2, "title", text.title),
        leaf(2, "id", address),
        _link(2, "alternate", address, "text/html", text.lang),
        leaf(2, "published", instant),
        leaf(2, "updated", instant),
        *(leaf(2, "category", None, {"term": tag, "label": labels.get(tag, tag)}) for tag in event.tags),
        leaf(2, "summary", text.summary or text.title),
        leaf(2, "content", text.body_html, {"type": "html"}),
        closing(1, "entry"),
    ))


def _link(depth: int, rel: str, href: str, media_type: str, hreflang: str = "") -> str:
    attributes = {"rel": rel, "href": href, "type": media_type}
    if hreflang:
        attributes["hreflang"] = hreflang
    return leaf(depth, "link", None, attributes)
