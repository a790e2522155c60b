"""`check`: item x parties x destination x end use on a date -> a `Determination`.

The item is classified on the date (items/), the parties are screened against the entries in
force on the date (screening/), the destination's country groups are read for the date (regime/),
and every licence rule in force is evaluated over those facts with three values. The most
restrictive outcome wins and every reason is kept. A fact the answer depends on but nobody gave
turns the decision into `review` and is named in `missing_facts`.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any

from exportguard.check.determination import (
    DECISION_RANK,
    POLICY_RANK,
    CheckReason,
    Determination,
    Party,
    ScreenedParty,
)
from exportguard.check.el_policy import entity_list_policy
from exportguard.check.exceptions import assess_exceptions, exception_facts
from exportguard.check.facts import destination_facts, end_use_facts, item_facts, party_facts
from exportguard.check.jurisdiction import (
    assess_jurisdiction,
    footnote_facts,
    jurisdiction_reasons,
)
from exportguard.check.parties import Cleared, list_reasons, screen_party
from exportguard.check.request import CheckRequest, ScreenerFor
from exportguard.check.rules import LicenceRule, licensing_rules
from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.items import Classification, classify
from exportguard.items.eccn import parse_eccn
from exportguard.ownership.resolve import OwnershipFinding, ownership_of
from exportguard.regime.advanced_computing import advanced_computing_rules
from exportguard.regime.conditions import unknown_facts
from exportguard.screening import Screener
from exportguard.store.ownership import OwnershipStore

MAX_PARTIES = 20


def check(
    request: CheckRequest,
    *,
    screener_for: ScreenerFor,
    ownership: OwnershipStore | None = None,
    cleared: Cleared | None = None,
) -> Determination:
    """Decide whether a licence is needed; see the module docstring. The lists are those of the
    request's own date (`screener_for(day)`). With an ownership graph, each party's owners are
    looked up on the date: the ultimate parent's headquarters feeds the 2023 headquarters rule,
    and the ownership rules (affiliates, Red Flag 29, OFAC 50 %) add their reasons."""
    day = request.day()
    dest = _destination(request.destination)
    item = request.the_item()
    parties, end_use, origin = list(request.parties), request.end_use, request.item_origin()
    if not parties:
        raise InputError("party", "at least one party is required")
    if len(parties) > MAX_PARTIES:
        raise InputError("party", f"at most {MAX_PARTIES} parties per check")
    screener = screener_for(day)
    parties = [_checked_party(p, index) for index, p in enumerate(parties)]
    assumptions: list[str] = []
    findings = [ownership_of(ownership, screener, p.name, p.country, day) if ownership else None
                for p in parties]
    parties = [_with_parent(p, f, assumptions) for p, f in zip(parties, findings, strict=True)]
    classification = classify(item, day) if item is not None else None
    eccn = classification.eccn if classification else _eccn(request.item_eccn)
    facts: dict[str, Any] = {}
    facts.update(item_facts(classification, eccn))
    facts.update(destination_facts(dest, day))
    facts.update(party_facts(parties, day, assumptions))
    facts.update(end_use_facts(end_use, assumptions))
    # the review policies of 742.6(b)(10) and 744.23(d) turn on the datacenter design too
    facts.update(exception_facts(classification))
    if origin.us_origin:
        assumptions.append("The item is of U.S. origin (give --origin for a foreign-made item).")
    reasons: list[CheckReason] = []
    missing: list[str] = []
    rules = licensing_rules()
    named_in = {m["id"] for m in classification.measures} if classification else set()
    for rule in rules.rules_on(day):
        assert rule.condition is not None
        if rule.measure is not None and rule.measure not in named_in:
            continue  # a letter's licence requirement reaches only the items it names
        state = rule.condition.evaluate(facts)
        if state is None and rule.effect == "not_enforced":
            continue
        if state is None:
            wanted = unknown_facts(rule.condition, facts)
            missing.extend(f for f in wanted if f not in missing)
            reasons.append(
                _reason(
                    rule,
                    "review",
                    "review",
                    None,
                    f"Undecided, it depends on {', '.join(wanted)}: {rule.summary}",
                )
            )
        elif state:
            if rule.effect == "not_enforced":
                reasons.append(_reason(rule, "not_enforced", "not_enforced", None, rule.summary))
                continue
            policy, note = rule.review_policy(facts, day)
            summary = f"{rule.summary} {note}" if note else rule.summary
            reasons.append(_reason(rule, "applies", rule.effect, policy, summary))
            assumptions.extend(a for a in rule.assumptions if a not in assumptions)
    screened: list[ScreenedParty] = []
    for party, finding in zip(parties, findings, strict=True):
        result = screen_party(screener, party, day, cleared)
        screened.append(result)
        reasons.extend(list_reasons(result, eccn))
        if finding is not None:
            result.ownership = finding.to_dict()
            reasons.extend(ownership_reasons(finding, party, eccn))
    jurisdiction = assess_jurisdiction(origin, eccn, {**facts, **footnote_facts(screened)}, day)
    reasons = jurisdiction_reasons(reasons, jurisdiction, eccn, dest)
    if jurisdiction.subject_to_ear is False:
        missing.clear()  # no EAR rule can reach the item, whatever else is unknown
    else:
        missing.extend(f for f in jurisdiction.missing_facts if f not in missing)
        if classification is not None and classification.controlled is None:
            missing.extend(f for f in classification.missing_facts if f not in missing)
    decision, policy = _decide(reasons, missing)
    exceptions = assess_exceptions(reasons, {**facts, **exception_facts(classification)}, day)
    return Determination(
        as_of=day,
        destination=dest,
        decision=decision,
        review_policy=policy,
        reasons=reasons,
        item=_item_dict(classification, eccn),
        parties=screened,
        end_use=end_use,
        assumptions=assumptions,
        missing_facts=missing,
        rules_version=f"licensing {rules.version}; 3A090 {advanced_computing_rules().version}",
        lists=_lists_dict(screener),
        jurisdiction=jurisdiction.to_dict(),
        license_exceptions=[e.to_dict() for e in exceptions],
    )


def _with_parent(party: Party, finding: OwnershipFinding | None,
                 assumptions: list[str]) -> Party:
    """A party whose ultimate parent the user did not give takes it from the graph."""
    if finding is None or party.parent_hq is not None or finding.ultimate_parent is None:
        return party
    top = finding.ultimate_parent
    hq = top.hq_country or top.country
    if hq is None:
        assumptions.append(f"{party.name}: the ownership graph names its ultimate parent "
                           f"{top.name} but not where it is headquartered.")
        return party
    chain = " -> ".join([party.name, *(c.name for c in finding.parents)])
    basis = "headquarters" if top.hq_country else "country of incorporation (no headquarters "
    basis += "" if top.hq_country else "recorded)"
    assumptions.append(f"{party.name}: ultimate parent {top.name}, {basis} {hq}, from the "
                       f"ownership graph (majority chain {chain}).")
    # Only the headquarters is taken: the parent's own listing reaches the party through the
    # ownership rules (and their dates), not by screening the parent as if it were the party.
    return replace(party, parent_hq=hq)


def ownership_reasons(finding: OwnershipFinding, party: Party,
                      eccn: str | None) -> list[CheckReason]:
    out = []
    for outcome in finding.outcomes:
        if outcome.status == "not_met":
            continue
        rule = outcome.rule
        applies = outcome.status == "applies"
        policy = None
        if applies and rule.id == "affiliates-rule":
            owners = [item for item in finding.listed.values() if item.list_code in rule.lists]
            found = [entity_list_policy(item.license_policy or "", eccn)[0] for item in owners]
            ranked = [p for p in found if p in POLICY_RANK]
            policy = max(ranked, key=lambda p: POLICY_RANK[p]) if ranked else None
        caveat = " ".join(filter(None, [outcome.assumption, rule.caveat]))
        out.append(CheckReason(
            rule_id=rule.id,
            outcome="applies" if applies and rule.effect != "review" else
            ("review" if applies else "info"),
            effect=rule.effect if applies else "no_license_required",
            review_policy=policy,
            summary=f"{party.name}: {outcome.summary}",
            citation=rule.citation.text(),
            source=rule.citation.url,
            effective_from=rule.effective_from,
            effective_to=None,
            caveat=caveat or None,
            party=party.name,
        ))
    return out


def _decide(reasons: list[CheckReason], missing: list[str]) -> tuple[str, str | None]:
    decision = "no_license_required"
    for reason in reasons:
        if reason.outcome in ("applies", "review") and (
            DECISION_RANK.get(reason.effect, 0) > DECISION_RANK[decision]
        ):
            decision = reason.effect
    if missing and DECISION_RANK[decision] < DECISION_RANK["review"]:
        decision = "review"
    if decision != "license_required":
        return decision, None
    policies = [
        r.review_policy
        for r in reasons
        if r.outcome == "applies" and r.effect == "license_required" and r.review_policy
    ]
    if not policies:
        return decision, None
    return decision, max(policies, key=lambda p: POLICY_RANK[p])


def _destination(value: str) -> str:
    if not value or not value.strip():
        raise InputError("destination", "a destination country (ISO code) is required")
    return parse_country(value, "destination")


def _checked_party(party: Party, index: int) -> Party:
    try:
        return _checked_one(party)
    except InputError as exc:
        exc.index = index  # which party, for the API's `parties.N.field`
        raise


def _checked_one(party: Party) -> Party:
    if not party.name or not party.name.strip():
        raise InputError("party", "a party name is required")
    if party.parent_hq and not party.parent:
        raise InputError("parent", "--parent-hq needs --parent (the parent's name)")
    return Party(
        name=party.name.strip(),
        role=party.role,
        country=parse_country(party.country, "party_country") if party.country else None,
        hq=parse_country(party.hq, "party_hq") if party.hq else None,
        parent=party.parent.strip() if party.parent else None,
        parent_hq=parse_country(party.parent_hq, "parent_hq") if party.parent_hq else None,
    )


def _eccn(value: str | None) -> str:
    eccn = parse_eccn(value, "item_eccn")
    base = eccn[:5]
    if base in ("3A090", "4A090") and eccn != base:
        known = advanced_computing_paragraph_names()
        if eccn not in known:
            named = ", ".join(sorted(p for p in known if p.startswith(base)))
            raise InputError("item_eccn", f"'{value}' is not a paragraph of {base} "
                                          f"(the rules know {named}, or {base} alone)")
    return eccn


@cache
def advanced_computing_paragraph_names() -> frozenset[str]:
    """Every 3A090/4A090 paragraph the rules data names, with the paragraphs above it
    (3A090.a.1 gives 3A090.a too)."""
    rules = advanced_computing_rules()
    names = {p.paragraph for p in rules.paragraphs} | {d.paragraph for d in rules.derived}
    for name in list(names):
        parts = name.split(".")
        names.update(".".join(parts[:n]) for n in range(2, len(parts)))
    return frozenset(names)


def _reason(
    rule: LicenceRule, outcome: str, effect: str, policy: str | None, summary: str
) -> CheckReason:
    return CheckReason(
        rule_id=rule.id,
        outcome=outcome,
        effect=effect,
        review_policy=policy,
        summary=summary,
        citation=rule.citation.text(),
        source=rule.citation.url,
        effective_from=rule.period.effective_from,
        effective_to=rule.period.effective_to,
        caveat=rule.caveat,
    )


def _item_dict(item: Classification | None, eccn: str | None) -> dict[str, Any]:
    if item is not None:
        return item.to_dict()
    return {"item": eccn, "eccn": eccn, "paragraph": eccn, "given_as": "eccn"}


def _lists_dict(screener: Screener) -> dict[str, Any]:
    return {"snapshots": [s.to_dict() for s in screener.snapshots],
            "in_force": [f.to_dict() for f in screener.in_force],
            "starter_only": screener.starter_only}
