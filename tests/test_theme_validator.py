"""The W3C Nu validator (current npm `vnu-jar`, Debian's Java) reports no errors on any built page.

One JVM checks every page of the theme fixture and of the real site at once, plus a canary page
with a known error, which proves the checker really looked.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.theme_pages import built_pages, theme_site

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# A large stack is what the checker needs; C1 only is plenty for one short run and halves the CPU.
JAVA_OPTIONS = ["-Xss8m", "-XX:TieredStopAtLevel=1"]
CANARY = "<!DOCTYPE html><html lang=en><title>canary</title><p><div>block in a paragraph</div></p>"


def nu_errors(folders: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("java or node_modules/vnu-jar is missing: run `make system-deps`")
    command = [java, *JAVA_OPTIONS, "-jar", str(VNU), "--errors-only", "--format", "json", "--skip-non-html"]
    run = subprocess.run([*command, *map(str, folders)], capture_output=True, text=True, timeout=300)
    return json.loads(run.stderr)["messages"]


def test_every_built_page_is_valid_html(real_site: Path, tmp_path: Path):
    (tmp_path / "canary.html").write_text(CANARY, "utf-8")
    folders = [theme_site(), real_site, tmp_path]
    errors = nu_errors(folders)
    by_file = {}
    for message in errors:
        by_file.setdefault(message.get("url", "").removeprefix("file:"), []).append(
            f"{message.get('lastLine')}: {message['message']}"
        )
    canary = by_file.pop(str(tmp_path / "canary.html"), [])
    assert canary, "the validator did not report the canary's error"
    assert by_file == {}
    assert len(built_pages(theme_site())) > 10 and len(built_pages(real_site)) > 100
