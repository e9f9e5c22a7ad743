"""Arabic search normalisation: one form of a word for the search index and for the reader's query.

Pagefind's Arabic stemmer strips single prefixes but not combined ones (a page
saying والحراس is not found by الحراس or حراس), and readers type hamza forms,
alef maqsura, ta marbuta and digits in several ways. The rules below are plain
data: the build adds each page's normalised words to its index entry, and the
browser applies the same rules, read from `pagefind/normalise.json`, to the query.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache

ARABIC_INDIC = "٠١٢٣٤٥٦٧٨٩"
EXTENDED_ARABIC_INDIC = "۰۱۲۳۴۵۶۷۸۹"

RULES: dict = {
    # tatweel, harakat and the superscript alef: never part of what a reader searches for
    "remove": "[\u0640\u064b-\u065f\u0670]",
    "map": {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        **{digit: str(value) for value, digit in enumerate(ARABIC_INDIC)},
        **{digit: str(value) for value, digit in enumerate(EXTENDED_ARABIC_INDIC)},
    },
    "arabic": "[\u0621-\u064a\u066e-\u06d3]",
    # [prefix, letters that must remain]: a leading "and", then one article or preposition
    "conjunctions": [["و", 3]],
    "prefixes": [["بال", 3], ["كال", 3], ["لل", 3], ["ال", 3], ["ب", 3], ["ل", 3]],
}

_REMOVE = re.compile(RULES["remove"])
_ARABIC = re.compile(RULES["arabic"])
_MAP = str.maketrans(RULES["map"])
_WORD = re.compile(r"[^\W_]+")  # letters and digits, as the browser's [\p{L}\p{N}]+


def normalise(text: str) -> str:
    """`text` with every Arabic word in its search form; other words unchanged."""
    return _WORD.sub(lambda match: _search_form(match[0]), _letters(text))


def extra_terms(text: str) -> list[str]:
    """Search forms of the words of `text` that the text does not already contain, in order of appearance."""
    written = set(_WORD.findall(text))
    forms = map(_search_form, _WORD.findall(_letters(text)))  # normalise(text)'s words
    return list(dict.fromkeys(form for form in forms if form not in written))


def _letters(text: str) -> str:
    """Without marks and tatweel, each letter and digit in its one form."""
    return _REMOVE.sub("", text).translate(_MAP)


@lru_cache(maxsize=1 << 16)  # words repeat from page to page: each word's form is found once
def _search_form(word: str) -> str:
    return _strip_prefixes(word) if _ARABIC.search(word) else word


def rules_json() -> bytes:
    return (json.dumps(RULES, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _strip_prefixes(word: str) -> str:
    for group in ("conjunctions", "prefixes"):
        for prefix, rest in RULES[group]:
            if word.startswith(prefix) and len(word) - len(prefix) >= rest:
                word = word[len(prefix) :]
                break
    return word
