"""Classification of an item on a date: the 3A090/4A090 paragraph that applies, or none, and why.

The item's figures become facts (`tpp`, `pd`, `io_rate`, `datacenter`,
`memory_bandwidth_density`, `dram_bandwidth`); each paragraph in force on the date is a condition
over them (regime/advanced_computing.yaml). A paragraph met and not taken out by a note classifies
the item; the most restrictive such paragraph (.a before .b before .c) is the answer, and every
paragraph in force is reported with its outcome. A fact the answer depends on but the user has not
given leaves the answer open and is named in `missing_facts`: exportguard does not guess whether a
part is marketed for datacenters.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from exportguard.items.catalog import Item, catalog
from exportguard.items.metrics import (
    MAX_BANDWIDTH_GBPS,
    memory_bandwidth_density,
    performance_density,
    total_processing_performance,
)
from exportguard.items.result import Classification, Reason
from exportguard.items.spec import Spec, checked
from exportguard.regime.advanced_computing import (
    AdvancedComputingRules,
    ControlParagraph,
    Dated,
    advanced_computing_rules,
)
from exportguard.regime.conditions import Condition, unknown_facts
from exportguard.regime.dated import iso, parse_as_of

_RESTRICTIVENESS = ("3A090.a", "4A090.a", "3A090.b", "4A090.b", "3A090.c")


def classify(
    item: str | Item | Spec,
    on: str | date | None = None,
    *,
    datacenter: bool | None = None,
    io_rate: float | None = None,
    dram_bandwidth: float | None = None,
) -> Classification:
    """Classify a catalogued item (by name or record) or a `Spec` of figures on a date.

    `datacenter`, `io_rate` and `dram_bandwidth` override or complete the catalog's facts (e.g. a
    reseller who knows how a part is marketed).
    """
    day = parse_as_of(on)
    rules = advanced_computing_rules()
    if isinstance(item, str):
        item = catalog().find(item)
    if isinstance(item, Spec):
        return _classify_spec(item, day, rules)
    if item.kind == "system":
        return _classify_system(item, day, rules, datacenter, io_rate, dram_bandwidth)
    return _classify_item(item, day, rules, datacenter, io_rate, dram_bandwidth)


def _classify_spec(item: Spec, day: date, rules: AdvancedComputingRules) -> Classification:
    working: list[str] = []
    tpp = item.tpp
    if item.throughput:
        tpp_working = total_processing_performance(item.throughput)
        assert tpp_working is not None
        tpp = tpp_working.tpp
        working.extend(tpp_working.steps)
    mbd = item.memory_bandwidth_density
    if mbd is None and item.kind == "memory":
        mbd = memory_bandwidth_density(item.dram_bandwidth, item.package_area_mm2)
        working.append(
            f"memory bandwidth density = {item.dram_bandwidth:g} GB/s / "
            f"{item.package_area_mm2:g} mm^2 = {mbd:.2f} GB/s/mm^2"
        )
    facts = _facts(
        item.kind,
        tpp,
        item.die_area_mm2,
        item.io_rate,
        item.datacenter,
        mbd,
        item.dram_bandwidth,
        working,
    )
    return _decide(item.name, None, item.kind, day, rules, facts, working, [])


def _classify_item(
    item: Item,
    day: date,
    rules: AdvancedComputingRules,
    datacenter: bool | None,
    io_rate: float | None,
    dram_bandwidth: float | None,
) -> Classification:
    working: list[str] = []
    tpp_working = item.tpp_working
    if tpp_working:
        working.extend(tpp_working.steps)
    if item.io:
        working.append(
            "I/O rate = "
            + " + ".join(f"{link.link} {link.gbps:g}" for link in item.io)
            + f" = {item.io_rate:g} GB/s"
        )
    if item.kind == "memory" and item.memory_bandwidth_density is not None:
        working.append(
            f"memory bandwidth density = {item.memory_bandwidth_gbps:g} GB/s / "
            f"{item.package_area_mm2:g} mm^2 = {item.memory_bandwidth_density:.2f} GB/s/mm^2"
        )
    notes = []
    if item.die_area_estimate:
        notes.append("the die area is an estimate; see the catalog record's sources")
    if item.released and day < item.released:
        notes.append(f"{item.name} was announced on {item.released}, after {day}; it is classified "
                     "by the rules in force on the date asked, as if it had existed then.")
    if item.notes:
        notes.append(" ".join(item.notes.split()))
    facts = _facts(
        item.kind,
        tpp_working.tpp if tpp_working else None,
        item.die_area_mm2,
        checked(io_rate, "interconnect", MAX_BANDWIDTH_GBPS)
        if io_rate is not None
        else item.io_rate,
        item.datacenter if datacenter is None else datacenter,
        item.memory_bandwidth_density,
        checked(dram_bandwidth, "memory_bandwidth", MAX_BANDWIDTH_GBPS)
        if dram_bandwidth is not None
        else item.memory_bandwidth_gbps,
        working,
    )
    result = _decide(item.name, item.id, item.kind, day, rules, facts, working, notes)
    for measure in rules.measures_on(day, item.id, item.vendor, facts):
        # a part caught by the letter's bandwidth test only matters when 3A090 does not catch it
        if item.id not in measure.items and result.controlled:
            continue
        result.measures.append(_measure_dict(measure))
        result.reasons.append(_reason(measure, None, "applies", measure.summary))
    return result


def _classify_system(
    item: Item,
    day: date,
    rules: AdvancedComputingRules,
    datacenter: bool | None,
    io_rate: float | None,
    dram_bandwidth: float | None,
) -> Classification:
    assert item.contains is not None
    part = catalog().get(item.contains.item)
    inner = _classify_item(part, day, rules, datacenter, io_rate, dram_bandwidth)
    result = Classification(
        item=item.name,
        item_id=item.id,
        kind=item.kind,
        as_of=day,
        tpp=inner.tpp,
        pd=inner.pd,
        memory_bandwidth_density=None,
        io_rate=inner.io_rate,
        dram_bandwidth=inner.dram_bandwidth,
        datacenter=inner.datacenter,
        eccn=None,
        paragraph=None,
        controlled=inner.controlled,
        contains=inner,
        missing_facts=list(inner.missing_facts),
        rules_version=rules.version,
        working=[f"contains {item.contains.count} x {part.name}; classified by the IC it contains"],
    )
    for derived in rules.derived_on(day):
        if inner.eccn == derived.from_eccn:
            result.eccn = result.paragraph = derived.paragraph
            result.paragraphs = [derived.paragraph]
            result.controlled = True
            result.reasons.append(
                _reason(
                    derived,
                    derived.paragraph,
                    "met",
                    f"{derived.summary} The {part.name} it contains is {inner.paragraph}.",
                )
            )
    if result.eccn is None and inner.controlled is False:
        result.reasons.append(
            Reason(
                "contained-ic",
                None,
                "not_met",
                f"The {part.name} it contains is not in 3A090.a or .b on {day}, "
                "so 4A090 does not apply.",
                "15 CFR Part 774, Supp. No. 1, ECCN 4A090",
                "",
                None,
                None,
            )
        )
    result.reasons.extend(inner.reasons)
    result.review_band = inner.review_band
    result.measures = inner.measures
    return result


def _facts(
    kind: str,
    tpp: float | None,
    die_area: float | None,
    io_rate: float | None,
    datacenter: bool | None,
    mbd: float | None,
    dram_bandwidth: float | None,
    working: list[str],
) -> dict[str, Any]:
    pd = None if tpp is None else performance_density(tpp, die_area)
    if pd is not None:
        working.append(f"PD = {tpp:,.0f} / {die_area:g} mm^2 = {pd:.2f}")
    elif tpp is not None and die_area == 0:
        working.append("PD undefined: no logic die on a non-planar node (applicable die area 0)")
    return {
        "kind": kind,
        "tpp": tpp,
        "pd": pd,
        "io_rate": io_rate,
        "datacenter": datacenter,
        "memory_bandwidth_density": mbd,
        "dram_bandwidth": dram_bandwidth,
        "planar_only": die_area == 0,
    }


def _decide(
    name: str,
    item_id: str | None,
    kind: str,
    day: date,
    rules: AdvancedComputingRules,
    facts: dict[str, Any],
    working: list[str],
    notes: list[str],
) -> Classification:
    result = Classification(
        item=name,
        item_id=item_id,
        kind=kind,
        as_of=day,
        tpp=facts["tpp"],
        pd=facts["pd"],
        memory_bandwidth_density=facts["memory_bandwidth_density"],
        io_rate=facts["io_rate"],
        dram_bandwidth=facts["dram_bandwidth"],
        datacenter=facts["datacenter"],
        eccn=None,
        paragraph=None,
        controlled=False,
        working=working,
        notes=notes,
        rules_version=rules.version,
    )
    in_force = rules.paragraphs_on(day)
    if not in_force:
        first = rules.first_effective()
        result.reasons.append(
            Reason(
                "no-3a090",
                None,
                "info",
                f"ECCN 3A090 did not exist on {day}; it was added to the Commerce Control List "
                f"with effect from {first}. Other ECCNs (e.g. 3A001, 3A991, 4A994, 5A992) are not "
                "assessed.",
                rules.paragraphs[0].citation.text(),
                rules.paragraphs[0].citation.url,
                first,
                None,
            )
        )
        return result
    relevant = [p for p in in_force if kind in p.kinds]
    skipped = sorted({p.eccn for p in in_force if kind not in p.kinds})
    met: list[ControlParagraph] = []
    open_facts: list[str] = []
    for paragraph in relevant:
        outcome, missing, text = _evaluate(paragraph, day, rules, facts)
        result.reasons.append(_reason(paragraph, paragraph.paragraph, outcome, text))
        if outcome == "met":
            met.append(paragraph)
        elif outcome == "unknown":
            open_facts.extend(f for f in missing if f not in open_facts)
    memory = [p for p in rules.paragraphs if "memory" in p.kinds]
    if kind == "memory" and not relevant and memory:
        first = min(memory, key=lambda p: p.period.effective_from)  # 3A090.c, from the rules file
        result.reasons.append(
            Reason(
                "no-3a090-c",
                None,
                "not_met",
                f"No 3A090 paragraph for memory was in force on {day}; {first.paragraph} (HBM) "
                f"took effect on {first.period.effective_from}.",
                first.citation.text(),
                first.citation.url,
                first.period.effective_from,
                first.period.effective_to,
            )
        )
    if kind == "accelerator" and "3A090.c" in skipped:
        notes.append(
            "3A090.c covers HBM parts; it does not cover co-packaged logic with HBM whose "
            "dominant function is processing, so it is not applied to this accelerator."
        )
    if met:
        met.sort(key=lambda p: _RESTRICTIVENESS.index(p.eccn))
        best = met[0]
        result.eccn, result.paragraph = best.eccn, best.paragraph
        result.paragraphs = [p.paragraph for p in met]
        result.controlled = True
        # a more restrictive paragraph still undecided leaves the answer open to that extent
        result.missing_facts = [
            f for f in open_facts if _could_be_stricter(f, best, relevant, day, rules, facts)
        ]
        _review_band(result, day, rules, facts)
    elif open_facts:
        result.controlled = None
        result.missing_facts = open_facts
    if facts.get("planar_only") and "pd" in result.missing_facts:
        result.notes.append(
            "The part has no logic die on a non-planar node, so its applicable die area is 0 and "
            "the Technical Note gives no performance density; the PD tests cannot be applied. "
            "Seek a classification from BIS or counsel for such a part with TPP of 1600 or more."
        )
    return result


def _evaluate(
    paragraph: ControlParagraph, day: date, rules: AdvancedComputingRules, facts: dict[str, Any]
) -> tuple[str, list[str], str]:
    """(outcome, facts it is waiting on, sentence) for one paragraph on one item."""
    state = paragraph.condition.evaluate(facts)
    figures = _figures(paragraph.condition, facts)
    if state is False:
        return "not_met", [], f"Not met: {paragraph.summary} Here {figures}."
    for note in rules.exclusions_on(day):
        if paragraph.eccn not in note.eccns:
            continue
        excluded = note.condition.evaluate(facts)
        if excluded is True:
            return (
                "excluded",
                [],
                f"Excluded by {note.name}: {note.summary} Here {_figures(note.condition, facts)}.",
            )
        if excluded is None and state is True:
            missing = unknown_facts(note.condition, facts)
            return (
                "unknown",
                missing,
                f"Met ({figures}) unless {note.name} applies: {note.summary} Unknown: "
                f"{', '.join(missing)}.",
            )
    if state is None:
        missing = unknown_facts(paragraph.condition, facts)
        return "unknown", missing, f"Undecided: {paragraph.summary} Unknown: {', '.join(missing)}."
    return "met", [], f"Met: {paragraph.summary} Here {figures}."


def _could_be_stricter(
    fact: str,
    best: ControlParagraph,
    relevant: list[ControlParagraph],
    day: date,
    rules: AdvancedComputingRules,
    facts: dict[str, Any],
) -> bool:
    rank = _RESTRICTIVENESS.index(best.eccn)
    for paragraph in relevant:
        if _RESTRICTIVENESS.index(paragraph.eccn) < rank:
            outcome, missing, _ = _evaluate(paragraph, day, rules, facts)
            if outcome == "unknown" and fact in missing:
                return True
    return False


def _review_band(
    result: Classification, day: date, rules: AdvancedComputingRules, facts: dict[str, Any]
) -> None:
    for band in rules.review_bands_on(day):
        if result.eccn not in band.eccns:
            continue
        inside = band.condition.evaluate(facts)
        policy = None if inside is None else (band.inside_policy if inside else band.outside_policy)
        figures = _figures(band.condition, facts)
        if inside is None:
            text = (
                f"Undecided whether inside the band: {band.summary} Unknown: "
                f"{', '.join(unknown_facts(band.condition, facts))}."
            )
        else:
            where = "Inside" if inside else "Outside"
            readable = policy.replace("_", "-") if policy else ""
            text = f"{where} the band ({figures}): review policy {readable}. {band.summary}"
        result.review_band = {
            "id": band.id,
            "inside": inside,
            "policy": policy,
            "destinations": band.destinations,
            "condition": band.condition.text(),
            "citation": band.citation.text(),
            "source": band.citation.url,
            "effective_from": iso(band.period.effective_from),
            "effective_to": iso(band.period.effective_to),
            "caveat": band.caveat,
        }
        result.reasons.append(_reason(band, None, "info", text))


def _figures(condition: Condition, facts: dict[str, Any]) -> str:
    shown = []
    for fact in dict.fromkeys(condition.facts()):
        value = facts.get(fact)
        if value is None:
            shown.append(f"{fact} unknown")
        elif isinstance(value, bool):
            shown.append(f"{fact} {'yes' if value else 'no'}")
        else:
            shown.append(f"{fact} {value:,.2f}".rstrip("0").rstrip("."))
    return ", ".join(shown)


def _reason(rule: Dated, paragraph: str | None, outcome: str, summary: str) -> Reason:
    return Reason(
        rule.id,
        paragraph,
        outcome,
        summary,
        rule.citation.text(),
        rule.citation.url,
        rule.period.effective_from,
        rule.period.effective_to,
        rule.caveat,
    )


def _measure_dict(measure: Any) -> dict[str, Any]:
    return {
        "id": measure.id,
        "summary": measure.summary,
        "effect": measure.effect,
        "destinations": measure.destinations,
        "citation": measure.citation.text(),
        "source": measure.citation.url,
        "effective_from": iso(measure.period.effective_from),
        "effective_to": iso(measure.period.effective_to),
        "caveat": measure.caveat,
    }
