"""Hostile text in the real content reaches the output only as inert text.

`<script>`, event handlers and `javascript:` URLs are injected into an event's bodies, titles and
summaries and into the title, publisher and URL of a source it cites. The site is built and every
HTML page, feed and JSON file is parsed: no script but the site's own, no `on*` attribute, no
`javascript:`/`data:`/`vbscript:` URL. The hostile title must still be shown, as text.

The site's own scripts are files of the site (`<script src="/assets/…">`); an inline script would be
refused by the Content-Security-Policy anyway, so none is allowed here.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from generator.build import Project, build
from generator.content import read_content
from generator.problems import ContentError
from tests.conftest import FIXTURES, REPO

TITLE = "<script>alert('title')</script>\"><img src=x onerror=alert(1)> javascript:alert(1)"
SUMMARY = "</title><script>alert('summary')</script><a href=\"javascript:alert(1)\">x</a>"
SOURCE_TITLE = "<script>alert('source')</script><svg onload=alert(1)>"
SOURCE_URL = "https://example.org/x?q=\"><script>alert('url')</script>&next=javascript:alert(1)"
BODY = """

<script>alert('body')</script>
<img src="x" onerror="alert(1)"> <svg onload="alert(1)"><circle /></svg>
<a href="javascript:alert(1)">a</a> <a href="JaVaScRiPt:alert(1)">b</a> <a href="&#106;avascript:alert(1)">c</a>
<a href="java&#9;script:alert(1)">d</a> <a href="&#32;javascript:alert(1)">d</a>
<a href="vbscript:msgbox(1)">e</a> <a href="data:text/html,<b>alert</b>">f</a>
<iframe src="javascript:alert(1)"></iframe> <object data="javascript:alert(1)"></object> <embed src="alert.swf">
<form action="javascript:alert(1)"><button formaction="javascript:alert(1)">g</button></form>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)"> <base href="javascript:alert(1)//">
<div style="background:url(javascript:alert(1))">h</div> <style>body{background:url(javascript:alert(1))}</style>
<math><a xlink:href="javascript:alert(1)">i</a></math> <details open ontoggle="alert(1)">j</details>

[link](javascript:alert(1)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)
![image](javascript:alert(1)) <javascript:alert(1)> [ref][evil]

[evil]: vbscript:msgbox(1)
"""
DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "data", "cite", "background", "xlink:href",
                  "srcset", "ping", "longdesc", "manifest", "codebase", "usemap"}
FORBIDDEN_TAGS = {"iframe", "frame", "frameset", "object", "embed", "applet", "base"}
SCRIPT_DATA_TYPES = {"application/ld+json", "application/json"}


C0_AND_SPACE = "".join(map(chr, range(0x21)))


def is_dangerous_url(value: str) -> bool:
    """As a browser reads a URL (WHATWG): C0 controls and spaces trimmed, tabs and newlines dropped."""
    squeezed = re.sub(r"[\t\n\r]", "", value.strip(C0_AND_SPACE)).lower()
    return squeezed.startswith(DANGEROUS_SCHEMES)


# Every payload above has one of these; a page without any of them holds nothing injected, which
# spares parsing the whole site (its own markup is checked on the fixture site below).
MARKERS = (b"alert", b"msgbox")


@dataclass(frozen=True)
class Injected:
    output: Path
    event_id: str
    source_id: str
    content_name: str  # which content was used: the real one, or the small fixture while it is broken


def set_line(lines: list[str], key: str, value: str, indent: str = "") -> None:
    """Replace `key:` (at `indent`) by a JSON-quoted value, which YAML reads as the same text."""
    for index, line in enumerate(lines):
        if line.startswith(f"{indent}{key}:"):
            lines[index] = f"{indent}{key}: {json.dumps(value)}"
            return
    raise AssertionError(f"no '{key}:' line to inject into")


def inject_event(path: Path) -> None:
    lines = path.read_text("utf-8").split("\n")
    closing = lines.index("---", 1)
    front = lines[1:closing]
    set_line(front, "title", TITLE)
    if any(line.startswith("summary:") for line in front):
        set_line(front, "summary", SUMMARY)
    else:
        front.append(f"summary: {json.dumps(SUMMARY)}")
    path.write_text("\n".join(["---", *front, "---", *lines[closing + 1 :]]) + BODY, "utf-8")


def inject_source(sources_yaml: Path, source_id: str) -> None:
    lines = sources_yaml.read_text("utf-8").split("\n")
    start = lines.index(f"{source_id}:")
    end = next((i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "#")), len(lines))
    block = lines[start:end]
    set_line(block, "title", SOURCE_TITLE, "  ")
    set_line(block, "publisher", SOURCE_TITLE, "  ")
    set_line(block, "url", SOURCE_URL, "  ")
    sources_yaml.write_text("\n".join([*lines[:start], *block, *lines[end:]]), "utf-8")


def copy_buildable_content(root: Path) -> str:
    """The real content if it builds now (other work may be mid-way), else the small fixture's."""
    for name, content in (("real", REPO / "content"), ("small fixture", FIXTURES / "small/content")):
        shutil.copytree(content, root / "content", dirs_exist_ok=False)
        try:
            read_content(root / "content")
            return name
        except ContentError:
            shutil.rmtree(root / "content")
    raise AssertionError("neither the real content nor the small fixture builds")


@pytest.fixture(scope="module")
def injected(tmp_path_factory: pytest.TempPathFactory) -> Injected:
    root = tmp_path_factory.mktemp("inject") / "site"
    name = copy_buildable_content(root)
    content, _ = read_content(root / "content")
    event = next(e for e in content.events if e.sources and len(e.translations) == 2)
    for translation in event.translations.values():
        inject_event(root / translation.path)
    inject_source(root / "content/sources.yaml", event.sources[0])
    build(Project.at(root), root / "output")
    return Injected(root / "output", event.id, event.sources[0], name)


def parse(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def is_own_script(script, site: Path | None) -> bool:
    """A script file of the site itself: a local path to a file in the output, nothing inline."""
    source = script.get("src", "")
    if not source or script.string or re.match(r"^[a-z][a-z0-9+.-]*:|^//", source, re.IGNORECASE):
        return False
    return site is None or (site / source.lstrip("/")).is_file()


def executable_parts(soup: BeautifulSoup, site: Path | None = None) -> Iterator[str]:
    """Everything in `soup` that a browser could run, besides the site's own script files."""
    for script in soup.find_all("script"):
        if script.get("type") in SCRIPT_DATA_TYPES:
            json.loads(script.string or "")  # a data block must stay one JSON value, not close early
        elif not is_own_script(script, site):
            yield f"script: {script}"
    for element in soup.find_all(True):
        if element.name in FORBIDDEN_TAGS:
            yield f"element: {element.name}"
        if element.name == "meta" and element.get("http-equiv", "").lower() == "refresh":
            yield f"refresh: {element}"
        for name, value in element.attrs.items():
            text = " ".join(value) if isinstance(value, list) else value
            if name.lower().startswith("on"):
                yield f"handler: {name}={text}"
            if name.lower() in URL_ATTRIBUTES and any(is_dangerous_url(part) for part in re.split(r",\s*", text)):
                yield f"URL: {name}={text}"
            if name.lower() == "style" and re.search(r"javascript:|expression\(|url\(", text, re.IGNORECASE):
                yield f"style: {text}"
        if element.name == "style" and element.find_parent("body") is not None:
            yield f"style element in body: {element}"


def json_parts(value: object, key: str = "") -> Iterator[str]:
    """Executable parts of HTML-valued fields (`*_html`, TimelineJS `text`/`headline`) and URL fields."""
    if isinstance(value, dict):
        for name, item in value.items():
            yield from json_parts(item, name)
    elif isinstance(value, list):
        for item in value:
            yield from json_parts(item, key)
    elif isinstance(value, str):
        if key.endswith("_html") or key in ("text", "headline"):
            yield from executable_parts(BeautifulSoup(value, "html.parser"))
        if (key.lower().endswith("url") or key in ("href", "src", "link", "@id", "image")) and is_dangerous_url(value):
            yield f"{key}: {value}"


def feed_parts(path: Path) -> Iterator[str]:
    for element in ElementTree.parse(path).iter():
        if element.get("type") in ("html", "xhtml") and element.text:
            yield from executable_parts(BeautifulSoup(element.text, "html.parser"))
        for name in ("href", "src", "uri"):
            if is_dangerous_url(element.get(name, "")):
                yield f"{path.name}: {name}={element.get(name)}"
        if element.tag.rsplit("}", 1)[-1] in ("loc", "uri", "id") and is_dangerous_url(element.text or ""):
            yield f"{path.name}: {element.text}"


def reached(folder: Path, pattern: str) -> list[Path]:
    """Files the injection reached (see MARKERS)."""
    return sorted(path for path in folder.rglob(pattern) if any(m in path.read_bytes() for m in MARKERS))


def test_nothing_injected_is_executable_anywhere(injected: Injected) -> None:
    site, found = injected.output, []
    pages = reached(site, "*.html")
    assert len(pages) >= 4, "the event's pages in both languages and both timelines carry the injection"
    for page in pages:
        found += [f"{page.relative_to(site)}: {part}" for part in executable_parts(parse(page), site)]
    for data in reached(site, "*.json"):
        found += [f"{data.relative_to(site)}: {part}" for part in json_parts(json.loads(data.read_text("utf-8")))]
    for feed in reached(site, "*.xml"):
        found += list(feed_parts(feed))
    assert found == [], f"({injected.content_name} content) " + "\n".join(found[:20])


def test_the_site_itself_has_only_its_own_scripts(small_site: Path) -> None:
    pages = sorted(small_site.rglob("*.html"))
    scripts = [script for page in pages for script in parse(page).find_all("script")
               if script.get("type") not in SCRIPT_DATA_TYPES]
    assert scripts and all(is_own_script(script, small_site) for script in scripts)
    for page in pages:
        assert list(executable_parts(parse(page), small_site)) == [], page


def as_typed(text: str) -> str:
    """Text with the digits Arabic pages show in Arabic-Indic form put back as typed."""
    return text.translate(str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))


def test_hostile_titles_and_sources_are_shown_as_text(injected: Injected) -> None:
    """The injection reached the pages (the test above is not vacuous) and reads as typed."""
    for lang in ("ar", "en"):
        page = parse(injected.output / lang / "events" / injected.event_id / "index.html")
        assert as_typed(page.find("h1").get_text()) == TITLE
        assert as_typed(page.find("meta", attrs={"name": "description"})["content"]) == SUMMARY
        links = [a for a in page.find_all("a") if a.get("href") == SOURCE_URL]
        assert links, "the source link keeps its URL, attribute-escaped"
        assert SOURCE_TITLE in as_typed(page.get_text())
        body = page.select_one(".body") or page
        assert "alert('body')" not in str(body.find_all("script"))


@pytest.mark.parametrize("url", ["javascript:alert(1)", "JavaScript:alert(1)", " javascript:alert(1)",
                                 "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)",
                                 "//evil.example/", "ftp://example.org/file"])
def test_source_urls_must_be_http_or_https(url: str, tmp_path: Path) -> None:
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "small", root)
    inject_source_url = (root / "content/sources.yaml")
    text = inject_source_url.read_text("utf-8")
    inject_source_url.write_text(text.replace("url: https://example.com/ap", f"url: {json.dumps(url)}"), "utf-8")
    with pytest.raises(ContentError) as caught:
        read_content(root / "content")
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("content/sources.yaml", 6)
    assert "must be an http(s) URL" in problem.message


def test_the_checker_sees_every_payload_when_nothing_sanitises() -> None:
    """Markdown alone (no sanitiser) lets the payloads through, and the checker reports each kind."""
    parts = list(executable_parts(BeautifulSoup(markdown.markdown(BODY), "html.parser")))
    kinds = {part.split(":", 1)[0] for part in parts}
    assert kinds == {"script", "handler", "URL", "element", "refresh", "style"}
    assert len(parts) >= 25
