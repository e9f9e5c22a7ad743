"""The page plan: every page of a site as a job with a key, so unchanged pages need not be rendered again.

A key is a digest of everything a page shows (the site-wide settings, and the fingerprints of the
events on it), so two jobs with equal keys under one theme render equal bytes. Event views and the
list form of each event block are computed once per event and language and reused by the index,
the tag pages and the next rebuild.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import NamedTuple

from generator.dates import Precision
from generator.model import Content, Event, Language
from generator.views import Urls, ViewBuilder


def digest(*parts: str) -> str:
    """A short stable fingerprint of some text parts."""
    return hashlib.blake2b("\0".join(parts).encode("utf-8", "surrogatepass"), digest_size=12).hexdigest()


class PageJob(NamedTuple):  # a tuple, not a frozen dataclass: a site plans thousands per build
    """One output page: where it goes, what it depends on (`key`), and how to render it: the
    renderer's context method `context` called with `arguments` (not a bound method, so a plan
    made in one build can be reused by the next build's renderer)."""

    path: str
    key: str
    template: str
    context: str
    arguments: tuple = ()


class EventPlan(NamedTuple):
    """One language's event-page jobs as last planned, and what they were planned from."""

    site: str
    ids: tuple[str, ...]
    period_urls: tuple[str, ...]
    fingerprints: list[str]
    jobs: list[PageJob]


class MemoViews(ViewBuilder):
    """A ViewBuilder that formats each group heading once (Babel's skeleton matching is slow)."""

    def __init__(self, content: Content, language: Language, urls: Urls) -> None:
        super().__init__(content, language, urls)
        self._headings: dict[tuple[date, Precision], str] = {}

    def _heading(self, day: date, precision: Precision) -> str:
        key = (day, precision)
        if key not in self._headings:
            self._headings[key] = super()._heading(day, precision)
        return self._headings[key]

    def period_label(self, period: str) -> str:
        """'2022' or 'January 2022' for a part of a split timeline, in this language's form."""
        year, _, month = period.partition("-")
        if not month:
            return self.language.form.digits_of(year)
        return self._heading(date(int(year), int(month), 1), Precision.MONTH)


class FragmentMemo:
    """What a build can reuse from the previous one of the same site settings and theme.

    Holds event fingerprints (by object identity, so unchanged events cost nothing), event views,
    and the rendered list form of each event block, per language.
    """

    def __init__(self) -> None:
        self.site = ""
        self._fingerprints: dict[int, tuple[Event, str]] = {}
        self.views: dict[tuple[str, str], dict] = {}
        self._keys: dict[tuple[str, ...], str] = {}
        self.event_plans: dict[str, EventPlan] = {}  # by language
        self._site_inputs: tuple = ()

    def start(self, site: str) -> None:
        """Begin a build; anything computed under other site settings is dropped."""
        if site != self.site:
            self.site = site
            self.views.clear()
            self._keys.clear()

    def site_key(self, content: Content, urls: Urls, assets: Iterable[str], theme: str) -> str:
        """site_fingerprint, computed again only when the registries are other objects than last
        time (they are cached while their files do not change) or the rest differs."""
        registries = (content.config, content.strings, content.sources, content.places)
        rest = (content.pages, urls, tuple(assets), theme)
        if self._site_inputs:
            known, known_rest, key = self._site_inputs
            if all(a is b for a, b in zip(known, registries, strict=True)) and known_rest == rest:
                return key
        key = site_fingerprint(content, urls, rest[2], theme)
        self._site_inputs = (registries, rest, key)
        return key

    def key(self, *parts: str) -> str:
        """digest(*parts), remembered: a rebuild plans every page again, and most keys are as before."""
        known = self._keys.get(parts)
        if known is None:
            known = self._keys[parts] = digest(*parts)
        return known

    def fingerprint(self, event: Event) -> str:
        known = self._fingerprints.get(id(event))
        if known is not None and known[0] is event:
            return known[1]
        value = digest(repr(event))
        self._fingerprints[id(event)] = (event, value)
        return value

    def remember(self, event: Event, fingerprint: str) -> None:
        """A fingerprint computed by an earlier run (the build cache), for this event object."""
        known = self._fingerprints.get(id(event))
        if known is None or known[0] is not event:
            self._fingerprints[id(event)] = (event, fingerprint)

    def keep_only(self, events: Iterable[Event], fingerprints: Iterable[str]) -> None:
        """Forget events and views no longer in the site (keeps memory flat across many rebuilds)."""
        alive = {id(event) for event in events}
        self._fingerprints = {key: value for key, value in self._fingerprints.items() if key in alive}
        wanted = set(fingerprints)
        self.views = {key: value for key, value in self.views.items() if key[1] in wanted}
        if len(self._keys) > 8 * len(wanted) + 64:  # edits leave old keys behind; start afresh now and then
            self._keys.clear()


def site_fingerprint(content: Content, urls: Urls, assets: Iterable[str], theme: str) -> str:
    """Everything other than events that pages show: settings, strings, registries, free pages, theme."""
    return digest(
        repr(content.config),
        repr(sorted(content.strings.items())),
        repr(sorted(content.sources.items())),
        repr(sorted(content.places.items())),
        repr(content.pages),
        repr(urls),
        repr(sorted(assets)),
        theme,
    )


def periods_of(events: tuple[Event, ...], threshold: int) -> list[tuple[str, tuple[Event, ...]]]:
    """The index split: one period if small, else by year, or by month when one year alone is too long."""
    if len(events) <= threshold:
        return [("", events)]
    by_year = _split(events, lambda point: f"{point.year:04d}")
    if all(len(group) <= threshold for _, group in by_year):
        return by_year
    return _split(events, lambda point: f"{point.year:04d}-{point.month or 1:02d}")


def _split(events: tuple[Event, ...], period: Callable) -> list[tuple[str, tuple[Event, ...]]]:
    # A dict, not groupby: offsets can put a local New Year's Eve event after one of the next year.
    periods: dict[str, list[Event]] = {}
    for event in events:
        periods.setdefault(period(event.when.anchor), []).append(event)
    return [(key, tuple(group)) for key, group in periods.items()]
