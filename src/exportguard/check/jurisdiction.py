"""Is the item subject to the EAR on the date? (15 CFR 734.3, 734.4, 734.9)

A U.S.-origin item is. A foreign-made item is when a foreign-direct-product rule reaches it (the
item is a direct product of listed U.S. technology or software, or made by a plant that is, and
the rule's destination, party or end-use scope holds), when 734.4(a) gives it no de minimis
level, or when its U.S.-origin controlled content exceeds the de minimis level for the
destination. Otherwise it is not, and no EAR licence requirement can reach it. Every rule is a
dated record of data/regime/jurisdiction.yaml, evaluated with three values: a fact nobody gave
leaves the answer open and is named.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from typing import Any, Literal

from exportguard.check.determination import CheckReason, ScreenedParty
from exportguard.check.rules import licensing_rules
from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.items.eccn import in_scope, is_technology_or_software, matches, parse_eccn
from exportguard.model import ListEntry
from exportguard.regime.conditions import Condition, unknown_facts
from exportguard.regime.facts import fact_registry
from exportguard.regime.records import DatedRecord, Field, RecordFile, Section, load_records

DATA_FILE = "data/regime/jurisdiction.yaml"
Basis = Literal["us_origin", "de_minimis", "fdp", "not_subject"]
MAX_CONTENT_ROWS = 50
JURISDICTION_QUESTIONS = {
    "origin": "where the item was made (--origin CC)",
    "us_content": "the U.S.-origin content by ECCN and share of value (--us-content ECCN=PCT, "
    "or --us-content none)",
    "direct_product_of": "the U.S. technology or software the item, or the plant that made it, "
    "is a direct product of (--direct-product-of / --plant-direct-product-of ECCN, or none)",
    "item_eccn": "the foreign-made item's own ECCN (with its paragraph)",
    "item_us_ic": "whether the U.S.-origin content includes an integrated circuit",
    "us_content_controlled": "whether each U.S.-origin part would need a licence to the "
    "destination (its reasons for control on the Commerce Country Chart)",
    "de_minimis_level": "the de minimis level for this destination (read 734.4(c)-(d))",
    "fdp_ns_scope": "whether the item and the U.S. technology are controlled for national "
    "security (734.9(b))",
    "footnote_1_design": "whether the item was produced from a design of the footnote 1 entity "
    "(May 2020 Huawei rule)",
    "origin_lists_item": "whether the country the item was first exported from has it on an "
    "export control list (734.4(a)(3); Japan's July 2023 listing is named in its footnote)",
    "item_us_content": "whether the item incorporates U.S.-origin content other than EAR99 "
    "(--us-content ECCN=PCT, or --us-content none)",
    "origin_sme_exempt": "whether an item made in this country is excluded from the licence "
    "requirements of 742.4(a)(4) and 742.6(a)(6), which 734.4(a)(8) defers to (Japan, the "
    "Netherlands, per summaries; read those exclusions)",
}
_KNOWN_IC = ("3A090*", "3A001.a*")
# Countries whose items summaries say 742.4(a)(4)/742.6(a)(6) exclude (unread), which the
# no-de-minimis rule of 734.4(a)(8) defers to.
_SME_EXEMPT_ORIGINS = ("JP", "NL")
# Countries whose export control list 734.4(a)(3)'s own footnote says holds the equipment.
_LISTING_ORIGINS = ("JP",)
# The licensing rules that say whether U.S.-origin content needs a licence to the destination:
# only their item and destination facts matter for Supp. No. 2 to Part 734.
def _content_rule_facts() -> frozenset[str]:
    return fact_registry().produced_by("item") | fact_registry().produced_by("destination")


@dataclass(frozen=True)
class ItemOrigin:
    """Where a (foreign-made) item comes from, as the user describes it. `None` means not
    stated; an empty content map or technology tuple means the user stated there is none."""

    origin: str | None = "US"
    us_content: dict[str, float] | None = None
    direct_product_of: tuple[str, ...] | None = None
    plant_direct_product_of: tuple[str, ...] | None = None

    @property
    def us_origin(self) -> bool:
        return self.origin == "US"

    def to_dict(self) -> dict[str, Any]:
        return {
            "origin": self.origin,
            "us_content": self.us_content,
            "direct_product_of": list(self.direct_product_of)
            if self.direct_product_of is not None else None,
            "plant_direct_product_of": list(self.plant_direct_product_of)
            if self.plant_direct_product_of is not None else None,
        }


@dataclass
class Jurisdiction:
    subject_to_ear: bool | None
    basis: Basis | None
    rule_id: str | None
    citation: str | None
    working: list[str] = field(default_factory=list)
    missing_facts: list[str] = field(default_factory=list)
    caveats: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "subject_to_ear": self.subject_to_ear,
            "basis": self.basis,
            "rule_id": self.rule_id,
            "citation": self.citation,
            "working": self.working,
            "missing_facts": self.missing_facts,
            "caveats": self.caveats,
        }


def _patterns(value: object, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(
            isinstance(v, str) and _PATTERN.match(v) for v in value):
        raise ValueError(f"{where}: expected a list of ECCN patterns like 3A090* or [345][DE]*")
    return tuple(value)


def _item_patterns(value: object, where: str) -> str | tuple[str, ...]:
    return "any" if value == "any" else _patterns(value, where)


_PATTERN = re.compile(r"^[0-9A-Za-z.*\[\]]+$")
_SCOPE = {"items": Field("custom", required=True, check=_item_patterns),
          "except_items": Field("custom", check=_patterns),
          "when": Field("condition", required=True)}
SECTIONS = (
    Section("de_minimis", {"level": Field("number", required=True),
                           "when": Field("condition", required=True)}),
    Section("no_de_minimis", _SCOPE),
    Section("fdp", {**_SCOPE, "technology": Field("custom", required=True, check=_patterns),
                    "plant_technology": Field("custom", required=True, check=_patterns)}),
)


@cache
def jurisdiction_rules() -> RecordFile:
    return load_records(DATA_FILE, SECTIONS)


def _on(section: str, day: date) -> list[DatedRecord]:
    return [r for r in jurisdiction_rules()[section] if r.in_force(day)]


def item_origin(
    *,
    origin: str | None = None,
    foreign_made: bool = False,
    us_content: Mapping[str, float] | Sequence[str] | None = None,
    direct_product_of: Sequence[str] | None = None,
    plant_direct_product_of: Sequence[str] | None = None,
) -> ItemOrigin:
    """Check and normalise the origin inputs of `check`. Contradictions and impossible values
    are errors naming the field. Foreign-made facts without an origin mean "made outside the
    U.S., country not given"."""
    place = parse_country(origin, "origin") if origin and origin.strip() else None
    if foreign_made and place == "US":
        raise InputError("origin", "--foreign-made says the item was made outside the U.S., "
                         "but --origin is US")
    content = _content(us_content)
    direct = _technology(direct_product_of, "direct_product_of")
    plant = _technology(plant_direct_product_of, "plant_direct_product_of")
    foreign_facts = {"us_content": content, "direct_product_of": direct,
                     "plant_direct_product_of": plant}
    if place == "US":
        for name, value in foreign_facts.items():
            if value is not None:
                raise InputError(name, f"--{name.replace('_', '-')} describes a foreign-made "
                                 "item (U.S. content and direct-product facts), but --origin "
                                 "is US")
    if place is None and not foreign_made and all(v is None for v in foreign_facts.values()):
        place = "US"
    if (direct is None) != (plant is None):
        # one flag given: the user described the item's U.S. technology; the other is none
        direct, plant = direct or (), plant or ()
    return ItemOrigin(place, content, direct, plant)


def parse_us_content(values: Sequence[str] | None) -> dict[str, float] | None:
    """`--us-content ECCN=PCT` (repeatable), or `--us-content none`."""
    if values is None:
        return None
    if not values or [v.strip().lower() for v in values] == ["none"]:
        return {}
    pairs: dict[str, float] = {}
    for value in values:
        eccn, sep, pct = value.partition("=")
        if not sep:
            raise InputError("us_content", f"'{value}' is not ECCN=PERCENT (e.g. 3A090.a=12)")
        try:
            number = float(pct.strip().rstrip("%"))
        except ValueError:
            raise InputError("us_content", f"'{pct}' in '{value}' is not a number") from None
        pairs[eccn.strip()] = pairs.get(eccn.strip(), 0.0) + number
    return pairs


def assess_jurisdiction(
    origin: ItemOrigin, eccn: str | None, facts: Mapping[str, Any], day: date
) -> Jurisdiction:
    """Subject to the EAR on `day`? `facts` are the check's destination, party and end-use
    facts (data/regime/facts.yaml names them)."""
    if origin.us_origin:
        return Jurisdiction(True, "us_origin", "us-origin", "15 CFR 734.3(a)(2)", [
            "The item is of U.S. origin: subject to the EAR wherever it is (734.3(a)(2))."])
    made = f"made in {origin.origin}" if origin.origin else "made outside the U.S."
    result = Jurisdiction(None, None, None, None, [f"The item is foreign-made ({made})."])
    facts = {**facts, **origin_facts(origin, eccn)}
    fdp = [(r, _fdp_state(r, origin, eccn, facts, result)) for r in _on("fdp", day)]
    floor = [(r, _scoped_state(r, eccn, facts, result)) for r in _on("no_de_minimis", day)]
    content = _de_minimis_state(_on("de_minimis", day), origin, facts, day, result)
    decided = [(r, s) for r, s in fdp if s] or [(r, s) for r, s in floor if s]
    if decided:
        record = decided[0][0]
        basis: Basis = "fdp" if record.section == "fdp" else "de_minimis"
        _conclude(result, True, basis, record)
    elif content[1] is True:
        _conclude(result, True, "de_minimis", content[0])
    elif all(s is False for _, s in fdp + floor) and content[1] is False:
        result.subject_to_ear, result.basis, result.rule_id = False, "not_subject", "not-subject"
        result.citation = "15 CFR 734.3(a)(3)-(4), 734.4 and 734.9"
        result.working.append("No foreign-direct-product rule reaches the item and its U.S. "
                              "content is within the de minimis level: not subject to the EAR.")
    else:
        result.working.append("Undecided: " + ", ".join(result.missing_facts) + ".")
    return result


def footnote_facts(parties: Sequence[ScreenedParty]) -> dict[str, bool | None]:
    """party_footnote_N: a party's Entity List entry in force on the date carries FDP footnote
    N (true); only a possible match's entry does (unknown); none does (false)."""
    facts: dict[str, bool | None] = {}
    listed = [entity_footnotes(r["_entry"]) for p in parties for r in p.listed]
    possible = [entity_footnotes(r["_entry"]) for p in parties for r in p.possible]
    for note in (1, 4, 5):
        if any(note in notes for notes in listed):
            facts[f"party_footnote_{note}"] = True
        elif any(note in notes or UNNUMBERED in notes for notes in listed + possible):
            facts[f"party_footnote_{note}"] = None
        else:
            facts[f"party_footnote_{note}"] = False
    return facts


def entity_footnotes(entry: ListEntry) -> set[int]:
    """The FDP footnotes an Entity List entry carries, from its licence-requirement text
    ("See §§ 734.9(e)(1) and 744.11 ... 2", "734.9(e)(2) ... 4", "734.9(e)(3) ... 5") or the
    eCFR table's footnote markers."""
    if entry.list_code != "EL":
        return set()
    text = entry.license_requirement or ""
    found = {n for n, pattern in _FOOTNOTE_TEXT.items() if pattern.search(text)}
    markers = (entry.raw or {}).get("footnotes", {}).get("license_requirement", [])
    trailing = _TRAILING_MARK.search(text)
    for mark in [*markers, *([trailing.group(1)] if trailing else [])]:
        if mark in ("1", "4", "5") and ("734.9" in text or markers):
            found.add(int(mark))
    if not found and re.search(r"734\.9\(e\)", text):
        found.add(UNNUMBERED)
    return found


_FOOTNOTE_TEXT = {
    1: re.compile(r"734\.9\(e\)\s*(\(1\)|1\b)"),
    4: re.compile(r"734\.9\(e\)\s*\(2\)"),
    5: re.compile(r"734\.9\(e\)\s*\(3\)|734\.4\(a\)\(9\)"),
}
_TRAILING_MARK = re.compile(r"EAR\.?\)?\.?\s*([145])\s*\.?\s*$")
UNNUMBERED = 0
"""An entry citing 734.9(e) without saying which footnote."""


def _conclude(result: Jurisdiction, subject: bool, basis: Basis, record: DatedRecord) -> None:
    result.subject_to_ear, result.basis, result.rule_id = subject, basis, record.id
    result.citation = record.citation.text()
    result.missing_facts.clear()


def origin_facts(origin: ItemOrigin, eccn: str | None) -> dict[str, Any]:
    content = origin.us_content
    if content is None:
        us_ic = None
    elif any(matches(e, _KNOWN_IC) for e in content):
        us_ic = True
    else:
        us_ic = False if not content else None
    return {
        "origin_sme_exempt": None if origin.origin in (None, *_SME_EXEMPT_ORIGINS) else False,
        # 734.4(a)(3): footnote 1 names Japan's listing of July 23, 2023; other lists not held
        "origin_lists_item": True if origin.origin in _LISTING_ORIGINS else None,
        "item_us_content": (None if content is None
                            else any(e != "EAR99" for e in content)),
        "item_us_ic": us_ic,
        "fdp_ns_scope": False if eccn == "EAR99" else None,
        "footnote_1_design": None,
    }


def _fdp_state(record: DatedRecord, origin: ItemOrigin, eccn: str | None,
               facts: Mapping[str, Any], out: Jurisdiction) -> bool | None:
    product = _product_state(record, origin)
    item = _item_state(record, eccn)
    scope = _when(record)
    reach = scope.evaluate(facts)
    state = _all(item, product, reach)
    if state is None:
        wanted = ([] if item is not None else ["item_eccn"]) + (
            [] if product is not None else ["direct_product_of"])
        _missing(out, wanted + unknown_facts(scope, facts))
    words = {True: "applies", False: "does not apply", None: "undecided"}[state]
    why = []
    if product is False:
        why.append("the item is not a direct product of the listed U.S. technology")
    if item is False:
        why.append("the item's ECCN is outside its scope")
    if reach is False:
        why.append("its destination, party or end-use scope does not hold")
    out.working.append(f"{record.id} ({record.citation.cfr}) {words}"
                       + (": " + "; ".join(why) if why and state is False else "") + ".")
    _caveat(out, record, state)
    return state


def _product_state(record: DatedRecord, origin: ItemOrigin) -> bool | None:
    direct, plant = origin.direct_product_of, origin.plant_direct_product_of
    if direct is None or plant is None:
        return None
    return any(matches(t, record.get("technology")) for t in direct) or any(
        matches(t, record.get("plant_technology")) for t in plant)


def _item_state(record: DatedRecord, eccn: str | None) -> bool | None:
    items = record.get("items")
    if items == "any":
        return True
    return in_scope(eccn, items, record.get("except_items", ()))


def _scoped_state(record: DatedRecord, eccn: str | None, facts: Mapping[str, Any],
                  out: Jurisdiction) -> bool | None:
    item = _item_state(record, eccn)
    scope = _when(record)
    state = _all(item, scope.evaluate(facts))
    if state is None:
        _missing(out, ([] if item is not None else ["item_eccn"]) + unknown_facts(scope, facts))
    if state is not False:
        words = "applies" if state else "undecided"
        out.working.append(f"{record.id} ({record.citation.cfr}) {words}: {record.summary}")
        _caveat(out, record, state)
    return state


def _de_minimis_state(records: list[DatedRecord], origin: ItemOrigin,
                      facts: Mapping[str, Any], day: date,
                      out: Jurisdiction) -> tuple[DatedRecord | None, bool | None]:
    """(the level's record, whether the controlled content exceeds it)."""
    levels = [(r, _when(r).evaluate(facts)) for r in records]
    level = next((r for r, s in levels if s), None)
    content = origin.us_content
    if content is None:
        _missing(out, ["us_content"])
        out.working.append("De minimis: the U.S.-origin content was not given.")
        return level, None
    if not content:
        out.working.append("De minimis: no U.S.-origin content (734.4 does not reach the item).")
        return level, False
    if level is None:
        _missing(out, ["de_minimis_level"])
        out.working.append("De minimis: no level recorded for this destination (Country Group "
                           "E:2 is not modelled).")
        return None, None
    limit = float(level.get("level"))
    counted, unknown, parts = 0.0, 0.0, []
    for eccn, share in content.items():
        controlled = _content_controlled(eccn, facts, day)
        parts.append(f"{eccn} {share:g} % ({_COUNTED[controlled]})")
        if controlled:
            counted += share
        elif controlled is None:
            unknown += share
    verdict: bool | None
    if counted > limit:
        verdict = True
    elif counted + unknown <= limit:
        verdict = False
    else:
        verdict = None
        _missing(out, ["us_content_controlled"])
    words = {True: "exceeds", False: "does not exceed", None: "may exceed"}[verdict]
    out.working.append(
        f"De minimis ({level.citation.cfr}): U.S.-origin content {'; '.join(parts)}; "
        f"controlled content {counted:g} %" + (f" (+{unknown:g} % undecided)" if unknown else "")
        + f" {words} the {limit:g} % level ({level.id}).")
    _caveat(out, level, verdict)
    return level, verdict


_COUNTED = {True: "counted: needs a licence to the destination",
            False: "not counted: no licence needed to the destination",
            None: "undecided: its licence need to the destination is not modelled"}


def _content_controlled(eccn: str, facts: Mapping[str, Any], day: date) -> bool | None:
    """Supplement No. 2 to Part 734: U.S.-origin content counts when it would need a licence
    to the destination. Decided from the licensing rules for EAR99 and advanced-computing
    content; other ECCNs need the Commerce Country Chart, which exportguard does not hold."""
    content = {**facts, **content_item_facts(eccn)}
    for rule in licensing_rules().rules_on(day):
        if rule.condition is None or rule.measure or rule.effect != "license_required":
            continue
        if not set(rule.condition.facts()) <= _content_rule_facts():
            continue
        if rule.condition.evaluate(content):
            return True
    return False if eccn == "EAR99" or content["item_ac"] or content["item_3a090_c"] else None


def content_item_facts(eccn: str) -> dict[str, Any]:
    """The item facts of licensing.yaml for an ECCN given without figures."""

    def has(prefix: str) -> bool:
        return eccn == prefix or eccn.startswith(prefix + ".")

    facts = {
        "item_3a090_a": has("3A090.a"), "item_3a090_b": has("3A090.b"),
        "item_3a090_c": has("3A090.c"), "item_4a090_a": has("4A090.a"),
        "item_4a090_b": has("4A090.b"), "item_ear99": eccn == "EAR99",
    }
    facts["item_ac"] = any(facts[k] for k in ("item_3a090_a", "item_3a090_b",
                                               "item_4a090_a", "item_4a090_b"))
    return facts


def _when(record: DatedRecord) -> Condition:
    when = record.condition()
    assert when is not None, f"{record.id}: 'when' is required by the schema"
    return when


def _all(*states: bool | None) -> bool | None:
    if False in states:
        return False
    return None if None in states else True


def _missing(out: Jurisdiction, names: list[str]) -> None:
    out.missing_facts.extend(n for n in names if n not in out.missing_facts)


def _caveat(out: Jurisdiction, record: DatedRecord, state: bool | None) -> None:
    if record.caveat and state is not False:
        text = f"{record.id}: {record.caveat}"
        if text not in out.caveats:
            out.caveats.append(text)


def _content(value: Mapping[str, float] | Sequence[str] | None) -> dict[str, float] | None:
    pairs = parse_us_content(value) if isinstance(value, list | tuple) else value
    if pairs is None:
        return None
    if len(pairs) > MAX_CONTENT_ROWS:
        raise InputError("us_content", f"at most {MAX_CONTENT_ROWS} ECCNs")
    checked: dict[str, float] = {}
    for raw, pct in pairs.items():
        eccn = parse_eccn(raw, "us_content")
        if isinstance(pct, bool) or not isinstance(pct, int | float) or not math.isfinite(pct):
            raise InputError("us_content", f"{eccn}: '{pct}' is not a percentage")
        if not 0 <= pct <= 100:
            raise InputError("us_content", f"{eccn}: {pct:g} % is outside 0-100")
        checked[eccn] = checked.get(eccn, 0.0) + float(pct)
    if sum(checked.values()) > 100 + 1e-9:
        raise InputError("us_content", f"the shares add up to {sum(checked.values()):g} %, "
                         "more than the item's whole value")
    return checked


def _technology(values: Sequence[str] | None, field_name: str) -> tuple[str, ...] | None:
    if values is None:
        return None
    if not values or [v.strip().lower() for v in values] == ["none"]:
        return ()
    if len(values) > MAX_CONTENT_ROWS:
        raise InputError(field_name, f"at most {MAX_CONTENT_ROWS} ECCNs")
    out = []
    for value in values:
        eccn = parse_eccn(value, field_name)
        if not is_technology_or_software(eccn):
            raise InputError(field_name, f"{eccn} is not software or technology (an ECCN of "
                             "product group D or E, e.g. 3E001)")
        out.append(eccn)
    return tuple(out)


# Reasons that do not depend on the item being subject to the EAR: OFAC blocking reaches U.S.
# persons whatever the item; a possible match still needs a person to clear it.
_MODELLED_ITEMS = ("EAR99", "3A090*", "4A090*")
_NOT_EAR_RULES = frozenset({"sdn-blocking", "ofac-50-percent", "possible-match"})


def jurisdiction_reasons(reasons: list[CheckReason], found: Jurisdiction,
                         eccn: str | None, destination: str | None = None) -> list[CheckReason]:
    """The check's reasons once jurisdiction is known: an item not subject to the EAR takes no
    EAR licence requirement (they become information); an undecided one leaves each of them
    as a question for review."""
    if found.basis == "us_origin":
        # A U.S.-origin item is subject to the EAR wherever it is (734.3(a)(1)); an ECCN the
        # rules do not model is a question for review, never a silent "no licence required".
        if eccn is not None and not matches(eccn, _MODELLED_ITEMS):
            if _AT_SERIES.match(eccn) and destination not in _EVERY_ECCN_DESTINATIONS:
                return [_at_series_reason(eccn), *reasons]
            return [_unmodelled_item_reason(eccn, "U.S.-origin item"), *reasons]
        return reasons
    if found.subject_to_ear:
        first = [_jurisdiction_reason(found, "info", "no_license_required")]
        if eccn is None or not matches(eccn, _MODELLED_ITEMS):
            first.append(_unmodelled_item_reason(eccn))
        return [*first, *reasons]
    out = [_jurisdiction_reason(found, "applies" if found.subject_to_ear is False else "review",
                                "no_license_required" if found.subject_to_ear is False
                                else "review")]
    for reason in reasons:
        if reason.rule_id in _NOT_EAR_RULES or reason.outcome not in ("applies", "review"):
            out.append(reason)
        elif found.subject_to_ear is False:
            out.append(replace(reason, outcome="info", effect="no_license_required",
                               review_policy=None, summary="Not applied, the item is not "
                               f"subject to the EAR: {reason.summary}"))
        else:
            out.append(replace(reason, outcome="review", effect="review", review_policy=None,
                               summary=f"If the item is subject to the EAR: {reason.summary}"))
    return out


# The 9x9 ECCNs (third character 9: 3A991, 4A994, 5A992...) are in the usual case controlled for
# anti-terrorism reasons only (their CCL entries' "AT applies to entire entry"), which reach
# Cuba, Iran, North Korea and Syria (Supplement No. 1 to Part 738, AT column; Part 746); every
# ECCN needs a licence to Russia and Belarus (746.8(a)(1): Categories 3-9 from 2022-02-24, 87 FR
# 12226, and Belarus from 2022-03-02, 87 FR 13048; "all items on the Commerce Control List" from
# 2022-04-08, 87 FR 22130, https://www.govinfo.gov/content/pkg/FR-2022-04-14/html/2022-07937.htm).
# The set carries no dates: a 9x9 item to Russia or Belarus before those days is sent to review
# too (more cautious than the text, never a clearance the text denies).
_AT_SERIES = re.compile(r"\d[A-E]9\d\d")
_EVERY_ECCN_DESTINATIONS = frozenset({"CU", "IR", "KP", "SY", "RU", "BY"})


def _at_series_reason(eccn: str) -> CheckReason:
    return CheckReason(
        rule_id="licence-by-eccn",
        outcome="info",
        effect="no_license_required",
        review_policy=None,
        summary=f"The U.S.-origin item ({eccn}) is subject to the EAR; its ECCN is of the 9x9 "
        "series, controlled in the usual case for anti-terrorism reasons only, which need no "
        "licence for this destination on the Commerce Country Chart. exportguard does not model "
        "the CCL entry itself: read it (a 9x9 entry with other reasons, or a licence "
        "requirement of Part 744 or 746, changes the answer).",
        citation="15 CFR 738.4 and Supplement No. 1 to Part 738 (AT column); 746.8(a)(1) "
        "(87 FR 22130, all CCL items to Russia and Belarus from 2022-04-08)",
        source="https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-738",
        effective_from=None,
        effective_to=None,
    )


def _unmodelled_item_reason(eccn: str | None, what: str = "foreign-made item") -> CheckReason:
    return CheckReason(
        rule_id="licence-by-eccn",
        outcome="review",
        effect="review",
        review_policy=None,
        summary=f"The {what} ({eccn or 'ECCN not given'}) is subject to the EAR; "
        "the licence requirements of its ECCN (reasons for control on the Commerce Country "
        "Chart, Part 742) are not modelled by exportguard beyond the advanced-computing rules: "
        "read its CCL entry for this destination.",
        citation="15 CFR 738.4 and Supplement No. 1 to Part 738; Part 742",
        source="https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-738",
        effective_from=None,
        effective_to=None,
    )


def _jurisdiction_reason(found: Jurisdiction, outcome: str, effect: str) -> CheckReason:
    if found.subject_to_ear is None:
        summary = ("Whether the foreign-made item is subject to the EAR is undecided; it "
                   f"depends on {', '.join(found.missing_facts)}.")
    elif found.subject_to_ear:
        summary = f"The foreign-made item is subject to the EAR ({found.basis}, {found.rule_id})."
    else:
        summary = ("The foreign-made item is not subject to the EAR: no EAR licence "
                   "requirement reaches it.")
    record = next((r for records in jurisdiction_rules().sections.values() for r in records
                   if r.id == found.rule_id), None)
    return CheckReason(
        rule_id=found.rule_id or "jurisdiction",
        outcome=outcome,
        effect=effect,
        review_policy=None,
        summary=summary,
        citation=found.citation or "15 CFR 734.3, 734.4, 734.9",
        source=record.citation.url if record else
        "https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/subchapter-C/part-734",
        effective_from=record.period.effective_from if record else None,
        effective_to=record.period.effective_to if record else None,
        caveat=" ".join(found.caveats) or None,
    )
