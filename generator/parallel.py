"""Run a function over many items on every core: this process and forked worker processes.

Workers are forked, so they inherit the function and its data as they are at the call (no
pickling of templates, renderers or content); only the results travel back, each chunk's as soon
as made, and this process reads them between chunks of its own. This process works too: on N
cores it forks N - 1 workers (a worker fewer to start, and to copy the memory pages it touches).
Small batches, and machines without `fork`, run in this process alone.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import struct
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

MIN_ITEMS = 200  # below this, starting workers costs more than it saves
_CLAIM = struct.Struct("=ii")  # a chunk of items: first index, count
_MAX_CHUNKS = 2048  # 16 KiB of claims: what a new pipe holds on macOS (64 KiB on Linux)


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_map(function: Callable[[Any], Any], items: Sequence[Any], *, min_items: int = MIN_ITEMS,
             meanwhile: Callable[[], None] | None = None, together: int = 0,
             arrived: Callable[[int, list], None] | None = None) -> list[Any]:
    """`[function(item) for item in items]`, split across the cores. `function` must not raise.

    `meanwhile` runs in this process first, while the workers start on the items (only if there
    are workers: it is work worth doing beside them, not otherwise); this process then takes
    items too, until none are left. The first `together` items go to one process, as one chunk:
    work that shares what that process remembers (pages listing the same events). `arrived`, if
    given, is called in this process with each chunk's first index and results as they come, its
    own and the workers', while the workers go on (again only if there are workers)."""
    workers = min(worker_count(), len(items) // max(min_items // 2, 1))
    if workers < 2 or len(items) < min_items or not hasattr(os, "fork"):
        return [function(item) for item in items]
    gc.freeze()  # the collector would touch every object in the workers, copying the pages they share
    try:
        return _shared_map(function, items, workers, meanwhile, together, arrived)
    finally:
        gc.unfreeze()


def _shared_map(function: Callable[[Any], Any], items: Sequence[Any], workers: int,
                meanwhile: Callable[[], None] | None, together: int,
                arrived: Callable[[int, list], None] | None) -> list[Any]:
    claims_out, claims_in = os.pipe()
    # Every chunk's claim is in the pipe before anyone reads: a read of one claim is atomic, so each
    # chunk goes to exactly one process, and an empty pipe with no writer says the work is done.
    chunks = _chunks(len(items), workers, together)
    os.write(claims_in, b"".join(_CLAIM.pack(first, count) for first, count in chunks))
    os.close(claims_in)
    children: list[_Worker] = []
    results: list[Any] = [None] * len(items)

    def place(done: Iterable[tuple[int, list]]) -> None:
        for first, values in done:
            results[first:first + len(values)] = values
            if arrived is not None:
                arrived(first, values)

    try:
        for _ in range(workers - 1):
            children.append(_fork_worker(function, items, claims_out))
        if meanwhile is not None:
            meanwhile()
        for chunk in _work(function, items, claims_out):
            place((chunk,))
            for child in children:  # the workers' results so far, while they work on
                place(child.ready())
        while children:
            place(children[-1].rest())
            children.pop().close()
        return results
    finally:
        os.close(claims_out)
        for child in children:  # left only if this process failed: stop them, keep no zombie
            if not child.reaped:
                os.kill(child.pid, signal.SIGKILL)
                os.waitpid(child.pid, 0)
            child.close()


def _chunks(count: int, workers: int, together: int = 0) -> list[tuple[int, int]]:
    """Small chunks, handed out as processes free up: item costs vary (a timeline page vs an event
    page), and the last process to finish holds up the others by half a chunk on average (sixty-four
    a process: 15 ms at the end of a 5,000-event build's pages, against 43 ms with sixteen); the
    first `together` items in one. At most _MAX_CHUNKS: their claims must fit in a pipe's buffer,
    all written before anyone reads."""
    start = min(together, count)
    rest = count - start
    size = max(1, rest // (workers * 64), -(-rest // (_MAX_CHUNKS - 1)))
    first_chunk = [(0, start)] if start else []
    return first_chunk + [(first, min(size, count - first)) for first in range(start, count, size)]


def _work(function: Callable[[Any], Any], items: Sequence[Any], claims: int) -> Iterator[tuple[int, list]]:
    """Each claimed chunk's first index and results, until no chunk is left."""
    while len(claim := os.read(claims, _CLAIM.size)) == _CLAIM.size:
        first, count = _CLAIM.unpack(claim)
        yield first, [function(items[index]) for index in range(first, first + count)]


def _fork_worker(function: Callable[[Any], Any], items: Sequence[Any], claims: int) -> _Worker:
    results = _results_file()

    def send_results() -> None:
        gc.enable()
        # Each chunk's results written as soon as made, framed by their length, for this process
        # to read while it works too: at the end only the last chunk's are left to read.
        start = 0  # of the frame being written
        try:
            for chunk in _work(function, items, claims):
                start = os.lseek(results, 0, os.SEEK_CUR)
                _write_frame(results, pickle.dumps(chunk, pickle.HIGHEST_PROTOCOL))
        except Exception as error:  # raised again in the parent, as a pool would (a full disk, say)
            os.ftruncate(results, start)  # no half-written frame before it
            os.lseek(results, start, os.SEEK_SET)
            _write_frame(results, _pickled_error(error))

    def send_results_or_say_why() -> None:  # the parent reports a worker that failed; this says why
        try:
            send_results()
        except BaseException:
            traceback.print_exc()
            raise

    try:
        return _Worker(fork_call(send_results_or_say_why), results)
    except BaseException:  # no process to be had
        os.close(results)
        raise


def fork_call(function: Callable[[], object]) -> int:
    """Call `function` in a forked process; its pid, for os.waitpid: exit status 0 if the call
    returned, 1 if it raised. The child ignores Ctrl-C (it reaches the whole process group: the
    parent decides), and never returns, runs the parent's exit handlers or flushes its buffers."""
    pid = os.fork()
    if pid == 0:
        status = 1
        try:
            signal.signal(signal.SIGINT, signal.SIG_IGN)
            function()
            status = 0
        finally:
            os._exit(status)
    return pid


_FRAME = struct.Struct("=Q")  # a chunk's pickled size, before it


def _results_file() -> int:
    """A file in memory (on Linux; else a temporary file) for a worker's results: unlike a pipe's
    buffer it never fills, so the worker never waits for this process to read."""
    if hasattr(os, "memfd_create"):
        return os.memfd_create("timeline-results", os.MFD_CLOEXEC)
    with tempfile.TemporaryFile() as stream:
        return os.dup(stream.fileno())


def _write_frame(results: int, data: bytes) -> None:
    view = memoryview(_FRAME.pack(len(data)) + data)
    while view:
        view = view[os.write(results, view):]


class _Worker:
    """A forked worker and the file it appends its results to, read as they come."""

    def __init__(self, pid: int, results: int) -> None:
        self.pid, self.results, self.offset = pid, results, 0
        self.reaped = False

    def ready(self) -> Iterator[tuple[int, list]]:
        """The chunks whose results are whole in the file by now."""
        size = os.fstat(self.results).st_size
        while self.offset + _FRAME.size <= size:
            (length,) = _FRAME.unpack(os.pread(self.results, _FRAME.size, self.offset))
            end = self.offset + _FRAME.size + length
            if end > size:
                return  # being written
            chunk = pickle.loads(os.pread(self.results, length, self.offset + _FRAME.size))
            self.offset = end
            if isinstance(chunk, BaseException):
                raise chunk
            yield chunk

    def rest(self) -> Iterator[tuple[int, list]]:
        """The chunks not read yet, once the worker is done; it is waited for, whatever happens."""
        _, status = os.waitpid(self.pid, 0)
        self.reaped = True
        if status != 0:
            raise RuntimeError(f"a worker process failed (exit status {status})")
        yield from self.ready()
        if self.offset != os.fstat(self.results).st_size:
            raise RuntimeError("a worker process left its results cut short")

    def close(self) -> None:
        os.close(self.results)


def _pickled_error(error: Exception) -> bytes:
    try:
        return pickle.dumps(error, pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle: its text, with the worker's traceback
        text = "".join(traceback.format_exception(error))
        return pickle.dumps(RuntimeError(f"in a worker process: {text}"), pickle.HIGHEST_PROTOCOL)


_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # glibc's mallopt parameters (malloc.h)
_BIG_BLOCK = 32 << 20  # glibc's largest mmap threshold


@lru_cache(maxsize=1)
def big_blocks_from_the_heap() -> None:
    """Have glibc's malloc serve blocks up to 32 MiB from the heap, and keep up to 64 MiB freed
    there, in this process and the workers it forks: the text and bytes of the pages listing
    events (0.5-3 MB each, a thousand of them at 5,000 events) were each mapped afresh, a page
    fault per 4 KiB (83,000 of a 5,000-event build's 250,000). glibc raises its threshold by itself
    once such a block is freed, which a build may never do. Elsewhere (macOS, musl) nothing."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError, TypeError):  # no C library by that name (Windows: no CDLL(None))
        return
    mallopt(_M_MMAP_THRESHOLD, _BIG_BLOCK)
    mallopt(_M_TRIM_THRESHOLD, 2 * _BIG_BLOCK)


@contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic garbage collection in this process meanwhile (fork_map's workers still collect).

    A build allocates objects by the hundred thousand and makes next to no cycles: the collector's
    full passes over the whole heap found nothing, and cost 0.3 s of a 5,000-event build in the
    one process at work then. Afterwards, what was made meanwhile joins the oldest generation as
    is (two list moves): else the first collection would walk it all, as the youngest generation
    (27 ms after a 5,000-event build). Not in a process that keeps objects frozen (the live
    server): that would thaw them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()
