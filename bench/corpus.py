"""A seeded synthetic bilingual corpus of N events, in our content format, as a Hugo site and as a Pelican site.

The same events (titles, summaries, 150–400-word bodies in Arabic and English, partial dates,
ranges, tags, places, sources, figures) are written three ways so the three generators build
the same pages: one timeline per language and tag pages (every event with its body and
sources, as ours show them), one page per event, a feed per language.

    python bench/corpus.py --n 1000 --out /tmp/corpus      # writes timeline/, hugo/, pelican/
"""

from __future__ import annotations

import argparse
import random
import shutil
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
STRINGS = REPO / "tests" / "fixtures" / "small" / "content" / "strings"  # kept valid by the test suite
TAGS = ("attack", "fighting", "escape", "hostages", "civilians", "displacement", "airstrikes", "statements",
        "tolls", "surrender", "transfers", "curfew", "humanitarian", "trials", "context", "prison")
MEASURES = ("attackers", "escaped", "killed_total", "wounded", "displaced", "hostages")
PLACES = {
    "prison": ("سجن الصناعة", "al-Sina'a prison", 36.47, 40.75),
    "ghuwayran": ("حي غويران", "Ghuwayran", 36.48, 40.74),
    "hasakah": ("الحسكة", "al-Hasakah", 36.50, 40.75),
    "qamishli": ("القامشلي", "Qamishli", 37.05, 41.22),
    "deir-ez-zor": ("دير الزور", "Deir ez-Zor", 35.33, 40.14),
    "raqqa": ("الرقة", "Raqqa", 35.95, 39.01),
}

def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


EN_WORDS = _words(
    "the attackers reached prison gate fighters inmates guards forces district night morning police "
    "families civilians residents hospital officials statement report coalition aircraft vehicles "
    "checkpoint building wall tunnel neighbourhood curfew negotiations surrender transfer detainees "
    "children wounded dead according to local sources said on Friday after before during while "
    "later around several hundreds dozens clashes continued heavy gunfire explosion car bomb "
    "northern eastern southern western side of the city council spokesman announced displaced "
    "schools shelter aid convoy road bridge market mosque water electricity supplies"
)
AR_WORDS = _words(
    "المهاجمون وصلوا بوابة السجن المقاتلون النزلاء الحراس القوات الحي الليل الصباح الشرطة العائلات "
    "المدنيون السكان المستشفى المسؤولون بيان تقرير التحالف الطائرات الآليات الحاجز المبنى الجدار "
    "النفق حظر التجول المفاوضات الاستسلام نقل المحتجزين الأطفال الجرحى القتلى بحسب مصادر محلية قالت "
    "يوم الجمعة بعد قبل خلال بينما لاحقًا نحو عدة مئات عشرات اشتباكات استمرت إطلاق نار كثيف انفجار "
    "سيارة مفخخة الشمالي الشرقي الجنوبي الغربي جانب المدينة المجلس المتحدث أعلن النازحون المدارس "
    "مأوى مساعدات قافلة الطريق الجسر السوق المسجد المياه الكهرباء الإمدادات"
)


@dataclass(frozen=True)
class SyntheticEvent:
    id: str
    date: str  # our syntax: partial, qualified, or an interval
    iso: str  # a full ISO date-time for generators that need one
    end: str
    titles: dict[str, str]
    summaries: dict[str, str]
    bodies: dict[str, str]
    tags: tuple[str, ...]
    places: tuple[str, ...]
    sources: tuple[str, ...]
    figures: tuple[tuple[str, str, str, str], ...]  # measure, value, source, as_of
    importance: int


def make_events(n: int, seed: int = 2022) -> list[SyntheticEvent]:
    rng = random.Random(seed)
    events = []
    for index in range(n):
        year, month, day = 2014 + index * 12 // max(n, 1), rng.randint(1, 12), rng.randint(1, 28)
        hour, minute = rng.randint(0, 23), rng.choice((0, 15, 30, 45))
        kind = rng.random()
        if kind < 0.1:
            date, iso = f"{year:04d}-{month:02d}", f"{year:04d}-{month:02d}-01T00:00:00+02:00"
        elif kind < 0.55:
            date, iso = f"{year:04d}-{month:02d}-{day:02d}", f"{year:04d}-{month:02d}-{day:02d}T00:00:00+02:00"
        else:
            mark = rng.choice(("", "", "~", "?"))
            date = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}{mark}"
            iso = f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{minute:02d}:00+02:00"
        end = f"{year:04d}-{month:02d}-{min(day + rng.randint(1, 3), 28):02d}" if len(date) == 10 and kind < 0.2 else ""
        sources = tuple(sorted(rng.sample(range(200), rng.randint(1, 3))))
        figures = tuple(
            (rng.choice(MEASURES), rng.choice(("~", ">", "")) + str(rng.randint(2, 4000)),
             f"s{rng.choice(sources):03d}", f"{year:04d}-{month:02d}-{day:02d}")
            for _ in range(rng.choice((0, 0, 0, 1, 2)))
        )
        events.append(
            SyntheticEvent(
                id=f"{iso[:10]}-event-{index:05d}",
                date=date,
                iso=iso,
                end=end,
                titles={"en": _sentence(rng, EN_WORDS, 6, 11), "ar": _sentence(rng, AR_WORDS, 6, 11)},
                summaries={"en": _sentence(rng, EN_WORDS, 14, 24), "ar": _sentence(rng, AR_WORDS, 14, 24)},
                bodies={"en": _body(rng, EN_WORDS), "ar": _body(rng, AR_WORDS)},
                tags=tuple(rng.sample(TAGS, rng.randint(1, 3))),
                places=tuple(rng.sample(sorted(PLACES), rng.randint(0, 2))),
                sources=tuple(f"s{number:03d}" for number in sources),
                figures=figures,
                importance=rng.choice((1, 2, 2, 3)),
            )
        )
    return events


def _sentence(rng: random.Random, words: tuple[str, ...], low: int, high: int) -> str:
    text = " ".join(rng.choice(words) for _ in range(rng.randint(low, high)))
    return text[0].upper() + text[1:]


def _body(rng: random.Random, words: tuple[str, ...]) -> str:
    total, paragraphs = rng.randint(150, 400), []
    while total > 0:
        size = min(total, rng.randint(40, 90))
        sentences, left = [], size
        while left > 0:
            length = min(left, rng.randint(8, 18))
            sentences.append(_sentence(rng, words, length, length) + ".")
            left -= length
        paragraphs.append(" ".join(sentences))
        total -= size
    if rng.random() < 0.3:
        paragraphs.insert(1, f"- {_sentence(rng, words, 4, 8)}\n- {_sentence(rng, words, 4, 8)}")
    if rng.random() < 0.3:
        paragraphs.append(f"> {_sentence(rng, words, 10, 20)} — **{_sentence(rng, words, 2, 3)}**")
    return "\n\n".join(paragraphs) + "\n"


def write_timeline(events: list[SyntheticEvent], root: Path, *, index_split_threshold: int = 400) -> Path:
    """Our format: content/site.yaml, registries, strings and two files per event."""
    content = root / "content"
    (content / "events").mkdir(parents=True)
    shutil.copytree(STRINGS, content / "strings")
    (content / "site.yaml").write_text(
        "default_language: ar\nbase_url: https://example.org/\ntimezone: Asia/Damascus\n"
        f"index_split_threshold: {index_split_threshold}\nlanguages:\n"
        "  ar: {name: العربية, direction: rtl, locale: ar_SY, digits: arab, calendars: [gregorian, hijri],"
        " title: خط زمني تجريبي, description: أحداث مولدة للقياس}\n"
        "  en: {name: English, direction: ltr, locale: en_GB, digits: latn, calendars: [gregorian],"
        " title: A synthetic timeline, description: Generated events for benchmarks}\n",
        encoding="utf-8",
    )
    (content / "sources.yaml").write_text(
        "".join(
            f"s{n:03d}:\n  publisher: Agency {n % 17}\n  title: Report number {n}\n  date: 2020-01-{n % 28 + 1:02d}\n"
            f"  language: {'ar' if n % 2 else 'en'}\n  url: https://example.com/report/{n}\n"
            for n in range(200)
        ),
        encoding="utf-8",
    )
    (content / "places.yaml").write_text(
        "".join(f"{key}:\n  name: {{ar: {ar}, en: \"{en}\"}}\n  lat: {lat}\n  lon: {lon}\n"
                for key, (ar, en, lat, lon) in PLACES.items()),
        encoding="utf-8",
    )
    for event in events:
        for lang in ("ar", "en"):
            shared = ""
            if lang == "ar":
                shared = (
                    f"date: {event.date}\n" + (f"end: {event.end}\n" if event.end else "")
                    + f"tags: [{', '.join(event.tags)}]\n"
                    + (f"places: [{', '.join(event.places)}]\n" if event.places else "")
                    + f"sources: [{', '.join(event.sources)}]\nimportance: {event.importance}\n"
                    + ("figures:\n" + "".join(
                        f"  - {{measure: {m}, value: \"{v}\", source: {s}, as_of: {a}}}\n"
                        for m, v, s, a in event.figures) if event.figures else "")
                )
            front = f"title: {event.titles[lang]}\nsummary: {event.summaries[lang]}\n{shared}"
            text = f"---\n{front}---\n{event.bodies[lang]}"
            (content / "events" / f"{event.id}.{lang}.md").write_text(text, encoding="utf-8")
    return root


HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.Language.Lang }}" dir="{{ .Site.Language.LanguageDirection }}">
<head><meta charset="utf-8"><title>{{ .Title }}</title>
{{ range .AllTranslations }}<link rel="alternate" hreflang="{{ .Language.Lang }}" href="{{ .Permalink }}">{{ end }}
{{ with .OutputFormats.Get "rss" }}<link rel="alternate" type="application/rss+xml" href="{{ .Permalink }}">{{ end }}
</head>
<body><header><a href="{{ .Site.Home.RelPermalink }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
""",
    "partials/event.html": """<article id="{{ .File.ContentBaseName }}">
<h3><a href="{{ .RelPermalink }}">{{ .Title }}</a></h3>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date | time.Format ":date_long" }}</time></p>
<p>{{ .Params.summary }}</p>{{ .Content }}
<ul>{{ range .Params.tags }}<li><a href="{{ (printf "tags/%s" (. | urlize)) | relLangURL }}">{{ . }}</a></li>
{{ end }}</ul>
<ol>{{ range .Params.sources }}<li>{{ . }}</li>{{ end }}</ol>
</article>
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1><ol>
{{ range (where .Site.RegularPages "Section" "events").ByDate }}<li>{{ partial "event.html" . }}</li>{{ end }}
</ol>{{ end }}
""",
    "_default/single.html": """{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p><time datetime="{{ .Date.Format "2006-01-02T15:04" }}">{{ .Date | time.Format ":date_long" }}</time></p>
<p>{{ .Params.summary }}</p>{{ .Content }}
<ul>{{ range .Params.tags }}<li><a href="{{ (printf "tags/%s" (. | urlize)) | relLangURL }}">{{ . }}</a></li>
{{ end }}</ul>
<ol>{{ range .Params.sources }}<li>{{ . }}</li>{{ end }}</ol>
<table>{{ range .Params.figures }}<tr><td>{{ .measure }}</td><td>{{ .value }}</td><td>{{ .source }}</td></tr>
{{ end }}</table>
</article>
<nav>{{ with .PrevInSection }}<a rel="next" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}
{{ with .NextInSection }}<a rel="prev" href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</nav>{{ end }}
""",
    "_default/taxonomy.html": """{{ define "main" }}<h1>{{ .Title }}</h1><ol>
{{ range .Pages.ByDate }}<li>{{ partial "event.html" . }}</li>{{ end }}</ol>{{ end }}
""",
    "_default/terms.html": """{{ define "main" }}<ul>{{ range .Data.Terms.Alphabetical }}
<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
""",
}


def write_hugo(events: list[SyntheticEvent], root: Path) -> Path:
    """The same events as a bilingual Hugo site (translations by file name) with minimal layouts."""
    (root / "content" / "events").mkdir(parents=True)
    (root / "hugo.toml").write_text(
        'baseURL = "https://example.org/"\ndefaultContentLanguage = "ar"\ndefaultContentLanguageInSubdir = true\n'
        'disableKinds = ["section", "sitemap", "robotsTXT", "404"]\n'
        '[outputs]\nhome = ["html", "rss"]\npage = ["html"]\ntaxonomy = ["html"]\nterm = ["html"]\n'
        '[taxonomies]\ntag = "tags"\n'
        '[languages.ar]\nlanguageName = "العربية"\nlanguageDirection = "rtl"\n'
        'title = "خط زمني تجريبي"\nweight = 1\n'
        '[languages.en]\nlanguageName = "English"\nlanguageDirection = "ltr"\n'
        'title = "A synthetic timeline"\nweight = 2\n',
        encoding="utf-8",
    )
    for name, text in HUGO_LAYOUTS.items():
        path = root / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for event in events:
        for lang in ("ar", "en"):
            figures = "".join(
                f"  - {{measure: {m}, value: \"{v}\", source: {s}, as_of: \"{a}\"}}\n" for m, v, s, a in event.figures
            )
            front = (
                f"title: \"{event.titles[lang]}\"\nsummary: \"{event.summaries[lang]}\"\ndate: {event.iso}\n"
                f"tags: [{', '.join(event.tags)}]\nsources: [{', '.join(event.sources)}]\n"
                + (f"figures:\n{figures}" if figures else "")
            )
            text = f"---\n{front}---\n{event.bodies[lang]}"
            (root / "content" / "events" / f"{event.id}.{lang}.md").write_text(text, encoding="utf-8")
    return root


PELICAN_TEMPLATES = {
    "base.html": """<!DOCTYPE html>
<html lang="{{ DEFAULT_LANG }}"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title>
</head><body><header><a href="{{ SITEURL }}/">{{ SITENAME }}</a></header><main>{% block content %}{% endblock %}</main>
</body></html>
""",
    "event.html": """{% macro event(a) %}<article id="{{ a.slug }}">
<h3><a href="{{ SITEURL }}/{{ a.url }}">{{ a.title }}</a></h3>
<p><time datetime="{{ a.date.isoformat() }}">{{ a.locale_date }}</time></p><p>{{ a.summary }}</p>{{ a.content }}
<ul>{% for t in a.tags %}<li><a href="{{ SITEURL }}/{{ t.url }}">{{ t }}</a></li>{% endfor %}</ul>
<p class="sources">{{ a.sources_list }}</p>
</article>{% endmacro %}
""",
    "index.html": """{% extends "base.html" %}{% from "event.html" import event %}{% block content %}<ol>
{% for a in articles %}<li>{{ event(a) }}</li>{% endfor %}</ol>{% endblock %}
""",
    "article.html": """{% extends "base.html" %}{% block title %}{{ article.title }}{% endblock %}{% block content %}
<article lang="{{ article.lang }}"><h1>{{ article.title }}</h1><p><time datetime="{{ article.date.isoformat() }}">
{{ article.locale_date }}</time></p><p>{{ article.summary }}</p>{{ article.content }}
<ul>{% for t in article.tags %}<li><a href="{{ SITEURL }}/{{ t.url }}">{{ t }}</a></li>{% endfor %}</ul>
<p class="sources">{{ article.sources_list }}</p>
{% for t in article.translations %}<a href="{{ SITEURL }}/{{ t.url }}" hreflang="{{ t.lang }}">{{ t.lang }}</a>
{% endfor %}
</article>{% endblock %}
""",
    "tag.html": """{% extends "base.html" %}{% from "event.html" import event %}
{% block content %}<h1>{{ tag }}</h1><ol>
{% for a in articles %}<li>{{ event(a) }}</li>{% endfor %}</ol>{% endblock %}
""",
}


def write_pelican(events: list[SyntheticEvent], root: Path) -> Path:
    """The same events for Pelican: translations by shared slug, one index, article, tag pages, Atom feeds."""
    (root / "content").mkdir(parents=True)
    theme = root / "theme" / "templates"
    theme.mkdir(parents=True)
    for name, text in PELICAN_TEMPLATES.items():
        (theme / name).write_text(text, encoding="utf-8")
    for name in ("page.html", "category.html", "author.html", "archives.html", "tags.html", "categories.html",
                 "authors.html", "period_archives.html"):
        (theme / name).write_text('{% extends "base.html" %}', encoding="utf-8")
    (root / "pelicanconf.py").write_text(
        "SITENAME = 'A synthetic timeline'\nSITEURL = ''\nPATH = 'content'\nTHEME = 'theme'\n"
        "TIMEZONE = 'Asia/Damascus'\n"
        "DEFAULT_LANG = 'ar'\nDEFAULT_PAGINATION = False\nDIRECT_TEMPLATES = ['index']\n"
        "ARTICLE_URL = '{lang}/events/{slug}/'\nARTICLE_SAVE_AS = '{lang}/events/{slug}/index.html'\n"
        "ARTICLE_LANG_URL = '{lang}/events/{slug}/'\nARTICLE_LANG_SAVE_AS = '{lang}/events/{slug}/index.html'\n"
        "TAG_URL = 'tags/{slug}/'\nTAG_SAVE_AS = 'tags/{slug}/index.html'\n"
        "CATEGORY_SAVE_AS = ''\nAUTHOR_SAVE_AS = ''\nARCHIVES_SAVE_AS = ''\nAUTHORS_SAVE_AS = ''\n"
        "CATEGORIES_SAVE_AS = ''\nTAGS_SAVE_AS = ''\nPAGE_SAVE_AS = ''\n"
        "FEED_ALL_ATOM = 'feeds/all.atom.xml'\nTRANSLATION_FEED_ATOM = 'feeds/all-{lang}.atom.xml'\n"
        "CATEGORY_FEED_ATOM = None\nAUTHOR_FEED_ATOM = None\nAUTHOR_FEED_RSS = None\n"
        "TAG_FEED_ATOM = None\nFEED_MAX_ITEMS = 50\nRELATIVE_URLS = True\n"
        "CACHE_CONTENT = True\nLOAD_CONTENT_CACHE = True\nCACHE_PATH = 'cache'\n",
        encoding="utf-8",
    )
    for event in events:
        for lang in ("ar", "en"):
            meta = (
                f"Title: {event.titles[lang]}\nDate: {event.iso[:16].replace('T', ' ')}\n"
                f"Slug: {event.id}\nLang: {lang}\nTags: {', '.join(event.tags)}\n"
                f"Summary: {event.summaries[lang]}\nSources_list: {', '.join(event.sources)}\n"
            )
            (root / "content" / f"{event.id}.{lang}.md").write_text(f"{meta}\n{event.bodies[lang]}", encoding="utf-8")
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="number of events (each in two languages)")
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=Path, required=True, help="folder to create (must not exist)")
    args = parser.parse_args()
    events = make_events(args.n, args.seed)
    write_timeline(events, args.out / "timeline")
    write_hugo(events, args.out / "hugo")
    write_pelican(events, args.out / "pelican")
    print(f"wrote {args.n} events × 2 languages under {args.out}")


if __name__ == "__main__":
    main()
