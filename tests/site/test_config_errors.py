"""A broken settings file, a schema with a JSON syntax error and broken front matter each stop
the pre-build step, the site build and the CLI with one message naming the file and the
problem: never a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
DRAFT = ROOT / "tests" / "fixtures" / "phone" / "valid" / "business-hours.json"


def _run(args: list[str], schemas: Path | None = None, cwd: Path = ROOT):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if schemas is not None:
        env["CYTRACK_SCHEMAS"] = str(schemas)
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False)


def _broken_schemas(tmp_path: Path, name: str, text: str) -> Path:
    schemas = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", schemas)
    (schemas / name).write_text(text, encoding="utf-8")
    return schemas


BROKEN = [
    pytest.param(
        "settings.json", '{"business_hours": \n', "not valid JSON", id="settings-not-json"
    ),
    pytest.param(
        "settings.json",
        (ROOT / "schemas" / "settings.json")
        .read_text(encoding="utf-8")
        .replace('"stale_after_days": 30', '"stale_after_days": "thirty"'),
        "stale_after_days",
        id="settings-wrong-type",
    ),
    pytest.param(
        "phone.schema.json",
        (ROOT / "schemas" / "phone.schema.json").read_text(encoding="utf-8").replace(",", "", 1),
        "line 3, column",
        id="schema-syntax-error",
    ),
]


@pytest.mark.parametrize(("name", "text", "problem"), BROKEN)
def test_a_broken_configuration_file_stops_the_cli_with_one_message(
    tmp_path: Path, name: str, text: str, problem: str
):
    schemas = _broken_schemas(tmp_path, name, text)
    result = _run([str(BIN / "cytrack-ticket"), "validate", str(DRAFT)], schemas)
    assert result.returncode == 3
    assert "Traceback" not in result.stderr
    assert str(schemas / name) in result.stderr and problem in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("name", "text", "problem"), BROKEN)
def test_a_broken_configuration_file_stops_the_pre_build_step_and_the_site_build(
    tmp_path: Path, name: str, text: str, problem: str
):
    schemas = _broken_schemas(tmp_path, name, text)
    out = tmp_path / "generated"
    step = _run([sys.executable, "-m", "kb_build", "--no-assets", "--out", str(out)], schemas)
    assert step.returncode == 3
    assert "Traceback" not in step.stderr
    assert f"kb_build: {schemas / name}" in step.stderr and problem in step.stderr
    build = _run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "-d", str(tmp_path / "site")],
        schemas,
    )
    assert build.returncode != 0
    assert "Traceback" not in build.stderr
    assert str(schemas / name) in build.stderr and problem in build.stderr


def test_broken_front_matter_stops_the_pre_build_step_naming_file_and_field(tmp_path: Path):
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs)
    page = docs / "procedures" / "restart.md"
    page.write_text(
        page.read_text(encoding="utf-8").replace("summary:", "summery:", 1), encoding="utf-8"
    )
    step = _run(
        [sys.executable, "-m", "kb_build", "--no-assets", "--docs-dir", str(docs), "--out",
         str(tmp_path / "generated")]
    )  # fmt: skip
    assert step.returncode == 1
    assert "Traceback" not in step.stderr
    assert "docs/procedures/restart.md: front matter 'summery'" in step.stderr
