"""Validation and translation joining: shared fields, conflicts, one-language events, content errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.content import read_content
from generator.problems import ContentError
from tests.conftest import copy_fixture


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_fixture("small", tmp_path)


def write(project: Path, relative: str, text: str) -> None:
    path = project / "content" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def problems_of(project: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        read_content(project / "content")
    return [str(problem) for problem in caught.value.problems]


def event_by_id(project: Path, event_id: str):
    content, _ = read_content(project / "content")
    return next(event for event in content.events if event.id == event_id)


def test_shared_fields_may_be_written_in_either_translation(project):
    event = event_by_id(project, "2022-01-20-car-bomb")  # shared fields are in the .ar.md file
    assert event.sources == ("ap", "seed") and event.importance == 1
    assert event.translations["en"].title == "Car bomb at the prison gate"
    assert [f.value for f in event.figures] == ["~3500", "~5000"]
    write(project, "events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nsources: [ap]\n---\nx\n")
    write(project, "events/2022-01-22-x.ar.md", "---\ntitle: س\n---\nس\n")
    assert event_by_id(project, "2022-01-22-x").sources == ("ap",)


def test_equal_shared_fields_in_both_translations_are_fine(project):
    write(project, "events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\ntags: [attack]\n---\n")
    write(project, "events/2022-01-22-x.ar.md", "---\ntitle: س\ndate: 2022-01-22\ntags: [attack]\n---\n")
    assert event_by_id(project, "2022-01-22-x").tags == ("attack",)


def test_conflicting_shared_fields_name_both_files(project):
    write(project, "events/2022-01-22-x.ar.md", "---\ntitle: س\ndate: 2022-01-22\n---\n")
    write(project, "events/2022-01-22-x.en.md", "---\ntitle: X\n\ndate: 2022-01-23\n---\n")
    [problem] = problems_of(project)
    assert problem.startswith("content/events/2022-01-22-x.en.md:4: 'date' differs from")
    assert "content/events/2022-01-22-x.ar.md:3" in problem


def test_one_language_event_is_published_in_both_timelines_marked(project):
    content, warnings = read_content(project / "content")
    event = next(e for e in content.events if e.id == "2022-01-only-month")
    assert set(event.translations) == {"en"}
    assert event.text_in("ar", ("ar", "en")).lang == "en"
    assert any("has no 'ar' translation" in w.message for w in warnings)


def test_drafts_are_left_out_unless_asked(project):
    write(project, "events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\ndraft: true\n---\n")
    content, _ = read_content(project / "content")
    assert "2022-01-22-x" not in {e.id for e in content.events}
    content, _ = read_content(project / "content", drafts=True)
    assert "2022-01-22-x" in {e.id for e in content.events}


# Each kind of content error: the file, the line (where there is one) and how to mend it.
ERRORS = [
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\n", "2022-01-22-x.en.md:1:", "not closed"),
    ("events/2022-01-22-x.en.md", "title: X\n", "2022-01-22-x.en.md:1:", "no front matter"),
    ("events/2022-01-22-x.en.md", "---\n- a\n- b\n---\n", "2022-01-22-x.en.md:2:", "not a mapping"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: [2022\n---\n", "2022-01-22-x.en.md:", "YAML syntax error"),
    ("events/2022-01-22-x.en.md", "---\ntitle: !!python/object:os.system x\ndate: 2022\n---\n",
     "2022-01-22-x.en.md:2:", "construct objects"),
    ("events/2022-01-22-x.en.md", "---\ntitle: &a X\nsummary: *a\ndate: 2022\n---\n",
     "2022-01-22-x.en.md:3:", "aliases"),
    ("events/2022-01-22-x.en.md", "---\ndate: 2022-01-22\n---\n", "2022-01-22-x.en.md:", "'title' is missing"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\n---\n", "2022-01-22-x.en.md:2:", "has no 'date'"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-02-30\n---\n", "2022-01-22-x.en.md:3:",
     "does not exist"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: soon\n---\n", "2022-01-22-x.en.md:3:", "is not a date"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nend: 2022-01-20\n---\n",
     "2022-01-22-x.en.md:4:", "comes before"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\ntimezone: Mars/Olympus\n---\n",
     "2022-01-22-x.en.md:4:", "unknown time zone"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nsoruces: [ap]\n---\n",
     "2022-01-22-x.en.md:4:", "unknown field 'soruces'"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nsources: [nyt]\n---\n",
     "2022-01-22-x.en.md:4:", "unknown source id 'nyt'"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nplaces: [moon]\n---\n",
     "2022-01-22-x.en.md:4:", "unknown place id 'moon'"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\ntags: [atack]\n---\n",
     "2022-01-22-x.en.md:4:", "did you mean 'attack'"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nimportance: 5\n---\n",
     "2022-01-22-x.en.md:4:", "from 1 to 3"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\ndraft: maybe\n---\n",
     "2022-01-22-x.en.md:4:", "true or false"),
    ("events/2022-01-22-x.en.md", "---\ntitle: X\ndate: 2022-01-22\nfigures:\n  - {measure: escaped, value: 5}\n---\n",
     "2022-01-22-x.en.md:5:", "every figure needs who said it"),
    ("events/2022-01-22-x.en.md",
     "---\ntitle: X\ndate: 2022-01-22\nfigures:\n  - {measure: escaped, value: lots, source: ap}\n---\n",
     "2022-01-22-x.en.md:5:", "not a number, range or time"),
    ("events/2022-01-22-x.en.md",
     "---\ntitle: X\ndate: 2022-01-22\nfigures:\n  - {measure: happiness, value: 5, source: ap}\n---\n",
     "2022-01-22-x.en.md:5:", "unknown figure measure"),
    ("events/2022-01-22-X.en.md", "---\ntitle: X\ndate: 2022\n---\n", "2022-01-22-X.en.md:", "not a valid id"),
    ("events/car bomb.en.md", "---\ntitle: X\ndate: 2022\n---\n", "car bomb.en.md:", "not a valid id"),
    ("events/2022-01-22-x.fr.md", "---\ntitle: X\ndate: 2022\n---\n", "2022-01-22-x.fr.md:",
     "unknown language suffix"),
    ("events/2022-01-22-x.md", "---\ntitle: X\ndate: 2022\n---\n", "2022-01-22-x.md:", "no language suffix"),
    ("events/2022-01-22-x.en.md", "", "2022-01-22-x.en.md:1:", "empty"),
    ("sources.yaml", "ap:\n  publisher: AP\n  title: T\n  language: en\n  url: javascript:alert(1)\n",
     "sources.yaml:5:", "must be an http(s) URL"),
    ("site.yaml", "default_language: ar\nlanguages: [ar]\n", "site.yaml:2:", "'languages' must map"),
]


@pytest.mark.parametrize(("relative", "text", "where", "what"), ERRORS, ids=[e[3] for e in ERRORS])
def test_each_content_error_names_file_and_line(project, relative, text, where, what):
    write(project, relative, text)
    problems = problems_of(project)
    assert any(p.startswith(f"content/{relative.rsplit('/', 1)[0]}/") or p.startswith("content/")
               for p in problems)
    assert any(where in p and what in p for p in problems), problems


def test_non_utf8_file_is_reported_with_its_line(project):
    (project / "content/events/2022-01-22-x.en.md").write_bytes(b"---\ntitle: X\ndate: 2022\n---\n\xff\xfe\n")
    [problem] = problems_of(project)
    assert problem.startswith("content/events/2022-01-22-x.en.md:5: is not UTF-8")


def test_all_problems_of_a_build_are_reported_at_once(project):
    write(project, "events/2022-01-22-a.en.md", "---\ntitle: A\ndate: 2022-02-30\n---\n")
    write(project, "events/2022-01-22-b.en.md", "---\ntitle: B\ndate: 2022-01-22\nsources: [nope]\n---\n")
    problems = problems_of(project)
    assert len(problems) == 2
    assert "2022-01-22-a.en.md:3" in problems[0] and "2022-01-22-b.en.md:4" in problems[1]
