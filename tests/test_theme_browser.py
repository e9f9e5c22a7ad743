"""The theme in a real browser (Debian Chromium): layout, the time axis, keyboard, filter, no JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.theme_pages import KEY_EVENT, LANGUAGES, TAG, all_page_types, page_types, served, theme_content, theme_site

AXIS_BOXES = """() => {
  const axis = document.querySelector("ol.timeline");
  const box = axis.getBoundingClientRect();
  const style = getComputedStyle(axis);
  const left = parseFloat(style.borderLeftWidth), right = parseFloat(style.borderRightWidth);
  const centre = (element) => { const b = element.getBoundingClientRect(); return b.left + b.width / 2; };
  return {
    viewport: document.documentElement.clientWidth,
    borderLeft: left, borderRight: right,
    axisX: left > 0 ? box.left + left / 2 : box.right - right / 2,
    markers: [...axis.querySelectorAll(".marker")].map(centre),
    events: [...axis.querySelectorAll("article.event")].map((e) => {
      const b = e.getBoundingClientRect(); return {id: e.id, left: b.left, right: b.right};
    }),
  };
}"""
MARKER_HEIGHTS = """() => Object.fromEntries([...document.querySelectorAll("article.event")].map(
  (e) => [e.id, e.querySelector(".marker").getBoundingClientRect().height]))"""
VISIBLE_EVENTS = """() => [...document.querySelectorAll("article.event")]
  .filter((e) => e.getClientRects().length > 0).map((e) => e.id)"""


@pytest.fixture(scope="module")
def site_url() -> str:
    return served(theme_site())


@pytest.fixture(scope="module")
def shared_pages(browser):
    """One tab with JavaScript and one without, reused by this module's tests: loads stay fast
    because each keeps its cache (fonts, stylesheet) from one test to the next."""
    contexts = {True: browser.new_context(), False: browser.new_context(java_script_enabled=False)}
    yield {javascript: context.new_page() for javascript, context in contexts.items()}
    for context in contexts.values():
        context.close()


@pytest.fixture
def new_page(shared_pages, site_url):
    """Opens a path of the theme site as a fresh document, at a width, scheme and motion preference."""

    def open_page(path: str, *, width=1280, scheme="light", reduced_motion="no-preference", javascript=True):
        page = shared_pages[javascript]
        page.goto("about:blank")  # never a same-document hash navigation carrying the last test's state
        page.set_viewport_size({"width": width, "height": 800})
        page.emulate_media(media="screen", color_scheme=scheme, reduced_motion=reduced_motion)
        page.goto(site_url + path)
        return page

    return open_page


@pytest.mark.parametrize("width", [360, 320])
def test_no_horizontal_scrolling_on_phones(new_page, width):
    wide = []
    for name, path in all_page_types():
        page = new_page(path, width=width)
        page.evaluate("document.fonts.ready")
        scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
        if scroll > client:
            wide.append((name, scroll, client))
    assert wide == []


@pytest.mark.parametrize("code", LANGUAGES)
@pytest.mark.parametrize("width", [360, 1280])
def test_time_axis_is_on_the_reading_start_side(new_page, code, width):
    for kind in ("timeline", "tag"):
        page = new_page(page_types(code)[kind], width=width)
        boxes = page.evaluate(AXIS_BOXES)
        axis = boxes["axisX"]
        if code == "ar":  # right-to-left: the axis is the right edge, events to its left
            assert boxes["borderRight"] > 0 and boxes["borderLeft"] == 0
            assert axis > boxes["viewport"] / 2
            assert all(event["right"] < axis for event in boxes["events"]), boxes["events"]
        else:
            assert boxes["borderLeft"] > 0 and boxes["borderRight"] == 0
            assert axis < boxes["viewport"] / 2
            assert all(event["left"] > axis for event in boxes["events"]), boxes["events"]
        # Every marker (days and events, untranslated ones included) is centred on the axis.
        assert boxes["markers"] and all(abs(marker - axis) <= 1.5 for marker in boxes["markers"]), boxes
        assert len(boxes["markers"]) > len(boxes["events"])


def test_periods_are_drawn_as_spans_along_the_axis(new_page):
    page = new_page(page_types("en")["timeline"])
    heights = page.evaluate(MARKER_HEIGHTS)
    content = theme_content()
    periods = [event.id for event in content.events if event.when.is_period]
    points = [event.id for event in content.events if not event.when.is_period]
    assert periods and points
    tallest_point = max(heights[event_id] for event_id in points)
    assert all(heights[event_id] > 3 * tallest_point for event_id in periods), heights


@pytest.mark.parametrize("code", LANGUAGES)
def test_language_switch_lands_on_the_same_event(new_page, code):
    other = next(lang for lang in LANGUAGES if lang != code)
    page = new_page(page_types(code)["event"])
    page.click(".language-switch a")
    page.wait_for_url(re.compile(f"/{other}/events/{KEY_EVENT}/$"))
    assert page.locator("html").get_attribute("lang") == other
    assert page.locator(f"article[id='{KEY_EVENT}'] h1").inner_text().strip()
    # From the timeline, the event the reader is on comes along.
    page = new_page(page_types(code)["timeline"] + "#2022-01-21-fighting-in-zuhour")
    page.click(".language-switch a")
    page.wait_for_url(re.compile(f"/{other}/#2022-01-21-fighting-in-zuhour$"))


@pytest.mark.parametrize("code", LANGUAGES)
def test_page_reads_fully_without_javascript(new_page, code):
    page = new_page(page_types(code)["timeline"], javascript=False)
    content = theme_content()
    assert page.evaluate(VISIBLE_EVENTS) == [event.id for event in content.events]
    text = page.locator("main").inner_text()
    for event in content.events:
        translation = event.translations.get(code) or next(iter(event.translations.values()))
        assert translation.title in text and translation.summary in text
    assert not page.locator(".keyboard-help").is_visible()  # it would promise keys that do nothing
    # The topic filter is made of plain links to tag pages.
    page.click(f".tag-filter a[data-tag={TAG}]")
    page.wait_for_url(re.compile(f"/{code}/tags/{TAG}/$"))
    tagged = [event.id for event in content.events if TAG in event.tags]
    assert page.evaluate(VISIBLE_EVENTS) == tagged


def test_every_page_type_reads_without_javascript(new_page):
    blank = []
    for name, path in all_page_types():
        page = new_page(path, javascript=False)
        if not (page.locator("main h1").first.is_visible() and len(page.locator("main").inner_text()) > 40):
            blank.append(name)
    assert blank == []


@pytest.mark.parametrize("code", LANGUAGES)
def test_keyboard_moves_focus_between_events(new_page, code):
    page = new_page(page_types(code)["timeline"], reduced_motion="reduce")
    ids = [event.id for event in theme_content().events]
    focused = "document.activeElement.id"
    page.keyboard.press("j")
    assert page.evaluate(focused) == ids[0]
    page.keyboard.press("j")
    assert page.evaluate(focused) == ids[1]
    page.keyboard.press("ArrowDown")
    assert page.evaluate(focused) == ids[2]
    page.keyboard.press("k")
    assert page.evaluate(focused) == ids[1]
    page.keyboard.press("ArrowUp")
    assert page.evaluate(focused) == ids[0]
    # An Arabic keyboard layout sends other letters from the same keys.
    page.evaluate("document.dispatchEvent(new KeyboardEvent('keydown', {key: 'ت', code: 'KeyJ', bubbles: true}))")
    assert page.evaluate(focused) == ids[1]
    # The focused event is on screen, below the sticky day heading.
    top = page.evaluate(f"document.getElementById('{ids[1]}').getBoundingClientRect().top")
    assert 0 <= top < 200
    assert page.evaluate("location.hash") == f"#{ids[1]}"


def test_keys_typed_into_a_field_are_left_alone(new_page):
    page = new_page(page_types("en")["timeline"])
    page.evaluate("document.querySelector('main').prepend(Object.assign(document.createElement('input'), {id: 'f'}))")
    page.focus("#f")
    page.keyboard.type("jk")
    assert page.evaluate("document.activeElement.id") == "f"
    assert page.input_value("#f") == "jk"


@pytest.mark.parametrize("code", LANGUAGES)
def test_tag_filter_works_in_page_with_javascript(new_page, code):
    content = theme_content()
    tagged = [event.id for event in content.events if TAG in event.tags]
    page = new_page(page_types(code)["timeline"])
    page.click(f".tag-filter a[data-tag={TAG}]")
    assert page.evaluate(VISIBLE_EVENTS) == tagged
    assert page.evaluate("location.pathname + location.search") == f"/{code}/?tag={TAG}"
    status = page.locator(".filter-status").inner_text()
    digits = "٠١٢٣٤٥٦٧٨٩" if code == "ar" else "0123456789"
    assert digits[len(tagged)] in status
    assert page.locator(f".tag-filter a[data-tag={TAG}]").get_attribute("aria-current") == "true"
    page.click(".tag-filter a[data-tag='']")
    assert len(page.evaluate(VISIBLE_EVENTS)) == len(content.events)
    # A filtered address opens filtered.
    page = new_page(page_types(code)["timeline"] + f"?tag={TAG}")
    assert page.evaluate(VISIBLE_EVENTS) == tagged


def test_print_shows_source_addresses_and_hides_navigation(new_page):
    page = new_page(page_types("en")["event"])
    page.emulate_media(media="print", color_scheme="dark")
    assert not page.locator(".site-nav").is_visible()
    link = page.locator(".sources cite a").first
    after = link.evaluate("(a) => getComputedStyle(a, '::after').content")
    assert link.get_attribute("data-url") in after and link.get_attribute("data-url").startswith("https://")
    assert page.evaluate("getComputedStyle(document.body).color") == "rgb(0, 0, 0)"  # dark mode does not print


def test_dark_mode_follows_the_system(new_page):
    colours = {}
    for scheme in ("light", "dark"):
        page = new_page(page_types("ar")["timeline"], scheme=scheme)
        colours[scheme] = page.evaluate("getComputedStyle(document.documentElement).backgroundColor")
    assert colours["light"] != colours["dark"]
