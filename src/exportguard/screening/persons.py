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

from dataclasses import dataclass
from functools import lru_cache

from exportguard.model import ListEntry
from exportguard.names import person_words
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


def _person_words(tokens: tuple[str, ...]) -> bool:
    return len(tokens) >= _PARTS and _name_words(tokens)


@lru_cache(maxsize=1 << 16)
def _name_words(tokens: tuple[str, ...]) -> bool:
    """No word a digit, nor a business, organisation, place, institution or kind word."""
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


# A person's name read without its titles (King, Sheikh, Dr, Gen.) and post-nominal words (Jr,
# Esq.), whose given names may be written as initials or nicknames (`names/person_words.py`):
# each rule lets a match be reviewed, at a level below an exact match, never confirm it.
TITLES_ASIDE = 0.92  # the same name but for titles or suffixes: "Dr. John Smith" / "John Smith"
NICKNAME = 0.88  # a given name and its nickname, the other names the same: Bob / Robert Smith
INITIALS = 0.87  # a given name written as its initial: "Donald J. Trump" / "Donald John Trump"
TITLE_GIVEN_NAME = 0.87  # a title that addresses a given name alone: "King Salman"
# ... when that given name is rare: its weight at least that of 'john' in the reference CSL (in
# some 50 listed names; 'salman' 31 names, weight 56; 'mohammed' 286 names, weight 28): "Sheikh
# Mohammed" would put hundreds of listed persons to review.
TITLE_GIVEN_WEIGHT = 50.0
PERSON_READING_MAX = TITLES_ASIDE
# The words a person's name and the other share exactly carry at least this share of the other
# name's weight (its initials left out), so that a shared given name is not all that agrees: the
# surnames must ("Bob Smith" / "Robert Smith", never "Bob Smith" / "Robert Jones").
SHARED_SHARE = 0.5


@dataclass(frozen=True, slots=True)
class PersonReading:
    """Why two persons' names are one, read without titles, with initials and nicknames:
    `level` is the least score the pair gets, `notes` the (feature, detail) pairs shown."""

    level: float
    notes: tuple[tuple[str, str], ...]


@lru_cache(maxsize=1 << 16)
def set_aside(tokens: tuple[str, ...]) -> tuple[tuple[str, ...], tuple[str, ...], int]:
    """(the leading titles and trailing post-nominal words of a name, the name without them,
    where the name starts in `tokens`); at least one word is always left."""
    titles, longest = person_words.titles(), person_words.longest_title()
    first_words = person_words.title_words()
    start, aside = 0, []
    while start < len(tokens) - 1 and tokens[start] in first_words:
        for size in range(min(longest, len(tokens) - 1 - start), 0, -1):
            if tokens[start:start + size] in titles:
                aside.extend(tokens[start:start + size])
                start += size
                break
        else:
            break
    end = len(tokens)
    suffixes = person_words.suffix_words()
    while end - 1 > start and tokens[end - 1] in suffixes:
        end -= 1
        aside.append(tokens[end])
    return tuple(aside), tokens[start:end], start


def _titles_conflict(mine: tuple[str, ...], theirs: tuple[str, ...]) -> str | None:
    """Why the titles or suffixes of two names say two persons (Mr / Mrs, Jr / Sr), or None."""
    genders = [{g for w in words if (g := person_words.title_gender(w))} for words in
               (mine, theirs)]
    if len(genders[0] | genders[1]) > 1:
        return "the titles say another gender"
    generations = [{w for w in words if person_words.generation(w)} for words in (mine, theirs)]
    if generations[0] and generations[1] and generations[0] != generations[1]:
        return "the suffixes say another generation"
    return None


def person_reading(
    query: NameForm, q_weights: tuple[float, ...],
    listed: NameForm, n_weights: tuple[float, ...],
) -> PersonReading | None:
    """Whether two names read as persons' (`person_like`) are one person's once their titles
    and post-nominal words are set aside (TITLES_ASIDE), a given name is written as an initial
    that agrees (INITIALS) or as a nickname the table links (NICKNAME), or a title addresses a
    given name alone (TITLE_GIVEN_NAME); None when no such rule holds, or when the names are
    the same words (the score says so already)."""
    # Both names must read as persons' first: that test needs no table, and the titles and
    # given-name tables (nameparser, the nicknames, the groups: ~0.1 s to read) are then read
    # only when a person's name is screened, not for every company name's first screen.
    if not (reads_as_person(query) and reads_as_person(listed)):
        return None
    q_aside, q_parts, q_at = set_aside(query.tokens)
    n_aside, n_parts, n_at = set_aside(listed.tokens)
    if not (q_aside or n_aside) and not _may_differ_as_person(q_parts, n_parts):
        return None
    if _titles_conflict(q_aside, n_aside):
        return None
    q_w = q_weights[q_at:q_at + len(q_parts)]
    n_w = n_weights[n_at:n_at + len(n_parts)]
    notes: list[tuple[str, str]] = []
    levels: list[float] = []
    if q_aside or n_aside:
        shown = "; ".join(f"{side} '{' '.join(words)}'" for side, words in
                          (("the query's", q_aside), ("the listed name's", n_aside)) if words)
        notes.append(("person_titles", f"titles and post-nominal words set aside: {shown}"))
        levels.append(TITLES_ASIDE)
    if len(q_parts) <= len(n_parts):
        inner, inner_w, outer, outer_w, inner_aside = q_parts, q_w, n_parts, n_w, q_aside
    else:
        inner, inner_w, outer, outer_w, inner_aside = n_parts, n_w, q_parts, q_w, n_aside
    if len(inner) == 1:
        given = [w for w in inner_aside if w in person_words.given_name_titles()]
        if (not given or len(outer) < 2 or inner[0] != outer[0] or inner[0] in outer[1:]
                or inner_w[0] < TITLE_GIVEN_WEIGHT or not _listed_share_kept(
                    listed.tokens, n_weights, n_at, [(0, 0, "exact")],
                    0 if len(q_parts) == 1 else 1, n_parts)):
            return None
        notes.append(("title_given_name", f"'{given[0]} {inner[0]}': a title that addresses "
                      f"a given name alone, and '{inner[0]}' is the other name's first name"))
        return PersonReading(TITLE_GIVEN_NAME, tuple(notes))
    links = _match_parts(inner, outer)
    if links is None:
        return None
    paired = {j for _i, j, _how in links}
    extra = [w for at, w in enumerate(outer) if at not in paired]
    extra_names = [w for w in extra if len(w) > _INITIAL]
    initials = [(inner[i], outer[j]) if len(inner[i]) == _INITIAL else (outer[j], inner[i])
                for i, j, how in links if how == "initial"]
    nicknames = [(inner[i], outer[j]) for i, j, how in links if how == "nickname"]
    if not (notes or initials or nicknames or len(extra) > len(extra_names)):
        return None  # the same words, or only fewer names: `parts_contained` decides
    shares = (_shared_share(outer, outer_w, {j for _i, j, how in links if how == "exact"}),
              _shared_share(inner, inner_w, {i for i, _j, how in links if how == "exact"}))
    if not min(shares) or (shares[0] < CONTAINED_SHARE if extra_names
                           else max(shares) < SHARED_SHARE):
        return None
    listed_side = 0 if len(q_parts) <= len(n_parts) else 1
    if not _listed_share_kept(listed.tokens, n_weights, n_at, links, listed_side, n_parts):
        return None
    extra_initials = [w for w in extra if len(w) == _INITIAL]
    if initials or extra_initials:
        shown = [f"'{a}' is an initial of '{b}'" for a, b in initials]
        shown += [f"'{w}', a middle initial of one name only" for w in extra_initials]
        notes.append(("given_name_initial", "; ".join(shown)))
        levels.append(INITIALS)
    if nicknames:
        notes.append(("given_name_nickname", "; ".join(
            f"'{a}' and '{b}' are one given name ({person_words.given_name_source(a, b)})"
            for a, b in nicknames)))
        levels.append(NICKNAME)
    if extra_names:
        notes.append(("person_fewer_names", f"'{' '.join(inner)}' has fewer names than "
                      f"'{' '.join(outer)}', each of them there"))
        levels.append(PARTS_CONTAINED)
    return PersonReading(min(levels), tuple(notes))


def reads_as_person(form: NameForm) -> bool:
    """`person_like`, initials apart: two words or more, those longer than an initial read as
    a person's ("S Krishnan": a single letter may be a vocabulary word, 's' of S.A.)."""
    return form.kind in _LETTERS and not form.legal_forms and words_read_as_person(form.tokens)


def words_read_as_person(tokens: tuple[str, ...]) -> bool:
    """`reads_as_person` of a name in letters with no legal form, by its words alone (a delta
    re-screen's choice of customers knows their forms' words only: `watch/select.py`)."""
    if len(tokens) < _PARTS:
        return False
    words = tuple(t for t in tokens if len(t) > _INITIAL)
    return bool(words) and _name_words(words)


def _listed_share_kept(tokens: tuple[str, ...], weights: tuple[float, ...], at: int,
                       links: list[tuple[int, int, str]], side: int,
                       parts: tuple[str, ...]) -> bool:
    """Whether the listed name's words found in the query (exactly, as a nickname, or as the
    name an initial of the query starts) carry CONTAINED_SHARE of its weight, the words of
    titles and post-nominal words wherever they stand left out (`person_words.aside_words`):
    a delta re-screen chooses the customers a new listed name may match by its heaviest words
    so counted (`watch/select.py`), meeting words alike, nicknames and initials included.
    `side`: 0 when the listed name is `links`' outer name, 1 when the inner."""
    aside = person_words.aside_words()
    found = {at + link[1 - side] for link in links
             if link[2] != "initial" or len(parts[link[1 - side]]) > _INITIAL}
    total = sum(w for t, w in zip(tokens, weights, strict=True) if t not in aside)
    kept = sum(weights[k] for k in found if tokens[k] not in aside)
    return total > 0 and kept >= CONTAINED_SHARE * total


def _shared_share(words: tuple[str, ...], weights: tuple[float, ...], exact: set[int]) -> float:
    """The share of a name's weight (its initials left out) its words found exactly carry."""
    total = sum(w for word, w in zip(words, weights, strict=True) if len(word) > _INITIAL)
    shared = sum(w for at, w in enumerate(weights) if at in exact and len(words[at]) > _INITIAL)
    return shared / total if total else 0.0


def _may_differ_as_person(q_parts: tuple[str, ...], n_parts: tuple[str, ...]) -> bool:
    """A quick test before anything is read: a word of one name is not the other's, and it is
    an initial or a given name of the nicknames table or the given-name groups."""
    links = person_words.given_name_links()
    return any(w not in n_parts and (len(w) == 1 or w in links) for w in q_parts) or any(
        w not in q_parts and (len(w) == 1 or w in links) for w in n_parts)


def _match_parts(inner: tuple[str, ...], outer: tuple[str, ...]
                 ) -> list[tuple[int, int, str]] | None:
    """Each part of `inner` paired with its own part of `outer`: the same word ('exact'), an
    initial and the name it starts, either side ('initial'), or a given name and its nickname
    ('nickname'): (inner position, outer position, how) for each, or None when a part has no
    pair."""
    free = list(range(len(outer)))
    links: list[tuple[int, int, str]] = []
    left: list[int] = []
    for i, word in enumerate(inner):
        at = next((j for j in free if outer[j] == word), None)
        if at is None:
            left.append(i)
        else:
            free.remove(at)
            links.append((i, at, "exact"))
    for i in left:
        word = inner[i]
        at = next((j for j in free if _initial_of(word, outer[j])), None)
        how = "initial"
        if at is None:
            at = next((j for j in free if person_words.same_given_name(word, outer[j])), None)
            how = "nickname"
            if at is None:
                return None
        free.remove(at)
        links.append((i, at, how))
    return links


def _initial_of(a: str, b: str) -> bool:
    """One word is an initial, the other a name that starts with it."""
    if len(a) == _INITIAL < len(b):
        return b.startswith(a)
    return len(b) == _INITIAL < len(a) and a.startswith(b)
