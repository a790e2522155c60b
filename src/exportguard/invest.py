"""May a U.S. person buy, or must they sell, a security under the NS-CMIC programme on a date?

The programme (E.O. 13959 as amended by E.O. 14032, 31 CFR Part 586) bars U.S. persons from buying
or selling publicly traded securities of listed Chinese companies, with a 365-day window in which
selling to divest stays lawful. The rules and the 68 listed issuers are data in
data/regime/ns_cmic.yaml, each with its dates and citations; this module finds the issuer a
ticker, ISIN or name refers to and reads the dates that apply on the day asked.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from exportguard.errors import InputError
from exportguard.names.normalize import name_forms
from exportguard.regime.dated import Citation, Period, parse_as_of
from exportguard.regime.records import Section, parse_records

DATA_FILE = "data/regime/ns_cmic.yaml"
MAX_SECURITY_CHARS = 200
PART_850_SECTORS = frozenset({"semiconductors", "ai", "quantum", "computing"})
PROGRAMMES = {"ccmc": "CCMC list (E.O. 13959)", "ns-cmic": "NS-CMIC List (E.O. 14032)"}
_MARKETS = {
    **dict.fromkeys(("CN", "SZ", "SS", "SH", "SHE", "SHA", "SZSE", "SSE"), "CN"),
    **dict.fromkeys(("HK", "HKG", "HKEX"), "HK"), **dict.fromkeys(("US", "N", "OQ"), "US"),
    **dict.fromkeys(("DE", "F", "GR"), "DE"), **dict.fromkeys(("SG", "SI"), "SG"),
    "RU": "RU", "AR": "AR", "BR": "BR", "CA": "CA", "TO": "CA",
}
_ISIN = re.compile(r"^[A-Z]{2}[A-Z0-9]{9}[0-9]$")
_TICKER = re.compile(r"^([0-9A-Z]{1,8})(?:([ .:])([A-Z]{1,5}))?$")


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    period: Period
    citation: Citation
    caveat: str | None


@dataclass(frozen=True)
class Action:
    """A listing event (an Annex, an OFAC action): the dates it gives every issuer it lists."""

    id: str
    programme: str
    summary: str
    listing_date: date
    purchase_prohibited_from: date
    divestment_prohibited_from: date
    ended: date | None
    possession_banned: bool
    citation: Citation
    caveat: str | None

    @property
    def divest_by(self) -> date:
        """The last day a sale solely to divest is permitted (prohibited from 12:01 a.m. next)."""
        return self.divestment_prohibited_from - timedelta(days=1)

    def applies(self, day: date) -> bool:
        return self.listing_date <= day and (self.ended is None or day < self.ended)


@dataclass(frozen=True)
class Issuer:
    id: str
    name: str
    names: tuple[str, ...]
    tickers: tuple[str, ...]
    isins: tuple[str, ...]
    entity_number: int | None
    sectors: frozenset[str]
    listings: tuple[Action, ...]
    source: str | None
    url: str | None
    caveat: str | None


@dataclass(frozen=True)
class Reason:
    rule_id: str
    summary: str
    citation: str
    source: str
    effective_from: str | None
    effective_to: str | None


@dataclass(frozen=True)
class InvestmentDetermination:
    """The answer for one security on one day; `to_dict` is what `--json` prints.

    `divest_by` is the last day a sale solely to divest is permitted: OFAC's "Purchase/Sales For
    Divestment Date" is the day that prohibition starts. `must_divest_by` repeats it while the
    window is open and is None once it has closed: selling is then prohibited too. Divesting is
    never compulsory under E.O. 14032 (OFAC FAQ 1046), so `may_hold` stays true; only the revoked
    E.O. 13974 would have banned possession, from a date it never reached.
    """

    security: str
    issuer: str | None
    issuer_id: str | None
    ofac_entity_number: int | None
    matched_on: str | None
    as_of: date
    programme: str | None
    listed: bool
    listing_date: date | None
    purchase_prohibited_from: date | None
    divest_by: date | None
    may_buy: bool
    may_hold: bool
    must_divest_by: date | None
    decision: str
    reasons: tuple[Reason, ...]
    caveats: tuple[str, ...]
    rules_version: str

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = value.isoformat()
        data["reasons"] = [asdict(r) for r in self.reasons]
        data["caveats"] = list(self.caveats)
        return data


class NsCmic:
    """The rules, actions and issuers of ns_cmic.yaml, indexed by ticker, ISIN and name."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.version = str(data["version"])
        src = data["list_source"]
        self.list_citation = Citation("OFAC NS-CMIC List", src["source"].strip(), src["url"])
        # the rules are in the common dated-record format, checked by its loader
        records = parse_records(data, DATA_FILE, (Section("rules"),),
                                extra_keys=("list_source", "actions", "issuers"))
        self.rules = {r.id: Rule(r.id, r.summary, r.period, r.citation, r.caveat)
                      for r in records["rules"]}
        self.actions = {a["id"]: _action(a) for a in data["actions"]}
        self.issuers = [self._issuer(r) for r in data["issuers"]]
        self._tickers: dict[tuple[str, str | None], set[str]] = {}
        self._isins: dict[str, set[str]] = {}
        # Names by three keys, strictest first: as written (case and punctuation aside); the
        # normalised text with its legal form; the normalised core. The first that finds decides.
        self._tiers: tuple[dict[str, set[str]], ...] = ({}, {}, {})
        for issuer in self.issuers:
            for ticker in issuer.tickers:
                key = _ticker_key(ticker)
                if key is None:
                    raise ValueError(f"{DATA_FILE}: {issuer.id}: bad ticker '{ticker}'")
                self._tickers.setdefault(key, set()).add(issuer.id)
            for isin in issuer.isins:
                self._isins.setdefault(isin, set()).add(issuer.id)
            for text in (issuer.name, *issuer.names):
                for tier, keys in zip(self._tiers, _name_keys(text), strict=True):
                    for key in keys:
                        tier.setdefault(key, set()).add(issuer.id)
        self._by_id = {i.id: i for i in self.issuers}

    def _issuer(self, r: dict[str, Any]) -> Issuer:
        unknown = [a for a in r["listings"] if a not in self.actions]
        if unknown:
            raise ValueError(f"{DATA_FILE}: {r['id']}: unknown listing {unknown}")
        return Issuer(r["id"], r["name"], tuple(r.get("names") or ()),
                      tuple(r.get("tickers") or ()), tuple(r.get("isins") or ()),
                      r.get("ofac_entity_number"), frozenset(r.get("sectors") or ()),
                      tuple(self.actions[a] for a in r["listings"]), r.get("source"),
                      r.get("url"), r.get("caveat"))

    def resolve(self, text: str) -> tuple[Issuer | None, str | None]:
        """The issuer a ticker, ISIN or name refers to; (None, None) when no name is near."""
        upper = text.upper()
        if _ISIN.match(upper):
            if upper in self._isins:
                return self._one(self._isins[upper], text), "isin"
            why = ("is not a valid ISIN (check digit)" if not _isin_ok(upper) else
                   "is not an ISIN exportguard has for an NS-CMIC issuer (OFAC's bond ISINs are "
                   "kept for a few issuers only); give the issuer's name")
            raise InputError("security", f"'{text}' {why}")
        m = _TICKER.match(upper)
        if m and (m[1].isdigit() or (m[3] and any(c.isdigit() for c in m[1])) or m[2] == "."):
            if m[3] and m[3] not in _MARKETS:
                raise InputError("security", f"'{text}': unknown exchange suffix '.{m[3]}' "
                                 "(use e.g. .SZ, .SS, .HK or .US)")
            ids = self._ticker_ids(_ticker_key(upper))
            if not ids:
                raise InputError("security", f"'{text}' is not a ticker of any issuer on the "
                                 "NS-CMIC data; give the issuer's name or ISIN")
            return self._one(ids, text), "ticker"
        if m and not m[2] and (ids := self._ticker_ids((m[1], None))):
            return self._one(ids, text), "ticker"
        keys = _name_keys(text)
        if not keys[1]:
            raise InputError("security", f"'{text}' has no letters or digits to match")
        for tier, tier_keys in zip(self._tiers, keys, strict=True):
            ids = {i for key in tier_keys for i in tier.get(key, ())}
            if ids:
                return self._one(ids, text), "name"
        near = self._near([f.compact for f in name_forms(text)])
        if near:
            raise InputError("security", f"no exact match for '{text}'; near names on the list: "
                             f"{'; '.join(near)}; give the full name, a ticker or an ISIN")
        return None, None

    def _ticker_ids(self, key: tuple[str, str | None] | None) -> set[str]:
        if key is None:
            return set()
        if key[1] is not None:
            return self._tickers.get(key, set())
        return {i for (code, _), ids in self._tickers.items() if code == key[0] for i in ids}

    def _one(self, ids: set[str], text: str) -> Issuer:
        if len(ids) > 1:
            names = "; ".join(sorted(self._by_id[i].name for i in ids))
            raise InputError("security", f"'{text}' names more than one issuer ({names}); "
                             "give the full name, a ticker or an ISIN")
        return self._by_id[next(iter(ids))]

    def _near(self, compacts: list[str]) -> list[str]:
        ids: list[str] = []
        names = self._tiers[2]
        for query in compacts:
            for key, _score, _ in process.extract(query, list(names), scorer=fuzz.ratio,
                                                  score_cutoff=85, limit=10):
                ids.extend(names[key])
            if len(query) >= 5:
                ids.extend(i for key, owners in names.items() if len(key) >= 5
                           and " " not in key and (key in query or query in key) for i in owners)
        return list(dict.fromkeys(self._by_id[i].name for i in ids))[:5]


def invest(security: str, on: date | str | None = None) -> InvestmentDetermination:
    """Decide whether a U.S. person may buy, hold or must sell `security` on day `on`."""
    day = parse_as_of(on, "date")
    text = " ".join((security or "").split())
    if not text:
        raise InputError("security", "a ticker, ISIN or company name is required")
    if len(text) > MAX_SECURITY_CHARS:
        raise InputError("security", f"longer than {MAX_SECURITY_CHARS} characters")
    reg = regime()
    issuer, matched_on = reg.resolve(text)
    return _determine(reg, text, issuer, matched_on, day)


class _Memo:
    """Reasons and caveats gathered while deciding, each reason with its citation and dates."""

    def __init__(self, reg: NsCmic, issuer: Issuer | None) -> None:
        self.reg, self.reasons, self.caveats = reg, [], []
        if issuer and issuer.caveat:
            self.caveats.append(issuer.caveat)

    def cite(self, rule_id: str, summary: str, start: date | None, end: date | None,
             citation: Citation | None = None) -> None:
        rule = self.reg.rules.get(rule_id)
        c = (citation or rule.citation) if rule else citation
        assert c is not None, rule_id
        self.reasons.append(Reason(rule_id, summary, c.text(), c.url, _iso(start), _iso(end)))
        if rule and rule.caveat:
            self.caveats.append(" ".join(rule.caveat.split()))

    def rule(self, rule_id: str, day: date | None) -> None:
        """Cite a programme rule in its own words if it is in force on `day` (always if None)."""
        rule = self.reg.rules[rule_id]
        if day is None or rule.period.contains(day):
            self.cite(rule_id, rule.summary, rule.period.effective_from, rule.period.effective_to)


def _determine(reg: NsCmic, text: str, issuer: Issuer | None, matched_on: str | None,
               day: date) -> InvestmentDetermination:
    listings = issuer.listings if issuer else ()
    action = max((a for a in listings if a.applies(day)), key=lambda a: a.listing_date,
                 default=None)
    memo = _Memo(reg, issuer)
    if issuer and issuer.entity_number:
        extra = f"; other sources: {issuer.source}" if issuer.source else ""
        memo.cite(f"ofac-row-{issuer.entity_number}", f"'{text}' matched on {matched_on}: "
                  f"{issuer.name}, NS-CMIC row {issuer.entity_number}{extra}", None, None,
                  reg.list_citation)
    if action is None or issuer is None:
        decision, may_buy, may_hold, must = "not_listed", True, True, None
        _not_listed(memo, text, issuer, day)
    else:
        decision, may_buy, may_hold, must = _listed(memo, issuer, action, day)
    memo.rule("scope", None)
    if issuer and issuer.sectors & PART_850_SECTORS:
        p850 = reg.rules["part850"]
        when = "It applies on this date." if p850.period.contains(day) else (
            f"It applies from {p850.period.effective_from}, not on this date.")
        memo.caveats.append(f"{p850.summary} {when} {p850.citation.text()}, {p850.citation.url}")
    return InvestmentDetermination(
        text, issuer.name if issuer else None, issuer.id if issuer else None,
        issuer.entity_number if issuer else None, matched_on, day,
        action.programme if action else None, action is not None,
        action.listing_date if action else None,
        action.purchase_prohibited_from if action else None,
        action.divest_by if action else None, may_buy, may_hold, must, decision,
        tuple(memo.reasons), tuple(dict.fromkeys(memo.caveats)), reg.version)


def _not_listed(memo: _Memo, text: str, issuer: Issuer | None, day: date) -> None:
    who = issuer.name if issuer else f"'{text}'"
    if issuer is None:
        memo.cite("not-on-list", f"{who} matches no issuer on the NS-CMIC List, exactly or "
                  "nearly, so no NS-CMIC restriction applies to it", None, None,
                  memo.reg.list_citation)
    elif not issuer.listings:
        memo.cite("not-on-list", f"{who} is not on the NS-CMIC List. {issuer.source}", None,
                  None, Citation("NS-CMIC List", "checked", issuer.url or ""))
    for a in issuer.listings if issuer else ():
        if a.ended and a.ended <= day:
            last = a.ended - timedelta(days=1)
            memo.cite(a.id, f"{who} was on the {PROGRAMMES[a.programme]} from {a.listing_date} "
                      f"until {last}, when E.O. 14032 replaced it", a.listing_date, last,
                      a.citation)
        elif a.listing_date > day:
            memo.cite(a.id, f"{who} is not listed on {day}: {a.summary} lists it on "
                      f"{a.listing_date}, with purchases prohibited from "
                      f"{a.purchase_prohibited_from}", a.listing_date, None, a.citation)
    memo.rule("eo14032-transition", day)
    ccmc = memo.reg.rules["eo13959-ccmc"].period
    if ccmc.contains(day):
        memo.caveats.append("On this date E.O. 13959 (the CCMC list) applied; exportguard records "
                            "CCMC status only for issuers that are also NS-CMIC rows.")


def _listed(memo: _Memo, issuer: Issuer, action: Action,
            day: date) -> tuple[str, bool, bool, date | None]:
    ccmc, divest_by = action.programme == "ccmc", action.divest_by
    if day < action.purchase_prohibited_from:
        decision, may_buy, must = "permitted_before_effective_date", True, divest_by
    elif day <= divest_by:
        decision, may_buy, must = "purchase_prohibited_divest_window", False, divest_by
    else:
        decision, may_buy, must = "prohibited", False, None
    end = action.ended - timedelta(days=1) if action.ended else None
    memo.cite(action.id, f"{issuer.name} is on the {PROGRAMMES[action.programme]}: "
              f"{action.summary}; listed {action.listing_date}", action.listing_date, end,
              action.citation)
    if ccmc:
        memo.cite("eo13959-ccmc", f"Purchases by U.S. persons prohibited from "
                  f"{action.purchase_prohibited_from}.", action.purchase_prohibited_from, end)
    else:
        rule = memo.reg.rules["eo14032-purchase"]
        memo.cite(rule.id, f"Purchases and sales by U.S. persons prohibited from "
                  f"{action.purchase_prohibited_from}. {rule.summary}",
                  action.purchase_prohibited_from, None)
    memo.cite("eo13959-ccmc" if ccmc else "eo14032-divestment",
              f"A sale made solely to divest is permitted until {divest_by}; "
              f"from {action.divestment_prohibited_from} it is prohibited.",
              action.listing_date, min(divest_by, end) if end else divest_by)
    memo.rule("eo13974-possession" if ccmc else "eo14032-holding", day)
    if not ccmc:
        memo.rule("part586", day)
    if action.caveat:
        memo.caveats.append(" ".join(action.caveat.split()))
    return decision, may_buy, not (action.possession_banned and day > divest_by), must


def _action(a: dict[str, Any]) -> Action:
    def day(key: str) -> date | None:
        value = a.get(key)
        return value if isinstance(value, date) or value is None else date.fromisoformat(value)

    listed, buy, divest = (day(k) for k in ("listing_date", "purchase_prohibited_from",
                                             "divestment_prohibited_from"))
    if listed is None or buy is None or divest is None or not listed <= buy < divest:
        raise ValueError(f"{DATA_FILE}: {a['id']}: dates missing or out of order")
    return Action(a["id"], a["programme"], a["summary"], listed, buy, divest, day("ended"),
                  bool(a.get("possession_prohibited_after_divestment")),
                  Citation.from_data(a["citation"], a["id"]), a.get("caveat"))


def _name_keys(text: str) -> tuple[list[str], list[str], list[str]]:
    forms = name_forms(text)
    raw = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).casefold())
    return [raw], [f.text for f in forms], [k for f in forms for k in (f.core, f.compact)]


def _ticker_key(text: str) -> tuple[str, str | None] | None:
    m = _TICKER.match(" ".join(text.upper().split()))
    if not m or (m[3] and m[3] not in _MARKETS):
        return None
    code = (m[1].lstrip("0") or "0") if m[1].isdigit() else m[1]
    return code, _MARKETS[m[3]] if m[3] else None


def _isin_ok(isin: str) -> bool:
    """The ISIN check digit (Luhn over the letters read as numbers 10-35)."""
    digits = "".join(str(int(c, 36)) for c in isin[:-1])
    total = sum(d if i % 2 else (2 * d - 9 if d > 4 else 2 * d)
                for i, d in enumerate(int(c) for c in reversed(digits)))
    return (10 - total % 10) % 10 == int(isin[-1])


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def ns_cmic_listing(entity_number: str | None, name: str) -> tuple[date, str] | None:
    """The day the issuer of a CMIC list row (CSL or OFAC) was first listed, from the built-in
    data: found by OFAC entity number, else by its exact name; None when not found."""
    reg = regime()
    issuer = next((i for i in reg.issuers if entity_number and i.entity_number is not None
                   and str(i.entity_number) == str(entity_number).strip()), None)
    if issuer is None:
        try:
            issuer, how = reg.resolve(name)
        except InputError:
            return None
        if how != "name":
            issuer = None
    if issuer is None or not issuer.listings:
        return None
    first = min(issuer.listings, key=lambda a: a.listing_date)
    return first.listing_date, (f"the built-in NS-CMIC data ({issuer.name}: {first.summary}; "
                                f"{first.citation.source})")


@cache
def regime() -> NsCmic:
    """The NS-CMIC data, read once."""
    text = resources.files("exportguard").joinpath(DATA_FILE).read_text(encoding="utf-8")
    return NsCmic(yaml.safe_load(text))
