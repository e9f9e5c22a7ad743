"""Run a function over many items on every core: this process and forked worker processes.

Workers are forked, so they inherit the function and its data as they are at the call (no
pickling of templates, renderers or content); only the results travel back, each worker's all at
once when it is done. This process works too: on N cores it forks N - 1 workers (a worker fewer to
start, and to copy the memory pages it touches). Small batches, and machines without `fork`, run
in this process alone.
"""

from __future__ import annotations

import gc
import io
import os
import pickle
import signal
import struct
import traceback
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
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
             meanwhile: Callable[[], None] | None = None, together: int = 0) -> list[Any]:
    """`[function(item) for item in items]`, split across the cores. `function` must not raise.

    `meanwhile` runs in this process first, while the workers start on the items (only if there
    are workers: it is work worth doing beside them, not otherwise); this process then takes
    items too, until none are left. The first `together` items go to one process, as one chunk:
    work that shares what that process remembers (pages listing the same events)."""
    workers = min(worker_count(), len(items) // max(min_items // 2, 1))
    if workers < 2 or len(items) < min_items or not hasattr(os, "fork"):
        return [function(item) for item in items]
    gc.freeze()  # the collector would touch every object in the workers, copying the pages they share
    try:
        return _shared_map(function, items, workers, meanwhile, together)
    finally:
        gc.unfreeze()


def _shared_map(function: Callable[[Any], Any], items: Sequence[Any], workers: int,
                meanwhile: Callable[[], None] | None, together: int) -> list[Any]:
    claims_out, claims_in = os.pipe()
    # Every chunk's claim is in the pipe before anyone reads: a read of one claim is atomic, so each
    # chunk goes to exactly one process, and an empty pipe with no writer says the work is done.
    chunks = _chunks(len(items), workers, together)
    os.write(claims_in, b"".join(_CLAIM.pack(first, count) for first, count in chunks))
    os.close(claims_in)
    children = []
    try:
        for _ in range(workers - 1):
            children.append(_fork_worker(function, items, claims_out))
        if meanwhile is not None:
            meanwhile()
        results: list[Any] = [None] * len(items)
        for first, values in _work(function, items, claims_out):
            results[first:first + len(values)] = values
        while children:
            for first, values in _collect(*children.pop()):
                results[first:first + len(values)] = values
        return results
    finally:
        os.close(claims_out)
        for pid, pipe in children:  # left only if this process failed: stop them, keep no zombie
            os.kill(pid, signal.SIGKILL)
            os.close(pipe)
            os.waitpid(pid, 0)


def _chunks(count: int, workers: int, together: int = 0) -> list[tuple[int, int]]:
    """Small chunks, handed out as processes free up: item costs vary (a timeline page vs an event
    page); the first `together` items in one. At most _MAX_CHUNKS: their claims must fit in a
    pipe's buffer, all written before anyone reads."""
    start = min(together, count)
    rest = count - start
    size = max(1, rest // (workers * 16), -(-rest // (_MAX_CHUNKS - 1)))
    first_chunk = [(0, start)] if start else []
    return first_chunk + [(first, min(size, count - first)) for first in range(start, count, size)]


def _work(function: Callable[[Any], Any], items: Sequence[Any], claims: int) -> Iterator[tuple[int, list]]:
    """Each claimed chunk's first index and results, until no chunk is left."""
    while len(claim := os.read(claims, _CLAIM.size)) == _CLAIM.size:
        first, count = _CLAIM.unpack(claim)
        yield first, [function(items[index]) for index in range(first, first + count)]


def _fork_worker(function: Callable[[Any], Any], items: Sequence[Any], claims: int) -> tuple[int, int]:
    results_out, results_in = os.pipe()

    def send_results() -> None:
        os.close(results_out)
        gc.enable()
        # Each chunk's results pickled as soon as made, while the other processes work: at the end
        # only the last chunk's are left to pickle (one pickler: objects shared across chunks
        # are written once, as a single pickle of them all would).
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        try:
            for chunk in _work(function, items, claims):
                pickler.dump(chunk)
            data = buffer.getbuffer()
        except Exception as error:  # raised again in the parent, as a pool would (a full disk, say)
            data = _pickled_error(error)
        with open(results_in, "wb") as stream:
            stream.write(data)

    def send_results_or_say_why() -> None:  # the parent reports a worker that failed; this says why
        try:
            send_results()
        except BaseException:
            traceback.print_exc()
            raise

    pid = fork_call(send_results_or_say_why)
    os.close(results_in)
    return pid, results_out


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


def _collect(pid: int, pipe: int) -> Iterator[tuple[int, list]]:
    """A worker's chunks of results, once it is done (its pipe closed); it is waited for, whatever happens."""
    try:
        with open(pipe, "rb") as stream:
            data = stream.read()
    finally:
        _, status = os.waitpid(pid, 0)
    if status != 0:
        raise RuntimeError(f"a worker process failed (exit status {status})")
    unpickler = pickle.Unpickler(io.BytesIO(data))
    while True:  # one pickle per chunk, or one exception
        try:
            chunk = unpickler.load()
        except EOFError:
            return
        if isinstance(chunk, BaseException):
            raise chunk
        yield chunk


def _pickled_error(error: Exception) -> bytes:
    try:
        return pickle.dumps(error, pickle.HIGHEST_PROTOCOL)
    except Exception:  # an exception that does not pickle: its text, with the worker's traceback
        text = "".join(traceback.format_exception(error))
        return pickle.dumps(RuntimeError(f"in a worker process: {text}"), pickle.HIGHEST_PROTOCOL)


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
