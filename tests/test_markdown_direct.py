"""The direct path for everyday Markdown bodies (generator.markdown_direct) writes what stock
Python-Markdown writes, or declines.

Bodies are built from the everyday shapes, most with one near-miss put in (a character, a construct,
a block's start, a line's end), so that both the direct path and its refusals are exercised;
`TIMELINE_FUZZ=1` runs 20,000 examples. A table test also puts every near-miss at every place of
each shape, which the drawn examples reach only now and then.
"""

from __future__ import annotations

from pathlib import Path

import markdown
from hypothesis import event, given, settings
from hypothesis import strategies as st

from generator.markdown_direct import as_cleaned, direct_html, fits
from generator.parse import split_front_matter
from tests.test_properties import RENDERER  # importing it also loads the ci or fuzz profile

EXTENSIONS = ["extra", "sane_lists"]
WORDS = [
    "word", "Word", "two words", "سجن", "«الصناعة»", "2022", "3", "1.5", "end.", "a,", "(SDF)", "(", ")", "it's",
    '"said"', "—", "x > y", "50%", "#1", "ok!", "?", "é", "٣", "a-b", ":", ";", "^", "/", "$", "@", "...", "'",
]
URLS = ["https://example.org", "https://x.org/a/b?c=1#d", "http://a.b/%20", "https://x.org/a-b.c~d:e@f!g$h+i,j;k=l"]
# Each piece of an everyday line drawn at once (one draw is faster than building it from parts).
PIECES = [
    *WORDS, *WORDS, *WORDS, *(f"**{word}**" for word in WORDS), *(f"*{word}*" for word in WORDS),
    *(f"(*{word}*)" for word in WORDS),
    *(f"**{word} {other}**" for word, other in zip(WORDS, reversed(WORDS), strict=True)),
    *(f"[{word}]({URLS[number % len(URLS)]})" for number, word in enumerate(WORDS)),
]

# Near-misses, a kind drawn as often as another: one character that means something to Markdown or
# its serializer; whitespace Markdown changes; a construct the direct path does not write (or
# writes only in other surroundings); a link to another address; what starts another kind of
# block (put at a line's start); what changes a line from its end.
SYNTAX = [*"\\`<>&_{}|~*[]()!#=+-:^\"."]
WHITESPACE = [
    "\t", "\r", "\n", " ", "  ", "\u00a0", "\u2028", "\x85", "\x1c", "\x0c", "\x02", "\x00", "\ufeff", "\u3000",
    "  \n", " \n", "\r\n", "\n\n", "\n \n", "\n\t\n",
]
CONSTRUCTS = [
    "\\.", "\\\\", "\\*", "`a`", "<b>a</b>", "<https://x.org>", "&amp;", "_a_", "__a__", "*a*{.c}", "[a](https://x.org){.c}",
    "\n~~~\na\n~~~\n", "![a](https://x.org/i.png)", "***a***", "*a**", "**a*", "*a**b*", "*a*b*c*", "*a**b**c*",
    "* a*", "*a *", "a*b*", "*a*b", "(*a*)", '"**a**"', "*a*)", "*a*[b](https://x.org)", "*a\nb*", "[a]", "[a](",
    "[^a](https://x.org)", "[](https://x.org)", "[*a*](https://x.org)", "*[a](https://x.org)*", "[a][b]",
    "[ a ](https://x.org)", "[a\nb](https://x.org)", "[a [b]](https://x.org)",
]
BLOCK_STARTS = [
    "# ", "1. ", "2022. ", "3) ", "٣. ", "- ", "  - ", "    ", " ", "---\n", "- - -\n", "***\n", "* ", "+ ", ">",
    "> ", " > ", "===\n", ": ", "[x]: https://x.org\n", "[^1]: note\n", "*[A]: b\n", "| a | b |\n| - | - |\n",
    "a | b\n--- | ---\n", "~~~\n", "~~~\na\n~~~\n", "- > ", "> - ", "- 1. ", "- # ", "> # ", "- * ", "> + ",
]
LINE_ENDS = [
    "  ", " ", "\\", "\n===", "\n---", "\n=", "\n-", " {: .c}", "\n{: .c}", "{.c}", "\n: a", "\n    a", "\n\n    a",
    " |\n|-|-|", " #", ":", "*", "**", "\n- a", "\n\n- a", "\n> a", "\n\n> a", "\n* a", "\n1. a", "\n\n1. a",
]
ODD_URLS = [
    "https://x.org/(a)", "https://x.org/(a", "https://x.org/a b", 'https://x.org "title"', "https://x.org 'title'",
    "ftp://x.org", "javascript:alert(1)", "/relative", "", "https://", "https://x.org/a_b", "https://x.org/?a=1&b=2",
    "<https://x.org>", "https://x.org)", "https://x.org/*a*", "https://سجن.org", " https://x.org", "https://x.org/>",
]

text_line = st.builds(lambda pieces, gap: gap.join(pieces), st.lists(st.sampled_from(PIECES), min_size=1, max_size=4),
                      st.sampled_from([*" " * 7, ""]))
lines = st.lists(text_line, min_size=1, max_size=3)
paragraph = lines.map("\n".join)
block = st.one_of(paragraph, paragraph, paragraph, lines.map(lambda items: "\n".join(f"- {item}" for item in items)),
                  lines.map(lambda items: "\n".join(f"> {item}" for item in items)))
odd = st.one_of(
    st.sampled_from(SYNTAX), st.sampled_from(WHITESPACE), st.sampled_from(CONSTRUCTS), st.text(max_size=3),
    st.builds("[{}]({})".format, st.sampled_from(WORDS), st.sampled_from(ODD_URLS)),
)
block_start = st.builds("{}{}".format, st.sampled_from(["", "", "\n"]), st.sampled_from(BLOCK_STARTS))
line_end = st.sampled_from(LINE_ENDS)


@st.composite
def everyday_bodies(draw) -> str:
    """Blocks separated by blank lines; in most bodies, a character deleted, a near-miss put in
    anywhere, another block's start put at a line's start or something put at a line's end; now
    and then two of these (hypothesis then shrinks a failure to the one that matters)."""
    body = "\n\n".join(draw(st.lists(block, min_size=1, max_size=3)))
    for _ in range(draw(st.sampled_from([0, 0, 1, 1, 1, 1, 1, 2]))):
        change = draw(st.integers(0, 5))
        if change == 0:
            where = draw(st.integers(0, len(body)))
            body = body[:where] + body[where + 1:]
        elif change in (1, 2):
            breaks = [index for index, character in enumerate(body) if character == "\n"]
            if change == 1:
                where = draw(st.sampled_from([0, *(index + 1 for index in breaks)]))
            else:
                where = draw(st.sampled_from([*breaks, len(body)]))
            body = body[:where] + draw(block_start if change == 1 else line_end) + body[where:]
        else:
            where = draw(st.integers(0, len(body)))
            body = body[:where] + draw(odd) + body[where:]
    return draw(st.sampled_from(["", "", "\n", "\n\n"])) + body + draw(st.sampled_from(["", "\n", "\n", "\n\n"]))


def stock_html(body: str) -> str:
    return markdown.Markdown(extensions=EXTENSIONS, output_format="html").convert(body)


@settings(max_examples=max(settings().max_examples, 1_500))  # about a third takes the direct path
@given(everyday_bodies())
def test_direct_html_is_what_python_markdown_writes(body: str) -> None:
    direct = direct_html(body)
    event("direct" if direct is not None else "declined")  # the shares: --hypothesis-show-statistics
    if direct is not None:
        assert direct == stock_html(body)
        assert as_cleaned(direct) in (None, RENDERER._cleaner.clean(direct))


# Every shape once, to put each near-miss into at every place.
SURROUNDINGS = [
    "Plain *em* a **b**, [l](https://x.org) x > y\nnext (*c*) end",
    "A\n\n- item *a*\n- [l](https://x.org)\n\n> said **b**\n> more\n\nz",
    # and without a link, which as_cleaned leaves to the cleaner
    "Plain *em* a **b**, x > y\nnext (*c*) end\n\n- item *a*\n- b\n\n> said **b**\n> more",
]


def test_every_near_miss_anywhere_in_every_shape_is_declined_or_written_as_python_markdown_writes() -> None:
    """Each near-miss the strategy above draws only now and then, at every place of each shape."""
    near_misses = [*SYNTAX, *WHITESPACE, *CONSTRUCTS, *BLOCK_STARTS, *LINE_ENDS, *(f"[a]({url})" for url in ODD_URLS)]
    for surroundings in SURROUNDINGS:
        for where in range(len(surroundings) + 1):
            for near_miss in near_misses:
                body = surroundings[:where] + near_miss + surroundings[where:]
                direct = direct_html(body)
                assert direct is None or direct == stock_html(body), body
                assert direct is None or as_cleaned(direct) in (None, RENDERER._cleaner.clean(direct)), body


def test_the_renderer_takes_the_direct_path_with_the_installed_python_markdown() -> None:
    # Else every body pays for Python-Markdown again (about 0.36 ms each, 2,000 in a 1,000-event build).
    assert RENDERER.direct_path


def test_the_direct_path_is_only_for_the_markdown_it_was_written_for() -> None:
    assert fits(markdown.Markdown(extensions=EXTENSIONS, output_format="html"))
    assert not fits(markdown.Markdown(extensions=[*EXTENSIONS, "smarty"], output_format="html"))
    assert not fits(markdown.Markdown(extensions=["extra"], output_format="html"))
    assert not fits(markdown.Markdown(extensions=EXTENSIONS, output_format="html", tab_length=2))


def test_everyday_bodies_take_the_direct_path() -> None:
    """Every event body of the site and the fixtures but a few (inline HTML, an entity, headings)
    takes the direct path, and gets what Python-Markdown writes, cleaned alike."""
    repository = Path(__file__).resolve().parent.parent
    bodies = [
        split_front_matter(path.read_text(encoding="utf-8"), str(path)).body
        for path in [*(repository / "content").rglob("*.md"), *(repository / "tests/fixtures").rglob("events/*.md")]
    ]
    direct = [body for body in bodies if direct_html(body) is not None]
    assert len(bodies) > 200 and len(direct) >= 0.85 * len(bodies)
    for body in direct:
        assert as_cleaned(direct_html(body)) is not None  # no links in them: nothing left to the cleaner
        assert direct_html(body) == stock_html(body)
        assert RENDERER.render(body) == RENDERER._cleaner.clean(stock_html(body))
