"""Names in other scripts (Cyrillic, Hebrew, Arabic, Greek, Armenian, Georgian, Korean, Japanese
kana, Burmese, ...) read in Latin letters through ICU transliterators (PyICU).

A script has several romanisations and the lists use more than one, so a name gets up to three
readings: the BGN/PCGN romanisation of its script where ICU has one (the one US lists follow),
ICU's generic Any-Latin, and anyascii's. ICU loads at first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

# Unicode script of the first letter outside Latin and Han -> ICU's BGN/PCGN transliterator.
_BGN = {
    "CYRILLIC": "Russian-Latin/BGN",
    "HEBREW": "Hebrew-Latin/BGN",
    "ARABIC": "Arabic-Latin/BGN",
    "GREEK": "Greek-Latin/BGN",
    "ARMENIAN": "Armenian-Latin/BGN",
    "GEORGIAN": "Georgian-Latin/BGN",
    "HANGUL": "Korean-Latin/BGN",
    "KATAKANA": "Katakana-Latin/BGN",
}
# Letters past Latin Extended (and Latin Extended Additional).
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")
# Marks some romanisations write inside words (soft sign, ayin, syllable separators).
_INNER_MARKS = re.compile(r"[·'ʹʺʼʻʾʿ’‘`]")
# The Arabic article is written joined to its word; the lists write it apart ("AL-TIKRITI").
_ARABIC_ARTICLE = re.compile(r"(?<![\w\u0600-\u06ff])ال(?=[\u0600-\u06ff]{2})")


def other_script(text: str) -> str | None:
    """The Unicode script name of the first letter that is neither Latin nor Han, or None."""
    for char in _BEYOND_LATIN.findall(text):
        if char.isalpha():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0]
            if script in ("LATIN", "CJK"):
                continue
            return script
    return None


@cache
def _transliterator(rules: str) -> Any:
    import icu

    return icu.Transliterator.createInstance(f"{rules}; Latin-ASCII")


@lru_cache(maxsize=65536)
def romanisations(text: str) -> tuple[tuple[str, str], ...]:
    """(how, Latin text) readings of a name in another script, most standard first."""
    script = other_script(text)
    if script == "ARABIC":
        text = _ARABIC_ARTICLE.sub("ال ", text)
    found: list[tuple[str, str]] = []
    rules = [*([_BGN[script]] if script in _BGN else []), "Any-Latin"]
    for rule in rules:
        latin = _INNER_MARKS.sub("", _transliterator(rule).transliterate(text))
        if latin.isascii():
            found.append((f"ICU {rule}", latin))
    found.append(("anyascii", _INNER_MARKS.sub("", anyascii(text))))
    unique: dict[str, tuple[str, str]] = {}
    for how, latin in found:
        unique.setdefault(latin.casefold(), (how, latin))
    return tuple(unique.values())
