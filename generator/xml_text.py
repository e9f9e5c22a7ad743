"""XML written line by line, laid out as ElementTree's `indent(space=" ")` lays it out.

The feeds and the sitemap hold an element or more per event and page; building them as an
ElementTree and serialising that (in Python, a write per piece) took most of the time and memory
of making them at 10,000 events. Their shape is fixed and shallow, so they are written as text.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

DECLARATION = "<?xml version='1.0' encoding='utf-8'?>"


def escape_text(value: str) -> str:
    if "&" in value:
        value = value.replace("&", "&amp;")
    if "<" in value:
        value = value.replace("<", "&lt;")
    if ">" in value:
        value = value.replace(">", "&gt;")
    return value


def escape_attribute(value: str) -> str:
    value = escape_text(value)
    for character, reference in _ATTRIBUTE_REFERENCES:
        if character in value:
            value = value.replace(character, reference)
    return value


_ATTRIBUTE_REFERENCES = (('"', "&quot;"), ("\r", "&#13;"), ("\n", "&#10;"), ("\t", "&#09;"))


def start_tag(name: str, attributes: dict[str, str] | None = None) -> str:
    if not attributes:
        return f"<{name}>"
    written = "".join(f' {key}="{escape_attribute(value)}"' for key, value in attributes.items())
    return f"<{name}{written}>"


def opening(depth: int, name: str, attributes: dict[str, str] | None = None) -> str:
    """The indented start tag of an element whose children follow on lines of their own."""
    return " " * depth + start_tag(name, attributes)


def closing(depth: int, name: str) -> str:
    return f"{' ' * depth}</{name}>"


def leaf(depth: int, name: str, text: str | None = None, attributes: dict[str, str] | None = None) -> str:
    """One indented element without children: `<name a="v">text</name>`, or `<name a="v" />` when empty."""
    tag = start_tag(name, attributes)
    if text:
        return f"{' ' * depth}{tag}{escape_text(text)}</{name}>"
    return f"{' ' * depth}{tag[:-1]} />"


def document(root: str, attributes: dict[str, str], lines: Iterable[str]) -> Iterator[bytes]:
    """The whole document as UTF-8, in pieces made as read: declaration, root element around
    `lines` (already indented, none empty; one may hold several). A feed of tens of megabytes is
    never held whole, nor as text (Arabic takes two bytes a letter in a str): at 5,000 events,
    joining, wrapping and encoding it touched four times its size of memory new to the process
    (a page fault every 4 KiB)."""
    lines = iter(lines)
    first = next(lines, None)
    if first is None:  # no body: the empty root element
        yield f"{DECLARATION}\n{leaf(0, root, None, attributes)}\n".encode()
        return
    yield f"{DECLARATION}\n{start_tag(root, attributes)}\n{first}".encode()
    for line in lines:
        yield b"\n" + line.encode()
    yield f"\n</{root}>\n".encode()
