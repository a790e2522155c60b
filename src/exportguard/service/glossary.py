"""The glossary page's content, read from the engine's own data so it cannot drift from it: the
lists (codes and what a listing does), the decisions, the screening features and every dated rule
with its citation. Each rule's anchor is its id, so a memo links a rule id to its entry."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from exportguard.check.exceptions import exception_rules
from exportguard.check.jurisdiction import jurisdiction_rules
from exportguard.check.release import release_rules
from exportguard.check.rules import licensing_rules
from exportguard.lists.codes import LIST_NAMES
from exportguard.ownership.resolve import ownership_rules
from exportguard.regime.advanced_computing import advanced_computing_rules
from exportguard.regime.dated import Citation, Period
from exportguard.service.wording import first_sentence


@dataclass(frozen=True, slots=True)
class Term:
    anchor: str
    term: str
    meaning: str
    citation: str = ""
    url: str = ""
    span: str = ""


DECISIONS: tuple[tuple[str, str], ...] = (
    ("clear", "Screening: no listed party scored at or above the threshold."),
    ("review", "Screening or licence check: a possible match, or a fact nobody gave, leaves the "
               "answer to a person; a case opens in the review queue."),
    ("match", "Screening: the name equals a listed name or alias (score 1.00)."),
    ("prohibited", "Licence check: the export may not go ahead (e.g. a Denied Persons or SDN "
                   "party); no licence is available."),
    ("license required", "Licence check: a licence from BIS is needed; the review policy says "
                         "how an application is treated."),
    ("no license required", "Licence check: no rule in force on the date requires a licence "
                            "for this item, destination, parties and end use."),
    ("presumption of denial", "Review policy: an application is expected to be refused."),
    ("case-by-case", "Review policy: each application is weighed on its facts."),
    ("policy of denial", "Review policy: an application is refused."),
    ("purchase prohibited", "Investment check: U.S. persons may not buy the security on the "
                            "date (NS-CMIC, 31 CFR Part 586)."),
    ("divest window", "Investment check: sales made only to divest are still allowed until the "
                      "divest-by date."),
    ("cleared / escalated / confirmed", "Review queue: a reviewer found a false positive, "
                                        "passed it on, or confirmed the match; always with a "
                                        "note."),
)

FEATURES: tuple[tuple[str, str], ...] = (
    ("exact_alias", "The query's core (legal forms and punctuation aside) equals a listed name "
                    "or alias, or its Chinese characters equal a curated local name: score 1.0."),
    ("token_overlap", "Weight 0.85: the share of the query's words found in the listed name and "
                      "of the listed name's words found in the query, rare words weighing more; "
                      "words match exactly, by typo, by sound or written apart/together."),
    ("edit_distance", "Weight 0.15: character similarity of the two names with spaces removed."),
    ("transliteration", "The query was written in Chinese characters and read through the term "
                        "dictionary and pinyin."),
    ("place_conflict", "-0.15: each name carries a different place (a branch elsewhere)."),
    ("bare_listed_name", "The listed name is bare once normalised (only a number, two letters "
                         "or digits, a legal form, words that name no one, or a place): only "
                         "the same query matches it; a longer query sharing it scores 0."),
    ("entity_type", "-0.15: the query is a company and the listed party a person."),
    ("country", "+0.05 when the country given agrees with the entry's, -0.15 when it does not; "
                "a country never hides a match."),
    ("score", "The sum of the contributions, cut to two decimals on the pages (0.996 shows as "
              "0.99, never as the 1.00 of an exact match)."),
)


def _span(period: Period) -> str:
    end = period.effective_to.isoformat() if period.effective_to else "now"
    return f"{period.effective_from.isoformat()} to {end}"


def _rule(anchor: str, term: str, summary: str, citation: Citation, span: str) -> Term:
    return Term(anchor, term, summary, citation.text(), citation.url, span)


@cache
def lists() -> tuple[Term, ...]:
    effects = licensing_rules().lists
    found = []
    for code, name in LIST_NAMES.items():
        rule = effects.get(code)
        meaning = name + (f". In a licence check: {rule.summary}" if rule else
                          ". Information only: it does not change a licence decision.")
        found.append(Term(f"list-{code}", code, meaning,
                          rule.citation.text() if rule else "", rule.citation.url if rule else ""))
    return tuple(found)


@cache
def rules() -> tuple[Term, ...]:
    """Every dated rule the engine applies, in the order a memo meets them."""
    found = [_rule(r.id, r.id, r.summary, r.citation, _span(r.period))
             for r in licensing_rules().rules]
    found += [_rule(r.id, r.id, r.summary, r.citation, _span(r.period))
              for r in licensing_rules().lists.values() if r.id not in {f.anchor for f in found}]
    computing = advanced_computing_rules()
    found += [_rule(p.id, f"{p.id} ({p.paragraph})", p.summary, p.citation, _span(p.period))
              for p in computing.paragraphs]
    for group in (computing.exclusions, computing.derived, computing.review_bands,
                  computing.measures):
        found += [_rule(d.id, d.id, d.summary, d.citation, _span(d.period)) for d in group]
    # Foreign-made items (734.4, 734.9), licence exceptions, deemed exports: the check and
    # release memos link their rule ids here too.
    for records in (jurisdiction_rules(), exception_rules(), release_rules()):
        for section in records.sections.values():
            found += [_rule(r.id, r.id, r.summary, r.citation, _span(r.period)) for r in section]
    for rule in ownership_rules():
        found.append(Term(rule.id, f"{rule.id} ({rule.title})", rule.summary,
                          rule.citation.text(), rule.citation.url,
                          f"{rule.effective_from.isoformat()} on"))
    unique: dict[str, Term] = {}
    for term in found:
        unique.setdefault(term.anchor, term)
    return tuple(unique.values())


@cache
def titles() -> dict[str, str]:
    """A short title for each rule id: its own title where it has one, else the first sentence
    of its summary."""
    named = {rule.id: rule.title for rule in ownership_rules()}
    return {term.anchor: named.get(term.anchor) or first_sentence(term.meaning)
            for term in rules()}


def title(rule_id: str | None) -> str:
    return titles().get(rule_id or "", "")

