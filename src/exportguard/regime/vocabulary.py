"""Vocabularies the law is read with (data/regime/vocabulary.yaml): the words of each end use,
checked at load."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

DATA_FILE = "data/regime/vocabulary.yaml"


@dataclass(frozen=True, slots=True)
class EndUse:
    name: str
    meaning: str
    words: tuple[str, ...]

    def found_in(self, text: str) -> bool:
        lower = text.lower()
        return any(word in lower for word in self.words)


@dataclass(frozen=True)
class Vocabulary:
    version: str
    end_uses: Mapping[str, EndUse]


def parse_vocabulary(data: object) -> Vocabulary:
    if not isinstance(data, dict):
        raise ValueError(f"{DATA_FILE}: expected a mapping")
    unknown = set(data) - {"version", "end_uses"}
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
    return Vocabulary(str(data.get("version")), end_uses)


@cache
def vocabulary() -> Vocabulary:
    return parse_vocabulary(
        yaml.safe_load(resources.files("exportguard").joinpath(DATA_FILE).read_bytes())
    )
