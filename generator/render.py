"""Render stage: content and views through Jinja templates into {output path: bytes}."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from generator.model import Content, Language
from generator.views import Urls, ViewBuilder

STATIC_DIR = "static"


@dataclass(frozen=True)
class Asset:
    """A static file of the theme, published under a content-hashed name."""

    name: str  # as templates ask for it: "style.css"
    published: str  # "assets/style.3f2a9c1e.css"
    data: bytes


_CSS_URL = re.compile(r"""url\((['"]?)(?!data:|https?:|/)([^'")]+)\1\)""")


def find_assets(templates_dir: Path) -> dict[str, Asset]:
    """Every file under templates/static/, named by content hash; CSS `url()`s follow the new names."""
    static = templates_dir / STATIC_DIR
    paths = sorted(p for p in static.rglob("*") if p.is_file()) if static.is_dir() else []
    assets: dict[str, Asset] = {}
    # Stylesheets last, so the files they point to already have their hashed names.
    for path in sorted(paths, key=lambda p: (p.suffix == ".css", p.as_posix())):
        name = path.relative_to(static).as_posix()
        data = path.read_bytes()
        if path.suffix == ".css":
            folder = posixpath.dirname(name)
            data = _rewrite_css_urls(data.decode("utf-8"), folder, assets).encode("utf-8")
        assets[name] = Asset(name, f"assets/{_hashed_name(name, data)}", data)
    return assets


def _hashed_name(name: str, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()[:10]
    stem, dot, suffix = name.rpartition(".")
    return f"{stem}.{digest}.{suffix}" if dot else f"{name}.{digest}"


def _rewrite_css_urls(css: str, folder: str, assets: dict[str, Asset]) -> str:
    return _CSS_URL.sub(lambda match: _hashed_url(match, folder, assets), css)


def _hashed_url(match: re.Match, folder: str, assets: dict[str, Asset]) -> str:
    target = posixpath.normpath(posixpath.join(folder, match[2]))
    asset = assets.get(target)
    if asset is None:
        return match[0]
    relative = posixpath.relpath(asset.published, posixpath.join("assets", folder))
    return f"url({match[1]}{relative}{match[1]})"


def make_environment(templates_dir: Path) -> Environment:
    return Environment(
        loader=FileSystemLoader(templates_dir),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


class SiteRenderer:
    """Renders every page of a site from validated content. Holds no state between builds."""

    def __init__(
        self, content: Content, environment: Environment, assets: dict[str, Asset], base_url: str | None = None
    ) -> None:
        self.content = content
        self.env = environment
        self.assets = assets
        base = base_url or content.config.base_url
        self.urls = Urls(prefix=urlsplit(base).path or "/", base_url=base)

    def render_all(self) -> dict[str, bytes]:
        pages: dict[str, bytes] = {}
        for path, html in self.pages():
            if path in pages:
                raise ValueError(f"two pages would be written to {path}")
            pages[path] = html.encode("utf-8")
        for asset in self.assets.values():
            pages[asset.published] = asset.data
        return pages

    def pages(self) -> Iterator[tuple[str, str]]:
        yield (
            "index.html",
            self._render(
                "root.html",
                self._common(None, "", {code: self.urls.timeline(code) for code in self.content.config.codes}),
            ),
        )
        yield (
            "404.html",
            self._render(
                "404.html",
                self._common(None, "404.html", {code: self.urls.timeline(code) for code in self.content.config.codes}),
            ),
        )
        for language in self.content.config.languages:
            yield from self.language_pages(language)

    def language_pages(self, language: Language) -> Iterator[tuple[str, str]]:
        views = ViewBuilder(self.content, language, self.urls)
        events = self.content.events
        event_views = [views.event(event) for event in events]
        code = language.code
        yield (
            f"{code}/index.html",
            self._render(
                "timeline.html",
                {
                    **self._common(language, "", self._same_page("")),
                    "groups": views.groups(event_views, events),
                    "tags": self._tag_list(views),
                    "event_count": len(events),
                },
            ),
        )
        for index, (event, view) in enumerate(zip(events, event_views, strict=True)):
            previous = event_views[index - 1] if index > 0 else None
            following = event_views[index + 1] if index + 1 < len(events) else None
            yield (
                f"{code}/events/{event.id}/index.html",
                self._render(
                    "event.html",
                    {
                        **self._common(language, f"events/{event.id}", self._same_page(f"events/{event.id}")),
                        "event": view,
                        "previous": previous,
                        "next": following,
                    },
                ),
            )
        for tag in self._tags():
            tagged = tuple(event for event in events if tag in event.tags)
            tagged_views = [view for event, view in zip(events, event_views, strict=True) if tag in event.tags]
            yield (
                f"{code}/tags/{tag}/index.html",
                self._render(
                    "tag.html",
                    {
                        **self._common(language, f"tags/{tag}", self._same_page(f"tags/{tag}")),
                        "tag": views.tag(tag),
                        "groups": views.groups(tagged_views, tagged),
                        "tags": self._tag_list(views),
                    },
                ),
            )
        yield (
            f"{code}/figures/index.html",
            self._render(
                "figures.html",
                {
                    **self._common(language, "figures", self._same_page("figures")),
                    "measures": views.figures_table(events),
                },
            ),
        )
        for page in self.content.pages:
            text = page.translations.get(code) or next(iter(page.translations.values()))
            yield (
                f"{code}/{page.name}/index.html",
                self._render(
                    "page.html",
                    {
                        **self._common(language, page.name, self._same_page(page.name)),
                        "page": {
                            "title": text.title,
                            "body_html": Markup(text.body_html),
                            "lang": text.lang,
                            "dir": self.content.config.language(text.lang).direction,
                        },
                    },
                ),
            )

    def _tags(self) -> list[str]:
        used = {tag for event in self.content.events for tag in event.tags}
        return [tag for tag in self.content.strings[self.content.config.default_language].tags if tag in used]

    def _tag_list(self, views: ViewBuilder) -> list[dict]:
        counts = {tag: sum(tag in event.tags for event in self.content.events) for tag in self._tags()}
        return [{**views.tag(tag), "count": counts[tag]} for tag in counts]

    def _same_page(self, tail: str) -> dict[str, str]:
        return {code: self.urls.page(code, tail) for code in self.content.config.codes}

    def _common(self, language: Language | None, tail: str, alternates: dict[str, str]) -> dict:
        config = self.content.config
        current = language or config.language(config.default_language)
        return {
            "site": config,
            "lang": current.code,
            "dir": current.direction,
            "language": current,
            "words": self.content.strings[current.code].words,
            "all_words": {code: strings.words for code, strings in self.content.strings.items()},
            "languages": config.languages,
            "alternates": [
                {
                    "code": code,
                    "name": config.language(code).name,
                    "url": url,
                    "absolute": self.urls.absolute(url),
                    "dir": config.language(code).direction,
                }
                for code, url in alternates.items()
            ],
            # Language-neutral pages (the chooser, 404) are their own canonical address.
            "canonical": self.urls.absolute(alternates[current.code] if language else self.urls.prefix + tail),
            "urls": self.urls,
            "asset": self._asset_url,
        }

    def _asset_url(self, name: str) -> str:
        return self.urls.prefix + self.assets[name].published

    def _render(self, template: str, context: dict) -> str:
        return self.env.get_template(template).render(context)
