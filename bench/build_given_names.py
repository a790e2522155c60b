"""Build src/exportguard/data/given_name_groups.json: groups of given names that are one name
across languages and transliterations (Alexander / Aleksandr / Sasha, Francisco / Paco,
Joseph / Yosef), in Latin letters, from rigour's person-names corpus.

Source: rigour's corpus `rust/data/names/person_names.txt` (opensanctions/rigour; one Wikidata
name item a line, "form1, form2, ... => Q-number"; see rigour's rust/src/names/person_names.rs),
MIT licence (rigour's LICENSE, Copyright OpenSanctions Datenbanken GmbH). rigour compiles the
corpus into its extension module zstd-compressed; by default this script reads it from the
installed rigour there (the `zstd` command decompresses it), or from `--corpus FILE` (the text
file from a checkout of the repository).

What is kept, and why:
- forms in Latin letters, one word once normalised (`normalize.basic_tokens`), two letters or
  more; a line with fewer than two such forms links nothing;
- only items with a form that is a given name or nickname of the nicknames table (PyPI
  `nicknames`): the corpus does not say which items are given names and which family names,
  and a person's reading pairs given names only; it also keeps the table small, since each of
  its words is one the candidate bounds treat as loose (`screening/bound.py`);
- no item with a form written as one Han or Hangul character: a Chinese syllable's
  romanisations across Mandarin, Cantonese, Hokkien, Korean and Vietnamese link unrelated
  Latin words (one such item links 'dear', 'sa', 'ta' and 'tse'; another 'joe', 'chow', 'zhou');
- no group of more than MAX_GROUP forms: the largest left once the above hold are Maria's (15)
  and Alexander's (14); every larger one seen was a Chinese syllable's.
Groups are not merged: two names are linked when one group has both.

    .venv/bin/python bench/build_given_names.py [--corpus person_names.txt]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
import unicodedata
from importlib import metadata
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT / "src"))

from exportguard.names import person_words  # noqa: E402
from exportguard.names.normalize import basic_tokens  # noqa: E402

OUT = REPO_ROOT / "src" / "exportguard" / "data" / "given_name_groups.json"
MAX_GROUP = 16
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _installed_corpus() -> str:
    """The corpus compiled into the installed rigour's extension module."""
    import rigour._core as core

    data = Path(core.__file__).read_bytes()
    at = data.find(_ZSTD_MAGIC)
    while at >= 0:
        done = subprocess.run(["zstd", "-d", "-c", "-q"], input=data[at:], capture_output=True,
                              check=False)
        text = done.stdout.decode("utf-8", errors="replace")
        if " => Q" in text[:2000]:
            return text
        at = data.find(_ZSTD_MAGIC, at + 4)
    raise SystemExit("rigour's person-names corpus was not found in its extension module")


def _latin(form: str) -> bool:
    return all("LATIN" in unicodedata.name(c, "") for c in form if c.isalpha())


def _one_sinitic_character(form: str) -> bool:
    return len(form) == 1 and unicodedata.name(form, "").startswith(("CJK", "HANGUL"))


def build(text: str) -> list[list[str]]:
    given = person_words.nickname_links()
    groups: set[tuple[str, ...]] = set()
    for line in text.splitlines():
        forms, _, _item = line.rpartition(" => ")
        parts = forms.split(", ")
        if any(_one_sinitic_character(f) for f in parts):
            continue
        words = set()
        for form in parts:
            if form and _latin(form):
                tokens = basic_tokens(form)
                if len(tokens) == 1 and tokens[0].isalpha() and len(tokens[0]) > 1:
                    words.add(tokens[0])
        if 1 < len(words) <= MAX_GROUP and any(w in given for w in words):
            groups.add(tuple(sorted(words)))
    return [list(g) for g in sorted(groups)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, help="rigour's rust/data/names/person_names.txt")
    args = parser.parse_args()
    text = args.corpus.read_text(encoding="utf-8") if args.corpus else _installed_corpus()
    groups = build(text)
    record = {
        "description": (
            "Given names that are one name across languages and transliterations, in Latin "
            "letters, one group a line (space-separated); made by bench/build_given_names.py"),
        "source": {
            "corpus": "rigour rust/data/names/person_names.txt (Wikidata name items), "
                      "https://github.com/opensanctions/rigour",
            "read_from": str(args.corpus.name) if args.corpus else
            f"the installed rigour {metadata.version('rigour')} (compiled-in corpus)",
            "corpus_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
            "licence": "MIT (rigour's LICENSE, OpenSanctions Datenbanken GmbH)",
            "filter": f"items with a given name or nickname of PyPI nicknames "
                      f"{metadata.version('nicknames')}; no item written as one Han or Hangul "
                      f"character; at most {MAX_GROUP} forms",
        },
        "max_group": MAX_GROUP,
        "groups": [" ".join(g) for g in groups],
    }
    OUT.write_text(json.dumps(record, ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    words = {w for g in groups for w in g}
    print(f"{len(groups)} groups, {len(words)} words -> {OUT.relative_to(REPO_ROOT)}")


if __name__ == "__main__":
    main()
