"""The theme tests' site: the fixture tree tests/fixtures/theme built once, its page types, a server.

Shared by tests/test_theme_*.py. The fixture has one of each thing the theme must show: a key
event with contested figures, periods (closed, same-day, open-ended), approximate and uncertain
dates, month precision, an event in each language only, Latin names in Arabic text.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

from generator.build import Project, build
from generator.content import read_content
from generator.model import Content

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "theme"
LANGUAGES = ("ar", "en")
KEY_EVENT = "2022-01-20-car-bomb"
TAG = "displacement"


@functools.cache
def theme_site() -> Path:
    """The fixture site, built once per test process."""
    folder = Path(tempfile.mkdtemp(prefix="theme-site-"))
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return build(Project.at(FIXTURE), folder / "output", cache=False).output


@functools.cache
def theme_content() -> Content:
    content, _ = read_content(FIXTURE / "content")
    return content


@functools.cache
def served(folder: Path) -> str:
    """Serve a built site on a free loopback port for the rest of the test process."""
    from tests.conftest import serve_folder

    server, url = serve_folder(folder)
    atexit.register(server.shutdown)
    return url


def page_types(code: str) -> dict[str, str]:
    """One page of each kind in one language, as paths under the site root."""
    return {
        "timeline": f"{code}/",
        "event": f"{code}/events/{KEY_EVENT}/",
        "tag": f"{code}/tags/{TAG}/",
        "figures": f"{code}/figures/",
        "about": f"{code}/about/",
    }


def all_page_types() -> list[tuple[str, str]]:
    """(id, path) of every page type in both languages, plus the language-neutral pages."""
    pages = [(f"{kind}-{code}", path) for code in LANGUAGES for kind, path in page_types(code).items()]
    return [*pages, ("root", ""), ("404", "404.html")]


def html_file(site: Path, path: str) -> Path:
    return site / path / "index.html" if path == "" or path.endswith("/") else site / path


def soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup(html_file(site, path).read_text("utf-8"), "html.parser")


def built_pages(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))
