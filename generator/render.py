"""Render stage: content and views through Jinja templates into {output path: bytes}."""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from markupsafe import Markup

from generator.model import Content, Event, Language, Page
from generator.pages import EventPlan, FragmentMemo, MemoViews, PageJob, digest, periods_of
from generator.publish import publish_files
from generator.sharing import PublishLinks
from generator.views import Urls, ViewBuilder

if TYPE_CHECKING:
    from jinja2 import Environment

STATIC_DIR = "static"
# What timelines, tag pages and previous/next links use of an event besides its list form.
LISTED_VIEW = ("id", "url", "title", "lang", "dir", "untranslated", "page_lang", "page_dir")


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
    from generator.templating import make_environment  # Jinja loaded only when something is rendered

    return make_environment(templates_dir)


class SiteRenderer:
    """Renders every page of a site from validated content.

    `memo` (a FragmentMemo) carries event views and fragments from one build to the next of the
    same site; without it nothing is kept. `theme` fingerprints the templates for page keys.
    """

    def __init__(
        self,
        content: Content,
        environment: Environment,
        assets: dict[str, Asset],
        base_url: str | None = None,
        *,
        memo: FragmentMemo | None = None,
        theme: str = "",
    ) -> None:
        self.content = content
        self.env = environment
        self.assets = assets
        base = base_url or content.config.base_url
        self.urls = Urls(prefix=urlsplit(base).path or "/", base_url=base)
        self.memo = memo or FragmentMemo()
        self.site_key = self.memo.site_key(content, self.urls, (a.published for a in assets.values()), theme)
        self.memo.start(self.site_key)
        self.fingerprints = [self.memo.fingerprint(event) for event in content.events]
        self.memo.keep_only(content.events, self.fingerprints)
        self._views: dict[str, MemoViews] = {}
        self._publish: dict[str, PublishLinks] = {}
        self._period_link_memo: dict[str, list[tuple[str, dict]]] = {}
        self._language_contexts: dict[str, dict] = {}
        self._shared_parts: dict[tuple[str, str], Markup] = {}

    def extra_files(self) -> Iterator[tuple[str, bytes]]:
        """Outputs made from all events at once (feeds, sitemap, data), one at a time: rebuilt
        whenever an event changes."""
        return ((path, b"".join(pieces)) for path, pieces in self.extra_file_pieces())

    def extra_file_pieces(self) -> Iterator[tuple[str, Iterator[bytes]]]:
        """extra_files, each file's bytes in pieces made as they are read (see publish_files)."""
        return publish_files(self.content, self.urls, [job.path for job in self.jobs()])

    def _publish_links(self, language: Language) -> PublishLinks:
        """The head's feed, sharing and search values; one object per language and build."""
        if language.code not in self._publish:
            self._publish[language.code] = PublishLinks(self.content, self.urls, language)
        return self._publish[language.code]

    def prepare(self, templates: set[str]) -> None:
        """Compile these templates (and the list block's macros) now, before worker processes fork."""
        for name in sorted(templates):
            self.env.get_template(name)
        self._list_block  # noqa: B018 (a cached property: this computes it)

    def render(self, job: PageJob) -> str:
        return self.env.get_template(job.template).render(getattr(self, job.context)(*job.arguments))

    def jobs(self) -> list[PageJob]:
        """Every page to write, each with the key of what it shows. Nothing is rendered yet."""
        return self._jobs

    @cached_property
    def _jobs(self) -> list[PageJob]:  # planned once: the sitemap lists the same pages
        neutral = {code: self.urls.timeline(code) for code in self.content.config.codes}
        jobs = [
            PageJob("index.html", digest(self.site_key, "root"), "root.html", "_common", (None, "", neutral)),
            PageJob("404.html", digest(self.site_key, "404"), "404.html", "_common", (None, "404.html", neutral)),
        ]
        for language in self.content.config.languages:
            jobs.extend(self._language_jobs(language))
        return jobs

    def _language_jobs(self, language: Language) -> list[PageJob]:
        code, events, fps = language.code, self.content.events, self.fingerprints
        site = digest(self.site_key, code)
        periods = self._periods
        timeline_urls = self._period_urls(code, periods)
        jobs = []
        # A part's links to the others are these, its own marked current (the period is in the key too).
        navigation = repr(self._period_links(language))
        for period, members in periods:
            member_fps = [self.memo.fingerprint(event) for event in members]
            key = digest(site, "timeline", period, navigation, *member_fps)
            jobs.append(PageJob(self._period_path(code, period, periods), key, "timeline.html",
                                "_timeline_context", (language, period)))
        period_of = {event.id: timeline_urls[period] for period, members in periods for event in members}
        period_urls = tuple(period_of[event.id] for event in events)
        jobs.extend(self._event_jobs(language, site, period_urls))
        counts = repr(self._tag_counts)
        for tag, members in self._tagged_fingerprints.items():
            jobs.append(PageJob(f"{code}/tags/{tag}/index.html", digest(site, "tag", tag, counts, *members),
                                "tag.html", "_tag_context", (language, tag)))
        with_figures = [fps[i] for i, event in enumerate(events) if event.figures]
        jobs.append(PageJob(f"{code}/figures/index.html", digest(site, "figures", *with_figures), "figures.html",
                            "_figures_context", (language,)))
        for page in self.content.pages:
            jobs.append(PageJob(f"{code}/{page.name}/index.html", digest(site, "page", page.name), "page.html",
                                "_page_context", (language, page)))
        return jobs

    def _event_jobs(self, language: Language, site: str, period_urls: tuple[str, ...]) -> list[PageJob]:
        """One job per event page. A rebuild with the same events in the same order (an edit that
        moved nothing) re-plans only the pages around events whose fingerprint changed."""
        events, fps = self.content.events, self.fingerprints
        ids = tuple(event.id for event in events)
        plan = self.memo.event_plans.get(language.code)
        if plan is not None and (plan.site, plan.ids, plan.period_urls) == (site, ids, period_urls):
            jobs = list(plan.jobs)
            changed = [index for index, (old, new) in enumerate(zip(plan.fingerprints, fps, strict=True)) if old != new]
            todo = sorted({i for index in changed for i in (index - 1, index, index + 1) if 0 <= i < len(events)})
        else:
            jobs, todo = [None] * len(events), range(len(events))  # type: ignore[list-item]
        for index in todo:
            around = [fps[i] if 0 <= i < len(events) else "" for i in (index - 1, index, index + 1)]
            jobs[index] = PageJob(f"{language.code}/events/{ids[index]}/index.html",
                                  self.memo.key(site, "event", period_urls[index], *around), "event.html",
                                  "_event_context", (language, index, period_urls[index]))
        self.memo.event_plans[language.code] = EventPlan(site, ids, period_urls, list(fps), jobs)
        return jobs

    # Contexts: called only for the pages that are rendered.

    def _timeline_context(self, language: Language, period: str) -> dict:
        members = next(group for key, group in self._periods if key == period)
        views = self._language_views(language)
        return {
            **self._common(language, "", self._same_page("")),
            "groups": views.groups([self._event_view(language, event) for event in members], members),
            "tags": self._tag_list(views),
            "event_count": len(members),
            "periods": self._period_nav(language, period),
        }

    def _event_context(self, language: Language, index: int, timeline_url: str) -> dict:
        events = self.content.events
        event = events[index]
        return {
            **self._common(language, f"events/{event.id}", self._same_page(f"events/{event.id}")),
            "event": self._language_views(language).event(event),
            "previous": self._link_view(language, events[index - 1]) if index > 0 else None,
            "next": self._link_view(language, events[index + 1]) if index + 1 < len(events) else None,
            "timeline_url": timeline_url,
        }

    def _tag_context(self, language: Language, tag: str) -> dict:
        views = self._language_views(language)
        tagged = self._tagged[tag]
        return {
            **self._common(language, f"tags/{tag}", self._same_page(f"tags/{tag}")),
            "tag": views.tag(tag),
            "groups": views.groups([self._event_view(language, event) for event in tagged], tagged),
            "tags": self._tag_list(views),
        }

    def _figures_context(self, language: Language) -> dict:
        return {
            **self._common(language, "figures", self._same_page("figures")),
            "measures": self._language_views(language).figures_table(self.content.events),
        }

    def _page_context(self, language: Language, page: Page) -> dict:
        text = page.translations.get(language.code) or next(iter(page.translations.values()))
        return {
            **self._common(language, page.name, self._same_page(page.name)),
            "page": {
                "title": text.title,
                "body_html": Markup(text.body_html),
                "lang": text.lang,
                "dir": self.content.config.language(text.lang).direction,
            },
        }

    def _language_views(self, language: Language) -> MemoViews:
        if language.code not in self._views:
            self._views[language.code] = MemoViews(self.content, language, self.urls)
        return self._views[language.code]

    def _event_view(self, language: Language, event: Event) -> dict:
        """An event as lists and previous/next links show it, its list form pre-rendered (`list_html`)
        once per event and language. Only that much is kept (a big timeline has thousands)."""
        key = (language.code, self.memo.fingerprint(event))
        view = self.memo.views.get(key)
        if view is None:
            view = self._language_views(language).event(event)
            block = self._list_block
            if block is not None:
                html = Markup(block(view, self.content.strings[language.code].words))
                view = {**{name: view[name] for name in LISTED_VIEW}, "list_html": html}
            self.memo.views[key] = view
        return view

    def _link_view(self, language: Language, event: Event) -> dict:
        """A previous/next link: the list view if made already, else only what a link shows (an
        event page in a worker process need not render its neighbours' list form)."""
        known = self.memo.views.get((language.code, self.memo.fingerprint(event)))
        return known if known is not None else self._language_views(language).link(event)

    @cached_property
    def _list_block(self) -> Callable[..., str] | None:
        """The theme's `event_block` macro, if it has one: the index and tag pages show its output."""
        from jinja2 import TemplateNotFound

        try:
            return getattr(self.env.get_template("macros.html").module, "event_block", None)
        except TemplateNotFound:
            return None

    def _period_urls(self, code: str, periods: list) -> dict[str, str]:
        first = periods[0][0]
        return {key: self.urls.timeline(code) if key == first else self.urls.page(code, key) for key, _ in periods}

    def _period_path(self, code: str, period: str, periods: list) -> str:
        return f"{code}/index.html" if period == periods[0][0] else f"{code}/{period}/index.html"

    def _period_nav(self, language: Language, current: str) -> list[dict]:
        """Links between the parts of a split timeline; empty when it is one page."""
        return [{**link, "current": key == current} for key, link in self._period_links(language)]

    def _period_links(self, language: Language) -> list[tuple[str, dict]]:
        """Each part's link, made once per language (every part of the timeline shows them all)."""
        periods = self._periods
        if len(periods) < 2:
            return []
        if language.code not in self._period_link_memo:
            urls = self._period_urls(language.code, periods)
            views = self._language_views(language)
            self._period_link_memo[language.code] = [
                (key, {
                    "label": views.period_label(key),
                    "url": urls[key],
                    "count": len(members),
                    "count_text": language.form.number(len(members)),
                })
                for key, members in periods
            ]
        return self._period_link_memo[language.code]

    @cached_property
    def _periods(self) -> list[tuple[str, tuple[Event, ...]]]:
        return periods_of(self.content.events, self.content.config.index_split_threshold)

    @cached_property
    def _tagged_fingerprints(self) -> dict[str, list[str]]:
        """Each tag's events' fingerprints, in timeline order (the same for every language)."""
        return {tag: [self.memo.fingerprint(event) for event in events] for tag, events in self._tagged.items()}

    @cached_property
    def _tagged(self) -> dict[str, tuple[Event, ...]]:
        """Each tag's events, in timeline order: found once, for every tag page of every language."""
        tagged: dict[str, list[Event]] = {tag: [] for tag in self._tag_counts}
        for event in self.content.events:
            for tag in event.tags:
                tagged[tag].append(event)
        return {tag: tuple(events) for tag, events in tagged.items()}

    @cached_property
    def _tag_counts(self) -> dict[str, int]:
        counts = dict.fromkeys(self.content.strings[self.content.config.default_language].tags, 0)
        for event in self.content.events:
            for tag in event.tags:
                counts[tag] += 1
        return {tag: count for tag, count in counts.items() if count}

    def _tag_list(self, views: ViewBuilder) -> list[dict]:
        return [{**views.tag(tag), "count": count} for tag, count in self._tag_counts.items()]

    def _same_page(self, tail: str) -> dict[str, str]:
        return {code: self.urls.page(code, tail) for code in self.content.config.codes}

    def _common(self, language: Language | None, tail: str, alternates: dict[str, str]) -> dict:
        config = self.content.config
        current = language or config.language(config.default_language)
        return {
            **self._language_context(current),
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
        }

    def _language_context(self, language: Language) -> dict:
        """What every page of a language is given alike; made once per language and build."""
        if language.code not in self._language_contexts:
            config = self.content.config
            self._language_contexts[language.code] = {
                "site": config,
                "lang": language.code,
                "dir": language.direction,
                "language": language,
                "words": self.content.strings[language.code].words,
                "all_words": {code: strings.words for code, strings in self.content.strings.items()},
                "languages": config.languages,
                "urls": self.urls,
                "asset": self._asset_url,
                "publish": self._publish_links(language),
                "shared": lambda name: self._shared_part(language, name),
            }
        return self._language_contexts[language.code]

    def _shared_part(self, language: Language, name: str) -> Markup:
        """Template `name` rendered with the language's context only, once per language and build:
        for the parts every page shows alike (the search box, the head's feed links). A part
        that used a page's own values would fail as an undefined name."""
        key = (language.code, name)
        if key not in self._shared_parts:
            self._shared_parts[key] = Markup(self.env.get_template(name).render(self._language_context(language)))
        return self._shared_parts[key]

    def _asset_url(self, name: str) -> str:
        return self.urls.prefix + self.assets[name].published

