"""List the Chinese listed parties that have no curated Chinese-script name yet.

Reads the reference CSL (../shared/reference/csl/csl-2026-07-31.compact.json) and every
src/exportguard/data/local_names/*.yaml; prints the Entity List, MEU and NS-CMIC entries with a
CN, HK or MO address, of type Entity (or no type), none of whose names or aliases is the
`listed_name` of a curated record (compared after casefolding and dropping punctuation), ordered
by a rough priority (semiconductor/AI, defence groups and numbered institutes, universities,
then the rest). It also checks that every curated listed_name is exactly a name or alias of the
CSL or of the starter set (data/starter_entities.yaml), and counts the records marked
`unresolved_source: true` (a source with no http(s) address); `--unresolved` lists them.
`--lists SDN` (or any comma-separated codes of LISTS and OTHER_LISTS, e.g. `--lists SDN,EL`)
lists those lists instead; SDN entries are grouped by their sanctions programme and business
(Iranian oil, Russia/Iran weapons and parts, narcotics/precursors, technology, shipping, other)
and printed with their programmes.
Used to choose what to curate; not part of the product.

    python bench/local_names_todo.py [--all] [--grep WORD] [--lists EL,MEU,CMIC|SDN] [--unresolved]
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
OTHER_LISTS = {"Specially Designated Nationals (SDN) - Treasury Department": "SDN"}
CODES = {**{c: s for s, c in LISTS.items()}, **{c: s for s, c in OTHER_LISTS.items()}}
DEFAULT_LISTS = "EL,MEU,CMIC"
# SDN groups: regular expressions over "name | aliases || programmes", first match wins
SDN_PRIORITY = [
    ("iran-oil", r"refin|petro|oil|energy|terminal|\bport\b|storage|gas\b|crude|chemical.*iran"
                 r"|\|\|.*IRAN-EO13(846|902)"),
    ("weapons", r"drone|uav|unmanned|aero|aviation|engine|electron|component|machin|missile"
                r"|weapon|military|defen[cs]e|\|\|.*(NPWMD|IFSR|RUSSIA-EO14024|IRAN-CON-ARMS)"),
    ("narcotics", r"pharma|biotech|chemical|\|\|.*(ILLICIT-DRUGS|SDNTK|TCO)"),
    ("tech", r"technolog|semicond|micro|network|software|cyber|data|intellig|\|\|.*CYBER"),
    ("shipping", r"shipping|marine|maritime|vessel|tanker|ship|logistic|freight"),
]
# a rough test for a party named after a mainland province or large city (ordering only)
MAINLAND = (r"\b(beijing|shanghai|tianjin|chongqing|hebei|shanxi|liaoning|jilin|heilongjiang|"
            r"jiangsu|zhejiang|anhui|fujian|jiangxi|shandong|henan|hubei|hunan|guangdong|"
            r"hainan|sichuan|guizhou|yunnan|shaanxi|gansu|qinghai|guangxi|ningxia|xinjiang|"
            r"inner mongolia|shenzhen|guangzhou|dalian|qingdao|xiamen|ningbo|wuhan|nanjing|"
            r"hangzhou|chengdu|xi'?an|suzhou|dongguan|zhuhai|foshan|zhoushan|dongying|rizhao|"
            r"yantai|weifang|zibo|binzhou|wuxi|changsha|zhengzhou|jinan|hefei|fuzhou|shantou|"
            r"harbin|shenyang|changchun|taiyuan|kunming|nanning|lanzhou|urumqi)")
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


def curated() -> tuple[set[str], list[str], list[tuple[str, str]]]:
    """Folded listed names, the listed names, and (file, listed name) of the records marked
    `unresolved_source: true`."""
    names: set[str] = set()
    listed: list[str] = []
    unresolved: list[tuple[str, str]] = []
    for path in sorted(LOCAL.glob("*.yaml")):
        for record in yaml.safe_load(path.read_text("utf-8"))["names"]:
            names.add(fold(record["listed_name"]))
            listed.append(record["listed_name"])
            if record.get("unresolved_source") is True:
                unresolved.append((path.name, record["listed_name"]))
    return names, listed, unresolved


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--all", action="store_true", help="print curated parties too")
    parser.add_argument("--grep", help="only names matching this regular expression")
    parser.add_argument("--unresolved", action="store_true",
                        help="list the curated records marked unresolved_source and stop")
    parser.add_argument("--lists", default=DEFAULT_LISTS,
                        help=f"comma-separated list codes among {', '.join(CODES)} "
                             f"(default {DEFAULT_LISTS})")
    args = parser.parse_args(argv)
    codes = [c.strip().upper() for c in args.lists.split(",") if c.strip()]
    unknown = [c for c in codes if c not in CODES]
    if unknown or not codes:
        parser.error(f"--lists: unknown list code(s) {', '.join(unknown) or '(none given)'}; "
                     f"known: {', '.join(CODES)}")
    wanted = {CODES[c]: c for c in codes}
    priority = SDN_PRIORITY if codes == ["SDN"] else PRIORITY
    data = json.loads(CSL.read_text("utf-8"))
    sources = data["tables"]["sources"]
    programmes = data["tables"]["programmes"]
    done, listed, unresolved = curated()
    if args.unresolved:
        for file, name in unresolved:
            print(f"{file}: {name}")
        print(f"{len(unresolved)} unresolved_source records (no http(s) address in source)",
              file=sys.stderr)
        return 0
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
        code = wanted.get(sources[entry["s"]])
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
        progs = programmes[entry["pg"]] if isinstance(entry.get("pg"), int) else ""
        key = f"{text} || {progs}" if code == "SDN" else text
        group = next((g for g, rx in priority if re.search(rx, key, re.I)), "other")
        mainland = bool(re.search(MAINLAND, text, re.I))
        todo.append((group, code, entry["n"], entry.get("a", []), have, progs, mainland))
    starter = yaml.safe_load((LOCAL.parent / "starter_entities.yaml").read_text("utf-8"))
    for record in starter["entries"]:
        exact.update([record["name"], *(record.get("alt_names") or [])])
    bad = [n for n in listed if n not in exact]
    for name in bad:
        print(f"NOT A CSL NAME OR ALIAS: {name!r}")
    order = {g: i for i, (g, _) in enumerate(priority)}
    # SDN: parties named after a mainland place first within each group (the CSL codes Hong Kong
    # addresses as CN too; most Hong Kong parties are shells with no Chinese name in print)
    todo.sort(key=lambda t: (order.get(t[0], 9), t[1] == "SDN" and not t[6], t[2].casefold()))
    for group, code, name, aliases, have, progs, mainland in todo:
        mark = "*" if have else " "
        extra = f"  [aka {'; '.join(aliases)}]" if aliases else ""
        if code == "SDN":
            extra += f"  {{{progs}}}{' (mainland place)' if mainland else ''}"
        print(f"{mark} {group:12} {code:4} {name}{extra}")
    print(f"{len(todo)} parties listed; {len(listed)} curated records; {len(bad)} bad listed_name; "
          f"{len(unresolved)} unresolved_source (no http(s) address in source)", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
