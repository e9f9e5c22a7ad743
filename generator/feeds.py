"""`<lang>/feed.xml`: an Atom feed per language, one entry per event, newest event first.

Entries carry the language of their text (an untranslated event keeps its own),
and `updated` is the event's own instant: a build has no other date that stays
the same from one build to the next, and byte-identical output matters more.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator import __version__
from generator.exports import event_instant, feed_path, file_url, permalink, rfc3339, text_in
from generator.model import Content, Event, Language
from generator.views import Urls

ATOM = "http://www.w3.org/2005/Atom"  # the default namespace, declared on the root element
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def atom_feed(content: Content, language: Language, urls: Urls) -> bytes:
    """The Atom document of one language, as UTF-8 bytes."""
    code = language.code
    events = list(reversed(content.events))
    feed = ET.Element("feed", {"xmlns": ATOM, XML_LANG: code})
    _text(feed, "title", language.title)
    _text(feed, "subtitle", language.description)
    _text(feed, "id", file_url(urls, feed_path(code)))
    _link(feed, "self", file_url(urls, feed_path(code)), "application/atom+xml")
    _link(feed, "alternate", urls.absolute(urls.timeline(code)), "text/html", code)
    latest = max((event_instant(event) for event in events), default=None)
    if latest is not None:
        _text(feed, "updated", rfc3339(latest))
    author = ET.SubElement(feed, "author")
    _text(author, "name", language.title)
    _text(feed, "generator", "timeline", {"version": __version__})
    for event in events:
        feed.append(_entry(content, event, code, urls))
    ET.indent(feed, space=" ")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _entry(content: Content, event: Event, code: str, urls: Urls) -> ET.Element:
    text = text_in(content, event, code)
    instant = rfc3339(event_instant(event))
    entry = ET.Element("entry", {XML_LANG: text.lang})
    _text(entry, "title", text.title)
    _text(entry, "id", permalink(urls, code, event.id))
    _link(entry, "alternate", permalink(urls, code, event.id), "text/html", text.lang)
    _text(entry, "published", instant)
    _text(entry, "updated", instant)
    labels = content.strings[code].tags
    for tag in event.tags:
        ET.SubElement(entry, "category", {"term": tag, "label": labels.get(tag, tag)})
    _text(entry, "summary", text.summary or text.title)
    _text(entry, "content", text.body_html, {"type": "html"})
    return entry


def _text(parent: ET.Element, name: str, value: str, attributes: dict[str, str] | None = None) -> ET.Element:
    element = ET.SubElement(parent, name, attributes or {})
    element.text = value
    return element


def _link(parent: ET.Element, rel: str, href: str, media_type: str, hreflang: str = "") -> None:
    attributes = {"rel": rel, "href": href, "type": media_type}
    if hreflang:
        attributes["hreflang"] = hreflang
    ET.SubElement(parent, "link", attributes)
