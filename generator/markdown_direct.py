"""Everyday Markdown bodies turned into HTML directly, byte for byte what Python-Markdown gives.

Nearly every event body is paragraphs of prose, now and then a short `- ` list or a `> ` quote,
with `**strong**`, `*em*` and `[text](https://…)` links. Python-Markdown takes about 0.36 ms for
such a body even with markdown_quick's shortcuts; `direct_html` writes the same HTML in about
0.03 ms. Anything it is not sure of (see the rules below) makes it return None, and
Python-Markdown converts the body as before: a None only costs time, a wrong byte would be a bug,
so the rules stay narrow and a property test compares them with stock Python-Markdown.

The rules, for Python-Markdown 3.11 with the `extra` and `sane_lists` extensions (`fits` checks
that the instance is that one):

- Anywhere: no backslash, backtick, `<`, `&`, `_`, `{`, `}` or `![` (escapes, code, raw HTML,
  entities, underscore emphasis, attribute lists, images); no control character (tabs and \r
  too: Python-Markdown rewrites them); no space ending a line (two make a line break).
- Blocks are separated by blank lines. A block whose lines all start with `- ` is a tight list;
  one whose lines all start with `> ` is a quote of one paragraph; any other block is a paragraph.
  A list right after a list, or a quote after a quote, would be joined to it: declined.
- The text of every line (after `- ` or `> `) starts with neither whitespace (code, and
  Python-Markdown strips it) nor `#`, `=`, `+`, `-`, `:`, `>`, `|`, `~` or digits and `.` or
  `)`: no header, list, quote, rule, table, definition or fenced code starts there. Lines may
  start with `*` or `[`: what those start otherwise (`* ` lists, `***` rules, `*[` abbreviations,
  `[x]:` references) has a `*` or a bracket the inline rules refuse.
- Inline, `*` and `**` only pair around text with no `*`, `[` or `]` and no space inside either
  end, opened after a space, the start, `(`, `"` or `«`, closed before a space, the end or closing
  punctuation (so that spans never touch, which would make Python-Markdown pair the runs
  otherwise). `[` and `]` only make a link `[text](https://…)` whose text has no `*` and whose
  address has no space, quote, bracket, `>` or `*`. Any other `*`, `[` or `]` is declined. `>` in
  text is written `&gt;`, as the serializer writes it; nothing else in text is escaped.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # Markdown itself is loaded only when a body needs it
    from markdown import Markdown

# Anywhere in the body (see the module). Looked for with `in`, many times faster than one regular
# expression; control characters only in text with a character that is not printable (rare).
_SYNTAX_CHARACTERS = "\\`<&_{}"
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# What a line of text may start with (see the module).
_TEXT_LINE = r"(?:[^\s#=+\-:>|~\d]|\d+(?![\d.)]))[^\n]*"
_PARAGRAPH = re.compile(rf"{_TEXT_LINE}(?:\n{_TEXT_LINE})*")
_LIST = re.compile(rf"- {_TEXT_LINE}(?:\n- {_TEXT_LINE})*")
_QUOTE = re.compile(rf"> {_TEXT_LINE}(?:\n> {_TEXT_LINE})*")
_BLANK_LINES = re.compile(r"\n\n+")
_SPAN = re.compile(
    r"""
    (?<![^\s("«])(?P<stars>\*\*?)(?=[^\s*])(?P<emphasised>[^*\[\]]*?[^\s*\[\]])(?P=stars)(?![^\s.,;:!?)"»'])
  | \[(?P<text>[^*\[\]]*)\]\((?P<href>https?://[A-Za-z0-9\-.~:/?#@!$+,;=%]+)\)
    """,
    re.X,
)
_TAGS = {"*": "em", "**": "strong"}

# Besides markdown_quick's: the tree and text stages `extra` adds to Python-Markdown's own, which
# change nothing in the everyday shapes (no footnotes, abbreviations, attribute lists or raw HTML).
TREEPROCESSORS = frozenset({"inline", "prettify", "unescape", "footnote", "footnote-duplicate", "attr_list", "abbr"})
POSTPROCESSORS = frozenset({"raw_html", "amp_substitute", "footnote"})


def direct_html(body: str) -> str | None:
    """The HTML Python-Markdown makes of `body` (before cleaning), or None when the body is not in
    the everyday shapes (see the module)."""
    if (
        any(character in body for character in _SYNTAX_CHARACTERS)
        or " \n" in body
        or body.endswith(" ")
        or "![" in body
        or (not body.replace("\n", "").isprintable() and _CONTROL.search(body))
    ):
        return None
    text = body.strip("\n")
    if not text:
        return ""
    parts: list[str] = []
    previous = ""
    for block in _BLANK_LINES.split(text):
        kind = block[:2]
        if kind == "- ":
            if previous == kind or not _LIST.fullmatch(block):
                return None
            items = [_inline(line[2:]) for line in block.split("\n")]
            if None in items:
                return None
            parts.append("<ul>\n" + "".join(f"<li>{item}</li>\n" for item in items) + "</ul>")
        elif kind == "> ":
            if previous == kind or not _QUOTE.fullmatch(block):
                return None
            quoted = _inline("\n".join(line[2:] for line in block.split("\n")))
            if quoted is None:
                return None
            parts.append(f"<blockquote>\n<p>{quoted}</p>\n</blockquote>")
        else:
            paragraph = _inline(block) if _PARAGRAPH.fullmatch(block) else None
            if paragraph is None:
                return None
            parts.append(f"<p>{paragraph}</p>")
        previous = kind
    return "\n".join(parts)


def as_cleaned(html: str) -> str | None:
    """direct_html's output as parse.MarkdownRenderer's cleaner (ammonia) writes it back, or None
    for a body with a link (the cleaner keeps an address only if it parses as a URL, by rules
    not repeated here). Its tags are allowed and its text has no `<` or `&`: the cleaner only
    writes a no-break space `&nbsp;`. Cleaning took 0.05 ms a body; a test compares the two."""
    if "<a " in html:
        return None
    return html.replace("\xa0", "&nbsp;") if "\xa0" in html else html


def _inline(text: str) -> str | None:
    """Text with its emphasis and links as HTML, or None for a marker outside them."""
    if not _has_markers(text):
        return _escaped(text)
    parts: list[str] = []
    position = 0
    for span in _SPAN.finditer(text):
        before = text[position:span.start()]
        if _has_markers(before):
            return None
        parts.append(_escaped(before))
        stars = span.group("stars")
        if stars:
            tag = _TAGS[stars]
            parts.append(f"<{tag}>{_escaped(span.group('emphasised'))}</{tag}>")
        else:
            parts.append(f'<a href="{span.group("href")}">{_escaped(span.group("text"))}</a>')
        position = span.end()
    rest = text[position:]
    if _has_markers(rest):
        return None
    parts.append(_escaped(rest))
    return "".join(parts)


def _escaped(text: str) -> str:
    """Text as Python-Markdown's serializer writes it, given the rules (no `<` or `&` gets here)."""
    return text.replace(">", "&gt;")


def _has_markers(text: str) -> bool:
    return "*" in text or "[" in text or "]" in text


def fits(md: Markdown) -> bool:
    """Whether `md` is the Markdown these rules were written for: Python-Markdown's own
    processors, and those of `extra` and `sane_lists`, and nothing else."""
    from markdown import inlinepatterns
    from markdown.blockprocessors import BlockQuoteProcessor, ParagraphProcessor
    from markdown.extensions.sane_lists import SaneOListProcessor, SaneUListProcessor
    from markdown.serializers import to_html_string
    from markdown.treeprocessors import InlineProcessor, PrettifyTreeprocessor

    from generator.markdown_quick import BLOCK_PROCESSORS, INLINE_PATTERNS, PREPROCESSORS, exactly

    # The emphasis rules follow the delimiter runs of Python-Markdown 3.11; older versions (the
    # project allows 3.5 on) pair `*` with other code, and get the stock path.
    delimiter_processor = getattr(inlinepatterns, "DelimiterProcessor", None)
    delimiters = getattr(md, "delimiters", None)
    if delimiter_processor is None or delimiters is None:
        return False
    blocks = md.parser.blockprocessors
    return (
        exactly(md.preprocessors, PREPROCESSORS)
        and exactly(blocks, BLOCK_PROCESSORS)
        and exactly(md.inlinePatterns, INLINE_PATTERNS)
        and exactly(md.treeprocessors, TREEPROCESSORS)
        and exactly(md.postprocessors, POSTPROCESSORS)
        and type(blocks["ulist"]) is SaneUListProcessor
        and type(blocks["olist"]) is SaneOListProcessor
        and type(blocks["quote"]) is BlockQuoteProcessor
        and type(blocks["paragraph"]) is ParagraphProcessor
        and type(md.inlinePatterns["link"]) is inlinepatterns.LinkInlineProcessor
        and type(md.inlinePatterns["em_strong"]) is delimiter_processor
        and md.inlinePatterns["em_strong"] is delimiters
        and {token: (rule.tags, rule.smart, rule.double) for token, rule in delimiters.delimiters.items()}
        == {"*": (("strong", "em"), False, False), "_": (("strong", "em"), True, False)}
        and type(md.treeprocessors["inline"]) is InlineProcessor
        and type(md.treeprocessors["prettify"]) is PrettifyTreeprocessor
        and md.serializer is to_html_string
        and md.stripTopLevelTags
        and md.tab_length == 4
    )

