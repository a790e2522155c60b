"""China's prefecture-level cities (地级市) as places: data/chinese_cities.yaml, read with the
place table of data/name_terms.yaml (`terms._terms_data`), so that 营口 and 铁岭, which jieba's
dictionary does not tag as places, read as places as 大连 does (their place role, their weight as
a generic word, set aside before a trade name).

The names are those of the National Bureau of Statistics' division codes as the file cited in
the YAML prints them; each city's English is the pinyin of its name read with its suffix, the
suffix's syllable left out (pypinyin, with 长 read chang as names read it:
`chinese._name_syllables`, 长治市 changzhi), except where pypinyin misreads a
character the city's name reads otherwise (`overrides`, each with its source). Made by
`python -m exportguard.names.divisions`, which rewrites the readings in the file.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

FILE = "chinese_cities.yaml"
SUFFIX = "市"
_ENTRY = re.compile(r"^  \"(?P<code>\d{4})\": \[(?P<name>[^,\]]+), (?P<english>[a-z' ]*)\]$")


def reading(name: str, overrides: dict[str, str]) -> str:
    """The English of a city: its override, else pypinyin's reading of the name with its
    suffix, the suffix's syllable left out."""
    stem = name.removesuffix(SUFFIX)
    if stem in overrides:
        return overrides[stem]
    from pypinyin import lazy_pinyin

    from exportguard.names.chinese import _name_syllables

    said = _name_syllables(name, lazy_pinyin(name))
    syllables = said[:-1] if len(said) == len(name) else lazy_pinyin(stem)
    # A syllable starting with a vowel after another is written after an apostrophe (Ji'an,
    # Lu'an): joined, the name reads as other syllables (jian, luan), so `terms` keeps such a
    # city out of the place words of names in Latin letters.
    return syllables[0] + "".join(("'" if s[0] in "aoe" else "") + s for s in syllables[1:])


def rewrite(path: Path) -> int:
    """The file with each city's English made again; returns how many changed."""
    import yaml

    data = yaml.safe_load(path.read_text("utf-8"))
    overrides = {stem: o["english"] for stem, o in (data.get("overrides") or {}).items()}
    lines, changed = [], 0
    for line in path.read_text("utf-8").splitlines():
        found = _ENTRY.match(line)
        if found:
            english = reading(found["name"], overrides)
            changed += english != found["english"]
            line = f'  "{found["code"]}": [{found["name"]}, {english}]'
        lines.append(line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return changed


if __name__ == "__main__":
    target = Path(__file__).resolve().parent.parent / "data" / FILE
    print(f"{rewrite(target)} readings changed in {target}", file=sys.stderr)
