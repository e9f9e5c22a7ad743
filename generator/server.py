"""`timeline serve`: build, serve the output folder, rebuild what a change touches, reload the browser.

It keeps livereload's browser protocol (its `Server`, websocket handler and the livereload.js it
ships) and replaces the parts of livereload 2.7.1 that cannot meet the contract:

- its watcher polls every 800 ms and drops changes made within 3 s of a reload
  (lepture/python-livereload#161): here an event-driven watcher (`watchfiles`, inotify on Linux)
  collects a burst of saves, and the rebuild runs at once and tells the browsers itself;
- it never tells the browser a build failed: here the last good site stays served, every HTML
  page gets an overlay listing the problems (`path:line: message`), and a reload is still sent;
- its live CSS reload re-fetches the same URL, but our stylesheets have content-hashed names: a
  small livereload plugin swaps the `<link>` to the new name, so a CSS change needs no page reload;
- its static handler serves any file; ours serves only the output folder (403/404 outside it).
"""

from __future__ import annotations

import errno
import gc
import logging
import multiprocessing
import os
import signal
import socket
import sys
import threading
import time
import webbrowser
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado.ioloop import IOLoop

from generator.build import Project
from generator.cache import CACHE_DIR, BuildCache
from generator.incremental import SiteBuilder
from generator.preview import OutputHandler, Preview, write_changes
from generator.problems import ContentError, OutputError, Problem
from generator.workers import ignore_interrupts, whole_site_files
from generator.write import check_output_dir, write_site

BURST_MS = 10  # a change is built once no other arrives for this long (an editor saving several files)
BURST_LIMIT_MS = 500  # ... but no later than this after the first
WHOLE_SITE_DELAY_S = 0.3  # feeds, data and sitemap are made this long after the pages
READY_MS = 100  # the watcher reports "nothing yet" this often; its first report means it is watching


class ChangeWatcher(Watcher):
    """livereload's watcher interface over `watchfiles`: events, not polling; bursts arrive as one set."""

    def __init__(self, paths: list[Path], on_change) -> None:
        super().__init__()
        self.paths, self.on_change = paths, on_change
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None
        self.loop: IOLoop | None = None  # the server's loop, where rebuilds run

    def start(self, callback) -> bool:
        """Called by livereload with its polling callback, which is not needed: True means 'no polling'."""
        self.thread = threading.Thread(target=self._run, name="timeline-watcher", daemon=True)
        self.thread.start()
        return True

    def _run(self) -> None:
        import watchfiles  # imported here: only `serve` needs it

        assert self.loop is not None, "the server sets the loop before starting the watcher"
        watching = False
        for changes in watchfiles.watch(*self.paths, debounce=BURST_LIMIT_MS, step=BURST_MS,
                                        stop_event=self.stop_event, rust_timeout=READY_MS,
                                        yield_on_timeout=True, raise_interrupt=False):
            arrived = time.perf_counter()
            if not watching:
                # Watching from now on; a save made between the first build and now was not seen,
                # so the first report asks for the whole content folder to be looked at (None).
                watching = True
                self.loop.add_callback(self.on_change, None, arrived)
            elif changes:
                self.loop.add_callback(self.on_change, {Path(path) for _, path in changes}, arrived)

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(timeout=2)


class PreviewServer(Server):
    """livereload's Server, serving the output folder through our handler and logging quietly."""

    def __init__(self, watcher: ChangeWatcher, preview: Preview) -> None:
        super().__init__(watcher=watcher)
        self.preview = preview

    def get_web_handlers(self, script):
        return [(r"/(.*)", OutputHandler, {"path": str(self.preview.output), "preview": self.preview})]

    def _setup_logging(self) -> None:
        # Our own one-line messages instead of livereload's and tornado's request log.
        logging.getLogger("tornado.access").setLevel(logging.ERROR)
        logging.getLogger("livereload").setLevel(logging.WARNING)


def serve(project: Project, output: Path, host: str, port: int, open_browser: bool, drafts: bool,
          quiet: bool) -> int:
    """Run the live preview until Ctrl-C. Returns the exit status."""
    say = (lambda message: None) if quiet else (lambda message: print(message, file=sys.stderr, flush=True))
    problem = _unusable(project, host, port)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    try:
        target = check_output_dir(output, project.protected)
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    base_url = f"http://{_url_host(host)}:{port}/"
    options = "\n".join(map(str, ("serve", project.content, project.templates, target, base_url, drafts)))
    builder = SiteBuilder(project, base_url=base_url, drafts=drafts, parallel=False, output=target,
                          cache=BuildCache(project.root / CACHE_DIR, options))
    preview = Preview(target)
    if not _first_build(builder, preview, project, say):
        return 1
    gc.freeze()  # the first build's objects live on: a full collection would walk them on a later save
    builder.search = False  # Pagefind takes seconds: the preview's search index is the one built at start
    builder.defer_whole_site = True
    builder.warnings = False
    live = LiveSite(project, builder, preview, say, written=not preview.problems)
    watcher = ChangeWatcher([project.content, project.templates], live.changed)
    server = PreviewServer(watcher, preview)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # we decide when to reload; never drop a change
    signal.signal(signal.SIGTERM, _interrupt)
    # The event loop is made before "serving" is said: a Ctrl-C right after it must not cut the
    # loop's making short (a half-made loop's finaliser prints a traceback at exit).
    watcher.loop = IOLoop.current()
    say(f"serving {target} at {base_url} (Ctrl-C to stop)")
    if open_browser:
        threading.Timer(0.5, webbrowser.open, (base_url,)).start()
    try:
        server.serve(port=port, host=host, root=str(target), open_url_delay=None)
    except OSError as error:
        print(f"error: cannot serve on {host}:{port}: {error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        pass
    finally:
        watcher.stop()
        live.stop()
        builder.remember_output(target)  # the next start reuses this output and its parsed files
    say("stopped.")
    return 0


def _first_build(builder: SiteBuilder, preview: Preview, project: Project, say) -> bool:
    """Build and write the whole site; on content problems serve them (over the last output, if any)."""
    started = time.perf_counter()
    try:
        site = builder.build()
        if not site.unchanged:
            write_site(site.files, preview.output, project.protected)
        builder.remember_output(preview.output)
        say(f"built {len(site.content.events)} events in {time.perf_counter() - started:.2f} s")
    except ContentError as error:
        preview.failed(error.problems)
        _print_problems(error.problems)
    except OutputError as error:
        print(f"error: {error}", file=sys.stderr)
        return False
    return True


class LiveSite:
    """What happens on a change: rebuild, write what changed, tell the browsers.

    Feeds, data and sitemap are made from the whole timeline (a second or more at 1,000 events):
    a rebuild leaves them as they were, and one spawned worker process makes them on the other
    core while the pages are already served; they are written when ready.
    """

    def __init__(self, project: Project, builder: SiteBuilder, preview: Preview, say, *, written: bool) -> None:
        self.project, self.builder, self.preview, self.say = project, builder, preview, say
        self.written = written  # False until a good build has been written (the first one all at once)
        self.workshop = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=ignore_interrupts)
        self.workshop.submit(int)  # start the worker now, not at the first save
        self.busy = False

    def changed(self, paths: set[Path] | None, arrived: float) -> None:
        """Rebuild for the changed `paths` (None: anything in the project may have changed)."""
        styles_only = paths is not None and all(
            path.suffix == ".css" and self.project.templates in path.parents for path in paths)
        try:
            site = self.builder.build(paths)
        except ContentError as error:
            if paths is None and error.problems == self.preview.problems:
                return  # the catch-up look found the same problems as the first build
            self.preview.failed(error.problems)
            _print_problems(error.problems)
            self._reload("*")
            return
        if paths is None and self.written and not (site.changed or site.removed or self.preview.problems):
            return  # the catch-up look found nothing new
        try:
            if self.written:
                write_changes(self.preview.output, site.files, site.changed, site.removed)
            else:
                write_site(site.files, self.preview.output, self.project.protected)
        except OSError as error:
            self._not_written(error)
            return
        self.written = True
        self.preview.succeeded()
        took = (time.perf_counter() - arrived) * 1000
        self.say(f"rebuilt {len(site.changed)} file(s), {len(site.removed)} removed, in {took:.0f} ms")
        stylesheets = [path for path in site.changed if path.endswith(".css")]
        self._reload(stylesheets[0] if styles_only and len(stylesheets) == 1 else "*")
        # Handing the site to the worker pickles every event (tens of ms, holding this loop): the
        # browsers' requests for the new page come first.
        IOLoop.current().call_later(WHOLE_SITE_DELAY_S, self._make_whole_site)

    def _make_whole_site(self) -> None:
        if self.busy or self.builder.pending is None:
            return
        key, renderer = self.builder.pending
        self.busy, started, loop = True, time.perf_counter(), IOLoop.current()
        future = self.workshop.submit(whole_site_files, renderer.content, renderer.assets, self.builder.base_url)
        future.add_done_callback(lambda done: loop.add_callback(self._whole_site_made, key, done, started))

    def _whole_site_made(self, key: str, future, started: float) -> None:
        self.busy = False
        try:
            files = future.result()
        except Exception as error:  # a worker that died: the pages are fine, say so and go on
            self.say(f"feeds and data could not be made: {error}")
            return
        changed, removed = self.builder.accept_whole_site(key, files)
        try:
            write_changes(self.preview.output, changed, changed, removed)
        except OSError as error:
            self._not_written(error)
            return
        if changed or removed:
            took = (time.perf_counter() - started) * 1000
            self.say(f"  feeds, data, sitemap: {len(changed)} file(s) in {took:.0f} ms")
        self._make_whole_site()  # the site may have changed again meanwhile

    def _not_written(self, error: OSError) -> None:
        """The output could not be written (a full disk, a folder in the way): said in the terminal
        and over the pages; the next good build writes the whole site again, replacing what was
        half-written."""
        self.written = False
        problems = [Problem(str(error.filename or self.preview.output), None,
                            f"the preview could not be written: {error.strerror or error}",
                            "free some disk space or check the output folder, then save again")]
        self.preview.failed(problems)
        _print_problems(problems)
        self._reload("*")

    def stop(self) -> None:
        # Waiting costs nothing (the interpreter's exit waits for the worker anyway) and closes a
        # race of Python 3.11's: its exit hook wrote to the pool's wake-up pipe while the pool's
        # thread was closing it, and printed "Bad file descriptor" (1 stop in 10).
        self.workshop.shutdown(wait=True, cancel_futures=True)

    def _reload(self, path: str) -> None:
        self.preview.reloading()  # pages served from now on are of the new generation
        LiveReloadHandler.reload_waiters(path)


def _unusable(project: Project, host: str, port: int) -> str | None:
    """Why serving cannot start, in one line, or None."""
    content = project.content
    if not content.is_dir():
        return f"the content folder {content} does not exist or is not a folder (pass --content DIR)"
    if not os.access(content, os.R_OK | os.X_OK):
        return f"the content folder {content} cannot be read (check its permissions)"
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                return f"port {port} on {host} is already in use; stop the other server or pass --port N"
            return f"cannot listen on {host}:{port} ({error.strerror or error})"
    return None


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _print_problems(problems: list[Problem]) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)
    print(f"{len(problems)} problem(s): showing the last good site with the errors over it", file=sys.stderr,
          flush=True)


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt

