"""Load stage: read the content folder's files as text. The only stage reading content from disk."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from generator.problems import Problem

MAX_FILE_BYTES = 1_000_000  # a real event file is a few KB; refuse before parsing a giant
CONTENT_SUFFIXES = {".md", ".yaml", ".yml"}


@dataclass(frozen=True)
class TextFile:
    """A content file's text, with `path` as shown in messages (relative to the project)."""

    path: str
    relative: str  # inside content/, with forward slashes
    text: str


def display_path(path: Path, project_root: Path) -> str:
    try:
        return path.relative_to(project_root).as_posix()
    except ValueError:
        return path.as_posix()


def load_content(content_dir: Path) -> tuple[list[TextFile], list[Problem]]:
    """Read every content file under `content_dir`, in a stable order.

    Returns the files that could be read and a problem for each that could not.
    Editor droppings (hidden files, `~` backups) are skipped.
    """
    root = content_dir.resolve()
    project_root = root.parent
    files: list[TextFile] = []
    problems: list[Problem] = []
    if not root.is_dir():
        return [], [
            Problem(
                display_path(content_dir, project_root),
                None,
                "the content folder does not exist or is not a folder",
                "pass --content DIR pointing to a folder with site.yaml and events/",
            )
        ]
    for path in sorted(_walk(root)):
        shown = display_path(path, project_root)
        if not _is_content_name(path.name):
            continue
        try:
            files.append(TextFile(shown, path.relative_to(root).as_posix(), read_text(path, root)))
        except ContentFileError as error:
            problems.append(Problem(shown, error.line, error.message, error.hint))
    return files, problems


class ContentFileError(Exception):
    def __init__(self, message: str, hint: str = "", line: int | None = None) -> None:
        super().__init__(message)
        self.message, self.hint, self.line = message, hint, line


def read_text(path: Path, root: Path) -> str:
    """Read one content file as UTF-8 text with `\\n` line ends and no BOM."""
    if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
        raise ContentFileError(
            "is a symbolic link leading outside the content folder",
            "copy the file into content/ instead of linking to it",
        )
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise ContentFileError(
                f"is {size / 1e6:.1f} MB, over the {MAX_FILE_BYTES // 1_000_000} MB limit",
                "split it or remove what does not belong in an event",
            )
        data = path.read_bytes()
    except OSError as error:
        raise ContentFileError(f"cannot be read ({error.strerror})", "check its permissions") from None
    try:
        return _text_of(data)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ContentFileError(
            f"is not UTF-8 text (byte 0x{data[error.start]:02x})", "save it as UTF-8 in your editor", line
        ) from None


def _text_of(data: bytes) -> str:
    """UTF-8 bytes as text with `\\n` line ends and no BOM; UnicodeDecodeError if they are not UTF-8."""
    return data.decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n")


def read_regular_text(path: str, root: Path) -> tuple[str, tuple[int, int, int] | None]:
    """read_text for a regular file in three system calls (open, fstat, read), without pathlib:
    half the time, for every Markdown file of a cold build; with the file's stamp as read (its
    modification time, size and inode), None when read otherwise. A link, a file too large or
    unreadable and text that is not UTF-8 go to read_text, which refuses them as it does."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:  # a link, say: its stamp taken before it is read (a later change then shows)
        return read_text(Path(path), root), _stamp_of(path)
    status = None
    try:
        status = os.fstat(descriptor)
        size = status.st_size
        data = os.read(descriptor, size + 1) if size <= MAX_FILE_BYTES else None
    except OSError:
        data = None
    finally:
        os.close(descriptor)
    stamp = None if status is None else stamp_of(status)
    try:
        if data is not None and len(data) == size:  # else too large, a folder, or changed while read
            return _text_of(data), stamp
    except UnicodeDecodeError:
        pass
    return read_text(Path(path), root), stamp  # the stamp from before this reading


def stamp_of(status: os.stat_result) -> tuple[int, int, int]:
    """A file's stamp, as the build cache compares them: modification time, size, inode."""
    return (status.st_mtime_ns, status.st_size, status.st_ino)


def _stamp_of(path: str) -> tuple[int, int, int] | None:
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None


def _walk(root: Path) -> list[Path]:
    found: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(folder, name) for name in names)
    return found


def _is_content_name(name: str) -> bool:
    if name.startswith((".", "#")) or name.endswith("~"):
        return False
    return Path(name).suffix in CONTENT_SUFFIXES
