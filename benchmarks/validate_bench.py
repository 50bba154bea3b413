"""Per-draft validation time and throughput of the ticket engine, against bare jsonschema.

Run with ``.venv/bin/python benchmarks/validate_bench.py`` (``make bench``). Prints a plain
text table: p50/p95 of `check` for a typical valid draft and for a ~200 KB draft, the
throughput over 10,000 drafts, and in the same run the same figures for bare jsonschema
``iter_errors`` with the very validator the engine uses (same class, schema, resolver and
format checker), so the ratio is the engine's own overhead: rules, messages, ticket text.
"""

from __future__ import annotations

import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import datetime
from importlib import metadata
from pathlib import Path
from typing import Any

from cytrack_ticket import catalogue, check

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
NOW = datetime.fromisoformat((FIXTURES / "now.txt").read_text(encoding="utf-8").strip())


def percentiles(samples: list[int]) -> tuple[float, float]:
    """p50 and p95 in milliseconds of samples in nanoseconds."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) / 1e6, p95 / 1e6


def timed(function: Callable[[], object], runs: int) -> list[int]:
    for _ in range(min(50, runs)):  # warm caches: validators, settings, regexes
        function()
    samples = []
    clock = time.perf_counter_ns
    for _ in range(runs):
        start = clock()
        function()
        samples.append(clock() - start)
    return samples


def bare(draft: dict[str, Any]) -> Callable[[], object]:
    schema_validator = catalogue.schema_validator(draft["issue_type"])
    return lambda: list(schema_validator.iter_errors(draft))


def corpus() -> list[dict[str, Any]]:
    """The fixture drafts of a known type, valid and invalid."""
    drafts = []
    for path in sorted(FIXTURES.glob("*/*/*.json")):
        if path.name.endswith(".expected.json"):
            continue
        try:
            draft = json.loads(path.read_text(encoding="utf-8"))
        except ValueError:
            continue
        if isinstance(draft, dict) and draft.get("issue_type") in ("phone", "dashboard", "other"):
            drafts.append(draft)
    return drafts


def main() -> int:
    typical = json.loads((FIXTURES / "phone/valid/after-hours.json").read_text(encoding="utf-8"))
    large = dict(typical)
    # A pasted log: the size makes it invalid (description too long), as it would be.
    line = "2026-11-26 02:10:07 TAPI line 4021 state=OUT_OF_SERVICE reason=link down\n"
    large["description"] = line * (200_000 // len(line))
    sizes = {
        name: len(json.dumps(d).encode()) for name, d in (("typical", typical), ("large", large))
    }
    print(
        f"cytrack-ticket validation benchmark: {platform.python_implementation()} "
        f"{platform.python_version()}, jsonschema {metadata.version('jsonschema')}, "
        f"{sys.platform}"
    )
    print()
    header = (
        f"{'draft':<28}{'runs':>7}{'check p50':>11}{'p95':>9}{'bare p50':>10}{'p95':>9}{'ratio':>7}"
    )
    print(header)
    print("-" * len(header))
    cases = [
        (f"typical valid ({sizes['typical'] / 1000:.1f} KB)", typical, 5000),
        (f"large invalid ({sizes['large'] / 1000:.0f} KB)", large, 500),
    ]
    for name, draft, runs in cases:
        engine = percentiles(timed(lambda draft=draft: check(draft, now=NOW), runs))
        schema_only = percentiles(timed(bare(draft), runs))
        print(
            f"{name:<28}{runs:>7}{engine[0]:>9.3f}ms{engine[1]:>7.3f}ms"
            f"{schema_only[0]:>8.3f}ms{schema_only[1]:>7.3f}ms{engine[0] / schema_only[0]:>7.2f}"
        )

    drafts = corpus()
    batch = [drafts[index % len(drafts)] for index in range(10_000)]
    validators = [catalogue.schema_validator(draft["issue_type"]) for draft in batch]
    for draft in drafts:
        check(draft, now=NOW)
    start = time.perf_counter()
    for draft in batch:
        check(draft, now=NOW)
    engine_seconds = time.perf_counter() - start
    start = time.perf_counter()
    for schema_validator, draft in zip(validators, batch, strict=True):
        list(schema_validator.iter_errors(draft))
    bare_seconds = time.perf_counter() - start
    valid = sum(check(draft, now=NOW).valid for draft in drafts)
    print()
    print(
        f"throughput over 10,000 drafts (the fixture corpus, {len(drafts)} drafts of which "
        f"{valid} valid, cycled):"
    )
    for name, seconds in (("check", engine_seconds), ("bare iter_errors", bare_seconds)):
        print(f"  {name:<17} {len(batch) / seconds:>9,.0f} drafts/s ({seconds:.2f} s)")
    print(f"  ratio             {engine_seconds / bare_seconds:>9.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
