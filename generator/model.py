"""The plain data passed between pipeline stages. No I/O, no behaviour beyond lookups."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from generator.dates import EventDate
from generator.localize import LanguageForm

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Language:
    code: str
    name: str
    direction: str  # "rtl" or "ltr"
    form: LanguageForm
    title: str
    description: str


@dataclass(frozen=True)
class SiteConfig:
    languages: tuple[Language, ...]
    default_language: str
    base_url: str  # absolute, ends with "/"
    timezone: str
    index_split_threshold: int = 400

    def language(self, code: str) -> Language:
        for language in self.languages:  # a plain loop: asked a dozen times per page
            if language.code == code:
                return language
        raise KeyError(code)

    @cached_property  # asked for every event of every data file and page
    def codes(self) -> tuple[str, ...]:
        return tuple(lang.code for lang in self.languages)


@dataclass(frozen=True)
class Source:
    id: str
    publisher: str
    title: str
    date: EventDate | None
    language: str
    url: str
    via: str = ""
    archive_url: str = ""


@dataclass(frozen=True)
class Place:
    id: str
    names: dict[str, str]
    lat: float | None = None
    lon: float | None = None


@dataclass(frozen=True)
class Figure:
    """One claim of a contested number: who said it, when."""

    measure: str
    value: int | str
    source: str
    as_of: EventDate | None


@dataclass(frozen=True)
class Translation:
    lang: str
    title: str
    summary: str
    body_html: str
    path: str


@dataclass(frozen=True)
class Event:
    id: str
    when: EventDate
    timezone: str
    translations: dict[str, Translation]
    tags: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    figures: tuple[Figure, ...] = ()
    importance: int = 2
    order: int = 0
    draft: bool = False

    def text_in(self, lang: str, fallback_order: tuple[str, ...]) -> Translation:
        """The translation in `lang`, else the first available in `fallback_order`."""
        if lang in self.translations:
            return self.translations[lang]
        return next(self.translations[code] for code in fallback_order if code in self.translations)


@dataclass(frozen=True)
class Page:
    """A free page such as 'about', in one or more languages."""

    name: str
    translations: dict[str, Translation]


@dataclass(frozen=True)
class Strings:
    """UI strings of one language, with tag and measure labels."""

    words: dict[str, str]
    tags: dict[str, str] = field(default_factory=dict)
    measures: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Content:
    """Everything a build knows after reading and validating `content/`."""

    config: SiteConfig
    strings: dict[str, Strings]
    sources: dict[str, Source]
    places: dict[str, Place]
    events: tuple[Event, ...]  # in timeline order
    pages: tuple[Page, ...]
