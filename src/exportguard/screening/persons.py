"""Names that read as a person's: how their spelling varies, and a name that is part of another.

A person's name is spelt many ways across transliterations and registers (Leila / Leyla, Usama /
Usamo, Scholz / Scholze), where a company's distinctive word changed by a letter is likelier
another company ("Lee Wah" / "Lee Hwa", `features.one_letter_differs`). And a person is named
with fewer or more of their names (USAMA BIN LADIN for Usama bin Muhammad bin Awad BIN LADIN,
Mr. Rami Makhlouf for Rami Makhlouf), where a company with fewer words is often another company.

Neither list nor query says whether a name is a person's (`compare_names` has no entry type),
so it is read from the words: two words or more in Latin letters, no legal form, no digit, and
no word the vocabulary knows as a business, organisation, place or country word (`names/terms.py`)
nor an institution or kind word of `features`; and a listed party whose list says it is an
entity, a vessel or an aircraft is none (`may_be_person`: MAKSIM GORKY, a vessel on the SDN
list, reads as a person's name). The rules here only let a match be reviewed, never confirm it.

Letters that sound alike: the Soundex coding of the U.S. National Archives, which "keeps together
names of the same and similar sounds but of variant spellings" (Guide to the Soundex System,
extracted from a National Archives publication,
http://ftp.rootsweb.ancestry.com/pub/roots-l/faq/faq.soundex): b f p v; c g j k q s x z; d t;
l; m n; r, and a e i o u y h w not coded.
"""

from __future__ import annotations

from functools import lru_cache

from exportguard.model import ListEntry
from exportguard.names.normalize import NameForm
from exportguard.names.terms import filler_tokens, generic_tokens

# Soundex classes (see the module's docstring); the uncoded letters are one class here.
_SOUNDEX_CLASSES = ("bfpv", "cgjkqsxz", "dt", "l", "mn", "r", "aeiouyhw")
_SOUNDEX = {letter: number for number, letters in enumerate(_SOUNDEX_CLASSES)
            for letter in letters}
# Words that join the words of an organisation's name, never a person's.
_JOINING_WORDS = frozenset({"of", "the", "and", "for", "in"})
# Forms in letters: Latin, or another script romanised (not a name in Chinese characters).
_LETTERS = frozenset({"latin", "transliterated", "syllabic"})
# One word alone does not say it is a person's name (Snow, IRA).
_PARTS = 2
# A name part shorter than this is an initial (A. Khamenei).
_INITIAL = 1
# A name wholly within another is a match to review (not a confirmed one) when it is two name
# parts or more and carries at least this share of the longer name's weight (a rare surname,
# not two common given names: "Mohammad Ali" is within many names). The share is at least the
# one a delta re-screen's choice of customers relies on (`watch/select.py` KEY_SHARE, 0.619):
# a name matched by fewer of its words is never chosen there.
PARTS_CONTAINED = 0.87
CONTAINED_SHARE = 0.62


def may_be_person(entry: ListEntry) -> bool:
    """Whether a listed party may be a person: its list does not say it is another kind
    (the CSL's types are Individual, Entity, Vessel and Aircraft; the Entity List gives none)."""
    return entry.type is None or entry.type == "Individual"


def person_like(form: NameForm) -> bool:
    """Whether a name reads as a person's (see the module's docstring)."""
    return form.kind in _LETTERS and not form.legal_forms and _person_words(form.tokens)


@lru_cache(maxsize=1 << 16)
def _person_words(tokens: tuple[str, ...]) -> bool:
    if len(tokens) < _PARTS:
        return False
    from exportguard.screening.features import _KIND_WORDS, INSTITUTION_WORDS

    other = generic_tokens() | filler_tokens() | _JOINING_WORDS | INSTITUTION_WORDS | _KIND_WORDS
    return all(t.isalpha() and t not in other for t in tokens)


def sound_alike(typed: str, word: str) -> str | None:
    """How `typed` is `word` spelt another way with one letter (changed, added or dropped) of
    the same Soundex class ('y' for 'i', 'd' for 't', a vowel added or dropped, 'c' before 'k'),
    or None. The words must be one edit apart."""
    if len(typed) == len(word):
        at = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(at) != 1:
            return None
        mine, theirs = typed[at[0]], word[at[0]]
        if _SOUNDEX.get(mine, -1) == _SOUNDEX.get(theirs, -2):
            return f"'{mine}' for '{theirs}'"
        return None
    longer, shorter = (typed, word) if len(typed) > len(word) else (word, typed)
    if len(longer) != len(shorter) + 1:
        return None
    where = next((i for i, (a, b) in enumerate(zip(longer, shorter, strict=False)) if a != b),
                 len(shorter))
    extra = longer[where]
    beside = {longer[i] for i in (where - 1, where + 1) if 0 <= i < len(longer)}
    how = "added" if longer is typed else "dropped"
    if _SOUNDEX.get(extra) == _SOUNDEX["a"]:
        return f"'{extra}' {how}"
    if any(_SOUNDEX.get(extra) == _SOUNDEX.get(letter) for letter in beside):
        return f"'{extra}' {how} beside a letter that sounds alike"
    return None


def parts_contained(
    query: NameForm, q_best: list[float], q_weights: tuple[float, ...],
    listed: NameForm, n_best: list[float], n_weights: tuple[float, ...],
) -> str | None:
    """Why one name's parts are all parts of the other, both read as persons' names, or None:
    the shorter name (the query when both have as many parts) has two parts or more, each the
    same word as a part of the other or an initial of one (A. Khamenei, Ali Khamenei), and its
    whole words carry CONTAINED_SHARE of the longer name's weight or more. `q_best` and
    `n_best` are each word's best similarity (`features.align_tokens`)."""
    if min(q_best) < 1.0 and min(n_best) < 1.0 and all(
            len(t) > _INITIAL for t in (*query.tokens, *listed.tokens)):
        return None  # each name has a word the other lacks, and no initial
    if not (person_like(query) and person_like(listed)):
        return None
    if len(query.tokens) <= len(listed.tokens):
        inner, inner_best, outer, outer_best, weights = (
            query.tokens, q_best, listed.tokens, n_best, n_weights)
        which = "the query's parts are all parts of the listed name"
    else:
        inner, inner_best, outer, outer_best, weights = (
            listed.tokens, n_best, query.tokens, q_best, q_weights)
        which = "the listed name's parts are all parts of the query"
    if len(inner) < 2:
        return None
    initials: list[str] = []
    for word, best in zip(inner, inner_best, strict=True):
        if best == 1.0:
            continue
        if len(word) > _INITIAL or not any(
                other.startswith(word) and len(other) > _INITIAL and found < 1.0
                for other, found in zip(outer, outer_best, strict=True)):
            return None
        initials.append(word)
    if len(initials) == len(inner) or (len(inner) == len(outer) and not initials):
        return None  # the same words, or in another order: not a name within another
    share = sum(w for t, s, w in zip(outer, outer_best, weights, strict=True)
                if s == 1.0 and t in inner) / (sum(weights) or 1.0)
    if share < CONTAINED_SHARE:
        return None
    shown = f" ({', '.join(initials)} as initials)" if initials else ""
    return f"{which}{shown}, carrying {share:.0%} of the weight of the longer"
