"""`timeline serve` safety: this machine only by default, a warning when bound wider, and nothing
outside the output folder served, whatever the request path looks like.

tests/test_server.py checks the plain and percent-encoded `..` forms; here are the other forms, a
link placed in the output folder, and what the socket is actually bound to.
"""

from __future__ import annotations

import http.client
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_fixture, free_port

SECRET = "the secret outside the output folder"
LISTEN = "0A"  # the TCP state LISTEN in /proc/net/tcp


@dataclass
class Served:
    process: subprocess.Popen
    port: int
    log: Path

    def get(self, raw_path: str) -> tuple[int, bytes]:
        """Status and body for a request line sent exactly as written."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.putrequest("GET", raw_path, skip_host=False, skip_accept_encoding=True)
        connection.endheaders()
        response = connection.getresponse()
        status, body = response.status, response.read()
        connection.close()
        return status, body

    def stop(self) -> str:
        self.process.terminate()
        self.process.wait(timeout=20)
        return self.log.read_text()


def start(project: Path, *options: str) -> Served:
    port, log = free_port(), project.parent / "serve.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--project", str(project), "--port", str(port), *options],
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)}, stdout=log.open("w"), stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )
    served = Served(process, port, log)
    deadline = time.monotonic() + 60
    while True:
        try:
            served.get("/")
            return served
        except OSError:
            assert process.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the server did not start within 60 s"
            time.sleep(0.1)


def listening_addresses(port: int) -> set[str]:
    """The local addresses listening on `port` (Linux /proc), as hex as the kernel writes them."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if int(hex_port, 16) == port and state == LISTEN:
                found.add(address)
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The small fixture served, with secrets beside its output and a link inside it leading out."""
    base = tmp_path_factory.mktemp("serve-safety")
    project = copy_fixture("small", base)
    (project / "secret.txt").write_text(SECRET, "utf-8")
    (base / "secret.txt").write_text(SECRET, "utf-8")
    served = start(project)
    (project / "output/leak").symlink_to(project)  # placed after the build: the server must not follow it
    (project / "output/leak.txt").symlink_to(project / "secret.txt")
    (project / "output/placed.txt").write_text("placed", "utf-8")  # the control: a plain file is served
    yield served
    served.stop()


def test_binds_this_machine_only_by_default(server: Served) -> None:
    assert listening_addresses(server.port) == {"0100007F"}  # 127.0.0.1, and no IPv6 or wildcard socket


PATHS = [
    "/../secret.txt", "/en/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt", "/.%2e/secret.txt",
    "/%252e%252e/secret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/en/..%2f..%2f..%2fsecret.txt",
    "/%c0%ae%c0%ae/secret.txt", "/..%00/secret.txt", "/secret.txt%00.html", f"/{'../' * 12}etc/passwd",
    "/%2fetc%2fpasswd", "//etc/passwd", "/leak/secret.txt", "/leak.txt", "/leak/content/site.yaml",
]


def test_a_file_placed_in_the_output_folder_is_served(server: Served) -> None:
    """The control for the links above: they are refused for leading out, not for being new."""
    assert server.get("/placed.txt") == (200, b"placed")


@pytest.mark.parametrize("raw_path", PATHS)
def test_nothing_outside_the_output_folder_is_served(server: Served, raw_path: str) -> None:
    status, body = server.get(raw_path)
    assert status in (400, 403, 404), f"{raw_path} answered {status}"
    assert SECRET.encode() not in body and b"root:" not in body and b"default_language" not in body
    assert server.get("/en/")[0] == 200  # the server is still up and serving its own pages


def test_binding_wider_warns_even_when_quiet(tmp_path: Path) -> None:
    project = copy_fixture("small", tmp_path)
    shutil.rmtree(project / "content/pages")  # any content will do; fewer pages start faster
    served = start(project, "--host", "0.0.0.0", "--quiet")
    try:
        assert listening_addresses(served.port) == {"00000000"}
    finally:
        log = served.stop()
    [warning] = [line for line in log.splitlines() if line.startswith("warning:")]
    assert "0.0.0.0" in warning and "other machines" in warning and "--host 127.0.0.1" in warning
    assert "Traceback" not in log
