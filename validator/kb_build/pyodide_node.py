"""Python inside Pyodide under Node, for the build steps that need Pyodide's own Python (3.14)
rather than the host's: compiling bytecode (precheck_assets, stdlib) and finding the modules the
checker imports (stdlib).

`run` starts the npm Pyodide (node_modules/pyodide, pinned in package.json), optionally with
wheels from a lock as the browser loads them, copies a directory of input files into /in, runs
the Python code, and copies every file the code wrote into /out back out.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from .paths import ROOT

NPM_PYODIDE = ROOT / "node_modules" / "pyodide"
NPM_STDLIB = NPM_PYODIDE / "python_stdlib.zip"

_RUNNER_MJS = """
import { loadPyodide } from %(pyodide)s;
import fs from "node:fs";
const [inDir, outDir, configJson] = process.argv.slice(-3);
const config = JSON.parse(configJson);
const stdout = (line) => console.log(line);
const py = await loadPyodide({ indexURL: %(index)s, stdout, ...config });
py.FS.mkdirTree("/in");
py.FS.mkdirTree("/out");
for (const name of fs.readdirSync(inDir)) {
  py.FS.writeFile("/in/" + name, fs.readFileSync(inDir + "/" + name));
}
py.runPython(%(code)s);
for (const name of py.FS.readdir("/out")) {
  if (name === "." || name === "..") continue;
  fs.writeFileSync(outDir + "/" + name, py.FS.readFile("/out/" + name));
}
"""

# Byte code the way the browser gets it, shared by the wheels and the standard library: compiled
# by Pyodide's Python, docstrings removed (as `-OO` would, about 15% smaller; nothing we run
# reads them) but assert statements kept (`-OO` would drop those too), as sourceless
# timestamp .pyc with mtime 0, which zipimport and the wheel installer load without a source.
# Compiled without column positions (BYTECODE_ENV, as `python -X no_debug_ranges`): line numbers
# stay, so a traceback still names each line, only without the ^^^ under the failing part; the
# standard library is a quarter smaller with Brotli (0.90 -> 0.67 MB) and loads a little faster.
# Code given BYTECODE_PY fails at once if Pyodide ignored the setting.
BYTECODE_ENV = {"PYTHONNODEBUGRANGES": "1"}
BYTECODE_PY = r"""
import ast
from importlib._bootstrap_external import _code_to_timestamp_pyc

if any(column is not None for _, _, column, _ in compile("x = 1", "-", "exec").co_positions()):
    raise SystemExit("PYTHONNODEBUGRANGES did not reach Pyodide's Python: columns are compiled")


class _DropDocstrings(ast.NodeTransformer):
    def _drop(self, node):
        self.generic_visit(node)
        body = node.body
        first = body[0] if body else None
        if (
            isinstance(first, ast.Expr)
            and isinstance(first.value, ast.Constant)
            and isinstance(first.value.value, str)
        ):
            node.body = body[1:] or [ast.copy_location(ast.Pass(), first)]
        return node

    visit_Module = visit_ClassDef = visit_FunctionDef = visit_AsyncFunctionDef = _drop


def to_pyc(source, filename):
    tree = _DropDocstrings().visit(ast.parse(source, filename))
    code = compile(tree, filename, "exec", dont_inherit=True)
    return bytes(_code_to_timestamp_pyc(code, 0, 0))
"""


class PyodideError(Exception):
    """Pyodide under Node failed; the message has its output."""


def run(
    code: str,
    *,
    inputs: Path,
    outputs: Path,
    what: str,
    lock: Path | None = None,
    packages: tuple[str, ...] = (),
    env: dict[str, str] | None = None,
) -> str:
    """Runs `code` in Pyodide with `inputs` as /in; files written to /out land in `outputs`.
    With `lock`, the `packages` are loaded from the wheels beside it, as in the browser. `env`:
    environment variables Python starts with (BYTECODE_ENV for code that compiles).
    Returns what the code printed."""
    config: dict[str, object] = {"env": dict(env or {})}
    if lock is not None:
        config |= {
            "lockFileURL": str(lock),
            "packageBaseUrl": str(lock.parent) + "/",
            "packages": list(packages),
        }
    script = _RUNNER_MJS % {
        "pyodide": json.dumps((NPM_PYODIDE / "pyodide.mjs").as_uri()),
        "index": json.dumps(str(NPM_PYODIDE) + "/"),
        "code": json.dumps(code),
    }
    outputs.mkdir(parents=True, exist_ok=True)
    args = [str(inputs), str(outputs), json.dumps(config)]
    result = subprocess.run(
        ["node", "--input-type=module", "-e", script, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise PyodideError(f"{what} failed in Pyodide under Node:\n{result.stdout}{result.stderr}")
    return result.stdout
