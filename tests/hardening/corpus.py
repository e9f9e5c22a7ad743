"""The hardening corpus: broken and hostile content, each case with the error it must give.

A case writes its files over a copy of the `small` fixture project (paths relative to
`content/`; bytes are written as they are) and may prepare what files cannot say (links,
giant files, removals). `where` is the start of the message: the file as the CLI shows it,
and `:line` where the problem has one. `says` is a fragment of the message.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

EVENT = "events/2022-02-01-case.en.md"
EVENT_AR = "events/2022-02-01-case.ar.md"
SHOWN = f"content/{EVENT}"
SHOWN_AR = f"content/{EVENT_AR}"


@dataclass(frozen=True)
class Case:
    name: str
    files: dict[str, str | bytes]
    where: str
    says: str
    prepare: Callable[[Path], None] | None = field(default=None, compare=False)


def event(front: str, body: str = "Body text.\n") -> str:
    """An event file: front matter (starting on line 2) between '---' lines, then the body."""
    return f"---\n{front}---\n{body}"


def one(name: str, front: str, line: int | None, says: str, body: str = "Body text.\n") -> Case:
    """A case made of one English event file whose problem is at `line`."""
    return Case(name, {EVENT: event(front, body)}, f"{SHOWN}:{line}" if line else SHOWN, says)


OK = "title: A case\ndate: 2022-02-01\n"  # two valid lines, so the next field is on line 4
SOURCE = "  publisher: P\n  title: T\n  language: en\n"


def sources(ap: str) -> dict[str, str]:
    """sources.yaml with source `ap` (from line 1) written as given, and the fixture's other source."""
    return {"sources.yaml": f"ap:\n{SOURCE}{ap}seed:\n{SOURCE}  url: http://example.org/seed\n"}

BILLION_LAUGHS = "".join(
    f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" if i else "l0: &l0 [lol, lol, lol, lol, lol, lol, lol]\n"
    for i in range(9)
)


def _link_outside(project: Path) -> None:
    secret = project.parent / "outside-secret.md"
    secret.write_text(event(OK, "A file that lives outside content/.\n"), "utf-8")
    os.symlink(secret, project / "content" / EVENT)


def _giant_file(project: Path) -> None:
    with open(project / "content" / EVENT, "wb") as giant:
        giant.write(event(OK).encode())
        giant.truncate(20 * 1024 * 1024)


def _remove(relative: str) -> Callable[[Path], None]:
    def remove(project: Path) -> None:
        (project / "content" / relative).unlink()

    return remove


def _edit(relative: str, old: str, new: str) -> Callable[[Path], None]:
    def edit(project: Path) -> None:
        path = project / "content" / relative
        text = path.read_text("utf-8")
        assert old in text, f"the fixture's {relative} has no {old!r}"
        path.write_text(text.replace(old, new), "utf-8")

    return edit


FRONT_MATTER_AND_YAML = [
    Case("front matter unclosed", {EVENT: "---\ntitle: A\ndate: 2022-02-01\nBody.\n"}, f"{SHOWN}:1", "not closed"),
    Case("no front matter", {EVENT: "title: A\ndate: 2022-02-01\n\nBody.\n"}, f"{SHOWN}:1", "no front matter"),
    one("front matter is a list", "- title\n- date\n", 2, "not a mapping"),
    one("front matter is one word", "headline\n", 2, "not a mapping"),
    one("YAML unclosed bracket", "title: A\ndate: 2022-02-01\ntags: [attack\nimportance: 1\n", 5,
        "while parsing a flow sequence from line 4"),
    one("YAML bad indentation", "title: A\n  date: 2022-02-01\n", 3, "YAML syntax error"),
    one("YAML tab indentation", "title: A\n\tdate: 2022-02-01\n", 3, "YAML syntax error"),
    one("YAML unclosed quote", 'title: "A\ndate: 2022-02-01\n', 3, "while scanning a quoted scalar from line 2"),
    one("YAML python object tag", OK + "summary: !!python/object/apply:os.system [echo hacked]\n", 4,
        "YAML tags that construct objects"),
    one("YAML custom tag", OK + "summary: !shout words\n", 4, "YAML tags that construct objects"),
    one("YAML alias", "title: &t A\nsummary: *t\ndate: 2022-02-01\n", 3, "aliases"),
    one("YAML alias bomb", OK + BILLION_LAUGHS, 4, "aliases"),  # the line of the anchor
    one("YAML duplicate key", OK + "title: Another\n", 4, "the key 'title' is written twice"),
    one("YAML key not text", OK + "2022: a number as a key\n", 4, "the key '2022' is not text"),
    one("YAML nested key not text", OK + "figures:\n  - {measure: prisoners_held, value: 5, source: ap, 1: x}\n",
        5, "the key '1' is not text"),
    one("YAML deep nesting", OK + "tags: " + "[" * 5000 + "]" * 5000 + "\n", 4, "YAML syntax error"),
    one("YAML ten thousand nodes", OK + "tags: [" + ", ".join(["attack"] * 12_000) + "]\n", 2, "too large"),
    one("YAML integer of 5,000 digits", OK + "importance: " + "9" * 5000 + "\n", 4, "cannot be read as one"),
    one("YAML hexadecimal with no digits", OK + "order: 0x_\n", 4, "'0x_' looks like a number"),
    one("YAML empty !!float", OK + "importance: !!float\n", 4, "YAML tags that construct objects"),
    one("YAML !!binary", OK + "summary: !!binary aGk=\n", 4, "YAML tags that construct objects"),
    one("YAML control character", OK + "summary: bell \a here\n", 4, "control characters are not allowed"),
    one("Markdown bracket flood", OK, 7, "too much markup", body="Intro.\n\n" + "[a](" * 5000 + "\n"),
]

FIELDS = [
    one("title missing", "date: 2022-02-01\n", None, "'title' is missing"),
    one("date missing", "title: A\n", 2, "the event has no 'date'"),
    one("title is a list", "title: [a, b]\ndate: 2022-02-01\n", 2, "'title' must be text, not a list"),
    one("summary is a mapping", OK + "summary: {a: b}\n", 4, "'summary' must be text, not a mapping"),
    one("date is a list", "title: A\ndate: [2022-02-01]\n", 3, "a date must be text"),
    one("unknown field (typo)", OK + "soruces: [ap]\n", 4, "did you mean 'sources'"),
    one("unknown field", OK + "author: me\n", 4, "unknown field 'author'"),
    one("importance 5", OK + "importance: 5\n", 4, "from 1 to 3"),
    one("importance 0", OK + "importance: 0\n", 4, "from 1 to 3"),
    one("importance is text", OK + "importance: high\n", 4, "from 1 to 3"),
    one("draft not true or false", OK + "draft: maybe\n", 4, "true or false"),
    one("order is a fraction", OK + "order: 1.5\n", 4, "whole number"),
    one("tags is a mapping", OK + "tags: {attack: 1}\n", 4, "must be a list of ids"),
]

DATES = [
    one("impossible date 2022-02-30", "title: A\ndate: 2022-02-30\n", 3, "does not exist"),
    one("month 13", "title: A\ndate: 2022-13\n", 3, "month 13"),
    one("hour 24", "title: A\ndate: 2022-02-01T24:00\n", 3, "impossible time"),
    one("unparseable date", "title: A\ndate: last Tuesday\n", 3, "is not a date"),
    one("date 02/01/2022", "title: A\ndate: 02/01/2022\n", 3, "more than one '/'"),
    one("end before date", OK + "end: 2022-01-30\n", 4, "comes before the start"),
    one("interval reversed", "title: A\ndate: 2022-02-10/2022-02-01\n", 3, "comes before the start"),
    one("interval with no ends", "title: A\ndate: ../..\n", 3, "neither a start nor an end"),
    one("interval and end", "title: A\ndate: 2022-02-01/2022-02-03\nend: 2022-02-04\n", 4, "already an interval"),
    one("unknown time zone", OK + "timezone: Mars/Olympus_Mons\n", 4, "unknown time zone"),
    one("time zone as a path", OK + "timezone: ../../../../etc/passwd\n", 4, "unknown time zone"),
    one("time zone 300 letters long", OK + f"timezone: {'x' * 300}\n", 4, "unknown time zone"),
    one("UTC offset +15:00", "title: A\ndate: 2022-02-01T10:00+15:00\n", 3, "impossible UTC offset"),
    one("year 0001 with offset", "title: A\ndate: 0001-01-01T00:00+14:00\n", 3, "use a year from 0002"),
    one("year 9999", "title: A\ndate: 9999-12-31T23:59-14:00\n", 3, "use a year from 0002"),
    one("figure as_of impossible", OK + "figures:\n  - {measure: prisoners_held, value: 5, source: ap,"
        " as_of: 2022-04-31}\n", 5, "does not exist"),
]

REFERENCES = [
    one("unknown source id", OK + "sources: [nyt]\n", 4, "unknown source id 'nyt'"),
    one("unknown place id", OK + "places: [moon]\n", 4, "unknown place id 'moon'"),
    one("unknown tag", OK + "tags: [atack]\n", 4, "did you mean 'attack'"),
    one("figure without a source", OK + "figures:\n  - {measure: prisoners_held, value: 5}\n", 5,
        "every figure needs who said it"),
    one("figure with unknown source", OK + "figures:\n  - {measure: prisoners_held, value: 5, source: nyt}\n",
        5, "figure source 'nyt' is not in"),
    one("figure value not a number", OK + "figures:\n  - {measure: prisoners_held, value: lots, source: ap}\n",
        5, "not a number, range or time"),
    one("figure unknown measure", OK + "figures:\n  - {measure: happiness, value: 5, source: ap}\n", 5,
        "unknown figure measure"),
    one("figure not a mapping", OK + "figures:\n  - 3500\n", 5, "must be a mapping"),
    one("figures not a list", OK + "figures: 3500\n", 4, "must be a list"),
]

TRANSLATIONS_AND_NAMES = [
    Case("shared date conflict", {EVENT_AR: event("title: أ\ndate: 2022-02-01\n"),
                                  EVENT: event("title: A\n\ndate: 2022-02-02\n")},
         f"{SHOWN}:4", f"'date' differs from {SHOWN_AR}:3"),
    Case("shared tags conflict", {EVENT_AR: event(OK + "tags: [attack]\n"), EVENT: event(OK + "tags: []\n")},
         f"{SHOWN}:4", "'tags' differs"),
    Case("id with uppercase", {"events/2022-02-01-Case.en.md": event(OK)},
         "content/events/2022-02-01-Case.en.md", "not a valid id"),
    Case("id with spaces", {"events/2022-02-01 the case.en.md": event(OK)},
         "content/events/2022-02-01 the case.en.md", "not a valid id"),
    Case("id with Arabic letters", {"events/2022-02-01-هجوم.en.md": event(OK)},
         "content/events/2022-02-01-هجوم.en.md", "not a valid id"),
    Case("id with a double hyphen", {"events/2022-02-01--case.en.md": event(OK)},
         "content/events/2022-02-01--case.en.md", "not a valid id"),
    Case("unknown language suffix", {"events/2022-02-01-case.fr.md": event(OK)},
         "content/events/2022-02-01-case.fr.md", "unknown language suffix '.fr.md'"),
    Case("language suffix in capitals", {"events/2022-02-01-case.EN.md": event(OK)},
         "content/events/2022-02-01-case.EN.md", "unknown language suffix"),
    Case("no language suffix", {"events/2022-02-01-case.md": event(OK)},
         "content/events/2022-02-01-case.md", "no language suffix"),
]

FILES = [
    Case("empty file", {EVENT: ""}, f"{SHOWN}:1", "the file is empty"),
    Case("only blank lines", {EVENT: "\n  \n\t\n"}, f"{SHOWN}:1", "the file is empty"),
    Case("non-UTF-8 bytes", {EVENT: event(OK, "Caf\xe9 in Latin-1.\n").encode("latin-1")}, f"{SHOWN}:5",
         "is not UTF-8"),
    Case("UTF-16 file", {EVENT: event(OK).encode("utf-16")}, f"{SHOWN}:1", "is not UTF-8"),
    Case("symlink leading outside content", {}, SHOWN, "symbolic link leading outside", prepare=_link_outside),
    Case("20 MB file", {}, SHOWN, "over the 1 MB limit", prepare=_giant_file),
    Case("Markdown file outside events and pages", {"notes.en.md": event(OK)}, "content/notes.en.md",
         "outside content/events/ and content/pages/"),
    Case("Markdown file in a sub-folder of events", {"events/2022/2022-02-01-case.en.md": event(OK)},
         "content/events/2022/2022-02-01-case.en.md", "outside content/events/ and content/pages/"),
    Case("stray YAML file", {"events.yaml": "a: b\n"}, "content/events.yaml", "unexpected YAML file"),
]

REGISTRIES = [
    Case("source URL javascript:", sources("  url: javascript:alert(1)\n"), "content/sources.yaml:5",
         "must be an http(s) URL"),
    Case("source URL data:", sources("  url: 'data:text/html,<script>alert(1)</script>'\n"),
         "content/sources.yaml:5", "must be an http(s) URL"),
    Case("source archive URL vbscript:", sources("  url: https://example.org/\n  archive_url: vbscript:msgbox(1)\n"),
         "content/sources.yaml:6", "must be an http(s) URL"),
    Case("source URL without scheme", sources("  url: //evil.example/x\n"), "content/sources.yaml:5",
         "must be an http(s) URL"),
    Case("source id in capitals", {"sources.yaml": f"AP:\n{SOURCE}  url: https://example.org/\n"},
         "content/sources.yaml:1", "not a valid id"),
    Case("source unknown field", sources("  url: https://example.org/\n  autor: X\n"), "content/sources.yaml:6",
         "unknown field 'autor'"),
    Case("source without URL", sources(""), "content/sources.yaml:1", "'url' is missing"),
    Case("site.yaml missing", {}, "content/site.yaml", "site.yaml is missing", prepare=_remove("site.yaml")),
    Case("site base_url javascript:", {}, "content/site.yaml:3", "not an absolute http(s) URL",
         prepare=_edit("site.yaml", "base_url: https://example.org/", "base_url: javascript:alert(1)")),
    Case("site time zone unknown", {}, "content/site.yaml:4", "unknown time zone",
         prepare=_edit("site.yaml", "timezone: Asia/Damascus", "timezone: Asia/Atlantis")),
    Case("UI string missing", {}, "content/strings/en.yaml", "UI string 'ongoing' is missing",
         prepare=_edit("strings/en.yaml", "ongoing: ongoing\n", "")),
    Case("place with impossible latitude", {"places.yaml": "prison:\n  name: {ar: س, en: P}\n  lat: 200\n  lon: 40\n"},
         "content/places.yaml:3", "bad coordinates"),
    Case("place without a name in every language", {"places.yaml": "prison:\n  name: {en: P}\n"},
         "content/places.yaml:2", "needs a name in each language"),
    Case("page with unknown field", {"pages/about.en.md": event("title: About\ndate: 2022-02-01\n")},
         "content/pages/about.en.md:3", "unknown field 'date' in a page"),
    Case("page without title", {"pages/about.en.md": event("summary: About\n")},
         "content/pages/about.en.md", "'title' is missing"),
]

CASES: list[Case] = FRONT_MATTER_AND_YAML + FIELDS + DATES + REFERENCES + TRANSLATIONS_AND_NAMES + FILES + REGISTRIES

# Odd but valid: each must build, with the event page written.
VALID: list[Case] = [
    Case("UTF-8 byte order mark", {EVENT: "\ufeff" + event(OK)}, SHOWN, "A case"),
    Case("CRLF line ends", {EVENT: event(OK).replace("\n", "\r\n")}, SHOWN, "A case"),
    Case("CR line ends", {EVENT: event(OK).replace("\n", "\r")}, SHOWN, "A case"),
    Case("BOM and CRLF in a registry",
         {"sources.yaml": "\ufeff" + sources("  url: https://example.org/\n")["sources.yaml"].replace("\n", "\r\n"),
          EVENT: event(OK)}, SHOWN, "A case"),
    Case("trailing spaces", {EVENT: "---  \ntitle: A case   \ndate: 2022-02-01 \t\n---   \nBody.   \n"}, SHOWN,
         "A case"),
    Case("one language only", {EVENT: event(OK + "tags: [attack]\n")}, SHOWN, "A case"),
    Case("Arabic only", {EVENT_AR: event("title: A case\ndate: 2022-02-01\n")}, SHOWN_AR, "A case"),
]
