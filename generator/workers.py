"""What runs in worker processes: parsing one file, rendering one page, the whole-site outputs.

Each returns plain data (or a TemplateFailure) so results travel back from forked or spawned
processes; nothing here keeps state between builds except one Markdown renderer per process.
"""

from __future__ import annotations

import os
import signal
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from generator.cache import SourceRecord, text_digest
from generator.load import ContentFileError, read_regular_text
from generator.model import Content
from generator.outputs import WrittenFile
from generator.pages import PageJob
from generator.parse import MarkdownRenderer, ParseError, parse_markdown_file
from generator.problems import Problem
from generator.render import SiteRenderer, make_environment
from generator.scan import FoundFile

_renderer: MarkdownRenderer | None = None


def ignore_interrupts() -> None:
    """For a worker process: Ctrl-C in the terminal reaches the whole process group, and the parent
    decides how to stop; the worker should not print a traceback of its own."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def prepare_parsing() -> None:
    """Make this process's Markdown renderer now (forked workers then inherit it ready)."""
    global _renderer
    _renderer = _renderer or MarkdownRenderer()


def read_and_parse(work: tuple[FoundFile, SourceRecord | None]) -> tuple[SourceRecord | None, Problem | None]:
    """Read one Markdown file and parse it, unless its text is what the cache parsed already."""
    item, known = work
    try:
        text, stamp = read_regular_text(item.path, Path(item.path).parent.parent)
    except ContentFileError as error:
        return None, Problem(item.shown, error.line, error.message, error.hint)
    # A cold build's scan leaves stamps to the reading; none at all: parsed again next time.
    stamp = item.stamp or stamp or (0, 0, 0)
    text_hash = text_digest(text)
    if known is not None and known.digest == text_hash and known.parsed.path == item.shown:
        return SourceRecord(stamp, text_hash, known.parsed), None
    prepare_parsing()
    try:
        parsed = parse_markdown_file(item.shown, item.relative, text, _renderer)  # type: ignore[arg-type]
    except ParseError as error:
        return None, error.problem
    return SourceRecord(stamp, text_hash, parsed), None


class DeferredEnvironment:
    """make_environment(folder), made when a first template is asked for: a build whose pages are
    all kept never loads Jinja (about a tenth of a second)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._environment = None

    def get_template(self, name: str):
        if self._environment is None:
            self._environment = make_environment(self.folder)
        return self._environment.get_template(name)

    def compile_all(self) -> None:
        """Every template of the folder compiled; errors are left for when a page needs the template."""
        from jinja2 import TemplateError

        for path in sorted(self.folder.glob("*.html")):
            try:
                self.get_template(path.name)
            except TemplateError:
                continue


@dataclass(frozen=True)
class TemplateFailure:
    """A template error, as it travels back from a worker process."""

    message: str
    line: int | None
    name: str | None

    def problem(self, root: Path) -> Problem:
        path = Path(self.name or "templates")
        shown = path.relative_to(root).as_posix() if path.is_absolute() and path.is_relative_to(root) else str(path)
        return Problem(shown, self.line, f"template error: {self.message}", "fix the template")


def whole_site_files(content: Content, assets: dict, base_url: str | None) -> dict[str, bytes]:
    """Feeds, data and sitemap of a site, made apart (the live server runs this in another process)."""
    return dict(SiteRenderer(content, None, assets, base_url).extra_files())  # type: ignore[arg-type]


def render_job(work: tuple[SiteRenderer, PageJob | None, Path | None]) -> bytes | WrittenFile | dict | TemplateFailure:
    """One page's bytes (or, for None, the whole-site outputs). With a scratch folder the bytes are
    written there and only where, with their stamps, travels back: the parent never holds the whole site."""
    from jinja2 import TemplateError  # loaded already: rendering is what loads it

    renderer, job, scratch = work
    if job is None:  # each file written as it is made, never held whole
        if scratch is None:
            return dict(renderer.extra_files())
        return {path: _spill(scratch, path, pieces) for path, pieces in renderer.extra_file_pieces()}
    try:
        data = renderer.render(job).encode("utf-8")
    except TemplateError as error:
        return template_failure(error)
    return data if scratch is None else _spill(scratch, job.path, data)


def prepare_rendering(renderer: SiteRenderer, templates: set[str]) -> TemplateFailure | None:
    """Compile the templates in this process, before workers fork (each would compile its own)."""
    from jinja2 import TemplateError

    try:
        renderer.prepare(templates)
    except TemplateError as error:
        return template_failure(error)
    return None


def _spill(scratch: Path, relative: str, data: bytes | Iterable[bytes]) -> WrittenFile:
    """Write a page (or pieces of a file) into the scratch folder. Plain os calls: pathlib's
    objects and a buffered file cost more than the kernel's work for a page (0.05 of 0.13 ms), and
    every event has a folder."""
    target = f"{scratch}/{relative}"
    folder = target.rpartition("/")[0]
    try:
        os.mkdir(folder)
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_CLOEXEC, 0o666)
    try:
        batch: list[bytes] = []
        size = 0
        for piece in (data,) if isinstance(data, bytes) else data:  # a mebibyte a write: fewer calls than pieces
            batch.append(piece)
            size += len(piece)
            if size >= _SPILL_BATCH:
                _write_all(descriptor, b"".join(batch))
                batch, size = [], 0
        _write_all(descriptor, b"".join(batch))  # a page alone: joining one bytes object gives it back
        status = os.fstat(descriptor)
    finally:
        os.close(descriptor)
    return WrittenFile(target, status.st_size, status.st_mtime_ns)


_SPILL_BATCH = 1 << 20


def _write_all(descriptor: int, data: bytes) -> None:
    written = os.write(descriptor, data)
    while written < len(data):  # a write may stop short (a full disk says so by raising)
        written += os.write(descriptor, data[written:])


def template_failure(error) -> TemplateFailure:
    """A Jinja TemplateError as plain data (templates are content too, for an editor)."""
    name = getattr(error, "filename", None) or getattr(error, "name", None)
    line = getattr(error, "lineno", None)
    if name is None:  # an error while rendering: Jinja's rewritten traceback has the template frames
        name, line = _innermost_template_frame(error.__traceback__) or (None, line)
    return TemplateFailure(str(error.message), line, name)


def _innermost_template_frame(trace) -> tuple[str, int] | None:
    found = None
    while trace is not None:
        file_name = trace.tb_frame.f_code.co_filename
        if not file_name.endswith(".py") and not file_name.startswith("<"):
            found = (file_name, trace.tb_lineno)
        trace = trace.tb_next
    return found
