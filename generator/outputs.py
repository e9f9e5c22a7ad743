"""Output files of a build, some of them kept from the previous output rather than held in memory."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import NamedTuple

from generator.cache import OutputRecord


class WrittenFile(NamedTuple):
    """A file a worker process wrote, with its size and modification time then: the build records
    its stamp without a stat of its own (see records_of). A tuple of text and numbers: 10,000
    of them come back from the workers, and a Path takes six times longer to unpickle."""

    path: str
    size: int
    mtime_ns: int


OutputValue = bytes | Path | WrittenFile


class OutputFiles(Mapping[str, bytes]):
    """Output path -> bytes. A `Path` value is a file of the previous output holding the right bytes
    (its stamp as recorded when written); a `WrittenFile`, a page rendered by a worker. Both are
    read when asked for."""

    def __init__(self, files: dict[str, OutputValue]) -> None:
        self._files = files

    def __getitem__(self, path: str) -> bytes:
        value = self._files[path]
        if isinstance(value, bytes):
            return value
        # Read each time, not kept: a big site is written one file at a time, never held whole.
        return Path(value.path if isinstance(value, WrittenFile) else value).read_bytes()

    def __iter__(self) -> Iterator[str]:
        return iter(self._files)

    def __len__(self) -> int:
        return len(self._files)

    def raw(self, path: str) -> OutputValue:
        return self._files[path]

    def all_kept(self, output: Path | None) -> bool:
        """True if every file is the previous output's own (in `output`), unread."""
        return output is not None and all(
            isinstance(value, Path) and value.parent.is_relative_to(output) for value in self._files.values()
        )


def kept_file(output: Path | None, path: str, record: OutputRecord | None, key: str) -> Path | None:
    """The previous output's file for `path`, if it was written for this key and is untouched since."""
    if output is None or record is None or record.key != key:
        return None
    try:
        status = (output / path).lstat()  # a link planted in the output is not ours to keep
    except OSError:
        return None
    if not stat.S_ISREG(status.st_mode):
        return None
    return output / path if (status.st_size, status.st_mtime_ns) == (record.size, record.mtime_ns) else None


def records_of(output: Path, keys: Mapping[str, str], files: Mapping[str, OutputValue]) -> dict[str, OutputRecord]:
    """The stamp of each written output file, with the key it was made for; a file a worker wrote
    in place (`files`' WrittenFile, moved with its folder into `output`) as the worker saw it. Had
    write_site copied it instead, the stamp would not match, and the next build would only render
    that page again."""
    records = {}
    folder = str(output)  # os.stat on text: pathlib's objects cost twice the system call, per file
    for path, key in keys.items():
        written = files.get(path)
        if isinstance(written, WrittenFile):
            records[path] = OutputRecord(key, written.size, written.mtime_ns)
            continue
        try:
            status = os.stat(f"{folder}/{path}")
        except OSError:
            continue
        records[path] = OutputRecord(key, status.st_size, status.st_mtime_ns)
    return records
