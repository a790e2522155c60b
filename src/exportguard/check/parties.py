"""Screening the parties of a transaction as the lists stood on the date asked."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from exportguard.check.determination import CheckReason, Party, ScreenedParty
from exportguard.check.el_policy import entity_list_policy
from exportguard.check.rules import LicenceRule, licensing_rules
from exportguard.lists.listing_dates import listing_date
from exportguard.model import ListEntry
from exportguard.screening import CONFIRMED_SCORE, Match, Screener

Cleared = Callable[[str, str | None, ListEntry], int | None]
"""Looks up a (name, country, list entry) pair a reviewer cleared; gives the case id or None."""


def screen_party(screener: Screener, party: Party, day: date,
                 cleared: Cleared | None = None) -> ScreenedParty:
    """Matches of a party (and its named parent) against entries in force on `day`. A possible
    match a reviewer already cleared for this name (and neither side changed since) is kept
    apart, with its case, instead of asking for review again."""
    result = ScreenedParty(party)
    names = [(party.name, party.country)]
    if party.parent:
        names.append((party.parent, party.parent_hq))
    for name, country in names:
        screened = screener.screen(name, country=country, limit=10)
        for match in screened.matches:
            row = _match_row(match, name)
            entry = match.entry
            when = listing_date(entry, screener.fr_dates)
            row["listed_from"] = when.listed_from
            row["listed_from_basis"] = when.basis
            if when.window is not None:
                row["listing_window"] = when.window_dict()
            listed = when.listed_on(day)
            if listed is False:
                result.not_yet_listed.append(row)
            elif entry.end_date and entry.end_date < day:
                continue
            elif listed is not None and match.score >= CONFIRMED_SCORE:
                result.listed.append(row)
            else:
                if listed is None:
                    row["undated"] = True
                case = cleared(name, country, entry) if cleared else None
                if case is not None:
                    row["cleared_by_case"] = case
                    result.cleared.append(row)
                else:
                    result.possible.append(row)
    return result


def _match_row(match: Match, queried: str) -> dict[str, Any]:
    row = match.to_dict()
    row["queried"] = queried
    row["_entry"] = match.entry
    return row


def list_reasons(screened: ScreenedParty, eccn: str | None) -> list[CheckReason]:
    """The list rules that a party's confirmed and possible matches bring into play."""
    rules = licensing_rules().lists
    reasons: list[CheckReason] = []
    for row in screened.listed:
        entry = row["_entry"]
        code = entry.list_code
        rule = rules.get(code)
        if rule is not None and rule.informational:
            reasons.append(_info_reason(rule, row, screened.party.name))
            continue
        if rule is None:
            reasons.append(
                _list_reason(
                    None,
                    row,
                    "review",
                    "review",
                    None,
                    f"The party is on the {code} list, which exportguard "
                    "does not evaluate; a person must decide.",
                    screened.party.name,
                )
            )
            continue
        effect, caveat = rule.effect, rule.caveat
        policy = rule.review_policy({})[0]
        outcome = "review" if effect == "review" else "applies"
        summary = rule.summary
        if code == "EL":
            policy, note = entity_list_policy(entry.license_policy or "", eccn)
            caveat = " ".join(filter(None, [note, rule.caveat]))
            summary += f" Licence requirement: {entry.license_requirement or 'not stated'}."
        reasons.append(
            _list_reason(rule, row, outcome, effect, policy, summary, screened.party.name, caveat)
        )
    for row in screened.possible:
        entry = row["_entry"]
        rule = rules.get(entry.list_code)
        if rule is not None and rule.informational:
            # an informational list never changes an export decision, fuzzy or exact
            reasons.append(_info_reason(rule, row, screened.party.name, possible=True))
            continue
        if row.get("undated"):
            text = (
                f"'{row['queried']}' matches {entry.list_code} entry '{entry.name}' (score "
                f"{row['score']:.2f}), listed in {row['listed_from']} on a day the list "
                "record does not give: whether it was listed on the date asked decides."
            )
        else:
            text = (
                f"Possible match (score {row['score']:.2f}) of '{row['queried']}' with "
                f"{entry.list_code} entry '{entry.name}': a person must confirm or clear it."
            )
        reasons.append(
            _list_reason(
                rule,
                row,
                "review",
                "review",
                None,
                text,
                screened.party.name,
                rule_id="possible-match",
            )
        )
    for row in screened.not_yet_listed:
        entry = row["_entry"]
        reasons.append(
            _list_reason(
                None,
                row,
                "info",
                "no_license_required",
                None,
                f"'{entry.name}' ({entry.list_code}) was listed from {row['listed_from']} "
                f"({row['listed_from_basis']}), after the date asked; it did not apply then.",
                screened.party.name,
                rule_id="listed-later",
            )
        )
    return reasons


def _info_reason(rule: LicenceRule, row: dict[str, Any], party: str,
                 possible: bool = False) -> CheckReason:
    summary = rule.summary
    if possible:
        summary = (f"Possible match (score {row['score']:.2f}) of '{row['queried']}'; "
                   "information only. " + summary)
    return _list_reason(rule, row, "info", "no_license_required", None, summary, party,
                        rule_id=rule.id)


def _list_reason(
    rule: LicenceRule | None,
    row: dict[str, Any],
    outcome: str,
    effect: str,
    policy: str | None,
    summary: str,
    party: str,
    caveat: str | None = None,
    rule_id: str | None = None,
) -> CheckReason:
    entry = row["_entry"]
    notices = "; ".join(entry.federal_register) or "no notice in the list record"
    citation = f"{rule.citation.cfr}; {notices}" if rule else notices
    return CheckReason(
        rule_id=rule_id or (rule.id if rule else f"list-{entry.list_code.lower()}"),
        outcome=outcome,
        effect=effect,
        review_policy=policy,
        summary=f"{summary} Listed entry: {entry.name} ({entry.list_code}).",
        citation=citation,
        source=rule.citation.url if rule else (entry.source_list_url or ""),
        effective_from=entry.start_date,
        effective_to=entry.end_date,
        caveat=caveat if caveat is not None else (rule.caveat if rule else None),
        party=party,
    )
