"""Pinyin syllables: whether a Latin word is a Chinese name written in pinyin ("hongbo" is hong
bo). The syllables are those of pypinyin's character readings, tones and the interjections
without a vowel (m, n, ng, hm) left out; data/pinyin_syllables.json keeps them so a Latin-script
screen does not import pypinyin. Made by `python -m exportguard.names.syllables`.
"""

from __future__ import annotations

import json
import sys
import unicodedata
from functools import cache, lru_cache
from pathlib import Path

from exportguard.package_files import DATA

_FILE = "pinyin_syllables.json"
_LONGEST = 6  # letters in the longest syllable (zhuang, chuang, shuang)


@cache
def syllables() -> frozenset[str]:
    raw = DATA.joinpath(_FILE).read_text(encoding="utf-8")
    return frozenset(json.loads(raw)["syllables"])


@lru_cache(maxsize=65536)
def pinyin_syllables(word: str) -> tuple[str, ...] | None:
    """The word cut into pinyin syllables (fewest first), or None when it cannot be."""
    known = syllables()
    best: list[tuple[str, ...] | None] = [()] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - _LONGEST), end):
            head = best[start]
            if head is not None and word[start:end] in known and (
                    best[end] is None or len(head) + 1 < len(best[end] or ())):
                best[end] = (*head, word[start:end])
    return best[len(word)]


def build_syllables() -> list[str]:
    """The syllables of every reading pypinyin knows, without tones."""
    from pypinyin.pinyin_dict import pinyin_dict

    found: set[str] = set()
    for readings in pinyin_dict.values():
        for reading in readings.split(","):
            bare = "".join(c for c in unicodedata.normalize("NFKD", reading) if c.isascii())
            if bare.isalpha() and any(v in bare for v in "aeiouv"):
                found.add(bare.replace("v", "u"))
    return sorted(found)


if __name__ == "__main__":
    from importlib.metadata import version

    target = Path(__file__).resolve().parent.parent / "data" / _FILE
    document = {"description": "Pinyin syllables without tones, from pypinyin's readings; made "
                               "by `python -m exportguard.names.syllables`",
                "sources": {"pypinyin": version("pypinyin")}, "syllables": build_syllables()}
    target.write_text(json.dumps(document, indent=0) + "\n", encoding="utf-8")
    print(f"wrote {len(document['syllables'])} syllables to {target}", file=sys.stderr)
