"""The facts `check` derives from a request, named as data/regime/facts.yaml declares them.

Four producers, one per part of the transaction: the item (its ECCN on the date), the
destination (its country groups on the date), the parties (where they and their ultimate parents
are headquartered) and the end use (read with the vocabularies of data/regime/vocabulary.yaml).
A fact that cannot be known is `None`, so the rules that depend on it stay undecided and the
answer names it. The registry test proves each producer sets exactly the facts registered to it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from exportguard.check.determination import Party
from exportguard.errors import InputError
from exportguard.items import Classification
from exportguard.regime.country_groups import groups_of, treated_as
from exportguard.regime.vocabulary import vocabulary

MAX_END_USE_CHARS = 500
_GROUPS = ("A:5", "A:6", "D:1", "D:4", "D:5", "E:1", "E:2")


def item_facts(item: Classification | None, eccn: str | None) -> dict[str, Any]:
    """The item's ECCN paragraphs on the date (unknown while its classification is open)."""
    undecided = item is not None and item.controlled is None
    kind = item.kind if item is not None else None

    def has(prefix: str) -> bool | None:
        # a memory part is never 3A090.a/.b, an accelerator never 3A090.c, whatever is unknown
        if (kind == "memory" and prefix != "3A090.c") or (
            kind in ("accelerator", "system") and prefix == "3A090.c"
        ):
            return False
        if undecided:
            return None
        if eccn is not None and eccn == prefix[:5]:
            return None  # "3A090" without its paragraph: .a, .b or .c is not known
        return bool(eccn and (eccn == prefix or eccn.startswith(prefix + ".")))

    facts: dict[str, Any] = {
        "item_3a090_a": has("3A090.a"),
        "item_3a090_b": has("3A090.b"),
        "item_3a090_c": has("3A090.c"),
        "item_4a090_a": has("4A090.a"),
        "item_4a090_b": has("4A090.b"),
        "item_ear99": eccn == "EAR99",
        # 744.23(a)(2)(ii): Product Groups B-E of Category 3; a catalogued chip is 3A
        "item_cat3_bcde": (False if item is not None else
                           bool(eccn and len(eccn) >= 2 and eccn[0] == "3" and eccn[1] in "BCDE")),
    }
    ac = [facts[k] for k in ("item_3a090_a", "item_3a090_b", "item_4a090_a", "item_4a090_b")]
    facts["item_ac"] = True if True in ac else (None if None in ac else False)
    if eccn is not None:
        facts["item_supercomputer_eccn"] = vocabulary().in_supercomputer_eccns(eccn)
    else:  # a catalogue item outside 3A090: its other ECCN (3A991? 5A992?) is not assessed
        facts["item_supercomputer_eccn"] = None
    band = item.review_band if item is not None else None
    facts["item_in_review_band"] = band["inside"] if band else (None if undecided else False)
    return facts


def destination_facts(dest: str, day: date) -> dict[str, Any]:
    # Hong Kong is China for the EAR from 2020-12-23 (country_groups.yaml notes)
    treated = treated_as(dest, day)
    groups = groups_of(treated, day)
    facts: dict[str, Any] = {
        "destination": treated.lower(),
        "dest_cn": treated == "CN",
        "dest_mo": treated == "MO",
    }
    for group in _GROUPS:
        facts["dest_" + group.replace(":", "").lower()] = group in groups
    return facts


def party_facts(parties: list[Party], day: date, assumptions: list[str]) -> dict[str, Any]:
    states: list[bool | None] = []
    allied: list[bool | None] = []
    for party in parties:
        hq = party.hq
        if hq is None and party.country is not None:
            hq = party.country
            assumptions.append(f"{party.name}: headquartered where it is located ({hq}).")
        if party.parent is None and party.parent_hq is None and hq is not None:
            assumptions.append(
                f"{party.name}: no ultimate parent headquartered elsewhere "
                "(give --parent and --parent-hq if there is one)."
            )
        places = [c for c in (hq, party.parent_hq) if c is not None]
        if not places:
            states.append(None)
            allied.append(None)
            continue
        treated = [treated_as(c, day) for c in places]
        states.append(any(c == "MO" or "D:5" in groups_of(c, day) for c in treated))
        # 744.23(d)(2): headquartered in the United States, A:5 or A:6, and not owned from
        # Macau or D:5 (the ultimate parent, when given, is read for the majority owner)
        own = treated_as(hq, day) if hq is not None else None
        allied.append(None if own is None else (
            (own == "US" or bool({"A:5", "A:6"} & set(groups_of(own, day))))
            and not states[-1]))
    value = True if True in states else (None if None in states else False)
    ally = False if False in allied else (None if None in allied else True)
    return {"party_hq_d5_or_mo": value, "party_hq_us_a5_a6": ally}


def end_use_facts(end_use: str | None, assumptions: list[str]) -> dict[str, Any]:
    if end_use is not None and len(end_use) > MAX_END_USE_CHARS:
        raise InputError("end_use", f"longer than {MAX_END_USE_CHARS} characters")
    uses = vocabulary().end_uses
    facts = {f"end_use_{name}": use.found_in(end_use or "") for name, use in uses.items()}
    if not end_use:
        assumptions.append(
            "No knowledge of a supercomputer, advanced-node IC or military end use "
            "(--end-use states one)."
        )
    elif not any(facts.values()):
        assumptions.append(
            f"End use '{end_use}' was read for the words of the "
            f"{' and '.join(u.meaning for u in uses.values())} end uses only and matched none."
        )
    return facts
