"""The persistent build cache under `.cache/`: parsed files and page keys kept between runs.

Parsed Markdown (front matter and sanitised body HTML) is stored by content hash, with the
file's stamp (modification time, size, inode) so an unchanged file is not even read. Page keys
let a build keep a page of the previous output instead of rendering it again. The whole cache
is dropped when the generator's code changes; page keys include the theme's fingerprint, so a
template change re-renders every page. Deleting the folder is always safe: it only costs time.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from generator.model import Event
from generator.parallel import fork_call
from generator.parse import ParsedFile
from generator.problems import Problem

CACHE_DIR = ".cache"
Stamp = tuple[int, int, int]  # mtime_ns, size, inode


@dataclass
class SourceRecord:
    """A Markdown file as last parsed."""

    stamp: Stamp
    digest: str
    parsed: ParsedFile


@dataclass(frozen=True)
class OutputRecord:
    """A page as last written: its key, and the stamp of the output file then."""

    key: str
    size: int
    mtime_ns: int


@dataclass
class CacheData:
    sources: dict[str, SourceRecord] = field(default_factory=dict)  # by path inside content/
    pages: dict[str, OutputRecord] = field(default_factory=dict)  # every output file, by path
    events: dict[str, JoinedEvent] = field(default_factory=dict)  # by event id


@dataclass(frozen=True)
class JoinedEvent:
    """An event as validated from its files: valid while its files' texts and the registries are the same."""

    key: tuple[str, ...]
    event: Event | None
    problems: tuple[Problem, ...]
    fingerprint: str


@cache
def generator_fingerprint() -> str:
    """Changes whenever the generator's code or the Python version does."""
    hasher = hashlib.blake2b(digest_size=12)
    hasher.update(sys.version.encode())
    for path in sorted(Path(__file__).parent.glob("*.py")):
        hasher.update(path.name.encode())
        hasher.update(path.read_bytes())
    return hasher.hexdigest()


def text_digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


class BuildCache:
    """One cache per project and set of build options, in two files written apart: what was parsed
    (with the joined events), rewritten only when a content file changed, and what was written
    (the output's stamps). Unreadable or stale files are ignored."""

    def __init__(self, folder: Path, options: str) -> None:
        self.path = folder / f"build-{hashlib.blake2b(options.encode(), digest_size=8).hexdigest()}.pickle"
        self.pages_path = self.path.with_suffix(".pages.pickle")

    def load(self) -> CacheData:
        sources, events = _load(self.path, tuple) or ({}, {})
        return CacheData(sources, _load(self.pages_path, dict) or {}, events)

    def save_parsed(self, sources: dict[str, SourceRecord], events: dict[str, JoinedEvent]) -> None:
        _save(self.path, (sources, events))

    def save_pages(self, pages: dict[str, OutputRecord]) -> None:
        _save(self.pages_path, pages)

    def save_parsed_apart(self, sources: dict[str, SourceRecord], events: dict[str, JoinedEvent]) -> PendingSave | None:
        """save_parsed, by a forked process while this one goes on rendering, into a file that
        becomes the cache only if the build succeeds (PendingSave.finish); None if no process or
        file could be made (save_parsed then, at the end). Pickling them is a third of a second
        at 5,000 events, which this process would otherwise spend alone at the end."""
        made = _temporary(self.path)
        if made is None:
            return None
        handle, temporary = made
        generator_fingerprint()  # read here, once, not in the child
        try:
            pid = fork_call(lambda: _dump(handle, (sources, events)))
        except OSError:  # no process to spare
            os.close(handle)
            Path(temporary).unlink(missing_ok=True)
            return None
        os.close(handle)
        return PendingSave(pid, Path(temporary), self.path)


@dataclass(frozen=True)
class PendingSave:
    """A cache file being written by another process (see BuildCache.save_parsed_apart)."""

    pid: int
    temporary: Path
    path: Path

    def finish(self, keep: bool) -> None:
        """Wait for the writer; then its file replaces the cache (`keep`, and it succeeded) or is deleted."""
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:  # waited for elsewhere: whether it succeeded is unknown
            status = -1
        try:
            if keep and status == 0:
                os.replace(self.temporary, self.path)
            else:
                self.temporary.unlink(missing_ok=True)
        except OSError:  # a cache that cannot be written is only a slower next build
            pass


def _load(path: Path, kind: type) -> Any:
    """What `_save` wrote at `path`, if readable, of this generator version and of `kind`; else None."""
    try:
        with path.open("rb") as stream:
            version, data = pickle.load(stream)
    except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError, AttributeError, ImportError):
        return None
    return data if version == generator_fingerprint() and isinstance(data, kind) else None


def _temporary(path: Path) -> tuple[int, str] | None:
    """A new file beside `path` (descriptor and name) to write and then rename, or None if impossible."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=".build-", dir=path.parent)
    except OSError:
        return None


def _save(path: Path, data: object) -> None:
    """Write atomically; a cache that cannot be written is only a slower next build."""
    made = _temporary(path)
    if made is None:
        return
    handle, temporary = made
    try:
        _dump(handle, data)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _dump(handle: int, data: object) -> None:
    """Pickle `data`, stamped with the generator's fingerprint, into the open file `handle` (closed after)."""
    with os.fdopen(handle, "wb") as stream:
        pickle.dump((generator_fingerprint(), data), stream, protocol=pickle.HIGHEST_PROTOCOL)
