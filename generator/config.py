"""Site settings, UI strings, sources and places: the registries events refer to."""

from __future__ import annotations

from urllib.parse import urlsplit

from generator.dates import DateSyntaxError, check_zone
from generator.fields import FieldReader, check_slug
from generator.localize import LanguageForm, validate_locale
from generator.model import Language, Place, SiteConfig, Source, Strings
from generator.parse import YamlData
from generator.problems import Problem

SITE_FIELDS = {"default_language", "base_url", "timezone", "languages", "index_split_threshold"}
LANGUAGE_FIELDS = {"name", "direction", "locale", "digits", "calendars", "title", "description"}
SOURCE_FIELDS = {"publisher", "title", "date", "language", "url", "via", "archive_url"}
PLACE_FIELDS = {"name", "lat", "lon"}
REQUIRED_WORDS = (
    "untranslated",
    "approximate",
    "uncertain",
    "approximate_uncertain",
    "ongoing",
    "unknown_start",
    "value_about",
    "value_more_than",
    "value_at_least",
    "value_fewer_than",
    "value_up_to",
)


def read_site_config(data: YamlData, path: str, problems: list[Problem]) -> SiteConfig | None:
    site = FieldReader(data, path, problems)
    site.unknown_fields(SITE_FIELDS, "site.yaml")
    languages = _read_languages(data, path, problems)
    zone = site.text("timezone") or "UTC"
    try:
        check_zone(zone)
    except DateSyntaxError as error:
        site.problem("timezone", str(error))
    base_url = site.text("base_url") or "http://127.0.0.1:8000/"
    if urlsplit(base_url).scheme not in ("http", "https") or not urlsplit(base_url).netloc:
        site.problem(
            "base_url",
            f"base_url '{base_url}' is not an absolute http(s) URL",
            "write it as https://example.org/ or https://example.org/sub-path/",
        )
    default = site.text("default_language", required=True)
    if languages and default and default not in {lang.code for lang in languages}:
        site.problem("default_language", f"default_language '{default}' is not one of the languages")
    if not languages or not default:
        return None
    return SiteConfig(
        languages=tuple(languages),
        default_language=default,
        base_url=with_trailing_slash(base_url),
        timezone=zone,
        index_split_threshold=site.integer("index_split_threshold", 1, 1_000_000, 400),
    )


def with_trailing_slash(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _read_languages(data: YamlData, path: str, problems: list[Problem]) -> list[Language]:
    entries = data.values.get("languages")
    if not isinstance(entries, dict) or not entries:
        problems.append(
            Problem(
                path,
                data.line("languages", 1),
                "'languages' must map language codes to settings",
                "see docs/content.md for an example",
            )
        )
        return []
    languages = []
    for code, settings in entries.items():
        reader = FieldReader(
            YamlData(settings if isinstance(settings, dict) else {}),
            path,
            problems,
            line=data.line(f"languages.{code}"),
        )
        if not isinstance(settings, dict):
            reader.problem("", f"language '{code}' must be a mapping of settings")
            continue
        reader.unknown_fields(LANGUAGE_FIELDS, f"language '{code}'")
        locale = reader.text("locale", required=True) or "en"
        if message := validate_locale(locale):
            reader.problem("locale", message)
            locale = "en"
        calendars = settings.get("calendars", ["gregorian"])
        languages.append(
            Language(
                code=str(code),
                name=reader.text("name", required=True) or str(code),
                direction=reader.choice("direction", {"rtl", "ltr"}) or "ltr",
                form=LanguageForm(
                    locale,
                    reader.choice("digits", {"arab", "latn"}, "latn") or "latn",
                    hijri=isinstance(calendars, list) and "hijri" in calendars,
                ),
                title=reader.text("title", required=True) or "",
                description=reader.text("description") or "",
            )
        )
    return languages


def read_strings(data: YamlData, path: str, problems: list[Problem]) -> Strings:
    words = {key: str(value) for key, value in data.values.items() if not isinstance(value, dict)}
    for key in REQUIRED_WORDS:
        if key not in words:
            problems.append(Problem(path, None, f"UI string '{key}' is missing", f"add '{key}: …'"))
            words[key] = key
    tags, measures = data.values.get("tags") or {}, data.values.get("measures") or {}
    for key, labels in (("tags", tags), ("measures", measures)):
        if not isinstance(labels, dict):
            problems.append(Problem(path, data.line(key), f"'{key}' must map ids to labels"))
    return Strings(
        words,
        {str(k): str(v) for k, v in tags.items()} if isinstance(tags, dict) else {},
        {str(k): str(v) for k, v in measures.items()} if isinstance(measures, dict) else {},
    )


def read_sources(data: YamlData, path: str, problems: list[Problem]) -> dict[str, Source]:
    sources = {}
    for source_id, entry in _entries(data, path, problems, "source"):
        reader = FieldReader(
            YamlData(entry, data.lines), path, problems, prefix=f"{source_id}.", line=data.line(source_id)
        )
        reader.unknown_fields(SOURCE_FIELDS, f"source '{source_id}'")
        url = reader.text("url", required=True) or ""
        archive = reader.text("archive_url") or ""
        for key, value in (("url", url), ("archive_url", archive)):
            if value and not is_web_url(value):
                reader.problem(key, f"'{key}' of source '{source_id}' must be an http(s) URL, not '{value[:40]}'")
        sources[source_id] = Source(
            id=source_id,
            publisher=reader.text("publisher", required=True) or "",
            title=reader.text("title", required=True) or "",
            date=reader.date("date"),
            language=reader.text("language", required=True) or "",
            url=url if is_web_url(url) else "",
            via=reader.text("via") or "",
            archive_url=archive if is_web_url(archive) else "",
        )
    return sources


def read_places(data: YamlData, path: str, problems: list[Problem], codes: tuple[str, ...]) -> dict[str, Place]:
    places = {}
    for place_id, entry in _entries(data, path, problems, "place"):
        reader = FieldReader(
            YamlData(entry, data.lines), path, problems, prefix=f"{place_id}.", line=data.line(place_id)
        )
        reader.unknown_fields(PLACE_FIELDS, f"place '{place_id}'")
        names = entry.get("name")
        if not isinstance(names, dict) or any(not isinstance(names.get(code), str) for code in codes):
            reader.problem(
                "name",
                f"place '{place_id}' needs a name in each language",
                f"write name: {{{', '.join(f'{c}: …' for c in codes)}}}",
            )
            names = {}
        lat, lon = entry.get("lat"), entry.get("lon")
        if (lat is None) != (lon is None) or not (_is_coordinate(lat, 90) and _is_coordinate(lon, 180)):
            reader.problem(
                "lat", f"place '{place_id}' has bad coordinates", "give both lat and lon as numbers, or neither"
            )
            lat = lon = None
        places[place_id] = Place(place_id, {str(k): str(v) for k, v in names.items()}, lat, lon)
    return places


def is_web_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def _is_coordinate(value: object, limit: float) -> bool:
    if value is None:
        return True
    return isinstance(value, (int, float)) and not isinstance(value, bool) and -limit <= value <= limit


def _entries(data: YamlData, path: str, problems: list[Problem], what: str):
    for key, entry in data.values.items():
        if message := check_slug(key, f"{what} id"):
            problems.append(Problem(path, data.line(key), message))
            continue
        if not isinstance(entry, dict):
            problems.append(Problem(path, data.line(key), f"{what} '{key}' must be a mapping of fields"))
            continue
        yield key, entry
