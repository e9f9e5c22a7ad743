"""fork_map: this process and forked workers share the items; results, errors and workers as a pool gives them."""

from __future__ import annotations

import contextlib
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.parallel import _CLAIM, _fork_worker, fork_map, worker_count
from tests.conftest import REPO, child_processes

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


def test_a_workers_results_are_read_as_it_makes_them() -> None:
    """This process reads a worker's results between chunks of its own, not all once it is done
    (a 5,000-event build waited 0.1 s for them after parsing)."""
    claims_out, claims_in = os.pipe()
    os.write(claims_in, b"".join(_CLAIM.pack(index, 1) for index in range(3)))
    os.close(claims_in)
    gate_out, gate_in = os.pipe()

    def tenfold(item: int) -> int:  # the last waits until the first two were read here
        if item == 2:
            os.read(gate_out, 1)
        return item * 10

    worker = _fork_worker(tenfold, range(3), claims_out)
    try:
        read: list = []
        deadline = time.monotonic() + 10
        while len(read) < 2 and time.monotonic() < deadline:
            read += worker.ready()
        assert read == [(0, [0]), (1, [10])]
        os.write(gate_in, b"go")
        assert list(worker.rest()) == [(2, [20])]
    finally:
        os.write(gate_in, b"go")  # a worker still waiting goes on, and is waited for
        with contextlib.suppress(ChildProcessError):
            os.waitpid(worker.pid, 0)
        worker.close()
        for pipe in (claims_out, gate_out, gate_in):
            os.close(pipe)


def test_results_travel_in_a_temporary_file_where_there_is_no_memory_file(monkeypatch) -> None:
    monkeypatch.delattr(os, "memfd_create")  # as on macOS
    results = fork_map(_square_and_where, range(400))
    assert [value for value, _ in results] == [item * item for item in range(400)]
    assert {here for _, here in results} == {True, False}


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="tunes glibc's malloc")
@pytest.mark.parametrize("tuned", [True, False])
def test_big_blocks_are_reused_from_the_heap_not_mapped_afresh(tuned: bool) -> None:
    """A page's text and bytes are megabytes each: mapped afresh, every 4 KiB of them was a fault."""
    script = (
        "import resource, sys\n"
        "from generator.parallel import big_blocks_from_the_heap\n"
        f"{'big_blocks_from_the_heap()' if tuned else ''}\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
        "for number in range(50):\n"  # each a little bigger than the last, as pages come
        "    page = b'x' * ((1 << 20) + number * 65536)\n"  # written whole, as a page's text is
        "    del page\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before)\n"
    )
    faults = int(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                                cwd=REPO).stdout)
    assert (faults < 5 * 256) if tuned else (faults > 40 * 256), faults  # 256 pages of 4 KiB in a MiB


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
