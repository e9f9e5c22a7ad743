"""axe-core (npm, run inside Debian Chromium) finds no violations on any page type, language or scheme."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.theme_pages import all_page_types, served, theme_site

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
RUN_AXE = """async (skip) => (await axe.run(document, {
  resultTypes: ["violations"], rules: Object.fromEntries(skip.map((rule) => [rule, {enabled: false}])),
})).violations.map((v) => ({
  rule: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ")),
}))"""


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE.relative_to(REPO)} is missing: run `make system-deps` (npm ci)")
    return AXE.read_text("utf-8")


@pytest.fixture(scope="module")
def audit_page(browser):
    # bypass_csp: axe is injected as an inline script, which the site's own policy rightly forbids.
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900})
    yield context.new_page()
    context.close()


def axe_violations(page, url: str, source: str, schemes=("light", "dark"), skip=()) -> dict[str, list]:
    """The violations of one page in each colour scheme (one load, axe run once per scheme)."""
    page.emulate_media(color_scheme="light")
    page.goto(url)
    page.add_script_tag(content=source)
    found = {}
    for scheme in schemes:
        page.emulate_media(color_scheme=scheme)
        found[scheme] = page.evaluate(RUN_AXE, list(skip))
    return found


@pytest.mark.parametrize(("name", "path"), all_page_types())
def test_axe_finds_no_violations(audit_page, axe_source, name, path):
    found = axe_violations(audit_page, served(theme_site()) + path, axe_source)
    assert found == {"light": [], "dark": []}


@pytest.mark.parametrize("code", ["ar", "en"])
def test_axe_finds_no_violations_on_the_real_timeline(audit_page, axe_source, real_site: Path, code):
    """The whole story (thousands of nodes), light scheme: the other scheme only changes colours, which
    test_theme_contrast measures on these pages. On the Arabic page axe's colour-contrast rule would
    cost most of the time and skip most of the text, so our own check stands in for it there."""
    skip = ["color-contrast"] if code == "ar" else []
    found = axe_violations(audit_page, served(real_site) + f"{code}/", axe_source, ("light",), skip)
    assert found == {"light": []}
