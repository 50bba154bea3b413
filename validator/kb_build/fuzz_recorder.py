"""A pytest plugin for the standard-library discovery (stdlib.py): while the fuzz tests run on
CPython, it records every input they give the engine's public `check` and `check_json`, so that
the same inputs can be replayed in Pyodide the way the browser sends them, as JSON text to
`check_json`.

    KB_FUZZ_RECORD=inputs.jsonl pytest -p kb_build.fuzz_recorder tests/unit/test_fuzz.py

A draft given to `check` is recorded only if it can be JSON at all (the browser sends
JSON.stringify output): not NaN, not an integer of 5000 digits, not nested 5000 deep. Its strings
repeat across inputs and reach a megabyte, so each value is written flat, its strings once, one
line per record, without recursion:

    {"string": N, "value": "..."}        a string, written once, then referred to by N
    {"call": "check" | "check_json", "now": ISO | null, "root": I, "nodes": [...]}

Each node is ["none"], ["bool", b], ["int", hex], ["float", float.hex()], ["str", N],
["list", [I, ...]] or ["dict", [[K, I], ...]] (K a string number, I a node index).
`decode` below, run in Pyodide, turns a record back into the value.
"""

from __future__ import annotations

import hashlib
import json
import os
from datetime import datetime
from typing import IO, Any

import pytest

import cytrack_ticket

# Pure Python on purpose: stdlib.py runs it inside Pyodide, where it may only use what the engine
# imports anyway (json), or the modules it pulls in would count as the engine's.
DECODE_PY = r"""
def decode(record, strings):
    nodes = record["nodes"]
    values = [None] * len(nodes)
    for index, node in enumerate(nodes):
        kind = node[0]
        if kind == "bool":
            values[index] = node[1]
        elif kind == "int":
            values[index] = int(node[1], 16)
        elif kind == "float":
            values[index] = float.fromhex(node[1])
        elif kind == "str":
            values[index] = strings[node[1]]
        elif kind == "list":
            values[index] = [values[child] for child in node[1]]
        elif kind == "dict":
            values[index] = {strings[key]: values[child] for key, child in node[1]}
    return values[record["root"]]
"""


# Pyodide's json.dumps recurses on the C stack, which overflows Node's long before CPython's
# limit: a deeper draft is recorded as its JSON text instead (check_json refuses it unparsed).
MAX_NODE_DEPTH = 100


class Recorder:
    """Writes each distinct engine call once."""

    def __init__(self, out: IO[str]) -> None:
        self.out = out
        self.strings: dict[str, int] = {}
        self.seen: set[bytes] = set()

    def _string(self, text: str) -> int:
        if text not in self.strings:
            self.strings[text] = len(self.strings)
            self.out.write(json.dumps({"string": self.strings[text], "value": text}) + "\n")
        return self.strings[text]

    def _nodes(self, value: Any) -> tuple[int, list[list[Any]], int]:
        """Post-order (every child has a lower index than its parent); and the nesting depth."""
        nodes: list[list[Any]] = []
        memo: dict[int, int] = {}
        deepest = 0
        stack: list[tuple[Any, bool, int]] = [(value, False, 0)]
        while stack:
            item, expanded, depth = stack.pop()
            deepest = max(deepest, depth)
            if id(item) in memo and isinstance(item, (list, dict)):
                continue
            if isinstance(item, (list, dict)) and not expanded:
                stack.append((item, True, depth))
                children = item.values() if isinstance(item, dict) else item
                stack.extend((child, False, depth + 1) for child in reversed(list(children)))
                continue
            memo[id(item)] = len(nodes)
            nodes.append(self._node(item, memo))
        return memo[id(value)], nodes, deepest

    def _node(self, item: Any, memo: dict[int, int]) -> list[Any]:
        if item is None:
            return ["none"]
        if isinstance(item, bool):
            return ["bool", item]
        if isinstance(item, int):
            return ["int", hex(item)]
        if isinstance(item, float):
            return ["float", item.hex()]
        if isinstance(item, str):
            return ["str", self._string(item)]
        if isinstance(item, list):
            return ["list", [memo[id(child)] for child in item]]
        if isinstance(item, dict):
            return ["dict", [[self._string(key), memo[id(child)]] for key, child in item.items()]]
        raise TypeError(f"cannot record a {type(item).__name__}")

    def record(self, call: str, value: Any, now: datetime | str | None) -> None:
        if isinstance(now, datetime):
            now = now.isoformat()
        if call == "check":
            try:
                text = json.dumps(value, allow_nan=False)
            except (TypeError, ValueError, RecursionError):
                return  # no JSON text stands for it, so the browser can never send it
        root, nodes, depth = self._nodes(value)
        if depth > MAX_NODE_DEPTH:
            call, (root, nodes, _) = "check_json", self._nodes(text)
        line = json.dumps({"call": call, "now": now, "root": root, "nodes": nodes})
        digest = hashlib.sha256(line.encode()).digest()  # ASCII: json.dumps escapes the rest
        if digest not in self.seen:
            self.seen.add(digest)
            self.out.write(line + "\n")


def pytest_configure(config: pytest.Config) -> None:
    """Wraps the public functions before the test modules import them."""
    out = open(os.environ["KB_FUZZ_RECORD"], "w", encoding="utf-8")  # noqa: SIM115
    config.add_cleanup(out.close)
    recorder = Recorder(out)
    check, check_json = cytrack_ticket.check, cytrack_ticket.check_json

    def recording_check(draft: Any, *, now: datetime | None = None) -> Any:
        recorder.record("check", draft, now)
        return check(draft, now=now)

    def recording_check_json(text: str, now_iso: str | None = None) -> str:
        recorder.record("check_json", text, now_iso)
        return check_json(text, now_iso)

    cytrack_ticket.check = recording_check
    cytrack_ticket.check_json = recording_check_json
