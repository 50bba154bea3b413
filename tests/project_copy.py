"""A throwaway copy of the project, for tests that change schemas/ or settings and check that
the pre-build step, the site build, the CLI and the browser all follow."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
# tests/: the fixtures and fuzz tests drive the standard-library discovery of a runtime build.
COPIED = ("docs", "schemas", "validator", "overrides", "tests")
COPIED_FILES = ("mkdocs.yml", "pyproject.toml", "README.md", "package.json", "package-lock.json")


class ProjectCopy:
    def __init__(self, root: Path) -> None:
        self.root = root

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        """A command in the copy, importing cytrack_ticket and kb_build from the copy."""
        env = {
            **os.environ,
            "PYTHONPATH": str(self.root / "validator"),
            "NO_MKDOCS_2_WARNING": "1",
        }
        env.pop("CYTRACK_SCHEMAS", None)
        result = subprocess.run(
            args, cwd=self.root, env=env, capture_output=True, text=True, check=False
        )
        if check and result.returncode not in (0, 1):
            raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stderr}")
        return result

    def python(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, *args, check=check)

    def edit_json(self, relative: str, change: Callable[[dict[str, Any]], None]) -> None:
        path = self.root / relative
        data = json.loads(path.read_text(encoding="utf-8"))
        change(data)
        path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

    def build_site(self, *, assets: bool = False) -> Path:
        """The pre-build step (with the pre-check runtime if asked) and a strict build."""
        step = self.python("-m", "kb_build", *(() if assets else ("--no-assets",)))
        assert step.returncode == 0, step.stderr
        site = self.root / "site"
        build = self.python("-m", "mkdocs", "build", "--strict", "-d", str(site))
        assert build.returncode == 0, build.stderr
        return site


def copy_project(dest: Path) -> ProjectCopy:
    """Copy what a build reads; node_modules is linked and the wheel downloads are reused, so
    a rebuild of the pre-check runtime needs no network for them."""
    ignore = shutil.ignore_patterns("__pycache__", "*.part", ".hypothesis")
    for name in COPIED:
        shutil.copytree(ROOT / name, dest / name, ignore=ignore, symlinks=True)
    for name in COPIED_FILES:
        shutil.copy2(ROOT / name, dest / name)
    (dest / "node_modules").symlink_to(ROOT / "node_modules")
    downloads = ROOT / "build" / "precheck" / "downloads"
    if downloads.is_dir():
        shutil.copytree(downloads, dest / "build" / "precheck" / "downloads")
    return ProjectCopy(dest)
