"""The search index: Pagefind over the event and free pages, as {output path: bytes} under `pagefind/`.

Pagefind (PyPI `pagefind[bin]`) indexes each page by its `<html lang>`. It is
given a copy of each searchable page with the page's Arabic words added in
their normalised search form (see search_text), so the served pages stay as
rendered. It runs on a temporary folder before anything is written: if it
fails, the build fails and the previous output stays as it was.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Mapping
from html import escape
from html.parser import HTMLParser
from pathlib import Path

from generator.model import Content
from generator.parallel import fork_map
from generator.problems import OutputError
from generator.search_text import extra_terms, rules_json
from generator.views import Urls

BUNDLE = "pagefind"
RULES_FILE = "normalise.json"
# Pagefind's own ready-made interfaces: the site has its own search box.
_UNUSED = ("pagefind-ui.", "pagefind-component-ui.", "pagefind-modular-ui.", "pagefind-highlight.")
_ROOT = "main"
_SKIPPED = ("nav", ".breadcrumb")  # previous/next links name other events; the way back is on every page
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class SearchIndexError(OutputError):
    """Pagefind is missing or failed; nothing was written."""


def searchable_pages(content: Content, urls: Urls) -> list[str]:
    """Output paths of the pages a search can find: every event page and free page, in every language."""
    addresses = [
        address
        for code in content.config.codes
        for address in (
            *(urls.event(code, event.id) for event in content.events),
            *(urls.page(code, page.name) for page in content.pages),
        )
    ]
    return [address.removeprefix(urls.prefix) + "index.html" for address in addresses]


def search_files(files: Mapping[str, bytes], pages: Iterable[str], *, parallel: bool = True) -> dict[str, bytes]:
    """The Pagefind bundle indexing `pages` (output paths in `files`), plus the query rules.
    With `parallel`, the pages' copies are made on every core."""
    with tempfile.TemporaryDirectory(prefix="timeline-search-") as work:
        site, bundle = Path(work) / "site", Path(work) / "bundle"

        def write_copy(path: str) -> None:
            target = site / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(indexed_copy(files[path].decode("utf-8")), encoding="utf-8")

        # Reading each page's text in Python is most of the index's time (2.4 ms an Arabic page).
        if parallel:
            fork_map(write_copy, list(pages))
        else:
            for path in pages:
                write_copy(path)
        _run_pagefind(site, bundle, Path(work))
        bundle_files = {
            f"{BUNDLE}/{path.relative_to(bundle).as_posix()}": _stable(path)
            for path in sorted(bundle.rglob("*"))
            if path.is_file() and not path.name.startswith(_UNUSED)
        }
    return {**bundle_files, f"{BUNDLE}/{RULES_FILE}": rules_json()}


def indexed_copy(html: str) -> str:
    """The page as Pagefind should see it: its summary as result metadata, its words' search forms added."""
    start, end = html.find(f"<{_ROOT}"), html.rfind(f"</{_ROOT}>")
    if start < 0 or end < 0:
        raise SearchIndexError("a searchable page has no <main> element; the theme must keep one")
    page = _PageText()
    page.feed(html[: max(html.find("</head>"), 0)])  # the description; then only <main>: parsing is the slow part
    page.feed(html[start:end])
    extra = " ".join(extra_terms(page.text()))
    added = f'<p data-pagefind-meta="summary">{escape(page.description)}</p>\n<p>{escape(extra)}</p>\n'
    return f"{html[:end]}{added}{html[end:]}"


def _run_pagefind(site: Path, bundle: Path, work: Path) -> None:
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle)]
    command += ["--root-selector", _ROOT, "--silent"]
    for selector in _SKIPPED:
        command += ["--exclude-selectors", selector]
    try:
        # Run from the scratch folder so that no pagefind.yml of the caller's is picked up.
        result = subprocess.run(command, cwd=work, capture_output=True, text=True, timeout=300, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise SearchIndexError(f"could not run Pagefind to build the search index: {error}") from error
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        message = (result.stderr or result.stdout).strip().splitlines()
        hint = "install it with: pip install 'pagefind[bin]'" if "No module named" in result.stderr else ""
        detail = message[-1] if message else f"exit status {result.returncode}"
        raise SearchIndexError(f"Pagefind failed to build the search index: {detail}. {hint}".strip())


def _stable(path: Path) -> bytes:
    """File bytes; the entry file's languages sorted, as Pagefind writes them in varying order."""
    data = path.read_bytes()
    if path.name != "pagefind-entry.json":
        return data
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _PageText(HTMLParser):
    """The text Pagefind indexes (inside `<main>`, without the skipped parts) and the meta description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.description = ""
        self._parts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, indexed) of each open element

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "meta" and values.get("name") == "description":
            self.description = values.get("content") or ""
        if tag in _VOID:
            return
        inside = self._open[-1][1] if self._open else False
        classes = (values.get("class") or "").split()
        skipped = tag in _SKIPPED or any(f".{name}" in _SKIPPED for name in classes)
        self._open.append((tag, (inside or tag == _ROOT) and not skipped))

    def handle_endtag(self, tag: str) -> None:
        while self._open and self._open.pop()[0] != tag:
            pass  # an element closed implicitly

    def handle_data(self, data: str) -> None:
        if self._open and self._open[-1][1]:
            self._parts.append(data)

    def text(self) -> str:
        return " ".join(self._parts)
