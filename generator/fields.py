"""Typed reading of YAML fields that records a located problem instead of failing."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from typing import Any

from generator.dates import DateSyntaxError, EventDate, parse_event_date
from generator.model import SLUG
from generator.parse import YamlData
from generator.problems import Problem


class FieldReader:
    """Reads fields of one YAML mapping; every bad value becomes a Problem at its line."""

    def __init__(
        self, data: YamlData, path: str, problems: list[Problem], prefix: str = "", line: int | None = None
    ) -> None:
        self.data, self.path, self.problems, self.prefix = data, path, problems, prefix
        self._line = line

    def line(self, key: str) -> int | None:
        return self.data.line(self.prefix + key, self._line)

    def problem(self, key: str, message: str, hint: str = "") -> None:
        self.problems.append(Problem(self.path, self.line(key), message, hint))

    def raw(self, key: str) -> Any:
        return self.data.values.get(key)

    def text(self, key: str, *, required: bool = False, what: str = "") -> str | None:
        value = self.data.values.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(key, f"'{key}' is missing{what}", f"add a line '{key}: …'")
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(key, f"'{key}' must be text, not {_kind(value)}", "write it on one line after the colon")
            return None
        return str(value).strip()

    def integer(self, key: str, low: int, high: int, default: int) -> int:
        value = self.data.values.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.problem(key, f"'{key}' is {value!r}; it must be a whole number from {low} to {high}")
            return default
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.data.values.get(key, default)
        if not isinstance(value, bool):
            self.problem(key, f"'{key}' is {value!r}; it must be true or false")
            return default
        return value

    def choice(self, key: str, choices: Collection[str], default: str | None = None) -> str | None:
        value = self.text(key, required=default is None)
        if value is None:
            return default
        if value not in choices:
            self.problem(key, f"'{key}' is '{value}'; it must be one of: {', '.join(sorted(choices))}")
            return default
        return value

    def date(self, key: str, *, required: bool = False) -> EventDate | None:
        if key not in self.data.values:
            if required:
                self.problem(key, f"'{key}' is missing", f"add '{key}: YYYY-MM-DD' (or YYYY-MM, YYYY)")
            return None
        try:
            return parse_event_date(self.data.values[key])
        except DateSyntaxError as error:
            self.problem(key, f"'{key}': {error}")
            return None

    def id_list(self, key: str, known: Collection[str], where: str) -> tuple[str, ...]:
        """A list of ids that must each be in `known` (defined in `where`)."""
        value = self.data.values.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.problem(key, f"'{key}' must be a list of ids, such as [a, b]")
            return ()
        for item in value:
            if item not in known:
                self.problem(
                    key,
                    f"unknown {key[:-1] if key.endswith('s') else key} id '{item}'",
                    _suggest(item, known, f"define it in {where} or correct the spelling"),
                )
        return tuple(dict.fromkeys(item for item in value if item in known))

    def unknown_fields(self, allowed: Iterable[str], what: str) -> None:
        allowed = allowed if isinstance(allowed, frozenset) else frozenset(allowed)
        if self.data.values.keys() <= allowed:  # nearly always: one set comparison
            return
        for key in self.data.values:
            if key not in allowed:
                self.problem(
                    key,
                    f"unknown field '{key}' in {what}",
                    _suggest(key, allowed, f"allowed fields: {', '.join(sorted(allowed))}"),
                )


def check_slug(value: str, what: str) -> str | None:
    """None if `value` is a valid id, else the message saying why not."""
    if SLUG.match(value):
        return None
    return (
        f"{what} '{value}' is not a valid id: use lowercase ASCII letters, digits and"
        f" single hyphens (for example '{_slugify(value) or 'event-name'}')"
    )


def _slugify(value: str) -> str:
    kept = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in value.lower())
    return "-".join(part for part in kept.split("-") if part)


def _suggest(value: str, known: Iterable[str], fallback: str) -> str:
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.75)
    return f"did you mean '{close[0]}'?" if close else fallback


def _kind(value: Any) -> str:
    return {dict: "a mapping", list: "a list"}.get(type(value), type(value).__name__)
