"""`timeline serve` end to end: a real server in a subprocess, edited on disk, watched in Chromium."""

from __future__ import annotations

import http.client
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_fixture, free_port

EVENT = "content/events/2022-01-20-car-bomb.en.md"
EVENT_URL = "en/events/2022-01-20-car-bomb/"
RELOAD_WITHIN_MS = 3000


@dataclass
class RunningServer:
    process: subprocess.Popen
    project: Path
    url: str
    port: int
    log: Path

    def edit(self, relative: str, old: str, new: str) -> None:
        path = self.project / relative
        text = path.read_text("utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, 1), "utf-8")

    def status(self, raw_path: str) -> int:
        """The status for a request line sent as written (no client-side normalisation of `..`)."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
        connection.putrequest("GET", raw_path, skip_accept_encoding=True)
        connection.endheaders()
        status = connection.getresponse().status
        connection.close()
        return status


def start_server(project: Path, port: int, log: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--project", str(project), "--port", str(port), *extra],
        cwd=REPO, stdout=log.open("w"), stderr=subprocess.STDOUT,
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """The small fixture with its own copy of the theme (the test edits the stylesheet), served."""
    project = copy_fixture("small", tmp_path_factory.mktemp("serve"))
    shutil.copytree(REPO / "templates", project / "templates")
    port, log = free_port(), project / "serve.log"
    process = start_server(project, port, log)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 60
    while True:
        try:
            RunningServer(process, project, url, port, log).status("/")
            break
        except OSError:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.2)
    yield RunningServer(process, project, url, port, log)
    process.send_signal(signal.SIGINT)
    assert process.wait(timeout=10) == 0, log.read_text()
    assert "Traceback" not in log.read_text()


def test_edits_reach_the_open_tab_and_errors_show_over_the_last_good_page(server, browser):
    page = browser.new_page()
    page.goto(server.url + EVENT_URL)
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7")

    server.edit(EVENT, "title: Car bomb at the prison gate", "title: Car bomb at the northern gate")
    page.wait_for_function("() => document.querySelector('h1').textContent.includes('northern gate')",
                           timeout=RELOAD_WITHIN_MS)
    assert page.url == server.url + EVENT_URL

    server.edit(EVENT, "summary: The attack", "summary: [The attack")
    overlay = page.wait_for_selector("#timeline-build-errors", timeout=RELOAD_WITHIN_MS)
    assert re.search(rf"{re.escape(EVENT)}:\d+: YAML syntax error", overlay.text_content())
    assert "northern gate" in page.text_content("h1")  # the last good page stays under the overlay

    server.edit(EVENT, "summary: [The attack", "summary: The attack")
    page.wait_for_selector("#timeline-build-errors", state="detached", timeout=RELOAD_WITHIN_MS)
    assert "northern gate" in page.text_content("h1")
    page.close()


def test_a_stylesheet_change_restyles_without_a_reload(server, browser):
    page = browser.new_page()
    page.goto(server.url + EVENT_URL)
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7")
    page.evaluate("() => { window.keptAcrossReloads = 'still here'; }")
    stylesheet = server.project / "templates/static/style.css"
    with stylesheet.open("a", encoding="utf-8") as stream:
        stream.write("\n.site-title { letter-spacing: 7px; }\n")
    page.wait_for_function(
        "() => getComputedStyle(document.querySelector('.site-title')).letterSpacing === '7px'",
        timeout=RELOAD_WITHIN_MS,
    )
    assert page.evaluate("() => window.keptAcrossReloads") == "still here"
    page.close()


def test_a_page_that_missed_a_reload_while_loading_reloads_when_it_connects(server, browser):
    """A save while a page loads: the reload goes out before the page's live-reload connection
    opens. On connecting, the page compares its generation with the one served now."""
    page = browser.new_page()
    page.goto(server.url + EVENT_URL)
    page.wait_for_function("() => window.LiveReload && window.LiveReload.connector.protocol >= 7")
    plugin = "window.LiveReload.plugins.find((p) => p.constructor.identifier === 'hashed-styles')"
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request("HEAD", "/" + EVENT_URL)
    served = connection.getresponse().getheader("X-Timeline-Generation")
    connection.close()
    assert page.evaluate(f"() => {plugin}.generation") == int(served)
    page.evaluate(f"() => {{ window.keptAcrossReloads = 'old page'; {plugin}.analyze(); }}")
    time.sleep(0.5)  # the same generation: no reload
    assert page.evaluate("() => window.keptAcrossReloads") == "old page"
    # As if this page had been served before the last rebuild:
    page.evaluate(f"() => {{ {plugin}.generation -= 1; {plugin}.analyze(); }}")
    page.wait_for_function("() => window.keptAcrossReloads === undefined", timeout=RELOAD_WITHIN_MS)
    page.close()


def test_a_burst_of_saves_is_built_once(server):
    before = server.log.read_text().count("rebuilt ")
    # Written aside, then renamed in one after the other (as editors save): writing each in place
    # could be paused for more than the 10 ms of quiet that ends a burst on a busy machine.
    aside = server.project / "aside"
    aside.mkdir()
    for number in range(5):
        (aside / f"2022-02-0{number + 1}-burst.en.md").write_text(
            f"---\ntitle: Burst {number}\ndate: 2022-02-0{number + 1}\nsources: [ap]\n---\nx\n", "utf-8")
    for path in sorted(aside.iterdir()):
        path.replace(server.project / "content/events" / path.name)
    wait_for(lambda: server.log.read_text().count("rebuilt ") != before, seconds=5)
    time.sleep(0.5)  # a second rebuild, if the burst were split, would have come by now
    assert server.log.read_text().count("rebuilt ") == before + 1
    assert (server.project / "output/en/events/2022-02-05-burst/index.html").is_file()


@pytest.mark.parametrize(
    "raw_path",
    ["/../content/site.yaml", "/%2e%2e/content/site.yaml", "/en/%2E%2E/%2e%2e/content/site.yaml",
     "/..%2fcontent%2fsite.yaml", "//etc/passwd", "/%2Fetc%2Fpasswd", "/etc/passwd"],
)
def test_nothing_outside_the_output_folder_is_served(server, raw_path):
    assert server.status(raw_path) in (403, 404)
    assert server.status("/en/") == 200


def test_a_port_in_use_is_one_clear_line(tmp_path):
    project = copy_fixture("small", tmp_path)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "generator", "serve", "--project", str(project), "--port", str(port)],
            cwd=REPO, capture_output=True, text=True, timeout=60,
        )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [f"error: port {port} on 127.0.0.1 is already in use; "
                                                  "stop the other server or pass --port N"]


def test_an_unreadable_content_folder_is_one_clear_line(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "generator", "serve", "--project", str(tmp_path), "--port", str(free_port())],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("error: the content folder") and str(tmp_path / "content") in line


def test_ctrl_c_stops_cleanly(tmp_path):
    project = copy_fixture("small", tmp_path)
    log = tmp_path / "serve.log"
    process = start_server(project, free_port(), log)
    deadline = time.monotonic() + 60
    while "serving " not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.1)
    process.send_signal(signal.SIGINT)
    code = process.wait(timeout=10)
    text = log.read_text()
    assert code == 0 and "Traceback" not in text and text.rstrip().endswith("stopped."), f"exit {code}:\n{text}"


def test_a_broken_start_shows_the_problems_then_the_site_once_mended(tmp_path):
    project = copy_fixture("small", tmp_path)
    event = project / "content/events/2022-01-21-day.en.md"
    good = event.read_text("utf-8")
    event.write_text("---\ntitle: [broken\n---\nx\n", "utf-8")
    port, log = free_port(), tmp_path / "serve.log"
    process = start_server(project, port, log)
    try:
        running = RunningServer(process, project, f"http://127.0.0.1:{port}/", port, log)
        body = fetch_when_listening(port, "/en/", seconds=60)  # "serving" is said just before it listens
        assert "timeline-build-errors" in body and "content/events/2022-01-21-day.en.md:3:" in body
        event.write_text(good, "utf-8")
        # Until the mended build has written the page (404 while writing).
        wait_for(lambda: running.status("/en/") == 200 and "timeline-build-errors" not in fetch(port, "/en/"))
        assert running.status("/en/") == 200
        assert "timeline-build-errors" not in fetch(port, "/en/")
        assert (project / "output/.timeline-output").is_file()  # written as `build` writes: ours to replace
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0


def fetch_when_listening(port: int, path: str, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            return fetch(port, path)
        except ConnectionRefusedError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def fetch(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    connection.request("GET", path)
    body = connection.getresponse().read().decode("utf-8")
    connection.close()
    return body


def test_a_page_that_cannot_be_written_is_shown_as_a_problem_and_the_next_save_writes_the_site(tmp_path):
    """A folder of the output taken by a file (as a full disk would, the write fails): the terminal
    and the pages say so, no traceback; the next save writes the whole site again, in place of it."""
    project = copy_fixture("small", tmp_path)
    port, log = free_port(), tmp_path / "serve.log"
    process = start_server(project, port, log)
    try:
        running = RunningServer(process, project, f"http://127.0.0.1:{port}/", port, log)
        fetch_when_listening(port, "/en/", seconds=60)
        page_folder = project / "output" / EVENT_URL
        shutil.rmtree(page_folder)
        page_folder.write_text("in the way", "utf-8")
        running.edit(EVENT, "title: ", "title: Blocked ")
        assert wait_for(lambda: "timeline-build-errors" in fetch(port, "/en/"))
        assert "the preview could not be written" in fetch(port, "/en/")
        assert "the preview could not be written" in log.read_text()
        running.edit(EVENT, "title: Blocked ", "title: Written ")
        assert wait_for(lambda: running.status(f"/{EVENT_URL}") == 200 and "Written" in fetch(port, f"/{EVENT_URL}"))
        assert page_folder.is_dir() and "timeline-build-errors" not in fetch(port, f"/{EVENT_URL}")
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
    assert "Traceback" not in log.read_text()


def wait_for(condition, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True
