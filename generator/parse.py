"""Parse stage: YAML (safe, with line numbers) and Markdown documents.

YAML is read with libyaml's C loader when present. Timestamps are not resolved
(dates stay text for our own date parser), aliases are refused (no alias bombs),
and only plain data can be constructed (safe loading, and no explicit tags at all).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import nh3
import yaml

from generator.markdown_direct import as_cleaned, direct_html
from generator.problems import Problem
from generator.yaml_quick import simple_mapping_reader

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _PlainLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader reading only text, numbers, true/false and null: timestamps stay text, and so do
    YAML 1.1's `<<` and `=` (merge and value keys)."""


_IMPLICIT_TAGS = {f"tag:yaml.org,2002:{kind}" for kind in ("null", "bool", "int", "float")}
_PlainLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag in _IMPLICIT_TAGS]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

_TEXT_TAG = "tag:yaml.org,2002:str"
_NUMBER_TAGS = {"tag:yaml.org,2002:int": "construct_yaml_int", "tag:yaml.org,2002:float": "construct_yaml_float"}
_COLLECTION_TAGS = {yaml.MappingNode: "tag:yaml.org,2002:map", yaml.SequenceNode: "tag:yaml.org,2002:seq"}
read_simple_mapping = simple_mapping_reader(_PlainLoader.yaml_implicit_resolvers)
MAX_NODES = 10_000  # far above any real front matter; bounds hostile input
# Python-Markdown scans from every '[', '<' and '`' to the end of its paragraph (its issue #798), so
# openers x paragraph length bounds its time: real bodies stay under 3,000; this limit runs in about 0.5 s.
MAX_MARKUP_WORK = 1_000_000


@dataclass(frozen=True)
class YamlData:
    """A YAML mapping with the 1-based line of each key (`figures.0` for list items)."""

    values: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def line(self, key: str, default: int | None = None) -> int | None:
        return self.lines.get(key, default)


@dataclass(frozen=True)
class Document:
    """A content file split into front matter and Markdown body."""

    path: str
    front: YamlData
    body: str
    body_line: int


class ParseError(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(str(problem))


def load_yaml_mapping(text: str, path: str, first_line: int = 1, *, what: str = "file") -> YamlData:
    """Load YAML text that must be a mapping; raise ParseError with a line on failure."""
    simple = read_simple_mapping(text)
    if simple is not None:  # the everyday shapes, read directly (see yaml_quick); the same result
        values, lines = simple
        return YamlData(values, {key: first_line + line for key, line in lines.items()})
    try:
        loader = _PlainLoader(text)
    except UnicodeEncodeError:  # lone surrogates: text decoded from a UTF-8 file never has them
        raise ParseError(Problem(path, first_line, "the text is not valid Unicode", "save it as UTF-8")) from None
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlData({})
        # Every explicit YAML tag is written with '!': without one, no value needs its tag checked.
        _check_nodes(node, path, first_line, loader if "!" in text else None)
        if not isinstance(node, yaml.MappingNode):
            raise ParseError(
                Problem(
                    path,
                    first_line + node.start_mark.line,
                    f"the {what} is not a mapping of 'key: value' lines",
                    "write one 'field: value' per line",
                )
            )
        values = loader.construct_document(node)
    except yaml.YAMLError as error:
        raise ParseError(_yaml_problem(error, text, path, first_line)) from None
    except ValueError:  # a plain value that reads as a number but does not convert: '0x_', 5,000 digits
        raise ParseError(_number_problem(node, loader, path, first_line)) from None
    finally:
        loader.dispose()
    return YamlData(values, _key_lines(node, first_line))


def split_front_matter(text: str, path: str) -> Document:
    """Split `---` front matter from the body; raise ParseError if it is not there."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        raise ParseError(
            Problem(
                path,
                1,
                "no front matter: the file must start with a line '---'",
                "add '---', the fields, and another '---' before the text",
            )
        )
    for index in range(1, len(lines)):
        if lines[index].rstrip() == "---":
            front_text = "\n".join(lines[1:index])
            front = load_yaml_mapping(front_text, path, 2, what="front matter")
            return Document(path, front, "\n".join(lines[index + 1 :]), index + 2)
    raise ParseError(Problem(path, 1, "the front matter is not closed", "add a line '---' after the last field"))


_ALLOWED_TAGS = nh3.ALLOWED_TAGS | {"bdi", "bdo", "figure", "figcaption", "mark", "time"}
_ALLOWED_ATTRIBUTES = {
    **{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
    "bdo": {"dir"},
    "bdi": {"dir"},
    "time": {"datetime"},
    "p": {"dir"},
    "span": {"dir", "lang"},
}


class MarkdownRenderer:
    """Markdown to sanitised HTML. One instance per process (Python-Markdown is not thread-safe)."""

    def __init__(self) -> None:
        import markdown  # here, not on top: a build whose files are all cached never loads it

        from generator.markdown_direct import fits
        from generator.markdown_quick import extensions, skip_idle_preprocessors, skip_plain_text, take_plain_paragraphs

        self._markdown = markdown.Markdown(extensions=extensions(), output_format="html")
        # Asked before markdown_quick puts its own stages in: `fits` knows the stock ones.
        self.direct_path = fits(self._markdown)
        self.quick_inline = skip_plain_text(self._markdown)
        self.quick_blocks = take_plain_paragraphs(self._markdown)
        self.quick_preprocessors = skip_idle_preprocessors(self._markdown)
        # Raw HTML in bodies passes through ammonia's allow-list; links are http(s)/mailto only.
        # One cleaner for all bodies: passing the lists on each call cost twice the cleaning itself.
        self._cleaner = nh3.Cleaner(
            tags=_ALLOWED_TAGS,
            attributes=_ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener noreferrer",
        )

    def render(self, body: str) -> str:
        html = direct_html(body) if self.direct_path else None  # the everyday shapes, see markdown_direct
        if html is None:
            html = self._markdown.reset().convert(body)
        elif (cleaned := as_cleaned(html)) is not None:  # what the cleaner would write
            return cleaned
        return self._cleaner.clean(html)


def _check_nodes(root: yaml.Node, path: str, first_line: int, loader: yaml.BaseResolver | None) -> None:
    """Refuse aliases (the composer turns them into shared nodes), explicit tags (checked with
    `loader`'s resolver; None when the text has none) and oversized documents."""
    seen: set[int] = set()
    stack: list[tuple[yaml.Node, int]] = [(root, root.start_mark.line)]
    while stack:
        node, line = stack.pop()  # `line`: where the node is used (an alias shares its anchor's marks)
        if id(node) in seen:
            raise ParseError(Problem(path, first_line + line,
                                     "YAML anchors and aliases (&name / *name) are not allowed",
                                     "write the value out in full"))
        seen.add(id(node))
        # PyYAML's readers of !!int, !!float, !!bool... crash
        if loader is not None and node.tag != _implicit_tag(node, loader):
            raise ParseError(Problem(path, first_line + line, "YAML tags that construct objects or change a"
                                     " value's type (!!python/…, !!int, !name) are not allowed",
                                     "write plain text, numbers, lists and mappings; quote text that looks"
                                     " like a number"))
        if len(seen) > MAX_NODES:
            raise ParseError(Problem(path, first_line, "the YAML is too large or too deeply nested",
                                     "keep front matter to plain fields"))
        if isinstance(node, yaml.MappingNode):
            _check_keys(node, path, first_line)
            # Pushed in reverse so nodes are visited in document order: the second use is the alias.
            for key, value in reversed(node.value):
                stack.extend(((value, key.start_mark.line), (key, key.start_mark.line)))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((item, item.start_mark.line) for item in reversed(node.value))


def _implicit_tag(node: yaml.Node, loader: yaml.BaseResolver) -> str:
    """The tag the node would have without an explicit one (quoted and block text is always text)."""
    if isinstance(node, yaml.ScalarNode):
        plain = not node.style  # None from PyYAML's composer, '' from libyaml's
        return loader.resolve(yaml.ScalarNode, node.value, (plain, not plain))
    return _COLLECTION_TAGS[type(node)]


def _number_problem(root: yaml.Node, loader: yaml.BaseConstructor, path: str, first_line: int) -> Problem:
    """Where the plain value that looked like a number but did not convert is (PyYAML does not say)."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.MappingNode):
            stack.extend(part for pair in node.value for part in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif node.tag in _NUMBER_TAGS:
            try:
                getattr(loader, _NUMBER_TAGS[node.tag])(node)
            except ValueError:
                return Problem(path, first_line + node.start_mark.line,
                               f"'{node.value[:20]}' looks like a number but cannot be read as one",
                               "write it in quotes, as text")
    return Problem(path, first_line, "a value looks like a number but cannot be read as one", "quote it")


def _check_markup_work(body: str, path: str, body_line: int) -> None:
    """Refuse a body that would keep the Markdown reader busy for minutes (hostile or broken text)."""
    work, line = 0, body_line
    for block in body.split("\n\n"):
        openers = block.count("[") + block.count("<") + block.count("`")
        work += openers * len(block)
        if work > MAX_MARKUP_WORK:
            raise ParseError(Problem(path, line, f"this paragraph has too much markup to read in reasonable time"
                                     f" ({openers} of '[', '<' and '`' in {len(block)} characters)",
                                     "split it into shorter paragraphs; a real paragraph has a few links at most"))
        line += block.count("\n") + 2


def _check_keys(node: yaml.MappingNode, path: str, first_line: int) -> None:
    """Keys must be text, each once: YAML would silently keep only the last of a repeated key."""
    seen: set[str] = set()
    for key, _ in node.value:
        line = first_line + key.start_mark.line
        if not isinstance(key, yaml.ScalarNode) or key.tag != _TEXT_TAG:
            shown = f"the key '{key.value}'" if isinstance(key, yaml.ScalarNode) and key.value else "a key"
            raise ParseError(Problem(path, line, f"{shown} is not text",
                                     "quote keys that look like numbers, dates, true/false or null"))
        if key.value in seen:
            raise ParseError(Problem(path, line, f"the key '{key.value}' is written twice", "keep only one of them"))
        seen.add(key.value)


def _key_lines(node: yaml.MappingNode, first_line: int) -> dict[str, int]:
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = str(key_node.value)
        lines[key] = first_line + key_node.start_mark.line
        if isinstance(value_node, yaml.SequenceNode):
            for index, item in enumerate(value_node.value):
                lines[f"{key}.{index}"] = first_line + item.start_mark.line
        elif isinstance(value_node, yaml.MappingNode):
            for sub_key, _ in value_node.value:
                lines[f"{key}.{sub_key.value}"] = first_line + sub_key.start_mark.line
    return lines


def _yaml_problem(error: yaml.YAMLError, text: str, path: str, first_line: int) -> Problem:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = first_line + mark.line if mark is not None else first_line
    if isinstance(error, yaml.reader.ReaderError):  # a bad character: its marks are not set, its position is
        line = first_line + text.count("\n", 0, error.position)
    reason = getattr(error, "problem", None) or str(error).splitlines()[0]
    context, opened = getattr(error, "context", None), getattr(error, "context_mark", None)
    if context and opened is not None and first_line + opened.line != line:
        reason += f" ({context} from line {first_line + opened.line})"  # e.g. where an unclosed quote opened
    if "could not determine a constructor" in str(error):
        reason = "YAML tags that construct objects (!!python/..., !tag) are not allowed"
        return Problem(path, line, reason, "write plain text, numbers, lists and mappings only")
    return Problem(
        path,
        line,
        f"YAML syntax error: {reason}",
        "check indentation, colons and quotes on this line and the one above",
    )


@dataclass(frozen=True)
class ParsedFile:
    """A Markdown content file after parsing: front matter and sanitised body HTML."""

    path: str
    relative: str
    front: YamlData
    body_html: str


def parse_markdown_file(path: str, relative: str, text: str, renderer: MarkdownRenderer) -> ParsedFile:
    """Parse one event or page file; raise ParseError naming the file and line."""
    if not text.strip():
        raise ParseError(
            Problem(
                path,
                1,
                "the file is empty",
                "write front matter between '---' lines, then the text, or delete the file",
            )
        )
    document = split_front_matter(text, path)
    _check_markup_work(document.body, path, document.body_line)
    return ParsedFile(path, relative, document.front, renderer.render(document.body))
