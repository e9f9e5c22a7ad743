"""Python-Markdown with three shortcuts for plain prose, each giving exactly the stock output.

Python-Markdown runs an HTML parser over the whole text, asks each of its block processors, one
regular expression after another, whether it can take a block, and then tries each inline pattern
on each piece of text, even for a plain sentence: most of the time it takes to convert prose.

- Preprocessors: the raw-HTML and fenced-code ones hand back text without "<" or "&", or without
  a code fence, as it was; such text skips them.
- Blocks: every block processor but the paragraph's needs a line that starts with one of a few
  characters (or with a space), so a block whose lines all start otherwise is a paragraph.
- Inline: every pattern registered with the `extra` extension needs one of a few characters to
  match, so text without any of them comes out of the stage exactly as it went in.

Each is installed only over the known set of patterns or processors; any other set (a newer
Markdown, another extension) keeps the stock stage.
"""

from __future__ import annotations

import re
import types
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockparser import BlockParser
from markdown.extensions import Extension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from markdown.extensions.md_in_html import HtmlBlockPreprocessor
from markdown.preprocessors import Preprocessor
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

# What each block processor needs at the start of some line of the block: a space or tab (code,
# list continuations), nothing at all (empty), a control character (raw HTML's placeholder,
# markdown_block), "#" (headers), "=" or "-" (setext underlines, rules), "*", "_" (rules, and "*["
# abbreviations), "*", "+", "-" or a digit (lists), ":" (definitions), ">" (quotes), "[" (references,
# footnotes), "|", ":" or "-" (a table's second line). Fenced code and raw HTML are taken out
# before the block stage, by preprocessors.
BLOCK_PROCESSORS = frozenset({
    "markdown_block", "empty", "indent", "defindent", "code", "table", "hashheader", "setextheader",
    "hr", "olist", "ulist", "deflist", "quote", "footnote", "abbr", "reference", "paragraph",
})
_PLAIN_START = r"[^\s\x00-\x1f#=*_+\-\d:>\[|]"
PLAIN_PARAGRAPH = re.compile(rf"{_PLAIN_START}[^\n]*(?:\n{_PLAIN_START}[^\n]*)*")


# The preprocessors that can be skipped, and what each acts on: text with none of it comes back
# as it went in. The other registered one (normalize_whitespace) always runs.
SKIPPABLE_PREPROCESSORS = {
    "html_block": (HtmlBlockPreprocessor, ("<", "&")),
    "fenced_code_block": (FencedBlockPreprocessor, ("```", "~~~")),
}
PREPROCESSORS = frozenset({"normalize_whitespace", *SKIPPABLE_PREPROCESSORS})


class SkippingPreprocessor(Preprocessor):
    """Runs `inner` only on text that holds one of its `triggers`."""

    def __init__(self, md: Markdown, inner: Preprocessor, triggers: tuple[str, ...]) -> None:
        super().__init__(md)
        self.inner, self.triggers = inner, triggers

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        return self.inner.run(lines) if any(trigger in text for trigger in self.triggers) else lines


class PlainTextSkippingInline(InlineProcessor):
    """The stock inline stage, but text with no trigger character is returned untouched."""

    # The name Python gives InlineProcessor's private __handleInline, which its run() calls.
    def _InlineProcessor__handleInline(self, data: str, patternIndex: int = 0) -> str:
        if INLINE_TRIGGER.search(data) is None:
            return data
        return super()._InlineProcessor__handleInline(data, patternIndex)  # type: ignore[misc]


def parse_blocks_taking_plain_paragraphs(parser: BlockParser, parent: etree.Element, blocks: list[str]) -> None:
    """BlockParser.parseBlocks, but a plain block outside lists (see PLAIN_PARAGRAPH) becomes a
    paragraph at once, as the paragraph processor would make it, without asking the others."""
    while blocks:
        if not parser.state and PLAIN_PARAGRAPH.fullmatch(blocks[0]):
            etree.SubElement(parent, "p").text = blocks.pop(0)
            continue
        for processor in parser.blockprocessors:  # the stock loop: the first that takes the block
            if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                break


def extensions() -> list[Extension]:
    """"extra" and "sane_lists", as instances made here: named, Python-Markdown looks each up among
    the installed packages' entry points, and loading that list (importlib.metadata) took 50 ms of
    every cold build, before any work could start. The order is extra's own, then sane_lists."""
    from markdown.extensions import abbr, attr_list, def_list, fenced_code, footnotes, md_in_html, sane_lists, tables

    return [fenced_code.FencedCodeExtension(), footnotes.FootnoteExtension(), attr_list.AttrListExtension(),
            def_list.DefListExtension(), tables.TableExtension(), abbr.AbbrExtension(),
            md_in_html.MarkdownInHtmlExtension(), sane_lists.SaneListExtension()]


def skip_plain_text(md: Markdown) -> bool:
    """Install the quick inline stage if `md`'s inline patterns are the known ones; say whether it was."""
    patterns = md.inlinePatterns
    if not exactly(patterns, INLINE_PATTERNS) or type(md.treeprocessors["inline"]) is not InlineProcessor:
        return False
    priority = next(item.priority for item in md.treeprocessors._priority if item.name == "inline")
    md.treeprocessors.register(PlainTextSkippingInline(md), "inline", priority)
    return True


def take_plain_paragraphs(md: Markdown) -> bool:
    """Install the quick block loop if `md`'s block processors are the known ones; say whether it was."""
    if not exactly(md.parser.blockprocessors, BLOCK_PROCESSORS) or type(md.parser) is not BlockParser:
        return False
    md.parser.parseBlocks = types.MethodType(parse_blocks_taking_plain_paragraphs, md.parser)  # type: ignore[method-assign]
    return True


def skip_idle_preprocessors(md: Markdown) -> bool:
    """Wrap the raw-HTML and fenced-code preprocessors (see SkippingPreprocessor) if `md`'s
    preprocessors are the known ones; say whether they were."""
    registry = md.preprocessors
    if not exactly(registry, PREPROCESSORS) or any(
        type(registry[name]) is not kind for name, (kind, _) in SKIPPABLE_PREPROCESSORS.items()
    ):
        return False
    for item in list(registry._priority):
        if item.name in SKIPPABLE_PREPROCESSORS:
            triggers = SKIPPABLE_PREPROCESSORS[item.name][1]
            registry.register(SkippingPreprocessor(md, registry[item.name], triggers), item.name, item.priority)
    return True


def exactly(registry, names: frozenset[str]) -> bool:
    return len(registry) == len(names) and all(name in registry for name in names)
