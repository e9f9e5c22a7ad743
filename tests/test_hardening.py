"""The hardening corpus through the real CLI: every broken or hostile case fails cleanly, odd files build.

Each case runs on a copy of the `small` fixture whose `output/` was built beforehand. Half the cases
run `python -m generator build` in a subprocess (a traceback there would reach stderr), the other half
call `cli.main` in-process (an escaping exception fails the test); both check the same things.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import Project, build
from generator.cli import main
from tests.conftest import FIXTURES, REPO
from tests.hardening.corpus import CASES, VALID, Case

SECONDS = 5
EVENT_ID = "2022-02-01-case"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every entry under `folder`: file bytes hashed, links and folders named."""
    digest = {}
    for path in sorted(folder.rglob("*")):
        name = path.relative_to(folder).as_posix()
        if path.is_symlink():
            digest[name] = f"link to {os.readlink(path)}"
        elif path.is_file():
            digest[name] = hashlib.sha256(path.read_bytes()).hexdigest()
        else:
            digest[name] = "folder"
    return digest


@pytest.fixture(scope="module")
def built_fixture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The small fixture with a good output/ beside its content, to be copied for each case."""
    root = tmp_path_factory.mktemp("hardening") / "site"
    shutil.copytree(FIXTURES / "small", root)
    build(Project.at(root), root / "output")
    return root


def prepared(case: Case, built: Path, tmp_path: Path) -> Path:
    root = tmp_path / "site"
    shutil.copytree(built, root, symlinks=True)
    for relative, data in case.files.items():
        path = root / "content" / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, "utf-8", newline="")  # CR and CRLF cases keep their line ends
    if case.prepare is not None:
        case.prepare(root)
    return root


def run_build(root: Path, in_process: bool) -> tuple[int, str, float]:
    """Exit code, stderr and seconds of `timeline build` in the project `root`."""
    started = time.perf_counter()
    if in_process:
        stderr = io.StringIO()
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            code = main(["build", "--project", str(root)])
        return code, stderr.getvalue(), time.perf_counter() - started
    result = subprocess.run(
        [sys.executable, "-m", "generator", "build"], cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60,
    )
    return result.returncode, result.stderr, time.perf_counter() - started


def runs(cases: list[Case]) -> list:
    return [pytest.param(case, index % 2 == 1, id=f"{case.name} ({'in-process' if index % 2 else 'subprocess'})")
            for index, case in enumerate(cases)]


@pytest.mark.parametrize(("case", "in_process"), runs(CASES))
def test_broken_content_fails_cleanly(case: Case, in_process: bool, built_fixture: Path, tmp_path: Path) -> None:
    root = prepared(case, built_fixture, tmp_path)
    before = tree_digest(root / "output")
    code, stderr, seconds = run_build(root, in_process)
    lines = stderr.splitlines()
    assert code == 1, stderr
    assert "Traceback" not in stderr
    assert any(line.startswith(f"{case.where}:") and case.says in line for line in lines), stderr
    assert all(line.startswith("content/") for line in lines[:-1]), "every message names its file"
    assert lines[-1].endswith("problem(s); nothing was written.")
    assert tree_digest(root / "output") == before
    assert [p.name for p in root.iterdir() if p.name.startswith(".output")] == []  # no half-written folder
    assert seconds < SECONDS


@pytest.mark.parametrize(("case", "in_process"), runs(VALID))
def test_odd_but_valid_files_build(case: Case, in_process: bool, built_fixture: Path, tmp_path: Path) -> None:
    root = prepared(case, built_fixture, tmp_path)
    code, stderr, seconds = run_build(root, in_process)
    assert (code, stderr) == (0, "")
    assert seconds < SECONDS
    for lang in ("ar", "en"):  # one-language events are in both timelines
        page = BeautifulSoup((root / f"output/{lang}/events/{EVENT_ID}/index.html").read_text("utf-8"), "html.parser")
        assert page.find("h1").get_text(strip=True) == case.says
        timeline = BeautifulSoup((root / f"output/{lang}/index.html").read_text("utf-8"), "html.parser")
        assert timeline.find("article", id=EVENT_ID) is not None


def test_corpus_covers_at_least_forty_cases_with_distinct_names() -> None:
    assert len(CASES) >= 40
    assert len({case.name for case in CASES + VALID}) == len(CASES + VALID)


def test_yaml_tags_never_run_code(built_fixture: Path, tmp_path: Path) -> None:
    hostile = Case("python tag", {"events/2022-02-01-case.en.md": (
        "---\ntitle: !!python/object/apply:os.system ['touch pwned']\n"
        "summary: !!python/object/new:subprocess.Popen [['touch', 'pwned2']]\ndate: 2022-02-01\n---\n")},
        "", "")
    root = prepared(hostile, built_fixture, tmp_path)
    code, stderr, _ = run_build(root, in_process=False)
    assert code == 1 and "construct objects" in stderr
    assert not (root / "pwned").exists() and not (root / "pwned2").exists()
