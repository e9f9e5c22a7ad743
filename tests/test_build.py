"""End to end: a fixture tree built, checked through an HTML parser; determinism; atomic output."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from generator.build import Project, build
from generator.problems import ContentError, OutputError
from generator.write import MARKER
from tests.conftest import FIXTURES, REPO, copy_fixture

EXPECTED_ORDER = ["2022-01-only-month", "2022-01-20-car-bomb", "2022-01-21-day"]


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text("utf-8"), "html.parser")


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_language_indexes_have_lang_dir_and_event_order(small_site):
    for code, direction in (("ar", "rtl"), ("en", "ltr")):
        page = soup(small_site / code / "index.html")
        assert page.html["lang"] == code and page.html["dir"] == direction
        assert [a["id"] for a in page.select("article.event")] == EXPECTED_ORDER


def test_untranslated_event_carries_its_own_lang_and_dir(small_site):
    article = soup(small_site / "ar/index.html").find("article", id="2022-01-only-month")
    assert (article["lang"], article["dir"]) == ("en", "ltr")
    notice = article.select_one(".untranslated")
    assert (notice["lang"], notice["dir"]) == ("ar", "rtl")
    translated = soup(small_site / "ar/index.html").find("article", id="2022-01-20-car-bomb")
    assert "lang" not in translated.attrs


def test_event_pages_link_previous_next_and_other_language(small_site):
    page = soup(small_site / "en/events/2022-01-20-car-bomb/index.html")
    assert page.select_one("a[rel=prev]")["href"] == "/en/events/2022-01-only-month/"
    assert page.select_one("a[rel=next]")["href"] == "/en/events/2022-01-21-day/"
    switch = page.select_one("nav a[hreflang=ar]")
    assert switch["href"] == "/ar/events/2022-01-20-car-bomb/"
    alternates = {link["hreflang"]: link["href"] for link in page.select("link[rel=alternate][hreflang]")}
    assert alternates["ar"] == "https://example.org/ar/events/2022-01-20-car-bomb/"
    first = soup(small_site / "en/events/2022-01-only-month/index.html")
    assert first.select_one("a[rel=prev]") is None


def test_dates_are_localised_with_exact_machine_values(small_site):
    article = soup(small_site / "ar/events/2022-01-20-car-bomb/index.html").select_one("article")
    time = article.select_one(".event-date time")
    assert time["datetime"] == "2022-01-20T19:00+02:00"
    assert time.get_text().startswith("٢٠ كانون الثاني ٢٠٢٢")
    assert article.select_one(".date-qualifier").get_text() == "(على وجه التقريب)"
    month = soup(small_site / "en/index.html").find("article", id="2022-01-only-month").select_one("time")
    assert (month["datetime"], month.get_text()) == ("2022-01", "January 2022")  # no invented day


def test_tag_pages_list_only_their_events(small_site):
    page = soup(small_site / "en/tags/attack/index.html")
    assert [a["id"] for a in page.select("article.event")] == ["2022-01-20-car-bomb", "2022-01-21-day"]


def test_figures_are_shown_with_who_said_them(small_site):
    table = soup(small_site / "en/events/2022-01-20-car-bomb/index.html").select_one("table.figures")
    assert table.select_one("tbody th").get_text(strip=True) == "Prisoners held"
    rows = [row for row in table.select("tbody tr") if row.find("td")]
    cells = [[td.get_text(" ", strip=True) for td in row.find_all("td")] for row in rows]
    assert cells[0][0] == "about 3,500" and cells[0][1].startswith("بوابة الحركات الإسلامية")
    assert cells[1][0] == "about 5,000" and cells[1][1].startswith("AP")


def test_two_builds_are_byte_identical(tmp_path):
    project = Project.at(FIXTURES / "small")
    build(project, tmp_path / "one", cache=False)  # the fixture folder keeps no cache of tmp outputs
    build(project, tmp_path / "two", cache=False)
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


def test_failing_build_leaves_previous_output_byte_identical(tmp_path):
    root = copy_fixture("small", tmp_path)
    output = tmp_path / "output"
    build(Project.at(root), output)
    before = tree_digest(output)
    (root / "content/events/2022-01-21-day.ar.md").write_text("---\ntitle: x\ndate: 2022-02-30\n---\n", "utf-8")
    with pytest.raises(ContentError):
        build(Project.at(root), output)
    assert tree_digest(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")] == []  # no staging left


def test_swap_replaces_everything_and_drops_removed_pages(tmp_path):
    root = copy_fixture("small", tmp_path)
    output = tmp_path / "output"
    build(Project.at(root), output)
    (root / "content/events/2022-01-only-month.en.md").unlink()
    build(Project.at(root), output)
    assert not (output / "en/events/2022-01-only-month").exists()
    assert (output / MARKER).is_file()


@pytest.mark.parametrize("where", ["root", "content", "templates", "stranger"])
def test_dangerous_output_folders_are_refused(tmp_path, where):
    root = copy_fixture("small", tmp_path)
    (root / "templates").mkdir()
    stranger = tmp_path / "photos"
    stranger.mkdir()
    (stranger / "holiday.jpg").write_bytes(b"precious")
    target = {"root": root, "content": root / "content", "templates": root / "templates",
              "stranger": stranger}[where]
    before = tree_digest(target)
    with pytest.raises(OutputError, match="refusing"):
        build(Project.at(root), target)
    assert tree_digest(target) == before


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=60)


def test_cli_build_error_is_one_line_per_problem_and_exit_1(tmp_path):
    root = copy_fixture("small", tmp_path)
    (root / "content/events/2022-01-21-day.ar.md").write_text("---\ntitle: x\ndate: 2022-02-30\n---\n", "utf-8")
    result = run_cli("build", cwd=root)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines()[0].startswith("content/events/2022-01-21-day.ar.md:3: 'date':")
    assert not (root / "output").exists()


def test_cli_ends_at_once_after_a_build_with_what_it_printed_flushed(tmp_path):
    """`timeline build` ends without Python's own exit, which frees every object one by one (an
    exit handler shows which way it ended); what was printed still reaches the reader."""
    root = copy_fixture("small", tmp_path)
    code = ("import atexit; atexit.register(print, 'exit handler ran'); from generator.cli import main; "
            "print('started'); main(['build', '--verbose'], quick_exit=True); print('returned')")
    result = subprocess.run([sys.executable, "-c", code], cwd=root, env={**os.environ, "PYTHONPATH": str(REPO)},
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["started"]
    assert "built 3 events" in result.stderr
    assert (root / "output/en/index.html").is_file()


def test_cli_help_says_what_each_command_does(tmp_path):
    top = run_cli("--help", cwd=tmp_path)
    assert top.returncode == 0 and "bilingual" in top.stdout
    for command, phrase in [("build", "atomically"), ("serve", "reload"), ("check", "coverage"),
                            ("new", "both language files")]:
        result = run_cli(command, "--help", cwd=tmp_path)
        assert result.returncode == 0 and phrase in result.stdout, command


def test_cli_check_reports_coverage_and_writes_nothing(tmp_path):
    root = copy_fixture("small", tmp_path)
    result = run_cli("check", cwd=root)
    assert result.returncode == 0
    assert "ar: 2/3 events translated (67 %)" in result.stdout
    assert "en: 3/3 events translated (100 %)" in result.stdout
    assert not (root / "output").exists()


def test_cli_new_scaffolds_both_files_and_refuses_to_overwrite(tmp_path):
    root = copy_fixture("small", tmp_path)
    result = run_cli("new", "2022-01-25", "un-statement", cwd=root)
    assert result.returncode == 0, result.stderr
    created = sorted(p.name for p in (root / "content/events").glob("2022-01-25-un-statement.*"))
    assert created == ["2022-01-25-un-statement.ar.md", "2022-01-25-un-statement.en.md"]
    assert run_cli("build", cwd=root).returncode == 0
    again = run_cli("new", "2022-01-25", "un-statement", cwd=root)
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr
    bad = run_cli("new", "2022-02-30", "Bad Slug", cwd=root)
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
