"""Vocabularies the law is read with (data/regime/vocabulary.yaml): the words of each end use,
the ECCNs of the 744.23 supercomputer end use and the phrases of Entity List review-policy
texts, checked at load."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

DATA_FILE = "data/regime/vocabulary.yaml"
POLICY_WORDS = ("presumption_of_denial", "case_by_case", "presumption_of_approval")


@dataclass(frozen=True, slots=True)
class EndUse:
    name: str
    meaning: str
    words: tuple[str, ...]

    def found_in(self, text: str) -> bool:
        """A word counts only as a whole word: "fab" is not found in "fabless", "7 nm" not in
        "17 nm" (a word ending in a letter or digit may not continue with one)."""
        lower = text.lower()
        return any(_whole_word(word).search(lower) for word in self.words)


@cache
def _whole_word(word: str) -> re.Pattern[str]:
    before = r"(?<![a-z0-9])" if word[:1].isascii() and word[:1].isalnum() else ""
    after = r"(?![a-z0-9])" if word[-1:].isascii() and word[-1:].isalnum() else ""
    return re.compile(before + re.escape(word) + after)


@dataclass(frozen=True)
class PolicyText:
    """The phrases an Entity List entry's review-policy text is read with."""

    policies: Mapping[str, tuple[str, ...]]
    carve_out: tuple[str, ...]
    negation: tuple[str, ...]
    general: tuple[str, ...]
    ear99: tuple[str, ...]
    ccl: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    version: str
    end_uses: Mapping[str, EndUse]
    supercomputer_eccns: tuple[str, ...]
    """The ECCNs (ICs and computers together) of 744.23(a)(2)."""
    policy_text: PolicyText

    def in_supercomputer_eccns(self, eccn: str) -> bool:
        return any(eccn == e or eccn.startswith(e + ".") for e in self.supercomputer_eccns)


def parse_vocabulary(data: object) -> Vocabulary:
    if not isinstance(data, dict):
        raise ValueError(f"{DATA_FILE}: expected a mapping")
    unknown = set(data) - {"version", "end_uses", "supercomputer_eccns",
                           "entity_list_policy_text"}
    if unknown:
        raise ValueError(f"{DATA_FILE}: unknown key(s) {', '.join(sorted(unknown))}")
    end_uses = {}
    for name, raw in (data.get("end_uses") or {}).items():
        where = f"{DATA_FILE} end_uses.{name}"
        if not isinstance(raw, dict) or set(raw) != {"meaning", "words"}:
            raise ValueError(f"{where}: expected exactly 'meaning' and 'words'")
        words = raw["words"]
        if not isinstance(words, list) or not words or not all(isinstance(w, str) for w in words):
            raise ValueError(f"{where}.words: expected a list of words")
        end_uses[str(name)] = EndUse(str(name), " ".join(str(raw["meaning"]).split()),
                                     tuple(w.lower() for w in words))
    eccns = data.get("supercomputer_eccns")
    where = f"{DATA_FILE} supercomputer_eccns"
    if not isinstance(eccns, dict) or set(eccns) != {"citation", "ics", "computers"}:
        raise ValueError(f"{where}: expected exactly 'citation', 'ics' and 'computers'")
    listed = [*eccns["ics"], *eccns["computers"]]
    if not all(isinstance(e, str) and re.fullmatch(r"\d[A-E]\d{3}(\.[a-z0-9.]+)?", e)
               for e in listed):
        raise ValueError(f"{where}: every entry must be an ECCN like 3A001")
    return Vocabulary(str(data.get("version")), end_uses, tuple(dict.fromkeys(listed)),
                      _policy_text(data.get("entity_list_policy_text")))


def _policy_text(raw: object) -> PolicyText:
    where = f"{DATA_FILE} entity_list_policy_text"
    keys = {"policies", "carve_out", "negation", "general", "ear99", "ccl"}
    if not isinstance(raw, dict) or set(raw) != keys:
        raise ValueError(f"{where}: expected exactly {', '.join(sorted(keys))}")
    policies = raw["policies"]
    if not isinstance(policies, dict) or not set(policies) <= set(POLICY_WORDS):
        raise ValueError(f"{where}.policies: keys must be among {', '.join(POLICY_WORDS)}")

    def words(value: object, name: str) -> tuple[str, ...]:
        if not isinstance(value, list) or not value or not all(isinstance(w, str) for w in value):
            raise ValueError(f"{where}.{name}: expected a list of phrases")
        return tuple(w.lower() for w in value)

    return PolicyText(
        {str(k): words(v, f"policies.{k}") for k, v in policies.items()},
        *(words(raw[k], k) for k in ("carve_out", "negation", "general", "ear99", "ccl")),
    )


@cache
def vocabulary() -> Vocabulary:
    return parse_vocabulary(
        yaml.safe_load(resources.files("exportguard").joinpath(DATA_FILE).read_bytes())
    )
