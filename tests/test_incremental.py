"""Incremental rebuilds and warm builds give the very bytes of a build from nothing."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from generator.build import Project, build
from generator.incremental import SiteBuilder
from generator.preview import write_changes
from generator.problems import ContentError
from generator.write import write_site
from tests.conftest import REPO, child_processes, copy_fixture

BASE_URL = "http://127.0.0.1:8000/"
EVENTS = "content/events"


def tree(folder: Path) -> dict[str, str]:
    return {
        path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def edit(project: Path, relative: str, old: str, new: str) -> None:
    path = project / relative
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), "utf-8")


def fresh_build(project: Path, output: Path) -> dict[str, str]:
    build(Project.at(project), output, base_url=BASE_URL, cache=False)
    return tree(output)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The small fixture with its own theme, so templates and styles can be edited too."""
    root = copy_fixture("small", tmp_path)
    shutil.copytree(REPO / "templates", root / "templates")
    return root


def add_event(project: Path) -> None:
    (project / EVENTS / "2022-01-22-new.en.md").write_text(
        "---\ntitle: A new event\ndate: 2022-01-22\ntags: [attack, context]\nsources: [ap]\n---\nNew.\n", "utf-8"
    )


def remove_event(project: Path) -> None:
    (project / EVENTS / "2022-01-only-month.en.md").unlink()


STEPS = {
    "title": lambda p: edit(p, f"{EVENTS}/2022-01-20-car-bomb.en.md", "prison gate", "northern gate"),
    "new event": add_event,
    "tags": lambda p: edit(p, f"{EVENTS}/2022-01-21-day.ar.md", "tags: [attack]", "tags: [context]"),
    "date (the order changes)": lambda p: edit(p, f"{EVENTS}/2022-01-21-day.ar.md", "date: 2022-01-21",
                                               "date: 2022-01-19"),
    "removed event": remove_event,
    "template": lambda p: edit(p, "templates/base.html", "<main ", "<main data-edited "),
    "stylesheet": lambda p: (p / "templates/static/style.css").open("a").write("\nbody { color: #111; }\n"),
    "site settings": lambda p: edit(p, "content/strings/en.yaml", "timeline: Timeline", "timeline: Chronology"),
}


def test_every_incremental_rebuild_equals_a_build_from_nothing(project, tmp_path):
    builder = SiteBuilder(Project.at(project), base_url=BASE_URL, parallel=False)
    live = tmp_path / "live"
    write_site(builder.build().files, live)
    for number, (name, change) in enumerate(STEPS.items()):
        change(project)
        site = builder.build()
        write_changes(live, site.files, site.changed, site.removed)
        assert tree(live) == fresh_build(project, tmp_path / f"fresh-{number}"), f"after the {name} change"


def test_a_title_edit_parses_one_file_and_renders_only_the_pages_showing_the_event(project):
    builder = SiteBuilder(Project.at(project), base_url=BASE_URL, parallel=False)
    first = builder.build()
    STEPS["title"](project)
    site = builder.build()
    assert site.parsed == 1
    # In each language: the event, its two neighbours (previous/next titles), the timeline,
    # the one tag page listing it, and the figures page (it has figures).
    assert site.rendered == 2 * 6
    pages = {path for path in site.changed if path.endswith(".html")}
    assert "en/events/2022-01-20-car-bomb/index.html" in pages
    assert "en/events/2022-01-only-month/index.html" in pages  # its "next" link shows the new title
    assert "en/tags/context/index.html" not in pages
    assert site.rendered < first.rendered


def test_a_template_change_renders_every_page_but_parses_nothing(project):
    builder = SiteBuilder(Project.at(project), base_url=BASE_URL, parallel=False)
    first = builder.build()
    STEPS["template"](project)
    site = builder.build()
    assert site.parsed == 0 and site.rendered == first.rendered


def test_warm_builds_and_a_deleted_cache_change_no_output(project, tmp_path):
    expected = fresh_build(project, tmp_path / "cold")
    output = tmp_path / "output"
    first = build(Project.at(project), output, base_url=BASE_URL)
    assert (project / ".cache").is_dir() and first.parsed == 7
    warm = build(Project.at(project), output, base_url=BASE_URL)
    assert (warm.parsed, warm.rendered) == (0, 0)
    assert tree(output) == expected
    shutil.rmtree(project / ".cache")
    build(Project.at(project), output, base_url=BASE_URL)
    assert tree(output) == expected


def test_a_warm_build_sees_edits_and_template_changes(project, tmp_path):
    output = tmp_path / "output"
    build(Project.at(project), output, base_url=BASE_URL)
    STEPS["title"](project)
    edited = build(Project.at(project), output, base_url=BASE_URL)
    assert edited.parsed == 1 and 0 < edited.rendered < edited.pages
    assert tree(output) == fresh_build(project, tmp_path / "cold-title")
    STEPS["template"](project)
    restyled = build(Project.at(project), output, base_url=BASE_URL)
    assert restyled.parsed == 0 and restyled.rendered == restyled.pages
    assert tree(output) == fresh_build(project, tmp_path / "cold-template")


def test_a_template_change_rewrites_the_page_stamps_but_not_the_parsed_files(project, tmp_path):
    output = tmp_path / "output"
    build(Project.at(project), output, base_url=BASE_URL)
    parsed = next(path for path in (project / ".cache").glob("build-*.pickle") if ".pages." not in path.name)
    pages = parsed.with_suffix(".pages.pickle")
    before = (parsed.stat().st_mtime_ns, pages.stat().st_mtime_ns)
    STEPS["template"](project)
    build(Project.at(project), output, base_url=BASE_URL)
    assert parsed.stat().st_mtime_ns == before[0] and pages.stat().st_mtime_ns != before[1]


def test_a_corrupt_cache_is_ignored(project, tmp_path):
    output = tmp_path / "output"
    build(Project.at(project), output, base_url=BASE_URL)
    for stored in (project / ".cache").iterdir():
        stored.write_bytes(b"not a pickle")
    report = build(Project.at(project), output, base_url=BASE_URL)
    assert report.parsed == 7
    assert tree(output) == fresh_build(project, tmp_path / "cold")


def test_rebuilds_told_which_files_changed_equal_a_build_from_nothing(project, tmp_path):
    """The live server passes the watcher's paths, so only those are looked at."""
    builder = SiteBuilder(Project.at(project), base_url=BASE_URL, parallel=False)
    live = tmp_path / "live"
    write_site(builder.build().files, live)
    events = project.resolve() / EVENTS
    steps = [
        ("title", [events / "2022-01-20-car-bomb.en.md"]),
        ("new event", [events / "2022-01-22-new.en.md"]),
        ("removed event", [events / "2022-01-only-month.en.md"]),
        ("template", [project.resolve() / "templates/base.html"]),
    ]
    for number, (name, paths) in enumerate(steps):
        STEPS[name](project)
        site = builder.build(paths)
        write_changes(live, site.files, site.changed, site.removed)
        assert tree(live) == fresh_build(project, tmp_path / f"fresh-{number}"), f"after the {name} change"
    (events / "sub").mkdir()  # a new folder: everything is scanned again, and its file is refused
    (events / "sub/2022-01-23-deep.en.md").write_text("---\ntitle: Deep\ndate: 2022-01-23\n---\nx\n", "utf-8")
    with pytest.raises(ContentError, match="outside content/events/ and content/pages/"):
        builder.build([events / "sub"])


def test_a_build_on_both_cores_equals_one_in_a_single_process(tmp_path):
    """Enough pages for forked workers (they write pages into the new output's staging folder)."""
    from bench.corpus import make_events, write_timeline

    project = write_timeline(make_events(120, seed=7), tmp_path / "corpus")
    parallel = build(Project.at(project), tmp_path / "parallel", cache=False, search=False)
    assert parallel.rendered > 200 and not list(tmp_path.glob(".parallel.new-*"))
    builder = SiteBuilder(Project.at(project), parallel=False, search=False)
    write_site(builder.build().files, tmp_path / "serial")
    assert tree(tmp_path / "parallel") == tree(tmp_path / "serial")


def test_a_build_on_both_cores_leaves_a_cache_the_next_build_uses(tmp_path):
    """The parsed files and the page stamps are stored apart; both serve the next build."""
    from bench.corpus import make_events, write_timeline

    project = write_timeline(make_events(120, seed=7), tmp_path / "corpus")
    cold = build(Project.at(project), tmp_path / "output", search=False)
    assert cold.parsed == 240 and cold.rendered > 200
    assert len(list((project / ".cache").glob("build-*.pickle"))) == 2
    warm = build(Project.at(project), tmp_path / "output", search=False)
    assert (warm.parsed, warm.rendered) == (0, 0)
    edited = next((project / "content" / "events").glob("*.en.md"))
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Edited ", 1), "utf-8")
    again = build(Project.at(project), tmp_path / "output", search=False)
    assert again.parsed == 1 and 0 < again.rendered < 20
    build(Project.at(project), tmp_path / "cold", cache=False, search=False)
    assert tree(tmp_path / "output") == tree(tmp_path / "cold")


def test_on_both_cores_events_are_joined_as_their_files_are_parsed_each_once(tmp_path, monkeypatch):
    """This process joins each event while the workers still parse (not all after the last file),
    once; what is wrong in an event is reported once, with its file and line, as in one process."""
    import generator.incremental as incremental
    from bench.corpus import make_events, write_timeline

    project = write_timeline(make_events(150, seed=7), tmp_path / "corpus")
    events = sorted((project / "content" / "events").glob("*.md"))
    bad_tag, bad_yaml = events[10], events[41]
    bad_tag.write_text(bad_tag.read_text("utf-8").replace("tags: [", "tags: [no-such-tag, ", 1), "utf-8")
    bad_yaml.write_text(bad_yaml.read_text("utf-8").replace("title: ", "title: [", 1), "utf-8")
    parsing, joined = [False], []
    real_fork_map, real_join = incremental.fork_map, incremental.join_event

    def fork_map(*args, **kwargs):
        parsing[0] = args[0] is incremental.read_and_parse
        try:
            return real_fork_map(*args, **kwargs)
        finally:
            parsing[0] = False

    def join_event(event_id, *args):
        joined.append((event_id, parsing[0]))
        return real_join(event_id, *args)

    monkeypatch.setattr(incremental, "fork_map", fork_map)
    monkeypatch.setattr(incremental, "join_event", join_event)
    with pytest.raises(ContentError) as raised:
        build(Project.at(project), tmp_path / "output", search=False)
    ids = [event_id for event_id, _ in joined]
    assert len(ids) == len(set(ids)) == 150  # every event once
    broken = bad_yaml.name.split(".")[0]  # joined afterwards, from its other file, as in one process
    assert [event_id for event_id, while_parsing in joined if not while_parsing] == [broken]
    problems = sorted((Path(problem.path).name, problem.line, problem.message) for problem in raised.value.problems)
    assert [(name, message.split(" '")[0]) for name, _, message in problems] == [
        (bad_tag.name, "unknown tag id"), (bad_yaml.name, problems[1][2].split(" '")[0])]
    assert all(line for _, line, _ in problems)
    monkeypatch.setattr(incremental, "join_event", real_join)
    single = SiteBuilder(Project.at(project), parallel=False, search=False)
    with pytest.raises(ContentError) as alone:
        single.build()
    assert sorted((Path(p.path).name, p.line, p.message) for p in alone.value.problems) == problems


@pytest.mark.parametrize("events", [20, 120])  # in one process, and on both cores
def test_a_build_with_nothing_cached_takes_each_markdown_stamp_as_it_reads_the_file(tmp_path, events):
    """The scan stats no Markdown file when every one will be read anyway; the stamps then come
    from the reading, and the next builds still parse only what changed."""
    from bench.corpus import make_events, write_timeline
    from generator.scan import scan_content

    project = write_timeline(make_events(events, seed=7), tmp_path / "corpus")
    found, _ = scan_content(project / "content", markdown_stamps=False)
    assert {item.relative.endswith(".md") for item in found if item.stamp is None} == {True}
    assert all(item.stamp for item in found if not item.relative.endswith(".md"))
    builder = SiteBuilder(Project.at(project), search=False)
    assert builder.build().parsed == 2 * events
    edited = next((project / "content" / "events").glob("*.en.md"))
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Edited ", 1), "utf-8")
    assert builder.build([edited]).parsed == 1  # told what changed (the live server): the rest as read
    assert builder.build().parsed == 0


def test_a_bad_locale_is_reported_as_content_when_the_registries_are_read_beside_the_parse_workers(tmp_path):
    """On both cores the registries are read, and the locales loaded, while workers parse: an
    unknown locale is still a problem named in site.yaml, not a traceback from that early load."""
    from bench.corpus import make_events, write_timeline

    project = write_timeline(make_events(120, seed=7), tmp_path / "corpus")
    site = project / "content" / "site.yaml"
    site.write_text(site.read_text("utf-8").replace("locale: en_GB", "locale: xx_NOPE"), "utf-8")
    with pytest.raises(ContentError, match="unknown locale 'xx_NOPE'") as raised:
        build(Project.at(project), tmp_path / "output", search=False)
    assert all(problem.path.endswith("site.yaml") for problem in raised.value.problems)
    assert not (tmp_path / "output").exists()


def test_the_parsed_files_cache_written_while_rendering_is_kept_only_if_the_build_succeeds(tmp_path):
    """On both cores the parsed files are pickled by a forked process while the pages render; a
    build that then fails keeps the cache it had, leaves no temporary file and no process behind."""
    from bench.corpus import make_events, write_timeline

    project = write_timeline(make_events(120, seed=7), tmp_path / "corpus")
    shutil.copytree(REPO / "templates", project / "templates", dirs_exist_ok=True)
    output = tmp_path / "site"
    build(Project.at(project), output, search=False)
    [parsed] = [path for path in (project / ".cache").glob("build-*.pickle") if ".pages." not in path.name]
    before = parsed.read_bytes()
    edited = next((project / EVENTS).glob("*.en.md"))
    edited.write_text(edited.read_text("utf-8").replace("title: ", "title: Edited ", 1), "utf-8")
    edit(project, "templates/tag.html", "{% block main %}", "{% block main %}{{ nowhere.at_all }}")
    children = child_processes()
    with pytest.raises(ContentError):
        build(Project.at(project), output, search=False)
    assert parsed.read_bytes() == before and sorted(path.name for path in (project / ".cache").iterdir()) == \
        sorted([parsed.name, parsed.name.replace(".pickle", ".pages.pickle")])
    assert child_processes() == children  # every forked process waited for
    edit(project, "templates/tag.html", "{{ nowhere.at_all }}", "")
    assert build(Project.at(project), output, search=False).parsed == 1  # the edited file, parsed again
    assert parsed.read_bytes() != before
    assert (build(Project.at(project), output, search=False).parsed, tree(output)) == \
        (0, fresh_build_without_search(project, tmp_path / "fresh"))


def test_a_cache_writer_already_waited_for_elsewhere_leaves_no_file(tmp_path):
    """Its success is unknown then: its file is dropped, the cache left as it was."""
    from generator.cache import PendingSave

    temporary, cache = tmp_path / ".build-x", tmp_path / "build.pickle"
    temporary.write_bytes(b"half written?")
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
    PendingSave(pid, temporary, cache).finish(keep=True)
    assert not temporary.exists() and not cache.exists()


def test_without_a_process_to_spare_the_parsed_files_are_saved_at_the_end(tmp_path, monkeypatch):
    import errno

    import generator.cache
    from bench.corpus import make_events, write_timeline

    def no_process(function) -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(generator.cache, "fork_call", no_process)
    project = write_timeline(make_events(120, seed=7), tmp_path / "corpus")
    build(Project.at(project), tmp_path / "site", search=False)
    assert sorted(path.name.split(".", 1)[1] for path in (project / ".cache").iterdir()) == ["pages.pickle", "pickle"]
    assert build(Project.at(project), tmp_path / "site", search=False).parsed == 0


def fresh_build_without_search(project: Path, output: Path) -> dict[str, str]:
    build(Project.at(project), output, cache=False, search=False)
    return tree(output)


@pytest.mark.parametrize("events", [0, 120], ids=["one process", "both cores"])
@pytest.mark.parametrize("not_utf8", [False, True], ids=["syntax", "not UTF-8"])
def test_a_broken_template_is_a_located_problem_and_the_output_stays(tmp_path, events, not_utf8):
    from bench.corpus import make_events, write_timeline

    project = write_timeline(make_events(events, seed=7), tmp_path / "corpus") if events \
        else copy_fixture("small", tmp_path)
    shutil.copytree(REPO / "templates", project / "templates", dirs_exist_ok=True)
    output = tmp_path / "site"
    build(Project.at(project), output, cache=False, search=False)
    before = tree(output)
    if not_utf8:
        template = project / "templates/tag.html"
        template.write_bytes(template.read_bytes().replace(b"{% block main %}", b"{% block main %}\xff"))
    else:
        edit(project, "templates/tag.html", "{% block main %}", "{% block main %}{% if %}")
    with pytest.raises(ContentError) as failed:
        build(Project.at(project), output, cache=False, search=False)
    assert [(p.path, p.line) for p in failed.value.problems] == [("templates/tag.html", 4)]
    assert tree(output) == before
    assert not list(tmp_path.glob(".site.new-*"))


def test_a_shared_part_is_rendered_once_per_language_and_cannot_use_a_page_s_own_values(tmp_path):
    project = copy_fixture("small", tmp_path)
    shutil.copytree(REPO / "templates", project / "templates", dirs_exist_ok=True)
    output = tmp_path / "site"
    build(Project.at(project), output, cache=False, search=False)
    # Every page of a language carries the same search box and head links; each page its own canonical.
    english = [path.read_text("utf-8") for path in sorted((output / "en").rglob("index.html"))]
    boxes = {page[page.index("<search"):page.index("</search>")] for page in english}
    assert len(english) > 3 and len(boxes) == 1 and 'href="/en/tags/' in boxes.pop()
    assert len({page[page.index('<link rel="canonical"'):].split(">")[0] for page in english}) == len(english)
    edit(project, "templates/_search.html", "<search ", "<search data-page=\"{{ canonical }}\" ")
    with pytest.raises(ContentError) as failed:
        build(Project.at(project), output, cache=False, search=False)
    [problem] = failed.value.problems
    assert (problem.path, problem.line) == ("templates/_search.html", 2) and "canonical" in problem.message


def test_what_a_build_made_joins_the_oldest_generation_without_a_collection() -> None:
    """After a build the collector has nothing young to walk (it walked every object the build made,
    27 ms at 5,000 events), and objects a live server froze stay frozen."""
    import gc

    from generator.parallel import collections_paused

    assert gc.isenabled()
    with collections_paused():
        made = [[index] for index in range(5_000)]
    assert gc.get_count()[0] < 100, gc.get_count()  # 5,000 young objects without the move
    assert all(gc.is_tracked(item) for item in made)  # still tracked: in the oldest generation
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        with collections_paused():
            more = [[index] for index in range(5_000)]
        assert len(more) == 5_000 and gc.get_freeze_count() >= frozen > 0  # none thawed
    finally:
        gc.unfreeze()


def test_a_file_read_the_careful_way_has_the_stamp_from_before_its_reading(tmp_path):
    """A link (inside the content folder) is read by read_text: its stamp is taken first, so a
    change while it is read shows as a change next time, not as the text already parsed."""
    from generator.load import read_regular_text

    target = tmp_path / "real.en.md"
    target.write_text("---\ntitle: x\n---\n", "utf-8")
    link = tmp_path / "link.en.md"
    link.symlink_to(target)
    text, stamp = read_regular_text(str(link), tmp_path)
    status = os.stat(link)
    assert text.startswith("---") and stamp == (status.st_mtime_ns, status.st_size, status.st_ino)
