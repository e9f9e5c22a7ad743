"""Shared fixtures: built sites, a static file server, and headless Chromium."""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from generator.build import Project, build

REPO = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Property tests (test_properties, test_localize): CI runs a fixed (derandomised) set of examples;
# `TIMELINE_FUZZ=1 pytest ...` explores at random for much longer.
settings.register_profile("ci", max_examples=150, deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("fuzz", max_examples=20_000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("fuzz" if os.environ.get("TIMELINE_FUZZ") else "ci")


def child_processes() -> set[int]:
    """This process's child processes, zombies included (Linux)."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue
        if int(fields[1]) == os.getpid():
            found.add(int(stat.parent.name))
    return found


def copy_fixture(name: str, destination: Path) -> Path:
    """A writable copy of a fixture project (content/ only; the repo theme is the default)."""
    target = destination / name
    shutil.copytree(FIXTURES / name, target)
    return target


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content of this repository, built once per test session."""
    output = tmp_path_factory.mktemp("real") / "output"
    build(Project.at(REPO), output, cache=False)  # tmp outputs: a cache file per run otherwise
    return output


@pytest.fixture(scope="session")
def small_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture tree, built once per test session."""
    output = tmp_path_factory.mktemp("small") / "output"
    build(Project.at(FIXTURES / "small"), output, cache=False)
    return output


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_folder(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve `folder` on a free loopback port; returns the server and its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


@pytest.fixture(scope="session")
def real_site_url(real_site: Path) -> Iterator[str]:
    server, url = serve_folder(real_site)
    yield url
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make system-deps` (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


PUBLISH_BASE_URL = "https://example.org/sina-prison/"


@pytest.fixture(scope="session")
def publish_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The publishing fixture built for a sub-path (PUBLISH_BASE_URL), in `<root>/sina-prison/`."""
    project = copy_fixture("publish", tmp_path_factory.mktemp("publish"))
    output = tmp_path_factory.mktemp("publish-root") / "sina-prison"
    build(Project.at(project), output, base_url=PUBLISH_BASE_URL, cache=False)
    return output


@pytest.fixture(scope="session")
def publish_url(publish_site: Path) -> Iterator[str]:
    """The publishing fixture served under its sub-path: `http://127.0.0.1:PORT/sina-prison/`."""
    server, url = serve_folder(publish_site.parent)
    yield url + publish_site.name + "/"
    server.shutdown()
