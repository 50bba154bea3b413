"""The pre-check's standard library: only the modules the checker imports, compiled to bytecode,
in a stored (uncompressed) zip that the worker passes to `loadPyodide({stdLibURL})`.

Pyodide's own python_stdlib.zip holds about 560 modules as deflated `.py` sources: every start
compiles each module it imports, and no HTTP compression can shrink it further. Ours differs in
three ways, each measured in the README (Benchmarks):

- **Trimmed.** `discover` starts Pyodide under Node with the vendor's standard library and our
  wheels (loaded from the lock, as the browser loads them), imports the engine, then runs it over
  every fixture draft and every input the fuzz tests give it (recorded on CPython by
  fuzz_recorder.py). The standard-library modules imported by then are written, by the phase
  that first imported them, to stdlib_modules.txt: a file in the repository, so a change in
  what the checker imports shows up in review. The zip is built from that file.
- **Compiled** inside Pyodide, as the wheels are (pyodide_node.BYTECODE_PY): about 2.5 times
  faster to start than sources.
- **Stored,** so that the server's Brotli compresses it as a whole (precompress.py).

The zip also lists every module it leaves out (OMITTED_FILE). The worker notes any import of one
of them; the check is then run again on the vendor's full standard library, so a module the
discovery missed costs time, never a wrong result (docs/assets/precheck/worker.mjs).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

from . import pyodide_node
from .fuzz_recorder import DECODE_PY
from .paths import ROOT

MODULES_FILE = Path(__file__).with_name("stdlib_modules.txt")
OMITTED_FILE = "cytrack-omitted-modules.txt"
PHASES = {
    "boot": "imported while Pyodide starts and loads the wheels",
    "engine": "imported by `import cytrack_ticket`",
    "checks": "imported while checking the fixture drafts and the fuzz tests' inputs",
}
FIXTURES = ROOT / "tests" / "fixtures"
CACHE = ROOT / "build" / "precheck" / "stdlib"
ENGINE_PACKAGE = "cytrack-ticket"


class StdlibError(Exception):
    """The discovery or the zip failed; the message says why."""


def fuzz_tests() -> list[Path]:
    """The unit test files that fuzz the engine with Hypothesis."""
    return sorted(
        path
        for path in (ROOT / "tests" / "unit").glob("test_*.py")
        if "from hypothesis" in path.read_text(encoding="utf-8")
    )


def record_fuzz_inputs(out: Path) -> None:
    """Runs the fuzz tests on CPython (fixed seed) and records every engine input into `out`."""
    env = {**os.environ, "KB_FUZZ_RECORD": str(out)}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "kb_build.fuzz_recorder"]
        + ["-p", "no:cacheprovider", "--hypothesis-seed=0", "-o", "addopts="]
        + [str(path) for path in fuzz_tests()],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    # 1 means a fuzz test failed: the inputs are still recorded, and the test suite reports it.
    if result.returncode not in (0, 1) or not out.is_file():
        raise StdlibError(
            f"recording the fuzz tests' inputs failed:\n{result.stdout}{result.stderr}"
        )


def fixture_texts() -> list[str]:
    """Every fixture draft as the worker receives it: text the page decoded (a file the page
    refuses as not UTF-8 never reaches the worker, so it is left out here)."""
    texts = []
    for path in sorted(FIXTURES.glob("*/*/*.json")):
        if path.name.endswith(".expected.json"):
            continue
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue
        texts.append(text.removeprefix("\ufeff"))
    return texts


_DISCOVER_PY = (
    r"""
import sys

ZIP = "/lib/python%d%d.zip/" % sys.version_info[:2]
phases, seen = {}, set()


def phase(name):
    found = set()
    for module_name, module in list(sys.modules.items()):
        origin = getattr(getattr(module, "__spec__", None), "origin", None) or ""
        if origin.startswith(ZIP):
            found.add(module_name)
    phases[name] = sorted(found - seen)
    seen.update(found)


phase("boot")
import cytrack_ticket

check_json = cytrack_ticket.check_json
phase("engine")

import json

with open("/in/now.txt") as file:
    now = file.read().strip()
with open("/in/fixtures.json") as file:
    for text in json.load(file):
        check_json(text, now)
"""
    + DECODE_PY
    + r"""
strings = {}
calls = 0
with open("/in/fuzz.jsonl") as file:
    for line in file:
        record = json.loads(line)
        if "string" in record:
            strings[record["string"]] = record["value"]
            continue
        value = decode(record, strings)
        if record["call"] == "check":
            value = json.dumps(value)  # as the browser sends a draft: JSON text
        check_json(value, record["now"])
        calls += 1
phase("checks")
with open("/out/modules.json", "w") as file:
    json.dump({"phases": phases, "fuzz_calls": calls}, file)
"""
)


def discover(lock: Path) -> dict[str, list[str]]:
    """The standard-library modules the checker imports, by phase, with the wheels beside
    `lock` loaded as the browser loads them."""
    with tempfile.TemporaryDirectory(prefix="stdlib-discover-") as tmp:
        inputs, outputs = Path(tmp) / "in", Path(tmp) / "out"
        inputs.mkdir()
        record_fuzz_inputs(inputs / "fuzz.jsonl")
        (inputs / "fixtures.json").write_text(json.dumps(fixture_texts()), encoding="utf-8")
        (inputs / "now.txt").write_bytes((FIXTURES / "now.txt").read_bytes())
        pyodide_node.run(
            _DISCOVER_PY,
            inputs=inputs,
            outputs=outputs,
            what="Finding the standard-library modules the checker imports",
            lock=lock,
            packages=(ENGINE_PACKAGE,),
        )
        found = json.loads((outputs / "modules.json").read_text(encoding="utf-8"))
    if found["fuzz_calls"] < 100:
        raise StdlibError(f"only {found['fuzz_calls']} fuzz inputs were replayed in Pyodide")
    return found["phases"]


def _header(pyodide_version: str) -> str:
    lines = [
        f"The standard-library modules the ticket pre-check imports in Pyodide {pyodide_version},",
        "by the phase that first imports them. Written by `python -m kb_build`",
        "(validator/kb_build/stdlib.py), which runs the engine in Pyodide under Node over every",
        "fixture draft and every input of the fuzz tests; only these modules are shipped, as",
        "bytecode. Do not edit: review the changes.",
        "",
        *(f"[{name}] {meaning}" for name, meaning in PHASES.items()),
    ]
    return "".join(f"# {line}".rstrip() + "\n" for line in lines)


def render_record(phases: dict[str, list[str]], pyodide_version: str) -> str:
    parts = [_header(pyodide_version)]
    for name in PHASES:
        parts.append(f"\n[{name}]\n" + "".join(f"{module}\n" for module in phases[name]))
    return "".join(parts)


def read_record(path: Path = MODULES_FILE) -> dict[str, list[str]]:
    """The recorded modules by phase."""
    phases: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            current = phases.setdefault(line[1:-1], [])
        elif current is None:
            raise StdlibError(f"{path}: {line!r} comes before the first [phase] line")
        else:
            current.append(line)
    if set(phases) != set(PHASES):
        raise StdlibError(f"{path}: expected the phases {list(PHASES)}, found {list(phases)}")
    return phases


def write_record(phases: dict[str, list[str]], pyodide_version: str) -> bool:
    """Writes stdlib_modules.txt if its content changed; returns whether it did."""
    text = render_record(phases, pyodide_version)
    if MODULES_FILE.is_file() and MODULES_FILE.read_text(encoding="utf-8") == text:
        return False
    MODULES_FILE.write_text(text, encoding="utf-8")
    return True


def module_path(name: str, members: set[str]) -> str:
    """The source file of module `name` in a standard-library zip."""
    base = name.replace(".", "/")
    for candidate in (f"{base}/__init__.py", f"{base}.py"):
        if candidate in members:
            return candidate
    raise StdlibError(f"the standard library has no module {name} (stdlib_modules.txt)")


def all_modules(members: set[str]) -> set[str]:
    """Every module of a standard-library zip, by import name."""
    names = set()
    for member in members:
        if member.endswith(".py") and not member.startswith("site-packages/"):
            names.add(member.removesuffix(".py").removesuffix("/__init__").replace("/", "."))
    return names


_ZIP_PY = (
    pyodide_node.BYTECODE_PY
    + r"""
import json
import zipfile

EPOCH = (2020, 2, 2, 0, 0, 0)
with open("/in/plan.json") as file:
    plan = json.load(file)
vendor = zipfile.ZipFile("/lib/python%d%d.zip" % __import__("sys").version_info[:2])
with zipfile.ZipFile("/out/python_stdlib.zip", "w", zipfile.ZIP_STORED) as out:
    for path in plan["paths"]:
        filename = vendor.filename + "/" + path
        out.writestr(zipfile.ZipInfo(path + "c", EPOCH), to_pyc(vendor.read(path), filename))
    out.writestr(zipfile.ZipInfo(plan["omitted_file"], EPOCH), "\n".join(plan["omitted"]) + "\n")
"""
)


def build_zip(modules: list[str], pyodide_version: str) -> bytes:
    """The stored zip of `modules` as bytecode, plus the list of what it leaves out; cached in
    build/precheck/stdlib/ by everything it depends on."""
    with zipfile.ZipFile(pyodide_node.NPM_STDLIB) as vendor:
        members = set(vendor.namelist())
    plan = {
        "paths": sorted(module_path(name, members) for name in set(modules)),
        "omitted": sorted(all_modules(members) - set(modules)),
        "omitted_file": OMITTED_FILE,
    }
    key = hashlib.sha256(
        json.dumps([pyodide_version, plan, _ZIP_PY, pyodide_node.BYTECODE_ENV]).encode()
        + pyodide_node.NPM_STDLIB.read_bytes()
    ).hexdigest()[:16]
    cached = CACHE / f"python_stdlib-{key}.zip"
    if cached.is_file():
        return cached.read_bytes()
    with tempfile.TemporaryDirectory(prefix="stdlib-zip-") as tmp:
        inputs, outputs = Path(tmp) / "in", Path(tmp) / "out"
        inputs.mkdir()
        (inputs / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
        pyodide_node.run(
            _ZIP_PY,
            inputs=inputs,
            outputs=outputs,
            what="Compiling the standard library",
            env=pyodide_node.BYTECODE_ENV,
        )
        data = (outputs / "python_stdlib.zip").read_bytes()
    CACHE.mkdir(parents=True, exist_ok=True)
    for stale in CACHE.glob("python_stdlib-*.zip"):
        stale.unlink()
    cached.write_bytes(data)
    return data
