"""List the Chinese listed parties that have no curated Chinese-script name yet.

Reads the reference CSL (../shared/reference/csl/csl-2026-07-31.compact.json) and every
src/exportguard/data/local_names/*.yaml; prints the Entity List, MEU and NS-CMIC entries with a
CN, HK or MO address, of type Entity (or no type), none of whose names or aliases is the
`listed_name` of a curated record (compared after casefolding and dropping punctuation), ordered
by a rough priority (semiconductor/AI, defence groups and numbered institutes, universities,
then the rest). It also checks that every curated listed_name is exactly a name or alias of the
CSL or of the starter set (data/starter_entities.yaml).
Used to choose what to curate; not part of the product.

    python bench/local_names_todo.py [--all] [--grep WORD]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CSL = ROOT.parent / "shared" / "reference" / "csl" / "csl-2026-07-31.compact.json"
LOCAL = ROOT / "src" / "exportguard" / "data" / "local_names"
LISTS = {
    "Entity List (EL) - Bureau of Industry and Security": "EL",
    "Military End User (MEU) List - Bureau of Industry and Security": "MEU",
    "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department":
        "CMIC",
}
PRIORITY = [
    ("universities", r"universit|college|institute of technology"),
    ("chips/AI", r"semicond|micro|chip|integrated circuit|inspur|sugon|smic|ymtc|yangtze memory|"
                 r"cambricon|biren|moore thread|sophgo|zhipu|intellig|computing|supercomput|"
                 r"quantum|photon|optoelec|lithograph|wafer|memory|\bai\b|data|cloud|information"),
    ("defence", r"\bcetc\b|electronics technology group|research institute|\d+(st|nd|rd|th) "
                r"|academy|casc|casic|aerospace|avic|aviation|norinco|ordnance|north industries|"
                r"csgc|shipbuilding|nuclear|missile|\bpla\b|people's liberation|military|"
                r"defen[cs]e"),
]


def fold(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def curated() -> tuple[set[str], list[str]]:
    names: set[str] = set()
    listed: list[str] = []
    for path in sorted(LOCAL.glob("*.yaml")):
        for record in yaml.safe_load(path.read_text("utf-8"))["names"]:
            names.add(fold(record["listed_name"]))
            listed.append(record["listed_name"])
    return names, listed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print curated parties too")
    parser.add_argument("--grep", help="only names matching this regular expression")
    args = parser.parse_args(argv)
    data = json.loads(CSL.read_text("utf-8"))
    sources = data["tables"]["sources"]
    done, listed = curated()
    # an entry sharing a name or alias with an entry a record reaches is reached too
    for entry in data["entries"]:
        names = {fold(n) for n in [entry["n"], *entry.get("a", [])]}
        if names & done:
            done |= names
    exact = set()
    todo = []
    for entry in data["entries"]:
        names = [entry["n"], *entry.get("a", [])]
        exact.update(names)
        code = LISTS.get(sources[entry["s"]])
        if not code or not set(entry.get("c", [])) & {"CN", "HK", "MO"}:
            continue
        if entry.get("t") not in (None, "", "Entity"):
            continue
        have = any(fold(n) in done for n in names)
        if have and not args.all:
            continue
        text = " | ".join(names)
        if args.grep and not re.search(args.grep, text, re.I):
            continue
        group = next((g for g, rx in PRIORITY if re.search(rx, text, re.I)), "other")
        todo.append((group, code, entry["n"], entry.get("a", []), have))
    starter = yaml.safe_load((LOCAL.parent / "starter_entities.yaml").read_text("utf-8"))
    for record in starter["entries"]:
        exact.update([record["name"], *(record.get("alt_names") or [])])
    bad = [n for n in listed if n not in exact]
    for name in bad:
        print(f"NOT A CSL NAME OR ALIAS: {name!r}")
    order = {g: i for i, (g, _) in enumerate(PRIORITY)}
    todo.sort(key=lambda t: (order.get(t[0], 9), t[2].casefold()))
    for group, code, name, aliases, have in todo:
        mark = "*" if have else " "
        extra = f"  [aka {'; '.join(aliases)}]" if aliases else ""
        print(f"{mark} {group:12} {code:4} {name}{extra}")
    print(f"{len(todo)} parties listed; {len(listed)} curated records; {len(bad)} bad listed_name",
          file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
