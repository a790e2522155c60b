"""Rules for a query written in Chinese characters compared with a listed name read otherwise
(issue 16): how much its business words weigh, and the conflicts that keep an unlisted Chinese
company apart from a listed party whose English name it shares words with. Each rule says in
a feature how the query was read (see `screener.Screener._match`)."""

from __future__ import annotations

from functools import lru_cache

from exportguard.names.chinese import business_tail, trade_name
from exportguard.names.normalize import NameForm, name_forms
from exportguard.names.terms import filler_tokens, generic_tokens
from exportguard.screening.features import INSTITUTION_WORDS, kind_conflict

# The business and organisation words after the trade name of a query in characters (工业, 集团 of
# 沈阳飞机工业(集团)有限公司) weigh this share of their usual weight on the query's side: the
# English name of the same company often words them otherwise or leaves them out ("Shenyang
# Aircraft Corporation"), while the place and trade name say which company it is.
BUSINESS_WORD_SHARE = 0.25
# A listed name that is one short word (an acronym: TCL, AVIC; others describing only, as in
# MEC International) met by a query in characters whose reading has more words (TCL科技集团
# "tcl technology group"): acronyms are shared by many parties, and the name in characters
# says which company it is.
ACRONYM_ONLY = -0.10
_ACRONYM_LETTERS = 4


@lru_cache(maxsize=4096)
def business_words(text: str) -> frozenset[str]:
    """The English words of the business and organisation words after the trade name of a
    query in characters (`chinese.business_tail`; legal forms are left out of the words
    compared anyway)."""
    return frozenset(t for word in business_tail(text) for form in name_forms(word)
                     if not form.legal_forms for t in form.tokens)


def lighter_against(form: NameForm, listed: NameForm) -> bool:
    """Whether the query's business words weigh less against this listed name: not when it is
    itself read from characters (中国卫星 lacks 网络 of 中国卫星网络集团: written in characters,
    a missing word is missing), nor when it has a word the query lacks that says what it does
    (Changjiang Cunchu, read "changjiang memory", against 南京长江电子信息产业集团: what the
    business words would be weighed against); places and words such as company or enterprise
    may be missing."""
    if listed.kind.startswith("han"):
        return False
    filler = filler_tokens()
    return all(t in form.tokens or t in filler for t in listed.tokens)


def company_not_institution(text: str, form: NameForm, listed: NameForm
                            ) -> tuple[str, str] | None:
    """(trade name, institution word) when the query in characters names a company by its
    structure (a trade name, 华东电脑 -> 电脑, and no word of an institution in its reading)
    and the listed name is an institution the query's reading lacks ("East China Institute of
    Computing Technology"): what `features.kind_conflict` finds when a company has a legal form
    or words of its own."""
    if kind_conflict(form, listed) is not None:
        return None  # already counted
    theirs = INSTITUTION_WORDS.intersection(listed.tokens)
    if not theirs or INSTITUTION_WORDS.intersection(form.tokens) or listed.legal_forms:
        return None
    trade = trade_name(text)
    return (trade, min(theirs)) if trade else None


def acronym_only(form: NameForm, listed: NameForm) -> str | None:
    """The listed name's one word of its own ("MEC" of "MEC International": the others describe)
    when it is short (an acronym) and the query's reading has other words besides it."""
    generic = generic_tokens()
    own = {t for t in listed.tokens if t not in generic} or set(listed.tokens)
    if len(own) != 1:
        return None
    word = own.pop()
    if len(word) > _ACRONYM_LETTERS or word not in form.tokens or len(set(form.tokens)) < 2:
        return None
    return word
