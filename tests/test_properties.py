"""Property tests: any text given to the front-matter, YAML, Markdown and date parsers gives a value or
the project's own error (ParseError, DateSyntaxError, ContentFileError), never another exception.

CI runs a fixed (derandomised) set of examples; `TIMELINE_FUZZ=1 pytest tests/test_properties.py`
explores at random for much longer (the profiles are in conftest.py).
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import markupsafe
import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.dates import DateSyntaxError, EventDate, check_zone, parse_event_date, parse_point, with_end
from generator.load import ContentFileError, read_regular_text, read_text
from generator.parse import MarkdownRenderer, ParsedFile, ParseError, load_yaml_mapping, parse_markdown_file
from tests.test_hardening_injection import executable_parts

PATH = "content/events/2022-01-20-x.en.md"
# YAML 1.1 also breaks lines at these; files reach the parser with \r gone (load.read_text), the others
# stay, and lines past them are counted as YAML counts them.
YAML_LINE_BREAKS = ("\n", "\r", "\x85", "\u2028", "\u2029")
RENDERER = MarkdownRenderer()

# Pieces that YAML, front matter and Markdown treat specially; joined at random they reach the error paths.
YAML_PIECES = [
    "title", "date", "tags", "figures", ":", ": ", " ", "  ", "\t", "\n", "\r", "- ", "[", "]", "{", "}", ",",
    "'", '"', "#", "|", ">", "?", "? ", "---", "...", "%YAML 1.2", "%TAG ! tag:x,2000:", "&a ", "*a", "<<: ",
    "!!python/object/apply:os.system ", "!!binary ", "!!set ", "!!omap ", "!!float ", "!!int ", "!local ",
    "2022-01-20", "2022-02-30", "12:30", "~", "null", "true", "no", "0x1F", "0o17", "1e400", "-.inf", ".nan",
    "9" * 5000, "\x00", "\x07", "\ufeff", "\u2028", "\ud7ff", "é", "سجن", "\\", "\\x", "@", "`", "%",
]
yaml_like = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=5)), max_size=40).map("".join)
# YAML 1.1 reads NEL and the Unicode line and paragraph separators as line breaks, and PyYAML's writer
# does not keep them in plain keys: left out of data that is written out and read back.
yaml_text = st.text(st.characters(exclude_characters="\x85\u2028\u2029", exclude_categories=["Cs"]), max_size=20)
plain_data = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | yaml_text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(yaml_text, inner, max_size=4),
    max_leaves=12,
)
front_matter_files = st.one_of(
    st.text(),
    st.builds(lambda front, body: f"---\n{front}\n---\n{body}", yaml_like, st.text(max_size=50)),
    st.builds(lambda front: f"---\n{front}---\nBody.\n",
              st.dictionaries(yaml_text, plain_data, max_size=5).map(yaml.safe_dump)),
)

HTML_PIECES = [
    "<script>", "</script>", "<img src=x onerror=alert(1)>", "<a href='javascript:alert(1)'>", "</a>",
    "<a href=\"java&#9;script:x\">", "<svg onload=alert(1)>", "<iframe src=//x>", "<style>", "<!--", "-->",
    "<![CDATA[", "]]>", "<math>", "<object data=x>", "<base href=//x>", "<form action=javascript:x>",
    "<meta http-equiv=refresh content='0;url=javascript:x'>", "<div style='background:url(javascript:x)'>",
    "[x](javascript:alert(1))", "![x](data:text/html,x)", "<javascript:alert(1)>", "[r]", "\n[r]: vbscript:x\n",
    "<", ">", "&", "&#", "\"", "'", "`", "```", "\n\n", "\n", "    ", "* ", "> ", "# ", "|", "---", "<p", "=",
    " on", "click=", "href=", "src=", "javascript:", "data:", "vbscript:", "alert(1)", "<bdi>", "<time datetime=x>",
]
markdown_like = st.lists(st.one_of(st.sampled_from(HTML_PIECES), st.text(max_size=4)), max_size=40).map("".join)
MARKDOWN_PIECES = [
    "*", "**", "_", "__", "`", "\\", "[", "]", "(", ")", "![", "[^1]", "\n[^1]: note\n", "*[HTML]: x\n", "&amp;",
    "&", "<", ">", "<b>", "</b>", "<https://x.org>", "<a@b.org>", "  \n", " \n", "\n", "\n\n", "    ", "\t",
    "- ", "1. ", "> ", "# ", "|", " | ", "\n---\n", "```\n", "~~~\n", "{: #x }", ": ", "\n[x]: https://x.org\n",
    "word", "كلمة", "«سجن الصناعة»", " 2022", "‏", "\u202b",
    "=", "\n===\n", "\n| --- | --- |\n", "&#65 ", "+ ", "* ", "\n* * *\n", "___", "3) ", "\n: term\n", "#",
    "\u00a0", "\x02", '<div markdown="1">\n', "</div>\n", "\n\n", "\n", "word",
]
markdown_syntax = st.lists(st.one_of(st.sampled_from(MARKDOWN_PIECES), st.text(max_size=3)), max_size=30).map("".join)

# Front matter in and around the shapes yaml_quick reads itself: one key per line, words, quotes,
# [lists] and "- {k: v}" items, with, now and then, what makes YAML read a line differently.
EVERYDAY_VALUES = [
    "word", "two words", "سجن الصناعة", "é", "2022-01-20", "3", "1.5", "yes", "~", "null", '"quoted: text"',
    "'it''s'", "[a, b]", "[]", '[a, "b c"]', "[3, yes, ~]", "12:30", "0x1F", ".inf", "a#b", "a [b] c", "a, b",
    '"a\\tb"', "-3", "- word", "word\x85",
]
VALUE_PIECES = [
    "-3", "+3", "0x_", "0o17", "0b1", "1_000", "1e400", "1.5e3", "-.inf", ".nan", "Null", "No", "on", "OFF",
    "true", "y", "=", "<<", "#", " #", ": ", ":", "'", "''", '"', "\\", "\\n", "[", "]", "{", "}", ",", ", ",
    " ", "  ", "&a ", "*a", "!x ", "!!int ", "|", ">", "?", "? ", "-", "- ", "%", "@", "`", "\t", "\u2028",
    "\x85", "\ufeff", "\x07", "k: v", "{k: v}", "...", "---",
]


def mostly(common: st.SearchStrategy, rare: st.SearchStrategy) -> st.SearchStrategy:
    """`common` nine times in ten (st.one_of draws each of its strategies as often)."""
    return st.integers(0, 9).flatmap(lambda number: rare if number == 0 else common)


yaml_value = st.one_of(
    st.sampled_from(EVERYDAY_VALUES),
    st.lists(st.sampled_from(EVERYDAY_VALUES) | st.sampled_from(VALUE_PIECES), min_size=2, max_size=3).map("".join),
    st.lists(st.sampled_from(EVERYDAY_VALUES) | st.text(max_size=2), min_size=2, max_size=3).map("".join),
)
yaml_key = mostly(st.sampled_from(["title", "date", "tags", "figures", "as_of", "value", "end", "order"]),
                  st.sampled_from(["yes", "on", "Null", "1a", "_k", "a-b", "x" * 70, ""]) | st.text(max_size=3))
flow_mapping = st.builds("{{{}}}{}".format, st.lists(st.tuples(yaml_key, yaml_value).map(": ".join), max_size=3)
                         .map(", ".join), mostly(st.just(""), st.sampled_from(["}", " x", ",", " #"])))


@st.composite
def simple_front_matter(draw) -> str:
    """Lines of `key: value`, or `key:` and `- item` lines; now and then an odd line among them."""
    lines = []
    for key in draw(st.lists(yaml_key, min_size=1, max_size=5, unique=True)):
        if draw(st.booleans()):
            gap = draw(st.sampled_from([" ", " ", "  ", "", "\t"]))
            lines.append(f"{key}:{gap}{draw(yaml_value)}")
        else:
            indent = draw(st.sampled_from(["  ", "  ", "", " ", "    "]))
            items = draw(st.lists(st.one_of(flow_mapping, flow_mapping, yaml_value), max_size=3))
            lines += [f"{key}:", *(f"{indent}- {item}" for item in items)]
    if draw(st.integers(0, 3)) == 0:
        odd = ["", " ", "# note", "---", "...", "  x", "title: word", "- word", "    - word", " - {k: v}",
               "quote: 'a'b'"]
        lines.insert(draw(st.integers(0, len(lines))), draw(st.sampled_from(odd)))
    return "\n".join(lines)


DATE_LIKE = (r"\A(\.\.|-?[0-9]{1,5}(-[0-9]{1,2}(-[0-9]{1,2}([T ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?"
             r"(Z|[+-][0-9]{1,2}(:?[0-9]{2})?)?)?)?)?[~?%]?)?(/(\.\.|[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?[~?%]?)?)?\Z")
date_values = st.one_of(
    st.text(),
    st.from_regex(DATE_LIKE),
    st.from_regex(r"\A[0-9]{4}(-[0-9]{2}(-[0-9]{2}(T[0-9]{2}:[0-9]{2}([+-][0-9]{2}:[0-9]{2}|Z)?)?)?)?[~?%]?\Z"),
    plain_data,
)


@given(front_matter_files)
def test_front_matter_gives_a_document_or_a_located_parse_error(text: str) -> None:
    try:
        parsed = parse_markdown_file(PATH, "events/2022-01-20-x.en.md", text, RENDERER)
    except ParseError as error:
        assert error.problem.path == PATH
        breaks = sum(text.count(mark) for mark in YAML_LINE_BREAKS)
        assert error.problem.line is None or 1 <= error.problem.line <= breaks + 2
        assert error.problem.message
    else:
        assert isinstance(parsed, ParsedFile) and isinstance(parsed.front.values, dict)
        assert all(isinstance(key, str) for key in parsed.front.values)


@given(st.one_of(st.text(), yaml_like))
def test_yaml_gives_a_mapping_or_a_located_parse_error(text: str) -> None:
    try:
        data = load_yaml_mapping(text, "content/sources.yaml")
    except ParseError as error:
        assert error.problem.path == "content/sources.yaml" and error.problem.line is not None
    else:
        assert isinstance(data.values, dict)
        assert all(isinstance(key, str) and isinstance(line, int) for key, line in data.lines.items())


@given(st.dictionaries(yaml_text, plain_data, max_size=6))
def test_plain_data_written_as_yaml_reads_back_the_same(data: dict) -> None:
    """Any plain mapping (what editors write) loads; nothing valid is refused or changed."""
    text = yaml.safe_dump(data, allow_unicode=True)
    try:
        loaded = load_yaml_mapping(text, "f").values
    except ParseError as error:  # only keys that are not text may be refused
        assert "is not text" in error.problem.message
    else:
        assert yaml.safe_dump(loaded, allow_unicode=True) == text  # NaN != NaN, so compare the text


@given(markdown_like)
def test_no_markdown_body_renders_anything_executable(body: str) -> None:
    html = RENDERER.render(body)
    assert list(executable_parts(BeautifulSoup(html, "html.parser"))) == []


def test_markdown_skips_plain_text_with_the_installed_python_markdown() -> None:
    # Else every body pays for fifteen inline patterns again (half of Markdown's time for prose),
    # every paragraph for sixteen block processors' tests, every body for an HTML parser's pass.
    assert RENDERER.quick_inline and RENDERER.quick_blocks and RENDERER.quick_preprocessors


def test_the_extensions_made_directly_are_what_extra_and_sane_lists_by_name_install() -> None:
    import markdown

    from generator.markdown_quick import extensions

    def stages(md: markdown.Markdown) -> list:
        names = ("preprocessors", "inlinePatterns", "treeprocessors", "postprocessors")
        return [[(type(item).__name__, entry.name, entry.priority) for item, entry in zip(getattr(md, name),
                 getattr(md, name)._priority, strict=True)] for name in names] + [
                [type(item).__name__ for item in md.parser.blockprocessors]]

    by_name = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    assert stages(markdown.Markdown(extensions=extensions(), output_format="html")) == stages(by_name)


@given(markdown_syntax)
def test_skipping_plain_text_renders_every_body_as_stock_python_markdown_does(body: str) -> None:
    import markdown

    stock = markdown.Markdown(extensions=["extra", "sane_lists"], output_format="html")
    assert RENDERER._markdown.reset().convert(body) == stock.convert(body)


@settings(max_examples=max(settings().max_examples, 1_500))  # about one in seven takes the quick way
@given(simple_front_matter())
def test_front_matter_read_directly_is_what_the_yaml_reader_reads(text: str) -> None:
    from generator import parse

    quick = parse.read_simple_mapping(text)
    if quick is None:
        return
    with mock.patch.object(parse, "read_simple_mapping", lambda text: None):
        full = parse.load_yaml_mapping(text, "f", 1)  # a ParseError here fails the test: quick read it
    values, lines = quick
    assert repr(values) == repr(full.values)  # repr: 1, 1.0 and True differ, and NaN is itself
    assert {key: 1 + line for key, line in lines.items()} == full.lines


def test_everyday_front_matter_is_read_directly() -> None:
    """Every event file of the site and the fixtures but a few (a comment, a multi-line value) takes
    the quick way, and gets what the YAML reader gives."""
    from generator import parse

    fronts = []
    repository = Path(__file__).resolve().parent.parent
    for path in [*(repository / "content").rglob("*.md"), *(repository / "tests/fixtures").rglob("events/*.md")]:
        lines = path.read_text(encoding="utf-8").split("\n")
        closing = next((number for number, line in enumerate(lines[1:], 1) if line.rstrip() == "---"), None)
        if lines[0] == "---" and closing is not None:
            fronts.append("\n".join(lines[1:closing]))
    quick = [text for text in fronts if parse.read_simple_mapping(text) is not None]
    assert len(fronts) > 200 and len(quick) >= 0.9 * len(fronts)
    for text in quick:
        values, _ = parse.read_simple_mapping(text)
        with mock.patch.object(parse, "read_simple_mapping", lambda text: None):
            assert repr(values) == repr(parse.load_yaml_mapping(text, "f", 1).values)


class _Html:
    def __html__(self) -> str:
        return "<b>made safe</b>"


@given(st.one_of(st.text(), st.text().map(markupsafe.Markup), st.integers(), st.none(), st.floats(allow_nan=False),
                 st.just(_Html())))
def test_the_quick_escape_gives_what_markupsafe_escape_gives(value: object) -> None:
    from generator.templating import quick_escape

    quick, stock = quick_escape(value), markupsafe.escape(value)
    assert type(quick) is markupsafe.Markup and quick == stock


def test_templates_escape_their_output_with_the_quick_escape(tmp_path: Path) -> None:
    from generator.templating import make_environment, quick_escape

    (tmp_path / "page.html").write_text("<p>{{ text }}</p>", "utf-8")
    template = make_environment(tmp_path).get_template("page.html")
    assert template.root_render_func.__globals__["escape"] is quick_escape
    assert template.render(text="<a & 'b'>") == "<p>&lt;a &amp; &#39;b&#39;&gt;</p>"


MACROS = """{% macro plain(e) %}[{{ e }}]{% endmacro %}
{% macro defaults(a, b=2, c='<c>') %}{{ a }}{{ b }}{{ c }}{% endmacro %}
{% macro calls() %}({{ caller() }}){% endmacro %}
{% macro loose(a) %}{{ a }}{{ varargs | join }}{{ kwargs | dictsort | join }}{% endmacro %}"""
CALLS = [
    "{{ m.plain('<x>') }}", "{% for i in [1, 2] %}{{ m.plain(i) }}{% endfor %}", "{{ m.defaults(1) }}",
    "{{ m.defaults(1, c=3) }}", "{{ m.defaults(a=1, b=none) }}", "{{ m.defaults(c=1) }}", "{{ m.defaults() }}",
    "{% call m.calls() %}in{% endcall %}", "{{ m.calls() }}", "{{ m.loose(1, 2, 3, k=4) }}", "{{ m.plain(1, 2) }}",
    "{{ m.plain(e=1) }}", "{{ m.plain(1, e=2) }}", "{{ m.plain(1, f=2) }}", "{{ m.defaults(1, caller=2) }}",
    "{{ pick(obj=1) }}", "{{ stop() }}", "{{ ask() }}", "{{ '%s-%s' | format(1, 2) }}", "{{ ''.join(['a', 'b']) }}",
    "{{ range(3) | list }}", "{{ helper.method(1) }}",
]


@pytest.mark.parametrize("call", CALLS)
def test_quick_calls_give_what_jinja_own_calls_give(tmp_path: Path, call: str) -> None:
    """QuickCallContext takes a macro's plain calls and a context-free function's calls directly;
    every other call, and every error, must come out as Jinja's own Context.call makes it."""
    from jinja2 import pass_context
    from jinja2.runtime import Context

    from generator.templating import make_environment

    (tmp_path / "macros.html").write_text(MACROS, "utf-8")
    (tmp_path / "page.html").write_text('{% import "macros.html" as m %}' + call, "utf-8")

    class Helper:
        def method(self, value: int) -> str:
            return f"<{value}>"

    def stop() -> None:
        raise StopIteration

    names = {"pick": lambda obj: obj, "stop": stop, "ask": pass_context(lambda context: context.name),
             "helper": Helper()}
    results = []
    for context_class in (None, Context):
        environment = make_environment(tmp_path)
        if context_class is not None:
            environment.context_class = context_class
        try:
            results.append(environment.get_template("page.html").render(names))
        except Exception as error:  # the same kind of error, saying the same
            results.append(f"{type(error).__name__}: {error}")
    assert results[0] == results[1]
    assert make_environment(tmp_path).context_class is not Context  # the quick one is in use


@given(date_values)
def test_dates_give_a_usable_value_or_a_date_syntax_error(value: object) -> None:
    try:
        when = parse_event_date(value)
    except DateSyntaxError as error:
        assert str(error)
        return
    assert isinstance(when, EventDate)
    for point in (when.start, when.end):
        if point is not None:
            for zone in ("Asia/Damascus", "UTC", "Pacific/Kiritimati", "Etc/GMT+12"):
                point.instant(zone), point.machine_value(zone)  # no overflow, at any offset
            assert parse_point(point.as_edtf()) == point  # written back, it reads the same


@given(date_values, date_values)
def test_an_end_gives_a_period_or_a_date_syntax_error(date: object, end: object) -> None:
    try:
        when = with_end(parse_event_date(date), end)
    except DateSyntaxError:
        return
    assert when.is_period


@given(st.text())
def test_any_time_zone_name_is_known_or_a_date_syntax_error(name: str) -> None:
    try:
        check_zone(name)
    except DateSyntaxError as error:
        assert "unknown time zone" in str(error)


@given(st.binary(max_size=300) | st.lists(st.sampled_from([b"\xef\xbb\xbf", b"\r\n", b"\r", "سجن".encode(), b"\xff",
                                                          b"a"]), max_size=8).map(b"".join))
def test_any_bytes_read_as_text_or_a_content_file_error(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.en.md"
        path.write_bytes(data)
        try:
            text = read_text(path, Path(folder))
        except ContentFileError as error:
            assert error.message and (error.line is None or error.line >= 1)
        else:
            # One byte-order mark is dropped (editors write one); a second would be the text's own.
            assert "\r" not in text and (not text.startswith("\ufeff") or data.startswith(b"\xef\xbb\xbf" * 2))
        quick = _text_or_error(lambda: read_regular_text(str(path), Path(folder))[0])
        assert quick == _text_or_error(lambda: read_text(path, Path(folder)))
        if isinstance(quick, str):  # read in three calls: the stamp is the file's, as a scan would see it
            status, stamp = path.stat(), read_regular_text(str(path), Path(folder))[1]
            assert stamp in ((status.st_mtime_ns, len(data), status.st_ino), None)


def _text_or_error(read: Callable[[], str]) -> object:
    try:
        return read()
    except ContentFileError as error:
        return error.message, error.line
