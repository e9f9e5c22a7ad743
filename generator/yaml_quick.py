"""Front matter's everyday shapes read directly, giving exactly what the YAML reader gives.

Front matter is nearly always `key: value` lines whose values are words, quoted text or `[a, b]`
lists, and now and then a list of `- {k: v, …}` items. The YAML reader (libyaml's parser, then
PyYAML's constructor, in Python) took 0.11 ms for a bench file's front matter; reading these lines
directly takes 0.04 ms. Anything else (a comment, a blank line, a tag, an anchor, an escape, text
continued on the next line, an unusual character) makes `read_simple_mapping` return None, and
the full reader reads the file, with its own errors and line numbers.

Plain words are resolved by PyYAML's own resolver and constructors (so `3` is a number, `yes`
true and `~` null, as there), with the same table of implicit types as parse._PlainLoader.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

import yaml

# Text with any of these (control characters but "\n", NEL and the Unicode line separators, the
# BOM, surrogates, non-characters) goes to the full reader; the rest reads alike in every YAML reader.
_UNUSUAL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]")
_KEY_LINE = re.compile(r"([A-Za-z_][A-Za-z0-9_]{0,60}):(?: +(.*))?")
_ITEM_LINE = re.compile(r"( *)- +(.*)")
# A plain word outside brackets: no indicator first, no ": " or " #" inside, no ":" last.
_BLOCK_PLAIN = re.compile(r"[^\s\-?:,\[\]{}#&*!|>'\"%@`](?:(?!: | #).)*(?<!:)")
# Inside brackets: none of the flow indicators, quotes or ":" at all; spaces around are trimmed.
_FLOW_PLAIN = r"[^\s\-?:,\[\]{}#&*!|>'\"%@`][^:,\[\]{}#\"]*?"
_DOUBLE_QUOTED = r'"[^"\\]*"'  # no escapes: the text between the quotes is the value
_DOUBLE_QUOTED_TEXT = re.compile(_DOUBLE_QUOTED)
_FLOW_SCALAR = rf"(?:{_DOUBLE_QUOTED}|{_FLOW_PLAIN})"
_FLOW_SEQUENCE = re.compile(rf"\[ *(?:{_FLOW_SCALAR} *(?:, *{_FLOW_SCALAR} *)*)?\]")
_FLOW_ENTRY = re.compile(rf" *([A-Za-z_][A-Za-z0-9_]{{0,60}}): +({_FLOW_SCALAR}) *(?:,|(}}))")
_FLOW_ITEMS = re.compile(rf" *({_FLOW_SCALAR}) *(?:,|\])")
# Longer front matter goes to the full reader, which checks its size limit (parse.MAX_NODES: a
# node takes two characters at least, so this text holds fewer).
MAX_TEXT = 10_000

_TEXT = "tag:yaml.org,2002:str"


class _PlainResolver(yaml.resolver.BaseResolver):
    """PyYAML's resolver over the implicit types given (the loader's own table)."""


class _Reader:
    """Values of the everyday shapes, or _NOT_SIMPLE; plain words resolved as the YAML reader does."""

    def __init__(self, implicit_resolvers: dict) -> None:
        resolver = _PlainResolver()
        resolver.yaml_implicit_resolvers = implicit_resolvers
        self._resolve = resolver.resolve
        # Words starting otherwise are text without asking the resolver (it looks up the same table).
        self._typed_starts = frozenset(implicit_resolvers) if None not in implicit_resolvers else None
        # Keys repeat from file to file: each is resolved once.
        self.is_text_key = lru_cache(maxsize=1_024)(
            lambda key: self._resolve(yaml.ScalarNode, key, (True, False)) == _TEXT
        )
        constructor = yaml.constructor.SafeConstructor()
        self._construct = {
            "tag:yaml.org,2002:null": constructor.construct_yaml_null,
            "tag:yaml.org,2002:bool": constructor.construct_yaml_bool,
            "tag:yaml.org,2002:int": constructor.construct_yaml_int,
            "tag:yaml.org,2002:float": constructor.construct_yaml_float,
        }

    def plain(self, word: str) -> Any:
        """A plain (unquoted) word's value; ValueError for a number that does not convert."""
        if self._typed_starts is not None and word[0] not in self._typed_starts:
            return word
        tag = self._resolve(yaml.ScalarNode, word, (True, False))
        return word if tag == _TEXT else self._construct[tag](yaml.ScalarNode(tag, word))

    def flow_scalar(self, token: str) -> Any:
        return token[1:-1] if token.startswith('"') else self.plain(token)

    def value(self, text: str) -> Any:
        """The value written after `key: ` on one line, or _NOT_SIMPLE."""
        if text.startswith('"'):
            return text[1:-1] if _DOUBLE_QUOTED_TEXT.fullmatch(text) else _NOT_SIMPLE
        if text.startswith("'"):
            inner = text[1:-1]
            if len(text) < 2 or not text.endswith("'") or "'" in inner.replace("''", ""):
                return _NOT_SIMPLE
            return inner.replace("''", "'")
        if text.startswith("["):
            return self.flow_sequence(text) if _FLOW_SEQUENCE.fullmatch(text) else _NOT_SIMPLE
        return self.plain(text) if _BLOCK_PLAIN.fullmatch(text) else _NOT_SIMPLE

    def flow_sequence(self, text: str) -> list:
        inner = text[1:].lstrip(" ")
        if inner == "]":
            return []
        return [self.flow_scalar(token) for token in _FLOW_ITEMS.findall(inner)]

    def flow_mapping(self, text: str) -> dict | object:
        """`{k: v, …}` on one line, or _NOT_SIMPLE."""
        if not (text.startswith("{") and text.endswith("}")):
            return _NOT_SIMPLE
        mapping: dict[str, Any] = {}
        position, inner = 0, text[1:]
        if inner.strip(" ") == "}":
            return mapping
        while True:
            entry = _FLOW_ENTRY.match(inner, position)
            if entry is None:
                return _NOT_SIMPLE
            key, token, closed = entry.groups()
            if key in mapping or not self.is_text_key(key):
                return _NOT_SIMPLE
            mapping[key] = self.flow_scalar(token)
            position = entry.end()
            if closed:
                return mapping if position == len(inner) else _NOT_SIMPLE


_NOT_SIMPLE = object()


def simple_mapping_reader(implicit_resolvers: dict) -> Callable[[str], tuple[dict[str, Any], dict[str, int]] | None]:
    """read_simple_mapping for a loader whose implicit types are `implicit_resolvers`."""
    reader = _Reader(implicit_resolvers)

    def read_simple_mapping(text: str) -> tuple[dict[str, Any], dict[str, int]] | None:
        """The mapping and each key's line (0-based, `key.N` for list items), as the YAML reader
        would give them; None when the text is not in the everyday shapes (see the module)."""
        if not text or len(text) > MAX_TEXT or _UNUSUAL.search(text):
            return None
        values: dict[str, Any] = {}
        lines: dict[str, int] = {}
        items: list | None = None  # the list being filled by `- ` lines, under a key without value
        indent, previous = None, ""
        try:
            for number, line in enumerate(text.split("\n")):
                line = line.rstrip(" ")
                found = _KEY_LINE.fullmatch(line)
                if found is not None:
                    key, written = found.groups()
                    if key in values or not reader.is_text_key(key):
                        return None
                    lines[key] = number
                    if written is None:  # null, unless `- ` lines follow
                        values[key], items, indent, previous = None, [], None, key
                        continue
                    items = None
                    value = reader.value(written)
                    if value is _NOT_SIMPLE:
                        return None
                    values[key] = value
                    if type(value) is list:
                        lines.update((f"{key}.{index}", number) for index in range(len(value)))
                    continue
                item = _ITEM_LINE.fullmatch(line) if items is not None else None
                if item is None or (indent is not None and len(item.group(1)) != indent):
                    return None
                indent, written = len(item.group(1)), item.group(2)
                if written.startswith("["):
                    return None
                value = reader.flow_mapping(written) if written.startswith("{") else reader.value(written)
                if value is _NOT_SIMPLE:
                    return None
                lines[f"{previous}.{len(items)}"] = number
                items.append(value)
                values[previous] = items
        except ValueError:  # a word read as a number that does not convert: the full reader says where
            return None
        return values, lines

    return read_simple_mapping
