"""Screenshots of the theme: Arabic and English, light and dark, phone (360 px) and desktop.

    python scripts/screenshots.py [--content DIR] [--out screenshots]

Builds the site into a temporary folder, serves it on 127.0.0.1, and writes one PNG per
page × language × colour scheme × width, named like `timeline-ar-dark-phone.png`.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import sys
import tempfile
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator.build import Project, build  # noqa: E402 - after the path is set
from generator.content import read_content  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}
SCHEMES = ("light", "dark")


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def page_paths(content_dir: Path, code: str) -> dict[str, str]:
    """One page of each kind worth looking at: the timeline, a key event, a tag, the figures."""
    content, _ = read_content(content_dir)
    events = content.events
    key = next((event for event in events if event.importance == 1 and event.figures), events[0])
    tag = next(iter(key.tags), None)
    paths = {"timeline": f"{code}/", "event": f"{code}/events/{key.id}/", "figures": f"{code}/figures/"}
    if tag:
        paths["tag"] = f"{code}/tags/{tag}/"
    return paths


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=REPO / "content")
    parser.add_argument("--out", type=Path, default=REPO / "screenshots")
    parser.add_argument("--full-page", action="store_true", help="whole pages, not the first screen")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as temporary:
        output = Path(temporary) / "output"
        build(Project.at(REPO, content=args.content.resolve()), output)
        handler = functools.partial(QuietHandler, directory=str(output))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}/"
        try:
            written = shoot(base, args.content, args.out, args.full_page)
        finally:
            server.shutdown()
    print(f"{written} screenshots in {args.out}")
    return 0


def shoot(base: str, content_dir: Path, out: Path, full_page: bool) -> int:
    written = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for code in ("ar", "en"):
            for kind, path in page_paths(content_dir, code).items():
                for scheme in SCHEMES:
                    for width_name, (width, height) in WIDTHS.items():
                        context = browser.new_context(
                            viewport={"width": width, "height": height}, color_scheme=scheme, device_scale_factor=1
                        )
                        page = context.new_page()
                        page.goto(base + path, wait_until="networkidle")
                        page.evaluate("document.fonts.ready")
                        name = f"{kind}-{code}-{scheme}-{width_name}.png"
                        page.screenshot(path=str(out / name), full_page=full_page or kind == "event")
                        context.close()
                        written += 1
        browser.close()
    return written


if __name__ == "__main__":
    raise SystemExit(main())
