"""Is a U.S. person's transaction prohibited, notifiable, excepted or not covered under 31 CFR
Part 850 on its completion date?

The steps follow the rule: is the rule in force on the date; is the investor a U.S. person (or
its controlled foreign entity); what covered activity does the target engage in, and does that
activity make the transaction prohibited or notifiable; is the target a covered foreign person;
is the transaction excepted. Every step cites its record in outbound.yaml; a fact the step needs
and the question lacks leaves the answer `undetermined` and is named in `missing_facts`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from typing import Any, Literal

from exportguard.countries import parse_country
from exportguard.errors import InputError
from exportguard.outbound.rules import Activity, OutboundRules, Rule, outbound_rules
from exportguard.regime.conditions import Condition, unknown_facts
from exportguard.regime.dated import parse_as_of

Classification = Literal["prohibited", "notifiable", "excepted", "not_covered", "undetermined"]
END_USES = ("military", "intelligence", "surveillance")
NO_END_USE = "none"  # said explicitly: none of END_USES (not giving an end use leaves it unknown)
COUNTRIES_OF_CONCERN = frozenset({"CN", "HK", "MO"})
MAX_TARGET_CHARS = 200
MAX_ACTIVITIES = 20
MAX_COMPUTE = 1e40
_SHARES = ("coc_ownership", "revenue_share", "net_income_share", "capex_share", "opex_share")


@dataclass(frozen=True)
class OutboundQuestion:
    """One transaction, as the CLI flags, the API body and the web form give it."""

    date: str | date | None = None
    us_person: bool | None = None
    controlled_by_us_person: bool | None = None
    transaction: str | None = None
    target: str | None = None
    target_country: str | None = None
    activities: tuple[str, ...] = ()
    end_uses: tuple[str, ...] = ()
    coc_ownership: float | None = None
    revenue_share: float | None = None
    net_income_share: float | None = None
    capex_share: float | None = None
    opex_share: float | None = None
    training_compute: float | None = None
    bio_sequence_data: bool | None = None
    ic_3a090a: bool | None = None
    ic_advanced_node: bool | None = None
    ic_advanced_packaging: bool | None = None
    exclusive_end_use: bool | None = None
    ai_cyber_or_robotics: bool | None = None
    lp_committed_capital: float | None = None
    lp_passive_rights: bool | None = None
    lp_contractual_assurance: bool | None = None
    public_rights_beyond_minority: bool | None = None


@dataclass(frozen=True)
class Reason:
    rule_id: str
    summary: str
    citation: str
    source: str
    url: str
    effective_from: str | None
    effective_to: str | None
    caveat: str | None = None


@dataclass
class OutboundDetermination:
    """The answer; `to_dict` is what `--json` prints and the API returns."""

    as_of: date
    classification: Classification
    transaction: str | None
    target: str | None
    target_country: str | None
    covered_activities: list[dict[str, str]]
    knowledge_standard: str
    filing: dict[str, Any] | None
    reasons: list[Reason]
    missing_facts: list[dict[str, str]]
    caveats: list[str]
    listed_target: list[dict[str, Any]] = field(default_factory=list)
    rules_version: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["as_of"] = self.as_of.isoformat()
        return data


def outbound(question: OutboundQuestion, screener: Any = None) -> OutboundDetermination:
    """Classify `question` under Part 850. `screener` (optional) screens the target's name
    against the restricted-party lists as information: Part 850 turns on activities, not lists."""
    rules = outbound_rules()
    day = parse_as_of(question.date, "date")
    facts = _facts(question, rules)
    work = _Work(rules, day, facts)
    classification = work.decide(question)
    result = OutboundDetermination(
        as_of=day, classification=classification, transaction=question.transaction,
        target=_clean(question.target), target_country=facts.get("target_country"),
        covered_activities=work.activities, knowledge_standard=rules.rules["knowledge"].summary,
        filing=work.filing(classification), reasons=work.reasons,
        missing_facts=[{"fact": f, "label": rules.facts[f].label} for f in work.missing
                       if f in rules.facts] + [m for m in work.extra_missing],
        caveats=list(dict.fromkeys(work.caveats)), rules_version=rules.version)
    if screener is not None and result.target:
        result.listed_target = _screen_target(screener, result.target, result.target_country)
        if result.listed_target:
            result.caveats.append(
                "The target matches restricted-party list entries (shown as information): Part "
                "850 turns on the target's activities, not on lists, so a listing neither makes "
                "a transaction prohibited nor clears it here. Lists carry their own rules "
                "(NS-CMIC for publicly traded securities: exportguard invest). Whether 31 CFR "
                "850.224, whose text was not read, also names listed persons was not verified: "
                "check it for a listed target.")
    return result


class _Work:
    """The reasons, caveats and missing facts gathered while deciding."""

    def __init__(self, rules: OutboundRules, day: date, facts: dict[str, Any]) -> None:
        self.rules, self.day, self.facts = rules, day, facts
        self.reasons: list[Reason] = []
        self.caveats: list[str] = []
        self.missing: list[str] = []
        self.extra_missing: list[dict[str, str]] = []
        self.activities: list[dict[str, str]] = []

    def cite(self, rule: Rule, summary: str | None = None) -> None:
        c = rule.citation
        self.reasons.append(Reason(rule.id, summary or rule.summary, c.cfr, c.source, c.url,
                                   _iso(rule.period.effective_from),
                                   _iso(rule.period.effective_to), rule.caveat))
        if rule.caveat:
            self.caveats.append(rule.caveat)

    def need(self, condition: Condition) -> None:
        for fact in unknown_facts(condition, self.facts):
            if fact not in self.missing:
                self.missing.append(fact)

    def decide(self, q: OutboundQuestion) -> Classification:
        rules = self.rules.rules
        programme = self.rules.programme
        if not programme.period.contains(self.day):
            self.cite(rules["not-in-force"])
            return "not_covered"
        self.cite(programme)
        who = rules["us-person"]
        assert who.condition is not None
        if who.condition.evaluate(self.facts) is False:
            self.cite(who, "The investor is neither a U.S. person nor a U.S. person's controlled "
                           "foreign entity: Part 850 does not bind it.")
            return "not_covered"
        if who.condition.evaluate(self.facts) is None:
            self.need(who.condition)
        candidate = self._activities(q)
        if candidate == "not_covered":
            return "not_covered"
        cfp = rules["covered-foreign-person"]
        assert cfp.condition is not None
        found = cfp.condition.evaluate(self.facts)
        if found is False:
            self.cite(cfp, "The target is not a covered foreign person: not organised or based "
                           "in a country of concern, not majority-held by its persons, and no "
                           "share over 50 % from covered persons.")
            return "not_covered"
        if found is None:
            self.need(cfp.condition)
        else:
            self.cite(cfp)
        if q.transaction is None:
            self.extra_missing.append({"fact": "transaction", "label": "the transaction type"})
        else:
            t = self.rules.transactions[q.transaction]
            self.caveats.append(f"Transaction: {t.summary} ({t.paragraph}). "
                                f"{self.rules.transactions_caveat}")
        if candidate != "undetermined" and (excepted := self._exceptions(q)):
            return excepted
        if self.missing or self.extra_missing or candidate == "undetermined":
            return "undetermined"
        self.cite(rules[candidate])
        if self.facts.get("us_person") is not True:
            self.caveats.append("The investor is a U.S. person's controlled foreign entity: the "
                                "U.S. person must take all reasonable steps to prevent a "
                                "prohibited transaction and notify a notifiable one (850.302).")
        return candidate

    def _activities(self, q: OutboundQuestion) -> Classification:
        """The most severe outcome the target's activities give; `not_covered` when none is a
        covered activity as described."""
        if not q.activities:
            self.extra_missing.append({"fact": "activity", "label": "the target's activities "
                                       "(exportguard outbound --list-activities)"})
            return "undetermined"
        outcomes = [self._activity(self.rules.activities[code]) for code in q.activities]
        for outcome in ("prohibited", "undetermined", "notifiable"):
            if outcome in outcomes:
                return outcome  # type: ignore[return-value]
        self.reasons.append(Reason(
            "no-covered-activity", "None of the activities given is a covered activity as "
            "described (e.g. an AI system with none of the 850.217(d) uses and training compute "
            "at or below 10^23 operations).", "31 CFR 850.217, 850.224",
            "89 FR 90398 (2024-11-15)", "https://www.federalregister.gov/d/2024-25422",
            "2025-01-02", None))
        return "not_covered"

    def _activity(self, a: Activity) -> Classification:
        prohibited = (a.prohibited if isinstance(a.prohibited, bool) or a.prohibited is None
                      else a.prohibited.evaluate(self.facts))
        notifiable = None if a.notifiable is None else a.notifiable.evaluate(self.facts)
        if prohibited is True:
            outcome: Classification = "prohibited"
        elif prohibited is None and a.prohibited is not None:
            self.need(a.prohibited)  # type: ignore[arg-type]
            outcome = "undetermined"
        elif notifiable is True:
            outcome = "notifiable"
        elif notifiable is None and a.notifiable is not None:
            self.need(a.notifiable)
            outcome = "undetermined"
        else:
            outcome = "not_covered"
        self.activities.append({"activity": a.code, "outcome": outcome,
                                "paragraph": a.paragraph, "summary": a.summary})
        if a.caveat:
            self.caveats.append(a.caveat)
        return outcome

    def _exceptions(self, q: OutboundQuestion) -> Classification | None:
        for rule in self.rules.rules.values():
            if rule.outcome != "excepted" or rule.transaction != q.transaction:
                continue
            assert rule.condition is not None
            held = rule.condition.evaluate(self.facts)
            if held is True:
                self.cite(rule)
                return "excepted"
            if held is None:
                self.need(rule.condition)
        return None

    def filing(self, classification: Classification) -> dict[str, Any] | None:
        if classification == "notifiable":
            rule = self.rules.rules["notifiable"]
            days = rule.deadline_days or 0
            return {"duty": "notify Treasury through the Outbound Notification System",
                    "deadline_days": days, "completion_date": self.day.isoformat(),
                    "deadline": (self.day + timedelta(days=days)).isoformat(),
                    "citation": rule.citation.cfr}
        if classification == "prohibited":
            return {"duty": "do not engage in the transaction unless Treasury grants a national "
                            "interest exemption (31 CFR 850.502)", "deadline_days": None,
                    "completion_date": self.day.isoformat(), "deadline": None,
                    "citation": self.rules.rules["prohibited"].citation.cfr}
        return None


def _facts(q: OutboundQuestion, rules: OutboundRules) -> dict[str, Any]:
    """The question as the rules' facts, each value validated; unknown codes name their field."""
    if q.transaction is not None and q.transaction not in rules.transactions:
        raise InputError("transaction", f"'{q.transaction}' is not one of "
                         f"{', '.join(rules.transactions)}")
    if len(q.activities) > MAX_ACTIVITIES:
        raise InputError("activity", f"at most {MAX_ACTIVITIES} activities")
    for code in q.activities:
        if code not in rules.activities:
            raise InputError("activity", f"'{code}' is not a covered-activity code; "
                             f"exportguard outbound --list-activities prints them")
    for use in q.end_uses:
        if use not in (*END_USES, NO_END_USE):
            raise InputError("end_use", f"'{use}' is not one of {', '.join(END_USES)} or "
                             f"{NO_END_USE}")
    if NO_END_USE in q.end_uses and len(set(q.end_uses)) > 1:
        raise InputError("end_use", f"'{NO_END_USE}' cannot be combined with an end use")
    if q.target is not None and len(q.target) > MAX_TARGET_CHARS:
        raise InputError("target", f"longer than {MAX_TARGET_CHARS} characters")
    facts: dict[str, Any] = {name: getattr(q, name) for name in rules.facts if hasattr(q, name)}
    for name in _SHARES:
        facts[name] = _number(getattr(q, name), name, 0.0, 100.0)
    facts["training_compute"] = _number(q.training_compute, "training_compute", 0.0, MAX_COMPUTE)
    facts["lp_committed_capital"] = _number(q.lp_committed_capital, "lp_committed_capital", 0.0,
                                            1e15)
    if q.target_country:
        code = parse_country(q.target_country, "target_country")
        facts["target_country"] = code
        facts["target_in_country_of_concern"] = code in COUNTRIES_OF_CONCERN
    for use in END_USES:
        facts[f"end_use_{use}"] = (use in q.end_uses) if q.end_uses else None
    return facts


def _number(value: float | None, name: str, low: float, high: float) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InputError(name, f"'{value}' is not a number")
    if not low <= value <= high:
        raise InputError(name, f"{value:g} is outside {low:g}..{high:g}")
    return float(value)


def _screen_target(screener: Any, name: str, country: str | None) -> list[dict[str, Any]]:
    found = screener.screen(name, country=country, limit=5)
    return [{"list": m.entry.list_code, "name": m.entry.name, "score": round(m.score, 3),
             "entry": m.entry.key} for m in found.matches]


def _clean(text: str | None) -> str | None:
    return " ".join(text.split()) or None if text else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None
