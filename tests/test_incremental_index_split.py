"""Large timelines: past `index_split_threshold` events the language index is split by year (or month)."""

from __future__ import annotations

from pathlib import Path

from bs4 import BeautifulSoup

from generator.build import Project, build
from tests.conftest import copy_fixture


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def build_with_threshold(tmp_path: Path, threshold: int) -> Path:
    """The small fixture (three events in January 2022) plus one event in 2021 and one in 2023."""
    project = copy_fixture("small", tmp_path)
    for day, title in (("2021-06-01", "Earlier"), ("2023-03-01", "Later")):
        (project / f"content/events/{day}-x.en.md").write_text(
            f"---\ntitle: {title}\ndate: {day}\nsources: [ap]\n---\nText.\n", "utf-8"
        )
    site = project / "content/site.yaml"
    text = site.read_text("utf-8").replace("index_split_threshold: 400", f"index_split_threshold: {threshold}")
    site.write_text(text, "utf-8")
    output = tmp_path / "output"
    build(Project.at(project), output, cache=False, search=False)
    return output


def event_ids(page: BeautifulSoup) -> list[str]:
    return [article["id"] for article in page.select("ol.timeline article.event")]


def test_a_small_timeline_stays_on_one_page(tmp_path):
    output = build_with_threshold(tmp_path, 400)
    page = soup(output / "en/index.html")
    assert page.select_one("nav.period-nav") is None
    assert len(event_ids(page)) == 5


def test_past_the_threshold_the_index_is_split_by_year_with_navigation(tmp_path):
    output = build_with_threshold(tmp_path, 3)
    parts = {"2021": output / "en/index.html", "2022": output / "en/2022/index.html",
             "2023": output / "en/2023/index.html"}
    seen = []
    for year, path in parts.items():
        page = soup(path)
        links = page.select("nav.period-nav a")
        assert [a.get_text() for a in links] == ["2021", "2022", "2023"]
        assert [a["href"] for a in links] == ["/en/", "/en/2022/", "/en/2023/"]
        assert page.select_one("nav.period-nav a[aria-current=page]").get_text() == year
        seen += event_ids(page)
    assert sorted(seen) == sorted(set(seen)) and len(seen) == 5
    assert event_ids(soup(parts["2022"])) == ["2022-01-only-month", "2022-01-20-car-bomb", "2022-01-21-day"]
    arabic = soup(output / "ar/2022/index.html").select("nav.period-nav a")
    assert [a.get_text() for a in arabic] == ["٢٠٢١", "٢٠٢٢", "٢٠٢٣"]


def test_an_event_page_leads_back_to_its_part_of_the_timeline(tmp_path):
    output = build_with_threshold(tmp_path, 3)
    back = soup(output / "en/events/2022-01-20-car-bomb/index.html").select_one(".breadcrumb a")
    assert back["href"] == "/en/2022/#2022-01-20-car-bomb"


def test_a_year_over_the_threshold_splits_the_index_by_month(tmp_path):
    output = build_with_threshold(tmp_path, 2)
    labels = [a.get_text() for a in soup(output / "en/index.html").select("nav.period-nav a")]
    assert labels == ["June 2021", "January 2022", "March 2023"]
    assert event_ids(soup(output / "en/2022-01/index.html"))[0] == "2022-01-only-month"
