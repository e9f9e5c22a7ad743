"""Run a function over many items on every core, in forked worker processes.

Workers are forked, so they inherit the function and its data as they are at the call (no
pickling of templates, renderers or content); only the results travel back. Small batches, and
machines without `fork`, run in this process.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

MIN_ITEMS = 200  # below this, starting workers costs more than it saves

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def worker_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def fork_map(function: Callable[[Any], Any], items: Sequence[Any], *, min_items: int = MIN_ITEMS,
             meanwhile: Callable[[], None] | None = None) -> list[Any]:
    """`[function(item) for item in items]`, split across the cores. `function` must not raise.

    `meanwhile` runs in this process while the workers work (when there are workers): this
    process only waits for them otherwise, and the workers' last items rarely end together."""
    workers = min(worker_count(), len(items) // max(min_items // 2, 1))
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    global _job
    _job = (function, items)
    gc.freeze()  # the collector would touch every object in the workers, copying the pages they share
    try:
        with multiprocessing.get_context("fork").Pool(workers, initializer=gc.enable) as pool:
            # Small chunks handed out as workers free up: item costs vary (a timeline page vs an event page).
            results = pool.map_async(_run_one, range(len(items)), chunksize=max(1, len(items) // (workers * 16)))
            if meanwhile is not None:
                meanwhile()
            return results.get()
    finally:
        _job = None
        gc.unfreeze()


def _run_one(index: int) -> Any:
    assert _job is not None, "fork_map's worker started without a job"
    function, items = _job
    return function(items[index])


@contextmanager
def collections_paused() -> Iterator[None]:
    """No cyclic garbage collection in this process meanwhile (fork_map's workers still collect).

    A build allocates objects by the hundred thousand and makes next to no cycles: the collector's
    full passes over the whole heap found nothing, and cost 0.3 s of a 5,000-event build in the
    one process at work then."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
