"""Python-Markdown's inline stage, skipping text that no inline pattern could match.

Python-Markdown tries each of its inline patterns on each piece of text, one regular expression
after another, even on a plain sentence: about half of the time it takes to convert a body of
prose. Every pattern registered with the `extra` extension needs one of a few characters to
match, so text without any of them comes out of the stage exactly as it went in, and is returned
at once. Any other set of patterns (a newer Markdown, another extension) keeps the stock stage.
"""

from __future__ import annotations

import re

from markdown import Markdown
from markdown.treeprocessors import InlineProcessor

# What each pattern needs: backtick (code), backslash (escape), "[" (links, references, images,
# footnotes), "<" (autolinks, raw HTML), two spaces before a newline (hard break), "&"
# (entities), "*" or "_" (emphasis).
INLINE_PATTERNS = frozenset({
    "backtick", "escape", "footnote", "reference", "link", "image_link", "image_reference",
    "short_reference", "short_image_ref", "autolink", "automail", "linebreak", "html", "entity",
    "em_strong",
})
INLINE_TRIGGER = re.compile(r"[`\\\[<&*_]|  \n")


class PlainTextSkippingInline(InlineProcessor):
    """The stock inline stage, but text with no trigger character is returned untouched."""

    # The name Python gives InlineProcessor's private __handleInline, which its run() calls.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if INLINE_TRIGGER.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


def skip_plain_text(md: Markdown) -> bool:
    """Install the quick inline stage if `md`'s inline patterns are the known ones; say whether it was."""
    patterns = md.inlinePatterns
    known = len(patterns) == len(INLINE_PATTERNS) and all(name in patterns for name in INLINE_PATTERNS)
    if not known or type(md.treeprocessors["inline"]) is not InlineProcessor:
        return False
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(PlainTextSkippingInline(md), "inline", priority)
    return True
