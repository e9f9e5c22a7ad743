"""Output-folder safety: dangerous folders are refused through the CLI; cleaning never follows links out."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from generator.build import Project, build
from generator.write import MARKER
from tests.conftest import FIXTURES, REPO
from tests.test_hardening import tree_digest


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A project with its own templates/ (so that folder exists to be refused), and a home folder."""
    root = tmp_path / "site"
    shutil.copytree(FIXTURES / "small", root)
    shutil.copytree(REPO / "templates", root / "templates")
    home = tmp_path / "home"
    (home / "Documents").mkdir(parents=True)
    (home / "Documents/thesis.txt").write_text("years of work", "utf-8")
    return root


def cli_build(root: Path, output: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO), "HOME": str(root.parent / "home")}
    return subprocess.run([sys.executable, "-m", "generator", "build", "--output", output], cwd=root, env=env,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)


def make_stranger(root: Path) -> str:
    photos = root.parent / "photos"
    photos.mkdir()
    (photos / "holiday.jpg").write_bytes(b"precious")
    return str(photos)


def make_link(root: Path) -> str:
    real = root.parent / "real-output"
    real.mkdir()
    (root.parent / "linked-output").symlink_to(real)
    return str(root.parent / "linked-output")


def make_file(root: Path) -> str:
    (root.parent / "output.txt").write_text("not a folder", "utf-8")
    return str(root.parent / "output.txt")


DANGEROUS = {
    "the file system root": lambda root: "/",
    "the home folder": lambda root: str(root.parent / "home"),
    "the home folder as ~": lambda root: "~",
    "the project root": lambda root: ".",
    "content/": lambda root: "content",
    "templates/": lambda root: "templates",
    "a folder holding the project": lambda root: "..",
    "a non-empty folder without the marker": make_stranger,
    "a symbolic link": make_link,
    "a file": make_file,
}


@pytest.mark.parametrize("where", DANGEROUS)
def test_dangerous_output_folders_are_refused_untouched(site: Path, where: str) -> None:
    output = DANGEROUS[where](site)

    def state() -> object:  # everything the test made (home, project, strangers), or what / holds
        return sorted(os.listdir("/")) if output == "/" else tree_digest(site.parent)

    before = state()
    result = cli_build(site, output)
    assert result.returncode == 1
    assert result.stderr.startswith("error: refusing to use") and "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert state() == before


def test_an_empty_folder_is_used_and_marked(site: Path) -> None:
    (site / "public").mkdir()
    result = cli_build(site, "public")
    assert (result.returncode, result.stderr) == (0, "")
    assert (site / "public" / MARKER).is_file() and (site / "public/en/index.html").is_file()


def test_cleaning_never_follows_links_out_of_the_old_output(site: Path, tmp_path: Path) -> None:
    output = site / "output"
    build(Project.at(site), output)
    outside = tmp_path / "outside"
    shutil.copytree(output / "en", outside / "en-copy")  # same bytes as pages the next build writes
    (outside / "keep.txt").write_text("must survive", "utf-8")
    before = tree_digest(outside)
    (output / "escape").symlink_to(outside)  # a folder link
    (output / "keep.txt").symlink_to(outside / "keep.txt")  # a file link
    shutil.rmtree(output / "en")
    (output / "en").symlink_to(outside / "en-copy")  # a link where the build writes: old pages read through it
    event = site / "content/events/2022-01-21-day.en.md"
    event.write_text(event.read_text("utf-8") + "\nOne more line.\n", "utf-8")  # so the old output is replaced
    build(Project.at(site), output)
    assert tree_digest(outside) == before
    assert all(not path.is_symlink() for path in output.rglob("*"))
    assert not (output / "escape").exists() and (output / "en/index.html").is_file()
    outside_pages = [path for path in (outside / "en-copy").rglob("*") if path.is_file()]
    assert all(path.stat().st_nlink == 1 for path in outside_pages), "no output file shares an outside file"


def test_a_full_disk_is_an_error_message_and_the_old_output_stays(site: Path, monkeypatch, capsys) -> None:
    import errno

    import generator.write
    from generator.cli import main

    assert main(["build", "--project", str(site), "--quiet"]) == 0
    before = tree_digest(site / "output")

    def full_disk(destination: Path, *args) -> None:
        raise OSError(errno.ENOSPC, "No space left on device", str(destination))

    monkeypatch.setattr(generator.write, "_write_file", full_disk)
    assert main(["build", "--project", str(site), "--quiet", "--drafts"]) == 1  # other options: all rewritten
    error = capsys.readouterr().err
    assert "No space left on device" in error and "Traceback" not in error and "previous output" in error
    assert tree_digest(site / "output") == before
    assert not list(site.glob(".output.new-*"))  # no staging folder left behind
