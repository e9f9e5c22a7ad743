"""timeline.json against its JSON Schema and back to the content; the TimelineJS export in TimelineJS3 itself."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from generator.content import read_content
from generator.dates import parse_event_date
from tests.conftest import FIXTURES, PUBLISH_BASE_URL, REPO, serve_folder

CONTENT = read_content(FIXTURES / "publish" / "content")[0]
SCHEMA = json.loads((REPO / "schema" / "timeline.schema.json").read_text(encoding="utf-8"))
TIMELINEJS = REPO / "node_modules" / "@knight-lab" / "timelinejs" / "dist"


def _data(site: Path, code: str) -> dict:
    return json.loads((site / code / "timeline.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("code", ["ar", "en"])
def test_timeline_json_follows_the_schema(publish_site: Path, code: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    jsonschema.validate(_data(publish_site, code), SCHEMA, cls=jsonschema.Draft202012Validator)


def test_schema_catches_a_broken_event(publish_site: Path) -> None:
    data = _data(publish_site, "en")
    del data["events"][0]["date"]["start"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, SCHEMA, cls=jsonschema.Draft202012Validator)


def test_schema_is_published_with_the_site(publish_site: Path) -> None:
    assert json.loads((publish_site / "timeline.schema.json").read_bytes()) == SCHEMA
    assert _data(publish_site, "en")["schema"] == PUBLISH_BASE_URL + "timeline.schema.json"


@pytest.mark.parametrize("code", ["ar", "en"])
def test_round_trip_finds_every_event_of_the_content(publish_site: Path, code: str) -> None:
    events = {event["id"]: event for event in _data(publish_site, code)["events"]}
    assert list(events) == [event.id for event in CONTENT.events]
    for event in CONTENT.events:
        data = events[event.id]
        assert parse_event_date(data["date"]["edtf"]) == event.when
        assert data["date"]["timezone"] == event.timezone
        assert data["importance"] == event.importance
        assert [tag["id"] for tag in data["tags"]] == list(event.tags)
        assert [place["id"] for place in data["places"]] == list(event.places)
        assert [source["id"] for source in data["sources"]] == list(event.sources)
        assert [(f["measure"], f["value"], f["source"]) for f in data["figures"]] == [
            (f.measure, f.value, f.source) for f in event.figures
        ]
        assert set(data["translations"]) == set(event.translations)
        for lang, text in event.translations.items():
            written = data["translations"][lang]
            assert (written["title"], written["summary"], written["body_html"]) == (
                text.title,
                text.summary,
                text.body_html,
            )
            assert written["url"] == PUBLISH_BASE_URL + f"{lang}/events/{event.id}/"


def test_dates_keep_precision_and_qualifiers(publish_site: Path) -> None:
    events = {event["id"]: event for event in _data(publish_site, "en")["events"]}
    bomb = events["2022-01-20-car-bomb"]["date"]
    assert bomb["start"]["precision"] == "minute" and bomb["start"]["approximate"] is True
    assert bomb["start"]["datetime"] == "2022-01-20T19:00+02:00"
    assert bomb["start"]["instant"] == "2022-01-20T17:00:00Z"
    assert events["2022-01-only-month"]["date"]["start"]["precision"] == "month"
    assert events["2022-01-22-release-of-detainees"]["date"]["start"]["uncertain"] is True
    assert events["2022-02-investigation-continues"]["date"]["open_end"] is True
    assert events["2021-12-unknown-start-warnings"]["date"]["start"] is None
    places = {place["id"]: place for place in events["2022-01-20-car-bomb"]["places"]}
    assert (places["prison"]["lat"], places["prison"]["lon"]) == (36.47, 40.75)
    assert places["hasakah"]["lat"] is None


def test_timelinejs_export_has_localised_display_dates(publish_site: Path) -> None:
    slides = json.loads((publish_site / "ar" / "timelinejs.json").read_text(encoding="utf-8"))["events"]
    assert [slide["unique_id"] for slide in slides] == [event.id for event in CONTENT.events]
    bomb = next(slide for slide in slides if slide["unique_id"] == "2022-01-20-car-bomb")
    assert {key: bomb["start_date"][key] for key in ("year", "month", "day", "hour", "minute")} == {
        "year": 2022,
        "month": 1,
        "day": 20,
        "hour": 19,
        "minute": 0,
    }
    assert "٢٠٢٢" in bomb["display_date"] and "2022" not in bomb["display_date"]
    month = next(slide for slide in slides if slide["unique_id"] == "2022-01-only-month")
    assert set(month["start_date"]) == {"year", "month", "display_date"}


@pytest.fixture(scope="module")
def timelinejs_page(publish_site: Path, tmp_path_factory: pytest.TempPathFactory):
    """A page embedding TimelineJS3 from node_modules, served with the exports beside it."""
    if not (TIMELINEJS / "js" / "timeline.js").is_file():
        pytest.fail("node_modules/@knight-lab/timelinejs is missing: run `make system-deps` (npm ci)")
    folder = tmp_path_factory.mktemp("timelinejs")
    (folder / "timelinejs").symlink_to(TIMELINEJS)
    (folder / "site").symlink_to(publish_site)
    (folder / "index.html").write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8">'
        '<link rel="stylesheet" href="timelinejs/css/timeline.css">'
        '<script src="timelinejs/js/timeline.js"></script></head>'
        '<body><div id="embed" style="width: 900px; height: 600px"></div>'
        "<script>const lang = new URLSearchParams(location.search).get('lang');"
        "const here = new URL('.', location.href).href;"  # TimelineJS needs absolute URLs
        "window.timeline = new TL.Timeline('embed', `${here}site/${lang}/timelinejs.json`,"
        " {language: lang, script_path: `${here}timelinejs/js/`});</script></body></html>",
        encoding="utf-8",
    )
    server, url = serve_folder(folder)
    yield url
    server.shutdown()


@pytest.mark.parametrize("code", ["en", "ar"])
def test_timelinejs3_shows_the_first_event_on_its_first_slide(browser, timelinejs_page: str, code: str) -> None:
    first = CONTENT.events[0]
    title = (first.translations.get(code) or next(iter(first.translations.values()))).title
    first_date = {"en": "2016 (approximately)", "ar": "٢٠١٦ (على وجه التقريب)"}.get
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    # TimelineJS's stylesheet asks Google for fonts: refuse at once rather than wait on the network.
    local = timelinejs_page
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(local) else route.abort())
    page.goto(f"{timelinejs_page}?lang={code}")
    page.wait_for_function("window.timeline && window.timeline.ready", timeout=15000)
    assert page.evaluate("window.timeline.current_id") == first.id
    slide = page.locator(".tl-slide").first
    assert slide.get_attribute("id") == first.id
    assert slide.locator(".tl-headline").text_content().strip() == title  # as written, not as CSS shows it
    assert slide.locator(".tl-headline-date").text_content().strip() == first_date(code)
    assert slide.is_visible()
    assert not errors, errors
    Path(REPO / "screenshots").mkdir(exist_ok=True)
    page.screenshot(path=str(REPO / "screenshots" / f"timelinejs-{code}.png"))
    page.close()


def test_the_whole_site_files_are_written_without_holding_any_whole(tmp_path: Path) -> None:
    """A worker writes the feeds and data files as their pieces are made: at its busiest it holds
    less than twice the largest file (joined, wrapped and encoded whole, it held three and a half
    times; at 10,000 events these files are tens of megabytes each)."""
    import tracemalloc

    from bench.corpus import make_events, write_timeline
    from generator.build import Project
    from generator.incremental import SiteBuilder
    from generator.render import SiteRenderer, find_assets
    from generator.workers import render_job

    project = write_timeline(make_events(300, seed=3), tmp_path / "corpus")
    builder = SiteBuilder(Project.at(project), search=False, parallel=False)
    content = builder.build().content
    environment, theme = builder._environment()
    renderer = SiteRenderer(content, environment, find_assets(builder.project.templates), theme=theme)
    renderer.jobs()
    (tmp_path / "scratch").mkdir()
    tracemalloc.start()
    try:
        written = render_job((renderer, None, tmp_path / "scratch"))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert set(written) >= {"sitemap.xml", "en/feed.xml", "ar/timeline.json", "en/timelinejs.json"}
    assert {path: Path(file.path).read_bytes() for path, file in written.items()} == dict(renderer.extra_files())
    assert all(Path(file.path).stat().st_size == file.size for file in written.values())
    largest = max(file.size for file in written.values())
    assert largest > 1_000_000 and peak < 2 * largest


@pytest.mark.parametrize("value", [
    {"title": "«السجن» \"quoted\" <b>&</b>\n\t\u2028 Ghuwayran", "importance": 3, "lat": 36.6, "tags": [None, True]},
    {"value": 2**70},  # a figure beyond 64 bits: orjson refuses it, the standard library writes it
])
def test_compact_json_writes_what_the_standard_library_writes(value: object) -> None:
    from generator.exports import compact_json

    assert compact_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
