"""The build pipeline end to end: read content, render pages, write the output folder."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from jinja2 import TemplateError

from generator.content import read_content
from generator.model import Content
from generator.problems import ContentError, Problem
from generator.render import SiteRenderer, find_assets, make_environment
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


def render_site(project: Project, content: Content, base_url: str | None = None) -> dict[str, bytes]:
    """Every output file of the site, in memory. Template errors become content problems."""
    environment = make_environment(project.templates)
    try:
        return SiteRenderer(content, environment, find_assets(project.templates), base_url).render_all()
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        name = getattr(error, "filename", None) or getattr(error, "name", None) or "templates"
        shown = Path(name).resolve().relative_to(project.root).as_posix() if Path(name).is_absolute() else name
        raise ContentError([Problem(shown, line, f"template error: {error.message}", "fix the template")]) from None


def build(project: Project, output: Path, *, base_url: str | None = None, drafts: bool = False) -> BuildReport:
    """Build the whole site into `output`. Raises ContentError or OutputError; never half-writes."""
    started = time.perf_counter()
    check_output_dir(output, project.protected)  # refuse early, before any work
    content, warnings = read_content(project.content, drafts=drafts)
    read = time.perf_counter()
    files = render_site(project, content, base_url)
    rendered = time.perf_counter()
    target = write_site(files, output, project.protected)
    done = time.perf_counter()
    return BuildReport(
        pages=sum(path.endswith(".html") for path in files),
        events=len(content.events),
        seconds=done - started,
        output=target,
        warnings=warnings,
        timings={"read": read - started, "render": rendered - read, "write": done - rendered},
    )
