"""Conditions in the rules data, evaluated with three values: met, not met, or unknown.

A condition is a comparison written as the regulation reads, `"tpp >= 4800"`, or a combination
`{"all": [...]}` / `{"any": [...]}`. A fact the user has not given makes its comparison unknown
(`None`), and unknown spreads by Kleene's rules: `all` is false as soon as one part is false, `any`
is true as soon as one part is true. So an answer never rests on a guessed fact, and the facts an
undecided answer depends on can be named.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
    "==": operator.eq,
    "!=": operator.ne,
}
_COMPARISON = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(>=|<=|==|!=|>|<)\s*(\S+)\s*$")


@dataclass(frozen=True, slots=True)
class Comparison:
    fact: str
    op: str
    value: float | bool | str

    def evaluate(self, facts: Mapping[str, Any]) -> bool | None:
        actual = facts.get(self.fact)
        if actual is None:
            return None
        return _OPS[self.op](actual, self.value)

    def facts(self) -> list[str]:
        return [self.fact]

    def text(self) -> str:
        value = str(self.value).lower() if isinstance(self.value, bool) else _number(self.value)
        return f"{self.fact} {self.op} {value}"


@dataclass(frozen=True, slots=True)
class Combination:
    kind: str  # "all" or "any"
    parts: tuple[Condition, ...]

    def evaluate(self, facts: Mapping[str, Any]) -> bool | None:
        results = [part.evaluate(facts) for part in self.parts]
        if self.kind == "all":
            if False in results:
                return False
            return None if None in results else True
        if True in results:
            return True
        return None if None in results else False

    def facts(self) -> list[str]:
        return [fact for part in self.parts for fact in part.facts()]

    def text(self) -> str:
        joiner = " and " if self.kind == "all" else " or "
        return "(" + joiner.join(part.text() for part in self.parts) + ")"


Condition = Comparison | Combination


def unknown_facts(condition: Condition, facts: Mapping[str, Any]) -> list[str]:
    """The facts whose absence leaves `condition` undecided (empty if it is decided)."""
    if condition.evaluate(facts) is not None:
        return []
    if isinstance(condition, Comparison):
        return [condition.fact]
    found: list[str] = []
    for part in condition.parts:
        for fact in unknown_facts(part, facts):
            if fact not in found:
                found.append(fact)
    return found


def parse_condition(data: object, where: str) -> Condition:
    """Read a condition from the rules data; a malformed one fails loudly with its location."""
    if isinstance(data, str):
        match = _COMPARISON.match(data)
        if not match:
            raise ValueError(f"{where}: '{data}' is not a comparison like 'tpp >= 4800'")
        fact, op, raw = match.groups()
        return Comparison(fact, op, _value(raw, where))
    if isinstance(data, dict) and len(data) == 1:
        ((kind, parts),) = data.items()
        if kind in ("all", "any") and isinstance(parts, list) and parts:
            return Combination(
                kind, tuple(parse_condition(p, f"{where}.{kind}[{i}]") for i, p in enumerate(parts))
            )
    raise ValueError(f"{where}: expected a comparison string or {{all|any: [...]}}, got {data!r}")


def _value(raw: str, where: str) -> float | bool | str:
    if raw in ("true", "false"):
        return raw == "true"
    try:
        return float(raw.replace(",", "").replace("_", ""))
    except ValueError:
        if re.fullmatch(r"[a-z_]+", raw):
            return raw
        raise ValueError(f"{where}: '{raw}' is not a number, true/false or a word") from None


def _number(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return str(value)
