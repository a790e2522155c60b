"""Releases of technology or source code in the U.S. to a foreign person: deemed exports.

734.13(b): a release in the U.S. is an export to the person's most recent country of
citizenship or permanent residency; U.S. citizens, lawful permanent residents and protected
individuals are not foreign persons (772.1). Whether a licence is needed for the country it is
deemed to go to is read from the licensing rules' item and destination conditions (for the item
the technology is for), the embargoes, and the person's screening. Technology whose licence
requirements sit on the Commerce Country Chart (which exportguard does not hold) is `review`,
named as such; EAR99 technology outside the embargoes needs no licence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

from exportguard.check.determination import DECISION_RANK, CheckReason, Party, ScreenedParty
from exportguard.check.facts import destination_facts
from exportguard.check.jurisdiction import content_item_facts
from exportguard.check.parties import list_reasons, screen_party
from exportguard.check.request import ScreenerFor
from exportguard.check.rules import LicenceRule, licensing_rules
from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.items.eccn import is_technology_or_software, matches, parse_eccn
from exportguard.regime.dated import parse_as_of
from exportguard.regime.facts import fact_registry
from exportguard.regime.records import DatedRecord, RecordFile, Section, load_records

DATA_FILE = "data/regime/releases.yaml"
MAX_NATIONALITIES = 10
# Technology (and source code) "for" an advanced-computing item: the CCL puts it under RS
# control to the same destinations as the item (3E001, 4E001; software 3D001, 4D001).
_AC_TECHNOLOGY = ("3E001*", "4E001*", "3D001*", "4D001*", "4D090*")
_AC_ITEMS = ("3A090*", "4A090*")
RELEASE_QUESTIONS = {
    "for_item": "the item the technology is for, as an ECCN such as 3A090.a (--for-item)",
    "technology_country_chart": "the technology's reasons for control on the Commerce Country "
    "Chart for the country the release is deemed to go to (read its CCL entry)",
}


@dataclass(frozen=True)
class ReleaseRequest:
    """Release `technology` (an ECCN of product group D or E, or EAR99) in the U.S. to a person
    of these nationalities on `date`."""

    technology: str
    nationalities: tuple[str, ...] = ()
    permanent_resident: bool = False
    protected_individual: bool = False
    for_item: str | None = None
    person: str | None = None
    date: str | date | None = None


@dataclass
class ReleaseDetermination:
    as_of: date
    technology: str
    for_item: str | None
    nationalities: list[str]
    foreign_person: bool
    deemed_to: list[str]
    decision: str
    reasons: list[CheckReason]
    missing_facts: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    person: ScreenedParty | None = None
    rules_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "decision": self.decision,
            "as_of": self.as_of.isoformat(),
            "technology": self.technology,
            "for_item": self.for_item,
            "nationalities": self.nationalities,
            "foreign_person": self.foreign_person,
            "deemed_export": bool(self.deemed_to),
            "deemed_to": self.deemed_to,
            "reasons": [r.to_dict() for r in self.reasons],
            "missing_facts": self.missing_facts,
            "assumptions": self.assumptions,
            "person": self.person.to_dict() if self.person else None,
            "rules_version": self.rules_version,
        }


@cache
def release_rules() -> RecordFile:
    return load_records(DATA_FILE, (Section("releases", {}),))


def release(request: ReleaseRequest, *, screener_for: ScreenerFor | None = None
            ) -> ReleaseDetermination:
    """Is this release a deemed export, to where, and does it need a licence on the date?"""
    day = parse_as_of(request.date, "date")
    technology, for_item, nationalities = _checked(request)
    records = {r.id: r for r in release_rules()["releases"] if r.in_force(day)}
    version = f"releases {release_rules().version}; licensing {licensing_rules().version}"
    result = ReleaseDetermination(day, technology, for_item, list(nationalities), True, [],
                                  "no_license_required", [], rules_version=version)
    if "US" in nationalities or request.permanent_resident or request.protected_individual:
        status = ("a U.S. citizen" if "US" in nationalities else "a U.S. lawful permanent "
                  "resident" if request.permanent_resident else "a protected individual")
        result.foreign_person = False
        result.reasons.append(_record_reason(
            records["not-a-foreign-person"], "applies", "no_license_required",
            f"The person is {status}, not a foreign person: the release is not a deemed export."))
    else:
        result.deemed_to = list(nationalities)
        result.reasons.append(_record_reason(
            records["deemed-export"], "info", "no_license_required",
            f"Deemed export to {', '.join(nationalities)} (734.13(b))."))
        if len(nationalities) > 1:
            result.assumptions.append(
                "734.13(b) deems the release to the most recent country of citizenship or "
                "permanent residency; which one is most recent was not given, so each is "
                "assessed and the most restrictive answer kept.")
        for country in nationalities:
            result.reasons.extend(_country_reasons(result, records, country, day))
    _screen_person(result, request.person, screener_for, day)
    result.decision = _decision(result)
    return result


def _country_reasons(out: ReleaseDetermination, records: dict[str, DatedRecord],
                     country: str, day: date) -> list[CheckReason]:
    tech, item = out.technology, out.for_item
    facts = {**destination_facts(country, day),
             **content_item_facts(item if item else tech)}
    if facts["dest_e1"] or facts["dest_e2"]:
        return [CheckReason(
            rule_id="embargo-release", outcome="review", effect="review", review_policy=None,
            summary=f"{country} is an embargoed destination (Country Group E:1/E:2): releases "
            "of technology to its nationals need a licence in most cases (Part 746), and OFAC "
            "rules apply too; a person must decide.",
            citation="15 CFR Part 746; 734.13(b)", source="https://www.ecfr.gov/current/"
            "title-15/subtitle-B/chapter-VII/subchapter-C/part-746",
            effective_from=None, effective_to=None)]
    if tech == "EAR99":
        return [CheckReason(
            rule_id="ear99-technology-release", outcome="info", effect="no_license_required",
            review_policy=None, summary=f"EAR99 technology: no licence for a deemed export to "
            f"{country} outside the embargoes and the end-user and end-use rules.",
            citation="15 CFR 734.13(b); 736.2(b)", source="https://www.bis.gov/deemed-exports",
            effective_from=None, effective_to=None)]
    found: list[CheckReason] = []
    if matches(tech, _AC_TECHNOLOGY):
        if item is None:
            _missing(out, "for_item")
        elif matches(item, _AC_ITEMS):
            found = _ac_reasons(records, facts, country, day)
    _missing(out, "technology_country_chart")
    return [*found, CheckReason(
        rule_id="technology-country-chart", outcome="review", effect="review",
        review_policy=None, summary=f"{tech}: whether a release to a national of {country} "
        "needs a licence follows from its reasons for control (NS, MT, NP, AT ...) on the "
        "Commerce Country Chart, which exportguard does not hold.",
        citation="15 CFR 738.4; Supplement No. 1 to Part 738", source="https://www.ecfr.gov/current/title-15/subtitle-B/chapter-VII/"
        "subchapter-C/part-738", effective_from=None, effective_to=None)]


def _ac_reasons(records: dict[str, DatedRecord], facts: dict[str, Any], country: str,
                day: date) -> list[CheckReason]:
    """The advanced-computing rules that would license an export of the item to the country;
    for technology released in the U.S. they are a question, never a clearance (see the
    advanced-computing-technology-release record's caveat)."""
    usable = fact_registry().produced_by("item") | fact_registry().produced_by("destination")
    fired: list[LicenceRule] = [
        rule for rule in licensing_rules().rules_on(day)
        if rule.condition is not None and not rule.measure and rule.effect == "license_required"
        and set(rule.condition.facts()) <= usable and rule.condition.evaluate(facts)]
    excluded = records.get("advanced-computing-deemed-export-excluded")
    if fired and excluded is not None:
        names = ", ".join(f"{r.id} ({r.citation.cfr})" for r in fired)
        return [_record_reason(
            excluded, "info", "no_license_required",
            f"An export of this technology to {country} would need a licence under {names}; "
            f"{excluded.summary}")]
    record = records.get("advanced-computing-technology-release")
    if not fired or record is None:
        return []
    names = ", ".join(f"{r.id} ({r.citation.cfr})" for r in fired)
    return [_record_reason(
        record, "review", "review",
        f"An export of this technology to {country} needs a licence under {names}; "
        f"{record.summary}")]


def _screen_person(out: ReleaseDetermination, name: str | None,
                   screener_for: ScreenerFor | None, day: date) -> None:
    if not name or not name.strip():
        out.assumptions.append("The person was not screened against the lists (give --person).")
        return
    if screener_for is None:
        raise InputError("person", "screening the person needs the lists (a screener)")
    screened = screen_party(screener_for(day), Party(name=name.strip()[:300]), day)
    out.person = screened
    out.reasons.extend(list_reasons(screened, out.technology))


def _decision(out: ReleaseDetermination) -> str:
    decision = "no_license_required"
    for reason in out.reasons:
        if reason.outcome in ("applies", "review") and (
                DECISION_RANK.get(reason.effect, 0) > DECISION_RANK[decision]):
            decision = reason.effect
    if out.missing_facts and DECISION_RANK[decision] < DECISION_RANK["review"]:
        decision = "review"
    return decision


def _missing(out: ReleaseDetermination, fact: str) -> None:
    if fact not in out.missing_facts:
        out.missing_facts.append(fact)


def _record_reason(record: DatedRecord, outcome: str, effect: str, summary: str) -> CheckReason:
    return CheckReason(
        rule_id=record.id, outcome=outcome, effect=effect, review_policy=None, summary=summary,
        citation=record.citation.text(), source=record.citation.url,
        effective_from=record.period.effective_from, effective_to=record.period.effective_to,
        caveat=record.caveat)


def _nationality(value: str, index: int) -> str:
    try:
        return parse_country(value, "nationality")
    except InputError as exc:
        exc.index = index  # which one, for the API's `nationalities.N`
        raise


def _checked(request: ReleaseRequest) -> tuple[str, str | None, tuple[str, ...]]:
    if not (request.technology or "").strip():
        raise InputError("technology", "the technology's ECCN (product group D or E, e.g. "
                         "3E001) or EAR99 is required")
    technology = parse_eccn(request.technology, "technology")
    if technology != "EAR99" and not is_technology_or_software(technology):
        raise InputError("technology", f"{technology} is not technology or software (a "
                         "release is of an ECCN of product group D or E, or EAR99)")
    for_item = parse_eccn(request.for_item, "for_item") if request.for_item else None
    if len(request.nationalities) > MAX_NATIONALITIES:
        raise InputError("nationality", f"at most {MAX_NATIONALITIES} nationalities")
    nationalities = tuple(dict.fromkeys(_nationality(c, index)
                                        for index, c in enumerate(request.nationalities)))
    if not nationalities and not (request.permanent_resident or request.protected_individual):
        raise InputError("nationality", "give the person's citizenship or permanent residency "
                         "(--nationality, an ISO code), or say the person is a U.S. permanent "
                         "resident (--permanent-resident) or a protected individual "
                         "(--protected-individual)")
    if "US" in nationalities and request.permanent_resident:
        raise InputError("permanent_resident", "a U.S. citizen is not a permanent resident")
    return technology, for_item, nationalities
