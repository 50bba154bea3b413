"""``python -m kb_build``: the pre-build step. Exit 0 when the generated files are current,
1 when a procedure's front matter or the build of the runtime has a problem, 3 when a schema or
the settings file is broken. Every message names the file."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from cytrack_ticket import catalogue

from . import generate, precheck_assets
from .paths import DOCS_DIR, GENERATED_DIR, ROOT


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m kb_build",
        description="Generate the site's snippets and pre-check form from schemas/, lint the "
        "procedures' front matter, and rebuild the pre-check runtime when its inputs changed.",
    )
    parser.add_argument("--out", type=Path, default=GENERATED_DIR, help="generated files")
    parser.add_argument("--docs-dir", type=Path, default=DOCS_DIR)
    parser.add_argument(
        "--no-assets",
        action="store_true",
        help="skip the pre-check runtime (Pyodide, wheels, lock): no Node or network needed",
    )
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="ship the wheels' Python source instead of bytecode (slower start in the browser)",
    )
    args = parser.parse_args(argv)
    try:
        if not args.no_assets:
            changed = precheck_assets.build_if_stale(compile_bytecode=not args.no_bytecode)
            for path in changed or ():
                print(f"kb_build: wrote {path}", file=sys.stderr)
        report = generate(args.out, args.docs_dir)
    except catalogue.ConfigError as error:
        print(f"kb_build: {error}", file=sys.stderr)
        return 3
    except precheck_assets.BuildError as error:
        print(f"kb_build: {error}", file=sys.stderr)
        return 1
    for path in report.written:
        shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(f"kb_build: wrote {shown}", file=sys.stderr)
    for line in report.problems:
        print(f"ERROR    -  {line}", file=sys.stderr)
    for line in report.overdue:
        print(f"WARNING  -  {line}", file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
