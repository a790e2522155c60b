"""The fact registry (data/regime/facts.yaml): every fact a rule's condition may name.

Each fact has a name, a type (`bool`, `number` or `word`), its meaning in plain words, and the
producer that sets it (`item_figures`: the item's figures, items/classify.py; `item`,
`destination`, `parties`, `end_use`, `request`: the facts `check` derives, check/facts.py;
`outbound`: the outbound investment question, outbound/decide.py; `jurisdiction`: the
foreign-made item's origin facts and the parties' Entity List footnotes, check/jurisdiction.py;
`exceptions`: the licence-exception facts, check/exceptions.py). A rule
file naming a fact that is not registered, or comparing it with a value of the wrong type, fails
at load; a test proves every registered fact is produced and every produced fact registered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

from exportguard.package_files import PACKAGE
from exportguard.regime.conditions import Comparison, Condition

DATA_FILE = "data/regime/facts.yaml"
FactType = Literal["bool", "number", "word"]
PRODUCERS = ("item_figures", "item", "destination", "parties", "end_use", "request",
             "outbound", "jurisdiction", "exceptions")
_KEYS = {"type", "meaning", "produced_by", "unit"}


@dataclass(frozen=True, slots=True)
class Fact:
    name: str
    type: FactType
    meaning: str
    produced_by: str
    unit: str | None = None


@dataclass(frozen=True)
class FactRegistry:
    facts: Mapping[str, Fact]

    def __contains__(self, name: object) -> bool:
        return name in self.facts

    def produced_by(self, producer: str) -> frozenset[str]:
        return frozenset(f.name for f in self.facts.values() if f.produced_by == producer)

    def check_condition(self, condition: Condition, where: str) -> None:
        """Raise ValueError if `condition` names an unregistered fact or compares it wrongly."""
        if isinstance(condition, Comparison):
            self._check(condition, where)
            return
        for part in condition.parts:
            self.check_condition(part, where)

    def _check(self, comparison: Comparison, where: str) -> None:
        fact = self.facts.get(comparison.fact)
        if fact is None:
            raise ValueError(
                f"{where}: '{comparison.fact}' is not a declared fact ({DATA_FILE} lists them)"
            )
        value = comparison.value
        fits = {
            "bool": isinstance(value, bool) and comparison.op in ("==", "!="),
            "number": isinstance(value, float),
            "word": isinstance(value, str) and comparison.op in ("==", "!="),
        }[fact.type]
        if not fits:
            raise ValueError(
                f"{where}: '{comparison.text()}' does not fit {fact.name}, a {fact.type} fact"
            )


def parse_registry(data: object) -> FactRegistry:
    if not isinstance(data, dict) or not isinstance(data.get("facts"), dict):
        raise ValueError(f"{DATA_FILE}: expected `facts:` mapping names to their records")
    facts: dict[str, Fact] = {}
    for name, raw in data["facts"].items():
        where = f"{DATA_FILE} facts.{name}"
        if not isinstance(raw, dict):
            raise ValueError(f"{where}: expected a mapping")
        unknown = set(raw) - _KEYS
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        if raw.get("type") not in ("bool", "number", "word"):
            raise ValueError(f"{where}: type must be bool, number or word")
        if raw.get("produced_by") not in PRODUCERS:
            raise ValueError(f"{where}: produced_by must be one of {', '.join(PRODUCERS)}")
        if not raw.get("meaning"):
            raise ValueError(f"{where}: 'meaning' is required")
        facts[str(name)] = Fact(
            str(name), raw["type"], " ".join(str(raw["meaning"]).split()), raw["produced_by"],
            raw.get("unit"),
        )
    return FactRegistry(facts)


@cache
def fact_registry() -> FactRegistry:
    raw = PACKAGE.joinpath(DATA_FILE).read_bytes()
    import yaml  # here: a screen imports this module but reads no regime file

    return parse_registry(yaml.safe_load(raw))
