"""Builds the pre-check's browser runtime into docs/assets/pyodide/ and docs/assets/wheels/.

Part of the pre-build step (``python -m kb_build``), which runs it when one of its inputs
changed (`build_if_stale`); `mkdocs build` / `mkdocs serve` then copy the files like any other
asset. Under `mkdocs serve` the hook mkdocs_hooks/generated.py runs it again after an edit to
schemas/ or validator/, so the page always runs the engine on disk.

What it makes, from node_modules/pyodide (npm, pinned in package.json) and PyPI:

- the Pyodide core files the browser needs (runtime, WebAssembly, standard library);
- our engine's wheel (`python -m build --wheel`, schemas inside as package data) and the
  pure-Python wheels of jsonschema 4.17.3, attrs and pyrsistent (`pip download`);
- each wheel slimmed (test suites, benchmarks and type stubs removed) and its modules compiled
  to Python 3.14 bytecode inside Pyodide itself under Node, because the host Python is older;
- ``pyodide-lock.json``: Pyodide's lock plus our wheels (`pyodide lockfile add-wheels`), pruned
  to what the pre-check loads. Every wheel is listed with its sha256, which the browser checks.

Outputs are only rewritten when their content changed, so `mkdocs serve` does not rebuild for
nothing. Downloads are cached in build/precheck/.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

from .paths import ROOT

NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
PYODIDE_OUT = ROOT / "docs" / "assets" / "pyodide"
WHEELS_OUT = ROOT / "docs" / "assets" / "wheels"
WORK = ROOT / "build" / "precheck"

CORE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_NAME = "pyodide-lock.json"
# The wheels' URLs in the lock, relative to the lock file (Pyodide's packageBaseUrl default).
WHEEL_URL = "../wheels/"
ENGINE_PACKAGE = "cytrack-ticket"
# The browser runs exactly the versions the CLI's environment (this interpreter) has installed,
# so both run the same code. pyproject.toml pins jsonschema to 4.17.3, the newest that runs in
# the browser (4.18+ needs rpds-py, which has no Emscripten wheel).
THIRD_PARTY = tuple(f"{name}=={version(name)}" for name in ("jsonschema", "attrs", "pyrsistent"))
# Parts of the third-party wheels the checker never imports.
SLIM_DIRS = ("jsonschema/tests/", "jsonschema/benchmarks/")
SLIM_SUFFIXES = (".pyi",)
# jsonschema imports urllib.request (and with it http.client and most of email) at start-up,
# only to fetch remote $refs, which our offline schemas never have. Importing it where it is
# used saves about 150 ms of the checker's start in the browser. Each edit must match exactly
# once, so a different jsonschema fails the build instead of shipping unpatched.
DEFERRED_IMPORTS = {
    "jsonschema/validators.py": (
        ("from urllib.request import urlopen\n", ""),
        (
            "            with urlopen(uri) as url:\n",
            "            from urllib.request import urlopen\n\n"
            "            with urlopen(uri) as url:\n",
        ),
    ),
}

# Runs in Pyodide under Node: compiles every module of each wheel to 3.14 bytecode in place of
# its source (sourceless .pyc, as Pyodide ships its own packages) and rewrites RECORD.
_COMPILE_PY = r"""
import base64, hashlib, os, sys, zipfile
from importlib._bootstrap_external import _code_to_timestamp_pyc

site = "/lib/python%d.%d/site-packages" % sys.version_info[:2]
EPOCH = (2020, 2, 2, 0, 0, 0)


def record_line(name, data):
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


for wheel in sorted(os.listdir("/in")):
    members, record_name = {}, None
    with zipfile.ZipFile("/in/" + wheel) as source:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith(".dist-info/RECORD"):
                record_name = info.filename
            elif info.filename.endswith(".py"):
                code = compile(data, f"{site}/{info.filename}", "exec", dont_inherit=True)
                members[info.filename + "c"] = bytes(_code_to_timestamp_pyc(code, 0, 0))
            else:
                members[info.filename] = data
    lines = [record_line(name, data) for name, data in members.items()] + [f"{record_name},,"]
    members[record_name] = ("\n".join(lines) + "\n").encode()
    with zipfile.ZipFile("/out/" + wheel, "w") as out:
        for name, data in members.items():
            out.writestr(zipfile.ZipInfo(name, EPOCH), data, zipfile.ZIP_DEFLATED, 9)
"""

_COMPILE_MJS = """
import { loadPyodide } from %(pyodide)s;
import fs from "node:fs";
const [inDir, outDir] = process.argv.slice(-2);
const py = await loadPyodide({ indexURL: %(index)s });
py.FS.mkdirTree("/in");
py.FS.mkdirTree("/out");
for (const name of fs.readdirSync(inDir)) {
  py.FS.writeFile("/in/" + name, fs.readFileSync(inDir + "/" + name));
}
py.runPython(%(code)s);
for (const name of py.FS.readdir("/out")) {
  if (name.endsWith(".whl")) fs.writeFileSync(outDir + "/" + name, py.FS.readFile("/out/" + name));
}
"""


class BuildError(Exception):
    """A step failed; the message says which and what to do."""


def _run(args: list[str], what: str) -> None:
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BuildError(f"{what} failed ({' '.join(args)}):\n{result.stdout}{result.stderr}")


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.is_file() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(data)
    partial.replace(path)
    return True


def _check_pyodide() -> str:
    wanted = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["dependencies"]
    version = wanted["pyodide"]
    installed = NPM_PYODIDE / "package.json"
    if not installed.is_file():
        raise BuildError(
            "node_modules/pyodide is missing: run `npm ci` (or `make precheck-assets`)"
        )
    found = json.loads(installed.read_text(encoding="utf-8"))["version"]
    if found != version:
        raise BuildError(
            f"node_modules has pyodide {found}, package.json wants {version}: run `npm ci`"
        )
    return version


def _engine_wheel(into: Path) -> Path:
    dist = WORK / "dist"
    shutil.rmtree(dist, ignore_errors=True)
    _run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), "."],
        "Building the engine wheel",
    )
    (wheel,) = dist.glob("cytrack_ticket-*.whl")
    return Path(shutil.copy2(wheel, into))


def _third_party_wheels(into: Path) -> list[Path]:
    downloads = WORK / "downloads"
    downloads.mkdir(parents=True, exist_ok=True)
    wheels = []
    for requirement in THIRD_PARTY:
        name, version = requirement.split("==")
        cached = list(downloads.glob(f"{name}-{version}-py3-none-any.whl"))
        if not cached:
            _run(
                [
                    *(sys.executable, "-m", "pip", "download", "--quiet", "--no-deps"),
                    *("--only-binary=:all:", "--platform", "any", "--implementation", "py"),
                    *("--python-version", "3.14", "--abi", "none", "-d", str(downloads)),
                    requirement,
                ],
                f"Downloading {requirement}",
            )
            cached = list(downloads.glob(f"{name}-{version}-py3-none-any.whl"))
        if len(cached) != 1:
            raise BuildError(f"pip download {requirement} gave no pure-Python wheel in {downloads}")
        wheels.append(Path(shutil.copy2(cached[0], into)))
    return wheels


def _defer_imports(name: str, data: bytes) -> bytes:
    edits = DEFERRED_IMPORTS.get(name)
    if not edits:
        return data
    text = data.decode("utf-8")
    for old, new in edits:
        if text.count(old) != 1:
            raise BuildError(f"{name} changed: {old.strip()!r} is not there once")
        text = text.replace(old, new)
    return text.encode("utf-8")


def _slim(wheel: Path) -> None:
    """Drop what is never imported and defer what is rarely used; RECORD is rewritten by the
    compile step."""
    with zipfile.ZipFile(wheel) as source:
        kept = [
            (info, _defer_imports(info.filename, source.read(info)))
            for info in source.infolist()
            if not info.filename.startswith(SLIM_DIRS) and not info.filename.endswith(SLIM_SUFFIXES)
        ]
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in kept:
            out.writestr(info, data)


def _compile(source_dir: Path, out_dir: Path) -> None:
    script = _COMPILE_MJS % {
        "pyodide": json.dumps((NPM_PYODIDE / "pyodide.mjs").as_uri()),
        "index": json.dumps(str(NPM_PYODIDE) + "/"),
        "code": json.dumps(_COMPILE_PY),
    }
    _run(
        ["node", "--input-type=module", "-e", script, str(source_dir), str(out_dir)],
        "Compiling the wheels to bytecode in Pyodide under Node",
    )


def _closure(packages: dict[str, dict], roots: list[str]) -> set[str]:
    seen: set[str] = set()
    todo = list(roots)
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(packages[name]["depends"])
    return seen


def _lock(source_wheels: Path, shipped_wheels: Path, scratch: Path) -> bytes:
    """The lock for the shipped wheels. add-wheels reads the source wheels, since it finds a
    wheel's import names in its .py files; the sha256 is then that of the shipped wheel."""
    full = scratch / "pyodide-lock.full.json"
    _run(
        [str(Path(sys.executable).with_name("pyodide")), "lockfile", "add-wheels"]
        + ["--input", str(NPM_PYODIDE / LOCK_NAME), "--output", str(full)]
        + ["--base-path", str(source_wheels), "--wheel-url", WHEEL_URL]
        + [str(path) for path in sorted(source_wheels.glob("*.whl"))],
        "pyodide lockfile add-wheels",
    )
    lock = json.loads(full.read_text(encoding="utf-8"))
    # The browser only ever loads the engine and its dependencies; a lock of 350 packages would
    # be downloaded and parsed on every cold start for nothing.
    keep = _closure(lock["packages"], [ENGINE_PACKAGE])
    lock["packages"] = {name: lock["packages"][name] for name in sorted(keep)}
    for name, entry in lock["packages"].items():
        shipped = shipped_wheels / entry["file_name"].removeprefix(WHEEL_URL)
        if not entry["file_name"].startswith(WHEEL_URL) or not shipped.is_file():
            raise BuildError(f"pyodide-lock.json entry {name} is not one of our wheels: {entry}")
        if not entry["imports"]:
            raise BuildError(f"pyodide lockfile add-wheels found no import name in {shipped.name}")
        entry["sha256"] = hashlib.sha256(shipped.read_bytes()).hexdigest()
    return (json.dumps(lock, indent=1, sort_keys=True) + "\n").encode()


def build(*, compile_bytecode: bool = True) -> list[str]:
    """Builds every asset; returns the paths (relative to the root) it changed."""
    _check_pyodide()
    changed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="precheck-assets-") as tmp:
        scratch = Path(tmp)
        plain, final = scratch / "plain", scratch / "wheels"
        plain.mkdir()
        final.mkdir()
        _engine_wheel(plain)
        for wheel in _third_party_wheels(plain):
            _slim(wheel)
        if compile_bytecode:
            _compile(plain, final)
        else:
            for wheel in plain.iterdir():
                shutil.copy2(wheel, final)
        wheels = sorted(final.glob("*.whl"))
        if len(wheels) != 1 + len(THIRD_PARTY):
            raise BuildError(
                f"expected {1 + len(THIRD_PARTY)} wheels, got {[w.name for w in wheels]}"
            )
        lock = _lock(plain, final, scratch)

        for name in CORE_FILES:
            if _write_if_changed(PYODIDE_OUT / name, (NPM_PYODIDE / name).read_bytes()):
                changed.append(f"docs/assets/pyodide/{name}")
        for wheel in wheels:
            if _write_if_changed(WHEELS_OUT / wheel.name, wheel.read_bytes()):
                changed.append(f"docs/assets/wheels/{wheel.name}")
        if _write_if_changed(PYODIDE_OUT / LOCK_NAME, lock):
            changed.append(f"docs/assets/pyodide/{LOCK_NAME}")

    # Both directories are generated and ours alone: anything else in them is stale.
    expected = {*CORE_FILES, LOCK_NAME} | {wheel.name for wheel in wheels}
    for directory in (PYODIDE_OUT, WHEELS_OUT):
        for path in directory.iterdir():
            if path.name not in expected:
                path.unlink()
                changed.append(f"removed {path.relative_to(ROOT)}")
    return changed


# Everything the assets are made from: a change in any of them rebuilds them.
INPUT_GLOBS = (
    "pyproject.toml",
    "README.md",
    "package-lock.json",
    "schemas/*.json",
    "validator/cytrack_ticket/*.py",
    "validator/kb_build/precheck_assets.py",
)
STAMP = WORK / "inputs.sha256"


def inputs_digest() -> str:
    digest = hashlib.sha256()
    for pattern in INPUT_GLOBS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _outputs_present() -> bool:
    return all((PYODIDE_OUT / name).is_file() for name in (*CORE_FILES, LOCK_NAME)) and any(
        WHEELS_OUT.glob("cytrack_ticket-*.whl")
    )


def is_stale() -> bool:
    """Whether an input changed since the last build, or an output is missing."""
    stamp = STAMP.read_text(encoding="utf-8").strip() if STAMP.is_file() else ""
    return stamp != inputs_digest() or not _outputs_present()


def build_if_stale(*, compile_bytecode: bool = True) -> list[str] | None:
    """Build when stale; None when everything was up to date."""
    if not is_stale():
        return None
    digest = inputs_digest()
    changed = build(compile_bytecode=compile_bytecode)
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(digest + "\n", encoding="utf-8")
    return changed
