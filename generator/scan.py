"""Which content files there are, with their stamps, without reading any (the per-save path).

Same rules as load.load_content (hidden files and folders and editor backups skipped), with
os.scandir and plain strings instead of pathlib: this runs on every save in the live server.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.cache import Stamp
from generator.load import CONTENT_SUFFIXES, display_path, stamp_of
from generator.problems import Problem


@dataclass(frozen=True)
class FoundFile:
    """A content file: absolute path, path as shown in messages, path inside content/, stamp."""

    path: str
    shown: str
    relative: str
    stamp: Stamp | None  # None: not taken yet (see scan_content)


_SUFFIXES = tuple(CONTENT_SUFFIXES)


def is_content_name(name: str) -> bool:
    """load.load_content's rule for which files are content, without pathlib (run on every save)."""
    return name.endswith(_SUFFIXES) and not name.startswith((".", "#"))


def scan_content(content_dir: Path, *, markdown_stamps: bool = True) -> tuple[list[FoundFile], list[Problem]]:
    """Every content file with its stamp (as load.load_content would read them), without reading any.

    Without `markdown_stamps`, a Markdown file's stamp is None: a build with nothing cached reads
    every one, and takes its stamp as it reads it (a stat each was 35 ms of 10,000 files)."""
    root = content_dir.resolve()
    shown_root = display_path(content_dir, root.parent)
    if not root.is_dir():
        return [], [Problem(shown_root, None, "the content folder does not exist or is not a folder",
                            "pass --content DIR pointing to a folder with site.yaml and events/")]
    problems: list[Problem] = []

    def unreadable(error: OSError) -> None:
        problems.append(Problem(display_path(Path(error.filename or root), root.parent), None,
                                f"the folder cannot be read ({error.strerror})", "check its permissions"))

    found: list[FoundFile] = []
    pending = [("", str(root))]
    while pending:  # os.scandir, not pathlib: this runs on every save in the live server
        relative_folder, folder = pending.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            unreadable(error)
            continue
        for entry in entries:
            relative = f"{relative_folder}{entry.name}"
            if entry.is_dir(follow_symlinks=False):
                if not entry.name.startswith("."):
                    pending.append((relative + "/", entry.path))
                continue
            if not is_content_name(entry.name):
                continue
            if not markdown_stamps and entry.name.endswith(".md"):
                stamp = None
            else:
                try:
                    stamp = stamp_of(entry.stat())
                except OSError:
                    stamp = (0, 0, 0)
            found.append(FoundFile(entry.path, f"{shown_root}/{relative}", relative, stamp))
    return found, problems



def rescan(content_dir: Path, changed: Iterable[Path], known: dict[str, FoundFile]) -> dict[str, FoundFile] | None:
    """`known` (by path inside content/) updated for the changed paths, or None if a folder changed."""
    root = content_dir.resolve()
    shown_root = display_path(content_dir, root.parent)
    for path in changed:
        if not path.is_relative_to(root):
            continue  # a template: not content
        relative = path.relative_to(root).as_posix()
        if path.is_dir() or any(name.startswith(f"{relative}/") for name in known):
            return None
        if any(part.startswith(".") for part in relative.split("/")) or not is_content_name(path.name):
            continue
        try:
            status = path.stat()
        except OSError:
            known.pop(relative, None)
            continue
        known[relative] = FoundFile(str(path), f"{shown_root}/{relative}", relative, stamp_of(status))
    return known
