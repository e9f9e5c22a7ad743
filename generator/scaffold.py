"""`timeline new`: both language files of a new event, from a template."""

from __future__ import annotations

from pathlib import Path

from generator.dates import DateSyntaxError, Precision, parse_point
from generator.fields import check_slug
from generator.load import read_text
from generator.parse import load_yaml_mapping

TEMPLATE = """---
title: {title}
summary: {summary}
{shared}---
{body}
"""


class ScaffoldError(Exception):
    """The event cannot be created as asked (bad date or slug, or it exists)."""


def scaffold_event(content_dir: Path, day: str, slug: str) -> list[Path]:
    """Create `<day>-<slug>.<lang>.md` for each language in site.yaml; refuse to overwrite."""
    try:
        point = parse_point(day)
    except DateSyntaxError as error:
        raise ScaffoldError(str(error)) from None
    if point.precision != Precision.DAY or point.approximate or point.uncertain:
        raise ScaffoldError(f"'{day}' must be a plain YYYY-MM-DD date (edit the file for other forms)")
    if message := check_slug(slug, "SLUG"):
        raise ScaffoldError(message)
    site = content_dir / "site.yaml"
    if not site.is_file():
        raise ScaffoldError(f"{site} not found: run this in the site's folder or pass --project")
    languages = load_yaml_mapping(read_text(site, content_dir.resolve()), str(site)).values.get("languages") or {}
    event_id = f"{day}-{slug}"
    paths = [content_dir / "events" / f"{event_id}.{code}.md" for code in languages]
    existing = [str(path) for path in paths if path.exists()]
    if existing:
        raise ScaffoldError(f"refusing to overwrite {', '.join(existing)}")
    paths[0].parent.mkdir(parents=True, exist_ok=True)
    for index, path in enumerate(paths):
        shared = f"date: {day}\nimportance: 2\ntags: []\nplaces: []\nsources: []\n" if index == 0 else ""
        path.write_text(
            TEMPLATE.format(
                title=f"New event {event_id}",
                summary="One sentence.",
                shared=shared,
                body="What happened, with its sources.",
            ),
            encoding="utf-8",
        )
    return paths
