"""fork_map: this process and forked workers share the items; results, errors and workers as a pool gives them."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.parallel import fork_map, worker_count
from tests.conftest import child_processes

pytestmark = pytest.mark.skipif(worker_count() < 2 or not Path("/proc/self/stat").exists(),
                                reason="needs two cores, fork and /proc")
PARENT = os.getpid()


def _square_and_where(item: int) -> tuple[int, bool]:
    time.sleep(0.001)  # long enough for a worker to start before this process has taken every item
    return item * item, os.getpid() == PARENT


def test_every_item_once_in_order_shared_by_this_process_and_a_worker() -> None:
    before = child_processes()
    ran = []
    results = fork_map(_square_and_where, range(400), meanwhile=lambda: ran.append(True))
    assert [value for value, _ in results] == [item * item for item in range(400)]
    assert {here for _, here in results} == {True, False}  # both this process and a worker took items
    assert ran == [True] and child_processes() == before  # the worker waited for: no zombie


def _full_disk(item: int) -> None:
    raise OSError(28, "No space left on device", f"page-{item}")


def test_an_error_in_any_process_is_raised_as_it_was() -> None:
    before = child_processes()
    with pytest.raises(OSError, match="No space left on device"):
        fork_map(_full_disk, range(400))
    assert child_processes() == before


def _worker_dies(item: int) -> int:
    time.sleep(0.001)
    if os.getpid() != PARENT:
        os._exit(3)
    return item


def test_a_worker_that_dies_is_an_error_not_missing_results() -> None:
    before = child_processes()
    with pytest.raises(RuntimeError, match="worker process failed"):
        fork_map(_worker_dies, range(400))
    assert child_processes() == before


def test_few_items_stay_in_this_process_and_skip_the_work_meant_for_beside_workers() -> None:
    ran = []  # a warm build parses nothing: compiling every template beside no worker is waste
    assert all(here for _, here in fork_map(_square_and_where, range(10), meanwhile=lambda: ran.append(True)))
    assert ran == []


@pytest.mark.parametrize(("count", "workers", "together"),
                         [(7, 2, 0), (200, 2, 0), (200, 2, 150), (9, 2, 20), (20_000, 2, 0), (1_000_000, 2, 5),
                          (1_000_000, 256, 0)])
def test_chunks_cover_every_item_once_and_their_claims_fit_in_a_pipe(count: int, workers: int, together: int) -> None:
    from generator.parallel import _CLAIM, _chunks

    chunks = _chunks(count, workers, together)
    assert [index for first, size in chunks for index in range(first, first + size)] == list(range(count))
    assert len(chunks) * _CLAIM.size <= 16 * 1024
    assert not together or chunks[0] == (0, min(together, count))


def test_items_asked_to_stay_together_are_made_by_one_process() -> None:
    results = fork_map(_square_and_where, range(400), together=150)
    assert [square for square, _ in results] == [number * number for number in range(400)]
    assert len({here for _, here in results[:150]}) == 1 and len({here for _, here in results}) == 2
