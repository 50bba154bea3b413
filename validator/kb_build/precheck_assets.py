"""Builds the pre-check's browser runtime into content-hashed folders below
docs/assets/runtime/, and docs/assets/precheck/runtime.mjs, which tells the worker where they are
and the sha256 of every file.

Part of the pre-build step (``python -m kb_build``), which runs it when one of its inputs
changed (`build_if_stale`); `mkdocs build` / `mkdocs serve` then copy the files like any other
asset. Under `mkdocs serve` the hook mkdocs_hooks/generated.py runs it again after an edit to
schemas/ or validator/, so the page always runs the engine on disk.

What it makes, from node_modules/pyodide (npm, pinned in package.json) and PyPI:

- our engine's wheel (`python -m build --wheel`, schemas inside as package data) and the
  pure-Python wheels of jsonschema 4.17.3, attrs and pyrsistent (`pip download`), each slimmed
  (test suites, benchmarks, type stubs and the long description in METADATA removed),
  compiled to Python 3.14 bytecode inside Pyodide itself under Node (the host Python is older),
  and stored uncompressed;
- ``pyodide-lock.json``: Pyodide's lock plus our wheels (`pyodide lockfile add-wheels`), pruned
  to what the pre-check loads. Every wheel is listed with its sha256, which the browser checks;
- the standard library trimmed to what the checker imports, as bytecode (stdlib.py);
- Pyodide's own files, unchanged: the loader, its WebAssembly and the vendor's full standard
  library (loaded only if a module is missing from ours, see stdlib.py).

The folders (`RUNTIME_LAYOUT`) are named by a hash of their content, so a URL below them never
changes meaning and the server lets browsers cache it for a year (deploy/nginx/). A new Pyodide
renames only ``pyodide-*``; an engine change only ``wheels-*`` (and ``stdlib-*`` if it imports
other modules). Old folders are removed. runtime.mjs and build/precheck/runtime.json list every
file with its sha256 (as the SRI string the worker checks), its size, and its size with Brotli
(for the progress bar, which counts the bytes as the server sends them).

Outputs are only rewritten when their content changed, so `mkdocs serve` does not rebuild for
nothing. Downloads are cached in build/precheck/.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
import zipfile
from importlib.metadata import version
from pathlib import Path

from . import pyodide_node, stdlib
from .paths import ROOT

NPM_PYODIDE = pyodide_node.NPM_PYODIDE
ASSETS = ROOT / "docs" / "assets"
RUNTIME_OUT = ASSETS / "runtime"
MANIFEST_MJS = ASSETS / "precheck" / "runtime.mjs"
WORK = ROOT / "build" / "precheck"
MANIFEST_JSON = WORK / "runtime.json"
# Where earlier builds wrote the runtime, unhashed: removed when found.
LEGACY_OUT = (ASSETS / "pyodide", ASSETS / "wheels")

VENDOR_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip")
LOCK_NAME = "pyodide-lock.json"
STDLIB_NAME = "python_stdlib.zip"
ENGINE_PACKAGE = stdlib.ENGINE_PACKAGE
# The folders below docs/assets/runtime/, each named "<kind>-<16 hex digits>": the first 64 bits
# of the sha256 of its files' names and contents.
RUNTIME_LAYOUT = {
    "pyodide": "the vendor's Pyodide files, unchanged",
    "stdlib": "the trimmed standard library, as bytecode",
    "wheels": "our four wheels, as bytecode, and their lock",
}
HASH_DIGITS = 16

# The browser runs exactly the versions the CLI's environment (this interpreter) has installed,
# so both run the same code. pyproject.toml pins jsonschema to 4.17.3, the newest that runs in
# the browser (4.18+ needs rpds-py, which has no Emscripten wheel).
THIRD_PARTY = tuple(f"{name}=={version(name)}" for name in ("jsonschema", "attrs", "pyrsistent"))
# Parts of the third-party wheels the checker never imports.
SLIM_DIRS = ("jsonschema/tests/", "jsonschema/benchmarks/")
SLIM_SUFFIXES = (".pyi",)
# jsonschema imports at start-up modules that only rarely used code needs. Each is imported
# where it is used instead, so the checker starts sooner and the trimmed standard library
# (stdlib.py) need not ship what our schemas never use:
# - urllib.request (and with it http.client and most of email): only to fetch remote $refs,
#   which our offline schemas never have (about 150 ms of the start in the browser);
# - uuid (and platform): only for the "uuid" format, and fractions: only for a multipleOf that
#   overflows a float; pprint: only to print a ValidationError, which the engine never does;
# - importlib.resources (7 modules): only to read jsonschema's own files, which a wheel
#   installs as plain files, read here with open() in the same order.
# Each edit must match exactly once, so a different jsonschema fails the build instead of
# shipping unpatched; the CPython-vs-browser parity test compares the results with the
# unpatched jsonschema the CLI runs.
DEFERRED_IMPORTS = {
    "jsonschema/validators.py": (
        ("from urllib.request import urlopen\n", ""),
        (
            "            with urlopen(uri) as url:\n",
            "            from urllib.request import urlopen\n\n"
            "            with urlopen(uri) as url:\n",
        ),
        (
            "        package = _utils.resources.files(__package__)\n"
            '        for version in package.joinpath("schemas", "vocabularies").iterdir():\n'
            "            for path in version.iterdir():\n"
            "                vocabulary = json.loads(path.read_text())\n",
            "        import os\n\n"
            '        package = os.path.join(os.path.dirname(__file__), "schemas", "vocabularies")\n'
            "        for version in os.listdir(package):\n"
            "            for name in os.listdir(os.path.join(package, version)):\n"
            "                with open(os.path.join(package, version, name)) as file:\n"
            "                    vocabulary = json.loads(file.read())\n",
        ),
    ),
    "jsonschema/_utils.py": (
        (
            "# The files() API was added in Python 3.9.\n"
            "if sys.version_info >= (3, 9):  # pragma: no cover\n"
            "    from importlib import resources\n"
            "else:  # pragma: no cover\n"
            "    import importlib_resources as resources  # type: ignore\n",
            "",
        ),
        (
            '    path = resources.files(__package__).joinpath(f"schemas/{name}.json")\n'
            '    data = path.read_text(encoding="utf-8")\n',
            "    import os\n\n"
            '    path = os.path.join(os.path.dirname(__file__), "schemas", f"{name}.json")\n'
            '    with open(path, encoding="utf-8") as file:\n'
            "        data = file.read()\n",
        ),
    ),
    "jsonschema/_format.py": (
        ("from uuid import UUID\n", ""),
        ("    UUID(instance)\n", "    from uuid import UUID\n\n    UUID(instance)\n"),
    ),
    "jsonschema/_validators.py": (
        ("from fractions import Fraction\n", ""),
        (
            "            failed = (Fraction(instance) / Fraction(dB)).denominator != 1\n",
            "            from fractions import Fraction\n\n"
            "            failed = (Fraction(instance) / Fraction(dB)).denominator != 1\n",
        ),
    ),
    "jsonschema/exceptions.py": (
        (
            "from pprint import pformat\n",
            "\n\ndef pformat(*args, **kwargs):\n"
            "    from pprint import pformat\n\n"
            "    return pformat(*args, **kwargs)\n\n\n",
        ),
    ),
}


# Runs in Pyodide under Node: compiles every module of each wheel to 3.14 bytecode in place of
# its source (pyodide_node.BYTECODE_PY) and rewrites RECORD. The wheels are stored, not
# deflated: the server's Brotli then compresses each wheel as a whole, about 30% smaller.
_COMPILE_PY = (
    pyodide_node.BYTECODE_PY
    + r"""
import base64, hashlib, os, sys, zipfile

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
                members[info.filename + "c"] = to_pyc(data, f"{site}/{info.filename}")
            else:
                members[info.filename] = data
    lines = [record_line(name, data) for name, data in members.items()] + [f"{record_name},,"]
    members[record_name] = ("\n".join(lines) + "\n").encode()
    with zipfile.ZipFile("/out/" + wheel, "w", zipfile.ZIP_STORED) as out:
        for name, data in members.items():
            out.writestr(zipfile.ZipInfo(name, EPOCH), data)
"""
)


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
        raise BuildError("node_modules/pyodide is missing: run `npm ci` (or `make generate`)")
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


def _without_description(name: str, data: bytes) -> bytes:
    """A wheel's METADATA without its long description, which nothing in the browser reads:
    the README, for our engine (50 kB), and the projects' READMEs for the others."""
    if not name.endswith(".dist-info/METADATA"):
        return data
    headers, _, _ = data.partition(b"\n\n")
    return headers + b"\n"


def _slim(wheel: Path) -> None:
    """Drop what is never imported or read and defer what is rarely used; RECORD is rewritten
    by the compile step."""
    kept = []
    with zipfile.ZipFile(wheel) as source:
        for info in source.infolist():
            name = info.filename
            if name.startswith(SLIM_DIRS) or name.endswith(SLIM_SUFFIXES):
                continue
            data = _without_description(name, _defer_imports(name, source.read(info)))
            kept.append((info, data))
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in kept:
            out.writestr(info, data)


def _compile(source_dir: Path, out_dir: Path) -> None:
    try:
        pyodide_node.run(
            _COMPILE_PY,
            inputs=source_dir,
            outputs=out_dir,
            what="Compiling the wheels to bytecode",
            env=pyodide_node.BYTECODE_ENV,
        )
    except pyodide_node.PyodideError as error:
        raise BuildError(str(error)) from None


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
        + ["--base-path", str(source_wheels)]
        + [str(path) for path in sorted(source_wheels.glob("*.whl"))],
        "pyodide lockfile add-wheels",
    )
    lock = json.loads(full.read_text(encoding="utf-8"))
    # The browser only ever loads the engine and its dependencies; a lock of 350 packages would
    # be downloaded and parsed on every cold start for nothing.
    keep = _closure(lock["packages"], [ENGINE_PACKAGE])
    lock["packages"] = {name: lock["packages"][name] for name in sorted(keep)}
    for name, entry in lock["packages"].items():
        # Relative to the lock's own folder, which the worker passes as packageBaseUrl.
        entry["file_name"] = Path(entry["file_name"]).name
        shipped = shipped_wheels / entry["file_name"]
        if not shipped.is_file():
            raise BuildError(f"pyodide-lock.json entry {name} is not one of our wheels: {entry}")
        if not entry["imports"]:
            raise BuildError(f"pyodide lockfile add-wheels found no import name in {shipped.name}")
        entry["sha256"] = hashlib.sha256(shipped.read_bytes()).hexdigest()
    return (json.dumps(lock, indent=1, sort_keys=True) + "\n").encode()


def _folder(kind: str, files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + hashlib.sha256(files[name]).digest())
    return f"{kind}-{digest.hexdigest()[:HASH_DIGITS]}"


def _sri(data: bytes) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()


def _manifest(folders: dict[str, tuple[str, dict[str, bytes]]]) -> dict:
    """What the worker needs: where each part is (relative to assets/runtime/) and every file's
    SRI hash, size and size with Brotli."""
    # Imported here: `python -m kb_build.precompress` must not find itself imported already.
    from . import precompress

    pyodide, stdlib_folder, wheels = (folders[kind][0] for kind in RUNTIME_LAYOUT)
    files = {}
    for folder, contents in folders.values():
        for name, data in sorted(contents.items()):
            files[f"{folder}/{name}"] = {
                "integrity": _sri(data),
                "size": len(data),
                "brotli": precompress.brotli_size(data),
            }
    return {
        "pyodide": f"{pyodide}/",
        "stdlib": f"{stdlib_folder}/{STDLIB_NAME}",
        "fullStdlib": f"{pyodide}/{STDLIB_NAME}",
        "lock": f"{wheels}/{LOCK_NAME}",
        "files": files,
    }


def _manifest_module(manifest: dict) -> bytes:
    text = json.dumps(manifest, indent=2, sort_keys=True)
    return (
        "// Generated by `python -m kb_build` (validator/kb_build/precheck_assets.py).\n"
        "// The pre-check's runtime: its folders below assets/runtime/, named by a hash of their\n"
        "// content, and every file's SRI hash, size and size with Brotli. The worker checks each\n"
        "// file against its hash before using it.\n"
        f"export const RUNTIME = {text};\n"
    ).encode()


def build(*, compile_bytecode: bool = True) -> list[str]:
    """Builds every asset; returns the paths (relative to the root) it changed."""
    pyodide_version = _check_pyodide()
    changed: list[str] = []
    with tempfile.TemporaryDirectory(prefix="precheck-assets-") as tmp:
        scratch = Path(tmp)
        plain, final = scratch / "plain", scratch / "wheels"
        plain.mkdir()
        final.mkdir()
        _engine_wheel(plain)
        _third_party_wheels(plain)
        for wheel in sorted(plain.glob("*.whl")):
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
        (final / LOCK_NAME).write_bytes(_lock(plain, final, scratch))
        try:
            phases = stdlib.discover(final / LOCK_NAME)
            if stdlib.write_record(phases, pyodide_version):
                changed.append(str(stdlib.MODULES_FILE.relative_to(ROOT)))
            modules = [name for names in stdlib.read_record().values() for name in names]
            trimmed = stdlib.build_zip(modules, pyodide_version)
        except (stdlib.StdlibError, pyodide_node.PyodideError) as error:
            raise BuildError(str(error)) from None
        contents = {
            "pyodide": {name: (NPM_PYODIDE / name).read_bytes() for name in VENDOR_FILES},
            "stdlib": {STDLIB_NAME: trimmed},
            "wheels": {path.name: path.read_bytes() for path in (*wheels, final / LOCK_NAME)},
        }

    folders = {kind: (_folder(kind, files), files) for kind, files in contents.items()}
    for folder, files in folders.values():
        for name, data in files.items():
            if _write_if_changed(RUNTIME_OUT / folder / name, data):
                changed.append(f"docs/assets/runtime/{folder}/{name}")
    built = _manifest(folders)
    if _write_if_changed(MANIFEST_MJS, _manifest_module(built)):
        changed.append(str(MANIFEST_MJS.relative_to(ROOT)))
    _write_if_changed(MANIFEST_JSON, (json.dumps(built, indent=1, sort_keys=True) + "\n").encode())

    # The runtime folder is generated and ours alone: any other folder in it is stale.
    current = {folder for folder, _ in folders.values()}
    for path in sorted(RUNTIME_OUT.iterdir()):
        if path.name not in current:
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink()
            changed.append(f"removed {path.relative_to(ROOT)}")
    for legacy in LEGACY_OUT:
        if legacy.exists():
            shutil.rmtree(legacy)
            changed.append(f"removed {legacy.relative_to(ROOT)}")
    return changed


def manifest() -> dict | None:
    """The last build's manifest (build/precheck/runtime.json), or None before the first."""
    if not MANIFEST_JSON.is_file():
        return None
    return json.loads(MANIFEST_JSON.read_text(encoding="utf-8"))


# Everything the assets are made from: a change in any of them rebuilds them. The fixtures and
# the fuzz tests drive the standard-library discovery.
INPUT_GLOBS = (
    "pyproject.toml",
    "README.md",
    "package-lock.json",
    "schemas/*.json",
    "validator/cytrack_ticket/*.py",
    "validator/kb_build/precheck_assets.py",
    "validator/kb_build/pyodide_node.py",
    "validator/kb_build/stdlib.py",
    "validator/kb_build/stdlib_modules.txt",
    "validator/kb_build/fuzz_recorder.py",
    "tests/fixtures/*/*/*.json",
    "tests/fixtures/now.txt",
)
STAMP = WORK / "inputs.sha256"


def inputs_digest() -> str:
    digest = hashlib.sha256()
    paths = [path for pattern in INPUT_GLOBS for path in sorted(ROOT.glob(pattern))]
    for path in paths + stdlib.fuzz_tests():
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def _outputs_present() -> bool:
    built = manifest()
    return (
        built is not None
        and MANIFEST_MJS.is_file()
        and all((RUNTIME_OUT / path).is_file() for path in built["files"])
    )


def is_stale() -> bool:
    """Whether an input changed since the last build, or an output is missing."""
    stamp = STAMP.read_text(encoding="utf-8").strip() if STAMP.is_file() else ""
    return stamp != inputs_digest() or not _outputs_present()


def build_if_stale(*, compile_bytecode: bool = True) -> list[str] | None:
    """Build when stale; None when everything was up to date."""
    if not is_stale():
        return None
    changed = build(compile_bytecode=compile_bytecode)
    # Taken after the build: it may have rewritten stdlib_modules.txt, one of its own inputs.
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(inputs_digest() + "\n", encoding="utf-8")
    return changed
