"""What a page's head says to feed readers, social networks and search engines, and the search box's links.

Templates get one `PublishLinks` per page as `publish`; base.html's head and
`_search.html` only present its values.
"""

from __future__ import annotations

from functools import cached_property

from markupsafe import Markup

from generator.exports import compact_json, data_path, feed_path, permalink, text_in
from generator.model import Content, Event, Language
from generator.search import BUNDLE
from generator.views import Urls


class PublishLinks:
    """Feeds, data, OpenGraph locale, search and JSON-LD values for the pages of one language."""

    def __init__(self, content: Content, urls: Urls, language: Language) -> None:
        self.content, self.urls, self.language = content, urls, language
        config = content.config
        self.og_locale = language.form.locale
        self.og_locale_alternates = [lang.form.locale for lang in config.languages if lang.code != language.code]
        self.search_bundle = urls.prefix + BUNDLE + "/"
        self.data_url = urls.prefix + data_path(language.code)

    @cached_property
    def feeds(self) -> list[dict]:
        """The feed of this language first, then the others'."""
        ordered = sorted(self.content.config.languages, key=lambda lang: lang.code != self.language.code)
        return [
            {"url": self.urls.prefix + feed_path(lang.code), "lang": lang.code, "title": f"{lang.title} ({lang.name})"}
            for lang in ordered
        ]

    @cached_property
    def tag_links(self) -> list[dict]:
        """Every tag in use, labelled in this language, linking to its page (the search box's no-script part)."""
        used = {tag for event in self.content.events for tag in event.tags}
        order = self.content.strings[self.content.config.default_language].tags
        labels, code = self.content.strings[self.language.code].tags, self.language.code
        return [{"label": labels.get(tag, tag), "url": self.urls.tag(code, tag)} for tag in order if tag in used]

    @cached_property
    def _events(self) -> dict[str, Event]:
        return {event.id: event for event in self.content.events}

    def event_json_ld(self, event_id: str) -> Markup:
        """The JSON-LD of an event page, safe inside `<script type="application/ld+json">`."""
        text = compact_json(self.event_data(event_id)).decode()
        # As Jinja's tojson does: no character that could end the script element or start markup.
        return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))

    def event_data(self, event_id: str) -> dict:
        """schema.org `Event` data for an event page: what happened, when, where, and who reported it."""
        event = self._events[event_id]
        code = self.language.code
        text = text_in(self.content, event, code)
        start, end = event.when.start, event.when.end
        data: dict = {
            "@context": "https://schema.org",
            "@type": "Event",
            "@id": permalink(self.urls, code, event.id) + "#event",
            "url": permalink(self.urls, code, event.id),
            "name": text.title,
            "description": text.summary or text.title,
            "inLanguage": text.lang,
        }
        if start is not None:  # an unknown start is left out rather than guessed
            data["startDate"] = start.machine_value(event.timezone)
        if end is not None:
            data["endDate"] = end.machine_value(event.timezone)
        places = [self._places[place_id] for place_id in event.places]
        if places:
            data["location"] = places
        if event.tags:
            labels = self.content.strings[code].tags
            data["keywords"] = ", ".join(labels.get(tag, tag) for tag in event.tags)
        data["subjectOf"] = [self._sources[source_id] for source_id in event.sources]
        return data

    @cached_property
    def _places(self) -> dict[str, dict]:  # each made once per language, for the thousands of events citing it
        return {place_id: self._place(place_id) for place_id in self.content.places}

    @cached_property
    def _sources(self) -> dict[str, dict]:
        return {source_id: self._source(source_id) for source_id in self.content.sources}

    def _place(self, place_id: str) -> dict:
        place = self.content.places[place_id]
        data: dict = {"@type": "Place", "name": place.names.get(self.language.code, place_id)}
        if place.lat is not None and place.lon is not None:
            data["geo"] = {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
        return data

    def _source(self, source_id: str) -> dict:
        source = self.content.sources[source_id]
        data: dict = {
            "@type": "CreativeWork",
            "name": source.title,
            "inLanguage": source.language,
            "publisher": {"@type": "Organization", "name": source.publisher},
        }
        if source.url:
            data["url"] = source.url
        if source.date:
            data["datePublished"] = source.date.anchor.machine_value(self.content.config.timezone)
        return data
