"""The `timeline` command: a thin shell around the pipeline."""

from __future__ import annotations

import argparse
import contextlib
import ipaddress
import os
import sys
from pathlib import Path
from typing import NoReturn

from generator import __version__
from generator.build import Project, build
from generator.content import read_content
from generator.problems import ContentError, OutputError, Problem
from generator.scaffold import ScaffoldError, scaffold_event

DESCRIPTION = "Build a bilingual (Arabic / English) chronological timeline website from Markdown event files."


def program() -> int:
    """The `timeline` program (and `python -m generator`)."""
    return main(quick_exit=True)


def main(argv: list[str] | None = None, *, quick_exit: bool = False) -> int:
    """Run one command; its exit status. With `quick_exit`, a command other than `serve` ends the
    process instead of returning (see exit_now)."""
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    status = _run(args)
    if quick_exit and args.command != "serve":  # the server's threads and processes stop their own way
        exit_now(status)
    return status


def exit_now(status: int) -> NoReturn:
    """End the process with `status` once its printed output is flushed, without freeing each
    object: Python's own exit does, and spent 0.4 s on it after a 5,000-event build. Only for
    when every file is written and closed (as after a build)."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe: nothing more can reach the reader
            stream.flush()
    os._exit(status)


def _run(args: argparse.Namespace) -> int:
    try:
        return args.run(args)
    except ContentError as error:
        _report(error.problems, "error")
        print(f"{len(error.problems)} problem(s); nothing was written.", file=sys.stderr)
        return 1
    except (OutputError, ScaffoldError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:  # a full disk, a folder not writable: the new output was removed, the old kept
        where = f" ({error.filename})" if error.filename else ""
        print(f"error: {error.strerror or error}{where}; free some disk space or check the folder's permissions,"
              " then build again (the previous output is unchanged)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("stopped.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="timeline", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"timeline {__version__}")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, summary: str, run) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=summary, description=summary)
        sub.set_defaults(run=run, command=name)
        sub.add_argument(
            "--project",
            type=Path,
            default=Path.cwd(),
            help="the site's folder (holding content/ and templates/); default: here",
        )
        sub.add_argument("--content", type=Path, help="content folder (default: PROJECT/content)")
        volume = sub.add_mutually_exclusive_group()
        volume.add_argument("--quiet", "-q", action="store_true", help="print only errors")
        volume.add_argument("--verbose", "-v", action="store_true", help="print timings and warnings in full")
        return sub

    sub = command("build", "Build the site into the output folder (atomically: all or nothing).", _build)
    _output_options(sub)
    sub = command("serve", "Build, serve on this machine, and rebuild and reload the browser on every change.", _serve)
    _output_options(sub)
    sub.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1: this machine only)")
    sub.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    sub.add_argument("--open", action="store_true", help="open the site in a web browser")
    command("check", "Validate the content and report translation coverage; writes nothing.", _check)
    sub = command("new", "Create both language files of a new event (refuses to overwrite).", _new)
    sub.add_argument("date", metavar="YYYY-MM-DD", help="the event's date")
    sub.add_argument("slug", metavar="SLUG", help="short lowercase name: letters, digits, hyphens")
    return parser


def _output_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument("--output", type=Path, help="output folder (default: PROJECT/output)")
    sub.add_argument("--base-url", help="URL the site is published at (default: base_url in site.yaml)")
    sub.add_argument("--drafts", action="store_true", help="include events marked draft: true")


def _project(args: argparse.Namespace) -> Project:
    return Project.at(args.project, args.content)


def _build(args: argparse.Namespace) -> int:
    project = _project(args)
    report = build(project, args.output or project.root / "output", base_url=args.base_url, drafts=args.drafts)
    args.report = report  # held until main ends: a quick exit then frees none of the build's objects
    if args.verbose:
        _report(report.warnings, "warning")
        timings = ", ".join(f"{stage} {seconds * 1000:.0f} ms" for stage, seconds in report.timings.items())
        print(f"stages: {timings}", file=sys.stderr)
    if not args.quiet and (args.verbose or sys.stderr.isatty()):  # quiet in scripts and CI logs
        warned = f", {len(report.warnings)} warning(s) (see timeline check)" if report.warnings else ""
        print(
            f"built {report.events} events, {report.pages} pages into {report.output}"
            f" in {report.seconds:.2f} s{warned}",
            file=sys.stderr,
        )
    return 0


def _serve(args: argparse.Namespace) -> int:
    from generator.server import serve  # the server's dependencies load only when serving

    project = _project(args)
    if not _is_loopback(args.host):  # said even with --quiet: the preview is open to the network
        print(f"warning: serving on {args.host}: other machines that can reach this one on port {args.port}"
              " can read the preview; pass --host 127.0.0.1 to keep it on this machine", file=sys.stderr)
    return serve(
        project,
        args.output or project.root / "output",
        host=args.host,
        port=args.port,
        open_browser=args.open,
        drafts=args.drafts,
        quiet=args.quiet,
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False  # a host name, which may stand for any address


def _check(args: argparse.Namespace) -> int:
    project = _project(args)
    content, warnings = read_content(project.content, drafts=True)
    _report(warnings, "warning")
    codes = content.config.codes
    total = len(content.events)
    print(f"{total} events, {len(content.sources)} sources, {len(content.places)} places,"
          f" {len(content.pages)} free page(s)")
    for code in codes:
        translated = sum(code in event.translations for event in content.events)
        share = 100 * translated / total if total else 100
        print(f"  {code}: {translated}/{total} events translated ({share:.0f} %)")
    unsourced = sum(not event.sources for event in content.events)
    print(f"  events without a source: {unsourced}")
    print(f"  sources not cited: {sum('is not cited' in w.message for w in warnings)}")
    print("ok" if not warnings else f"{len(warnings)} warning(s)")
    return 0


def _new(args: argparse.Namespace) -> int:
    project = _project(args)
    created = scaffold_event(project.content, args.date, args.slug)
    for path in created:
        print(f"created {path}")
    return 0


def _report(problems: list[Problem], kind: str) -> None:
    for problem in problems:
        print(f"{problem}" if kind == "error" else f"{kind}: {problem}", file=sys.stderr)
