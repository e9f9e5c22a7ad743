"""The build pipeline end to end: read content, render pages, write the output folder."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache import CACHE_DIR, BuildCache
from generator.incremental import SiteBuilder
from generator.problems import Problem
from generator.write import check_output_dir, write_site

DEFAULT_THEME = Path(__file__).resolve().parent.parent / "templates"


@dataclass(frozen=True)
class Project:
    """Where a site's parts live. By default all beside each other in one folder."""

    root: Path
    content: Path
    templates: Path

    @classmethod
    def at(cls, root: Path, content: Path | None = None, templates: Path | None = None) -> Project:
        root = root.resolve()
        if templates is None:
            templates = root / "templates" if (root / "templates").is_dir() else DEFAULT_THEME
        return cls(root, (content or root / "content").resolve(), templates.resolve())

    @property
    def protected(self) -> tuple[Path, ...]:
        """Folders an output folder must never be, nor contain."""
        conventional = (self.root / "content", self.root / "templates")
        return (self.root, self.content, self.templates, *conventional, DEFAULT_THEME.parent)


@dataclass(frozen=True)
class BuildReport:
    pages: int
    events: int
    seconds: float
    output: Path
    warnings: list[Problem] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    rendered: int = 0  # pages rendered; the others were kept from the previous output
    parsed: int = 0  # Markdown files parsed; the others came from the cache
    # The builder, with all it made: held by the report, so that a process ending next (the CLI,
    # see cli.exit_now) does not free it object by object (30 ms after a 5,000-event build).
    builder: SiteBuilder | None = field(default=None, repr=False, compare=False)


def build(
    project: Project,
    output: Path,
    *,
    base_url: str | None = None,
    drafts: bool = False,
    cache: bool = True,
    search: bool = True,
) -> BuildReport:
    """Build the whole site into `output`. Raises ContentError or OutputError; never half-writes.

    With `cache`, parsed files and page keys are kept in PROJECT/.cache/ so the next build
    parses only changed files and keeps unchanged pages of the previous output. Without
    `search` no Pagefind index is made (the benchmarks compare with generators that make none).
    """
    started = time.perf_counter()
    target = check_output_dir(output, project.protected)  # refuse early, before any work
    options = "\n".join(map(str, (project.content, project.templates, target, base_url, drafts, search)))
    builder = SiteBuilder(
        project,
        base_url=base_url,
        drafts=drafts,
        output=target,
        cache=BuildCache(project.root / CACHE_DIR, options) if cache else None,
        search=search,
    )
    try:
        site = builder.build()
        rendered = time.perf_counter()
        if not site.unchanged:  # else the output already holds exactly these files: nothing is rewritten
            target = write_site(site.files, output, project.protected, staging=builder.staging)
    except BaseException:
        builder.abandon_cache_save()
        raise
    finally:
        builder.discard_scratch()
    builder.remember_output(target)
    done = time.perf_counter()
    return BuildReport(
        pages=sum(path.endswith(".html") for path in site.files),
        events=len(site.content.events),
        seconds=done - started,
        output=target,
        warnings=site.warnings,
        timings={**site.timings, "write": done - rendered},
        rendered=site.rendered,
        parsed=site.parsed,
        builder=builder,
    )
