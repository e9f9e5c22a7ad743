"""What the live preview serves: the output folder only, pages decorated with the build's state.

Served HTML pages get a small livereload plugin (stylesheets with content-hashed names are
swapped without a page reload) and, while the last rebuild failed, an overlay listing its
problems over the last good page.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping
from html import escape
from pathlib import Path

from tornado import web

from generator.problems import Problem
from generator.write import check_inside

OVERLAY_ID = "timeline-build-errors"
_BODY = re.compile(rb"<body[^>]*>", re.IGNORECASE)
_HEAD = re.compile(rb"<head[^>]*>", re.IGNORECASE)
# The preview injects inline scripts and styles; a page's own CSP would refuse them.
_CSP = re.compile(rb"<meta[^>]+http-equiv=[\"']?content-security-policy[^>]*>", re.IGNORECASE)

GENERATION_HEADER = "X-Timeline-Generation"

# livereload.js picks up window.LiveReloadPlugin* classes when it starts. It calls analyze() each
# time its connection opens: a page still loading when a rebuild sent its reload missed it, so
# it asks which generation of the site is served now and reloads if that is not its own.
PLUGIN = b"""<script>window.LiveReloadPluginHashedStyles = class {
  constructor(window) { this.window = window; this.generation = PAGE_GENERATION; }
  analyze() {
    this.window.fetch(this.window.location.href, {method: "HEAD", cache: "no-store"}).then((response) => {
      const served = response.headers.get("GENERATION_HEADER");
      if (served !== null && Number(served) !== this.generation) this.window.location.reload();
    }).catch(() => {});
    return {};
  }
  reload(path) {
    const match = /(?:^|\\/)([^\\/]+?)\\.[0-9a-f]+\\.css$/.exec(path);
    if (!match) return false;
    let swapped = false;
    for (const link of this.window.document.querySelectorAll('link[rel~="stylesheet"]')) {
      const name = new URL(link.href).pathname.split("/").pop();
      if (name.replace(/\\.[0-9a-f]+\\.css$/, "") !== match[1]) continue;
      link.href = new URL("/" + path.replace(/^\\/+/, ""), this.window.location.href).href;
      swapped = true;
    }
    return swapped;
  }
};
window.LiveReloadPluginHashedStyles.identifier = "hashed-styles";
window.LiveReloadPluginHashedStyles.version = "1.0";
</script>
""".replace(b"GENERATION_HEADER", GENERATION_HEADER.encode())


class Preview:
    """The state served pages show: the output folder, and the problems of a failed rebuild."""

    def __init__(self, output: Path) -> None:
        self.output = output
        self.problems: list[Problem] = []
        self.generation = 0  # one more at every reload sent to the browsers

    def reloading(self) -> None:
        self.generation += 1

    def failed(self, problems: list[Problem]) -> None:
        self.problems = list(problems)

    def succeeded(self) -> None:
        self.problems = []

    def decorate(self, page: bytes) -> bytes:
        """A page as served: CSP dropped, the plugin in its head, the overlay after <body> if failing."""
        page = _CSP.sub(b"", page)
        head = _HEAD.search(page)
        if head:
            plugin = PLUGIN.replace(b"PAGE_GENERATION", str(self.generation).encode())
            page = page[: head.end()] + plugin + page[head.end() :]
        if self.problems:
            body = _BODY.search(page)
            at = body.end() if body else 0
            page = page[:at] + overlay(self.problems) + page[at:]
        return page

    def error_page(self) -> bytes:
        """Served for any page while there is no good build at all yet."""
        return self.decorate(b"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
                             b"<title>Build failed</title></head><body></body></html>")


def overlay(problems: list[Problem]) -> bytes:
    items = "".join(f"<li>{escape(str(problem))}</li>" for problem in problems)
    return (
        f'<div id="{OVERLAY_ID}" role="alert" lang="en" dir="ltr" style="position:fixed;inset:0 0 auto 0;'
        "z-index:2147483647;max-height:70vh;overflow:auto;margin:0;padding:1rem 1.5rem;background:#7a1020;"
        'color:#fff;font:15px/1.5 ui-monospace,monospace;text-align:left;box-shadow:0 4px 16px #0008">'
        '<p style="margin:0 0 .5rem;font-weight:bold">The last change did not build; this is the last good '
        f"version. {len(problems)} problem(s):</p>"
        f'<ul style="margin:0;padding-inline-start:1.2rem">{items}</ul></div>'
    ).encode()


class OutputHandler(web.StaticFileHandler):
    """Files of the output folder only (tornado answers 403 for a path leading outside it)."""

    def initialize(self, path: str, preview: Preview) -> None:  # type: ignore[override]
        super().initialize(path=path, default_filename="index.html")
        self.preview = preview

    def compute_etag(self) -> None:
        return None  # pages change under the same URL at every rebuild; nothing is cached

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-store")

    async def get(self, path: str, include_body: bool = True) -> None:
        if os.path.isabs(path) or "\\" in path or "\0" in path:
            raise web.HTTPError(404)
        self.path = self.parse_url_path(path)
        try:
            absolute = self.validate_absolute_path(self.root, self.get_absolute_path(self.root, self.path))
        except web.HTTPError as error:
            if error.status_code == 404 and self.preview.problems:
                return self._html(self.preview.error_page(), 404)
            raise
        if absolute is None:  # redirected to the folder's URL with a slash
            return None
        if not absolute.endswith(".html"):
            return await super().get(path, include_body)
        self.absolute_path = absolute
        return self._html(self.preview.decorate(Path(absolute).read_bytes()), 200, include_body)

    def _html(self, page: bytes, status: int, include_body: bool = True) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.set_header(GENERATION_HEADER, str(self.preview.generation))
        self.finish(page if include_body else b"")

    def write_error(self, status_code: int, **kwargs) -> None:
        not_found = Path(self.root) / "404.html"
        if status_code == 404 and not_found.is_file():
            self.set_header("Content-Type", "text/html; charset=utf-8")
            self.set_header(GENERATION_HEADER, str(self.preview.generation))
            self.finish(self.preview.decorate(not_found.read_bytes()))
        else:
            self.finish(f"{status_code}: {self._reason}".encode())


def write_changes(output: Path, files: Mapping[str, bytes], changed: Iterable[str], removed: Iterable[str]) -> None:
    """Bring the served output folder up to date: changed files replaced one by one, atomically."""
    for relative in sorted(changed):
        target = _inside(output, relative)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=".new-", dir=target.parent)
        with os.fdopen(handle, "wb") as stream:
            stream.write(files[relative])
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    for relative in sorted(removed):
        target = _inside(output, relative)
        target.unlink(missing_ok=True)
        folder = target.parent
        while folder != output and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def _inside(output: Path, relative: str) -> Path:
    check_inside(relative)
    return output / relative
