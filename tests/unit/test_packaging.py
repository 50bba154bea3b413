"""The wheel ships the schemas from schemas/, and the installed console script works."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

from cytrack_ticket import check_json

from .conftest import FIXTURES, NOW_ISO, ROOT


def test_the_wheel_ships_schemas_identical_to_the_source(tmp_path: Path):
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("cytrack_ticket-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        shipped = {
            name.removeprefix("cytrack_ticket/schemas/"): archive.read(name)
            for name in names
            if name.startswith("cytrack_ticket/schemas/")
        }
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        assert "cytrack-ticket = cytrack_ticket._cli:main" in archive.read(entry_points).decode()
        archive.extractall(tmp_path / "unpacked")
    source = {path.name: path.read_bytes() for path in (ROOT / "schemas").glob("*.json")}
    assert shipped == source
    for module in ["__init__", "_engine", "_rules", "_cli", "_settings", "_text", "_datetime"]:
        assert f"cytrack_ticket/{module}.py" in names

    # The unpacked wheel works on its own schemas, as it does in Pyodide.
    script = (
        "import sys, json; sys.path.insert(0, sys.argv[1]);"
        "import cytrack_ticket, cytrack_ticket._schemas as s;"
        "print(json.dumps([cytrack_ticket.__file__, str(s.schema_dir()),"
        "cytrack_ticket.check_json(sys.stdin.read(), sys.argv[2])]))"
    )
    draft = FIXTURES / "phone/invalid/missing-extension.json"
    result = subprocess.run(
        [sys.executable, "-I", "-c", script, str(tmp_path / "unpacked"), NOW_ISO],
        input=draft.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        check=True,
    )
    module, schemas, output = json.loads(result.stdout)
    assert module.startswith(str(tmp_path / "unpacked"))
    assert schemas == str(tmp_path / "unpacked" / "cytrack_ticket" / "schemas")
    assert output == check_json(draft.read_text(encoding="utf-8"), NOW_ISO)


def test_the_installed_console_script(tmp_path: Path):
    script = Path(sys.executable).parent / "cytrack-ticket"
    draft = FIXTURES / "phone/invalid/missing-extension.json"
    result = subprocess.run(
        [str(script), "validate", "--json", "--now", NOW_ISO, str(draft)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1, result.stderr
    assert result.stdout == check_json(draft.read_text(encoding="utf-8"), NOW_ISO) + "\n"
    help_text = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    assert "exit codes:" in help_text.stdout
