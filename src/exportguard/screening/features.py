"""How a query name is compared with one listed name. Each feature reports its value, its weight
and its contribution, and the contributions add up to the score."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA

from exportguard.names.normalize import NameForm
from exportguard.names.scripts import skeleton
from exportguard.names.syllables import pinyin_syllables
from exportguard.names.terms import (
    filler_tokens,
    generic_tokens,
    place_parts,
    place_tokens,
    vocabulary,
)
from exportguard.screening.index import phonetic
from exportguard.screening.persons import (
    PARTS_CONTAINED,
    PERSON_READING_MAX,
    parts_contained,
    person_like,
    person_reading,
    sound_alike,
)
from exportguard.screening.typos import slip

TOKEN_WEIGHT = 0.85
STRING_WEIGHT = 0.15
COUNTRY_AGREES = 0.05
COUNTRY_DISAGREES = -0.15
PLACE_CONFLICT = -0.15
# The same core under two legal forms of different systems (GmbH / S.A.) may be two companies: not
# an exact match, and with a conflicting country no longer above the default threshold.
LEGAL_FORM_CONFLICT = -0.05
# A spelling difference in a short word that carries most of a name's weight is likely another
# name ("Lee Wah" / "Lee Hwa", "Star" / "Stars"), not a typo of this one; one edit in a long word
# ("Hikvison") stays a typo.
RARE_WORD_APPROXIMATE = -0.10
_RARE_SHARE = 0.45
_RARE_SIMILARITY = 0.82  # one edit in five letters or fewer
# One letter differing in a distinctive word (one that carries this share of the listed name's
# weight) is a typo of the listed name or another name: a screen must catch the typo, so a long
# word whose letter reads as a slip of typing or spelling (`typos.slip`: a neighbouring key, a
# doubled, dropped or swapped letter, the same sound) stays a match but never scores near an
# exact one. Another name is likelier, and the match falls below the default threshold (at most
# ANOTHER_NAME_CEILING), when the letter is no such slip ("Aviaagregat" / "Aviaasregat"), in a
# word of five letters or fewer ("Ryder" / "Rydir", "Posts" / "Podts"), when both words are
# pinyin ("Hongbo" / "Hongmo": other syllables, other characters), and for the plural of a
# distinctive word ("Dolly Bell" / "Dollys Bell"): plurals of descriptive words (products,
# systems) are folded by the synonyms table.
ONE_LETTER_CEILING = 0.92
ANOTHER_NAME = -0.10
ANOTHER_NAME_CEILING = ONE_LETTER_CEILING + ANOTHER_NAME
_DISTINCTIVE_SHARE = 0.15
_SHORT_WORD = 5
# Two names that share a number and otherwise only words that describe rather than name (research,
# institute, center, plant, trading, places) share no evidence that they name one party: numbered
# institutes, plants and centres of many groups and countries carry the same numbers (二十七所,
# read "27 research institute", scored 0.877 against the Russian 27th Scientific Center but for
# the institution words). Such a pair scores at most NUMBER_ONLY_CEILING, which a country's
# agreement does not lift to the default threshold. A query whose core is the listed name's is
# not held (it is the name), nor is a numbered unit a query in characters reads with its place or
# a listed Chinese party (`han_rules.numbered_unit`, scored apart).
NUMBER_ONLY_CEILING = 0.75
# A listed name whose words but one are generic or places ("ATLANTIC SHIP MANAGEMENT COMPANY",
# "Hongkong Delta Electronics Technology Co., Limited": Atlantic, Delta) is that word and what its
# other words say. A query that shares the one word but is otherwise another name scores at most
# ONE_WORD_CEILING, which a country's agreement does not lift to the default threshold: when the
# query adds a distinctive word of its own ("Atlantic Sunrise Ship Management"), or when it
# describes its business in its own words and has fewer than half of the listed name's other
# words, more than its places missing ("Atlantic Trading LLC", "Delta Electronics, Inc.",
# "Richtek Technology Corporation" / RICHTEK HONGKONG ELECTRONIC). The listed name with its place
# or legal form dropped ("Atlantic Ship Management", "Delta Electronics Technology"), or the word
# alone or with places only ("Richtek", "Delta Hong Kong"), is not held (feature
# `one_distinctive_word`, the function of the same name).
ONE_WORD_CEILING = 0.75
# Forms that English-language registers use interchangeably for one company.
# Words that say a party is an institution (or a bank) rather than another company: a university is
# not a company of the same name ("Fudan University" / "Shanghai Fudan Microelectronics Co., Ltd.").
KIND_CONFLICT = -0.10
INSTITUTION_WORDS = frozenset({"university", "college", "academy", "school", "hospital",
                                "ministry", "polytechnical", "institute", "laboratory", "bank"})
# Words that say what kind of party a name is, where one party is never the other kind: a bank
# is not a trading company ("Huaxia Bank" / "Huaxia Trading Ltd"), an insurer not a university.
# Both names saying their kind, and the kinds differing, costs as much again as KIND_CONFLICT.
KINDS_DIFFER = -0.10
_KIND_WORDS = frozenset({"bank", "trading", "insurance", "securities", "university", "college",
                         "hospital", "school"})
_INTERCHANGEABLE_FORMS = frozenset({"co", "ltd", "co ltd", "coltd", "inc", "corp", "llc", "plc",
                                    "pte ltd", "llp"})
_TYPO_FLOOR = 0.75
_PLURAL_SIMILARITY = 0.5
# Two words with the same consonants, one romanised from a script that writes few vowels: the
# usual way the same name is written twice, so nearly a full match.
_CONSONANT_SIMILARITY = 0.95
_PHONETIC_SIMILARITY = 0.85
# A listed name or alias that is bare once normalised (only a number, one or two letters, only a
# legal form, only words that name no one, only a place: an OFAC alias "27", "K.A.S." read as
# "k", "LLC Center", the vessel FOSHAN) is matched only by a query that is that same bare thing
# (equal cores): any longer query shares it by chance (二十七所 read "27 research institute"
# scored 0.86 against the alias "27"). Such a name then scores nothing (feature
# `bare_listed_name`). The list of such names in the reference CSL: bench/bare_names.py.
_BARE_LETTERS = 2
# Words of `extra_generic` that name a nation, read as places here: "Russian Export Center" is a
# place and generic words, not generic words alone.
_NATION_WORDS = frozenset({"chinese", "russian", "iranian", "korean"})


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    value: float
    weight: float
    contribution: float
    detail: str

    def to_dict(self) -> dict[str, object]:
        return {
            "feature": self.name,
            "value": round(self.value, 4),
            "weight": self.weight,
            "contribution": round(self.contribution, 4),
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class TokenPair:
    query: str
    listed: str
    how: str  # exact, typo, phonetic, consonants, plural, joined
    similarity: float


@lru_cache(maxsize=1 << 18)  # a pure function of its arguments; the same pairs recur in every query
def _token_similarity(a: str, b: str, loose: bool = False) -> tuple[float, str]:
    if a == b:
        return 1.0, "exact"
    if (len(a) - len(b) in (1, -1) and (a + "s" == b or b + "s" == a)
            and min(a, b, key=len) not in generic_tokens()):
        # Plural and singular of a word that names the party ("Supertienda" / "Supertiendas")
        # are two names; of a descriptive word the synonyms table already made them one.
        return _PLURAL_SIMILARITY, "plural"
    best, how = 0.0, ""
    shorter, longer = sorted((len(a), len(b)))
    # One edit (a transposition counts as one) in four characters is the loosest typo; beyond
    # that the lengths alone rule it out.
    if shorter >= 3 and shorter >= longer * _TYPO_FLOOR:
        similarity = OSA.normalized_similarity(a, b, score_cutoff=_TYPO_FLOOR)
        if similarity:
            best, how = similarity, "typo"
    if best < _PHONETIC_SIMILARITY and a[0] == b[0]:
        # Same sound and same first letter ("Mohammed" / "Muhammad"); metaphone alone conflates
        # pinyin initials such as x and sh.
        key = phonetic(a)
        if key and key == phonetic(b):
            best, how = _PHONETIC_SIMILARITY, "phonetic"
    if loose and best < _CONSONANT_SIMILARITY and len(a) >= 2 and a.isalpha():
        bare = skeleton(a)
        # One consonant alone says little: then the first letters must agree too ("aly" / "ali").
        if bare and bare == skeleton(b) and (len(bare) >= 2 or a[0] == b[0]):
            best, how = _CONSONANT_SIMILARITY, "consonants"
    return best, how


def align_tokens(
    query: tuple[str, ...], q_weights: tuple[float, ...],
    listed: tuple[str, ...], n_weights: tuple[float, ...],
    pairs: list[TokenPair] | None = None, loose: bool = False,
) -> tuple[float, float, list[float], list[float]]:
    """Weighted share of the query's tokens found in the listed name and of the listed name's
    tokens found in the query (rare words weigh more), with each token's best similarity.
    Matched pairs are appended to `pairs`. `loose`: words also match on their consonants (a
    query romanised from another script)."""
    q_best = [0.0] * len(query)
    n_best = [0.0] * len(listed)
    positions: dict[str, list[int]] = {}
    for j, b in enumerate(listed):
        positions.setdefault(b, []).append(j)
    for i, a in enumerate(query):
        for j in positions.get(a, ()):
            q_best[i] = n_best[j] = 1.0
            if pairs is not None:
                pairs.append(TokenPair(a, a, "exact", 1.0))
    if 0.0 in q_best and 0.0 in n_best:
        for i, a in enumerate(query):
            if q_best[i] == 1.0:
                continue
            for j, b in enumerate(listed):
                if n_best[j] == 1.0:
                    continue
                similarity, how = _token_similarity(a, b, loose)
                if similarity > 0:
                    q_best[i] = max(q_best[i], similarity)
                    n_best[j] = max(n_best[j], similarity)
                    if pairs is not None:
                        pairs.append(TokenPair(a, b, how, similarity))
        if min(q_best) < 1.0 and min(n_best) < 1.0 and (len(query) > 1 or len(listed) > 1):
            _align_joined(query, listed, q_best, n_best, pairs, loose)
    q_cov = sum(w * s for w, s in zip(q_weights, q_best, strict=True)) / (sum(q_weights) or 1.0)
    n_cov = sum(w * s for w, s in zip(n_weights, n_best, strict=True)) / (sum(n_weights) or 1.0)
    return q_cov, n_cov, q_best, n_best


def place_conflict(
    query: tuple[str, ...], q_best: list[float], listed: tuple[str, ...], n_best: list[float]
) -> tuple[str, str] | None:
    """A place named on each side and matched on neither (Guangzhou centre vs Shenzhen centre)."""
    places = place_tokens()
    mine = next((t for t, s in zip(query, q_best, strict=True) if s < _TYPO_FLOOR and t in places),
                None)
    if mine is None:
        return None
    theirs = next((t for t, s in zip(listed, n_best, strict=True)
                   if s < _TYPO_FLOOR and t in places), None)
    return (mine, theirs) if theirs is not None else None


def _align_joined(
    query: tuple[str, ...], listed: tuple[str, ...], q_best: list[float], n_best: list[float],
    pairs: list[TokenPair] | None, loose: bool = False,
) -> None:
    """Words written apart on one side and together on the other ("Sense Time" / "SenseTime");
    `loose`: also on their consonants ("abd allh" / "Abdullah")."""
    for left, right, left_best, right_best, flip in (
        (query, listed, q_best, n_best, False),
        (listed, query, n_best, q_best, True),
    ):
        for i in range(len(left) - 1):
            if left_best[i] == 1.0 and left_best[i + 1] == 1.0:
                continue
            joined = left[i] + left[i + 1]
            bare = skeleton(joined) if loose and joined.isalpha() else ""
            for j, b in enumerate(right):
                if b == joined:
                    similarity, how = 1.0, "joined"
                elif len(bare) >= 3 and bare == skeleton(b):
                    similarity, how = _CONSONANT_SIMILARITY, "joined consonants"
                else:
                    continue
                left_best[i] = max(left_best[i], similarity)
                left_best[i + 1] = max(left_best[i + 1], similarity)
                right_best[j] = max(right_best[j], similarity)
                if pairs is not None:
                    text = f"{left[i]} {left[i + 1]}"
                    pairs.append(TokenPair(b, text, how, similarity) if flip
                                 else TokenPair(text, b, how, similarity))


def _describe(pairs: list[TokenPair]) -> str:
    shown: list[str] = []
    seen: set[tuple[str, str]] = set()
    for pair in sorted(pairs, key=lambda p: -p.similarity):
        if (pair.query, pair.listed) in seen:
            continue
        seen.add((pair.query, pair.listed))
        shown.append(pair.query if pair.how == "exact"
                     else f"{pair.query}~{pair.listed} ({pair.how} {pair.similarity:.2f})")
    return ", ".join(shown) if shown else "no shared words"


@lru_cache(maxsize=1)
def _bare_words() -> tuple[frozenset[str], frozenset[str]]:
    """(words that name no one: `extra_generic` less places and nations, the place words)."""
    places = place_tokens()
    return filler_tokens() - places - _NATION_WORDS, places | _NATION_WORDS


@lru_cache(maxsize=1 << 16)
def _bare(tokens: tuple[str, ...], legal_forms: tuple[str, ...]) -> str | None:
    if not tokens:
        return "nothing"
    if all(t.isdigit() for t in tokens):
        return "a number"
    if sum(map(len, tokens)) <= _BARE_LETTERS:
        return f"{_BARE_LETTERS} letters or digits or fewer"
    if tokens == tuple(w for form in legal_forms for w in form.split()):
        return "a legal form"
    naming_no_one, places = _bare_words()
    if all(t in naming_no_one for t in tokens):
        return "words that name no one"
    if all(t in places for t in tokens):
        return "a place"
    return None


def bare_name(form: NameForm) -> str | None:
    """What a listed name is when it is bare once normalised (only a number, two letters or
    digits or fewer, only a legal form, only words that name no one, only a place), else None.
    Such a name is matched only by a query of the same core (`score`)."""
    return _bare(form.tokens, form.legal_forms)


def score(query: NameForm, q_weights: tuple[float, ...], listed: NameForm,
          n_weights: tuple[float, ...], person: bool = True) -> float:
    """Score in [0, 1] of one query form against one listed form, before country adjustment.
    The weights are those of each form's tokens (see NameIndex.weights). `bound` skips
    candidates by an upper bound of this score: a feature that adds to it must be added there.
    `person`: the listed party may be a person (its list does not say it is an entity, a vessel
    or an aircraft), so the rules for persons' names (`persons.py`) may apply."""
    if query.tokens == listed.tokens:
        return 1.0 + (LEGAL_FORM_CONFLICT if legal_form_conflict(query, listed) else 0.0)
    if bare_name(listed) is not None:
        return 0.0  # only the same bare core matches it (`bare_name`)
    q_cov, n_cov, q_best, n_best = align_tokens(query.tokens, q_weights, listed.tokens, n_weights,
                                                loose=query.kind == "transliterated")
    overlap = 2 * q_cov * n_cov / (q_cov + n_cov) if q_cov + n_cov else 0.0
    value = TOKEN_WEIGHT * overlap + STRING_WEIGHT * string_similarity(query, listed)[0]
    if place_conflict(query.tokens, q_best, listed.tokens, n_best):
        value += PLACE_CONFLICT
    rare = rare_word_approximate(listed.tokens, n_weights, n_best)
    if rare:
        value += RARE_WORD_APPROXIMATE
    if kind_conflict(query, listed):
        value += KIND_CONFLICT
    if kinds_differ(query, listed):
        value += KINDS_DIFFER
    typo = one_letter_differs(query, listed.tokens, n_weights, n_best,
                              listed if person else None)
    if typo is not None:
        if typo[2] and not rare:
            value += ANOTHER_NAME
        value = min(value, ANOTHER_NAME_CEILING if typo[2] else ONE_LETTER_CEILING)
    if value > ONE_WORD_CEILING and one_distinctive_word(
            query, q_best, listed.tokens, n_best) is not None:
        value = ONE_WORD_CEILING
    if value > NUMBER_ONLY_CEILING and shared_number_only(
            query.tokens, q_best, listed.tokens) is not None:
        value = NUMBER_ONLY_CEILING
    if person and value < PARTS_CONTAINED and parts_contained(query, q_best, q_weights, listed,
                                                              n_best, n_weights):
        value = PARTS_CONTAINED
    if person and value < PERSON_READING_MAX:
        reading = person_reading(query, q_weights, listed, n_weights)
        if reading is not None and value < reading.level:
            value = reading.level
    return value


def one_distinctive_word(query: NameForm, q_best: list[float], listed: tuple[str, ...],
                         n_best: list[float]) -> tuple[str, str] | None:
    """(the listed name's one distinctive word, why the query is another name) when every word
    of the listed name but one is generic or a place (`generic_tokens`, `place_tokens`), a query
    in Latin letters has that word (exactly or nearly: `align_tokens`' best similarities), and
    the query is otherwise another name (`ONE_WORD_CEILING`): it has a distinctive word the
    listed name lacks (not one pinyin syllable: a character read alone), or it has a
    descriptive word (generic, not a place) and fewer than half of the listed name's other
    words, and lacks more than places of them; when the one word is a number, only as
    `_another_groups_unit` says, for a query in any script. None otherwise."""
    if len(listed) < 2:
        return None
    generic, places = generic_tokens(), _places()
    word = None
    for token in listed:
        if token not in generic and token not in places and token != word:
            if word is not None:
                return None  # two distinctive words
            word = token
    if word is None or max(b for t, b in zip(listed, n_best, strict=True)
                           if t == word) < _TYPO_FLOOR:
        return None
    if word.isdigit():
        return _another_groups_unit(word, query, q_best, listed, n_best)
    if query.kind != "latin":
        return None
    cut = pinyin_syllables(word)
    if cut is not None and len(cut) > 1:
        # A Chinese trade name (字号) in pinyin, two characters or more (Dahua): names that share
        # it are often one group's companies in other trades, so the shared word is enough.
        return None
    own = [t for t, s in zip(query.tokens, q_best, strict=True)
           if s < _TYPO_FLOOR and t not in generic and t not in places and not _one_syllable(t)]
    if own:
        return word, f"the query adds '{own[0]}', a word the listed name lacks"
    if not any(t in generic and t not in places for t in query.tokens):
        return None  # the word alone, or with places: a search for it
    others: dict[str, float] = {}
    for token, best in zip(listed, n_best, strict=True):
        if token != word:
            others[token] = max(others.get(token, 0.0), best)
    missing = [t for t, best in others.items() if best < _TYPO_FLOOR]
    if 2 * (len(others) - len(missing)) >= len(others) or all(t in places for t in missing):
        return None
    return word, (f"the query has {len(others) - len(missing)} of the listed name's "
                  f"{len(others)} other words (lacks {', '.join(missing)}) and describes the "
                  "party in words of its own")


def _another_groups_unit(number: str, query: NameForm, q_best: list[float],
                         listed: tuple[str, ...], n_best: list[float]) -> tuple[str, str] | None:
    """When the listed name's one distinctive word is a number (a numbered unit: China
    Electronics Technology Group Corporation No. 11 Research Institute), why a query in any script
    is another group's unit of that number: each name describes its group in a word the other
    lacks (aerospace / electronics). A shortened name that lacks words only (航天三院, aerospace 3
    academy, CASIC's 3rd Academy) is not held."""
    generic, places = generic_tokens(), _places()
    theirs = [t for t, best in zip(listed, n_best, strict=True)
              if best < _TYPO_FLOOR and t in generic and t not in places]
    mine = [t for t, best in zip(query.tokens, q_best, strict=True)
            if best < _TYPO_FLOOR and t in generic and t not in places]
    if not (theirs and mine):
        return None
    return number, (f"the query describes the party as {' '.join(mine)}, the listed name as "
                    f"{' '.join(theirs)}: another group's unit of the number {number}")


def _one_syllable(word: str) -> bool:
    """One pinyin syllable: a character read alone, mostly a place's or a term's (Bei Jing Shi,
    市 city; China Science Yuan, 院 academy), not a name of its own."""
    cut = pinyin_syllables(word)
    return cut is not None and len(cut) == 1


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    """The place words, the words of places written in two (hong, kong), and the nations'
    adjectives (Chinese, Russian...)."""
    return place_tokens() | place_parts() | _NATION_WORDS


def shared_number_only(query: tuple[str, ...], q_best: list[float],
                       listed: tuple[str, ...]) -> str | None:
    """The number the two names share when every other word the query shares with the listed
    name (exactly or nearly: `align_tokens`' best similarities) only says what kind of unit or
    where (`_UNIT_WORDS`: research, institute, center, plant, company...; places; 'no'): "27
    research institute" and "27 science center" share '27' alone, "709 research institute" and
    "CSSC 709th Research Institute" '709' and unit words. None when a word that says whose unit
    it is is shared too (China Academy of Space Technology 502 Research Institute: space,
    technology), when no number is, or when the two names are the same words in another order
    ("Plant No. 9")."""
    number = None
    unit_words = _unit_words()
    for token, best in zip(query, q_best, strict=True):
        if best < _TYPO_FLOOR:
            continue
        if token.isdigit():
            number = number or token
        elif token not in unit_words:
            return None
    if number is not None and sorted(query) == sorted(listed):
        return None
    return number


@lru_cache(maxsize=1)
def _unit_words() -> frozenset[str]:
    """Words that say what kind of unit a name is, or where, and not whose: the words that name
    no one (`filler_tokens`: company, center, plant, works, places...), the institution words,
    research and science, and the stopwords (no)."""
    return frozenset(filler_tokens() | INSTITUTION_WORDS | {"research", "science"}
                     | vocabulary().stopwords)


def _consonants(form: NameForm) -> str:
    return "".join(sorted(skeleton(t) for t in form.tokens))


def string_similarity(query: NameForm, listed: NameForm) -> tuple[float, str]:
    """Character similarity of the two names written together, and what was compared. A query
    read from another script is also compared by its words' consonants in alphabetical order
    (an abjad writes few vowels, and a person's names come in either order)."""
    plain = fuzz.ratio(query.compact, listed.compact) / 100.0
    shown = f"'{query.compact}' and '{listed.compact}'"
    if query.kind == "transliterated":
        mine, theirs = _consonants(query), _consonants(listed)
        bare = fuzz.ratio(mine, theirs) / 100.0
        if bare > plain:
            return bare, f"the consonants '{mine}' and '{theirs}'"
    return plain, shown


def kind_conflict(query: NameForm, listed: NameForm) -> str | None:
    """The institution word one name has when the other, without it, is a company (has a legal
    form) or is described by words of its own ("Fudan University" / "Fudan Micro")."""
    for one, other in ((query, listed), (listed, query)):
        words = INSTITUTION_WORDS.intersection(one.tokens)
        if words and not one.legal_forms and not words.intersection(other.tokens) and (
                other.legal_forms or set(other.tokens) - set(one.tokens)):
            return min(words)
    return None


def kinds_differ(query: NameForm, listed: NameForm) -> tuple[str, str] | None:
    """(the query's kind, the listed name's kind) when each name says what kind of party it is
    (bank, trading, insurance, university...) and they share none of those words."""
    mine = _KIND_WORDS.intersection(query.tokens)
    theirs = _KIND_WORDS.intersection(listed.tokens)
    if mine and theirs and not mine & theirs:
        return min(mine), min(theirs)
    return None


def legal_form_conflict(query: NameForm, listed: NameForm) -> bool:
    """Both names carry legal forms, none in common, and not all of the interchangeable English
    kind (Co., Ltd. / Limited / Inc.)."""
    mine, theirs = set(query.legal_forms), set(listed.legal_forms)
    if not mine or not theirs or mine & theirs:
        return False
    return not (mine | theirs) <= _INTERCHANGEABLE_FORMS


def one_letter_differs(
    query: NameForm, listed: tuple[str, ...], n_weights: tuple[float, ...],
    n_best: list[float], listed_form: NameForm | None = None,
) -> tuple[str, str, str] | None:
    """(query word, listed word, why it is likely another name or '') when a distinctive word of
    the listed name is in a Latin-script query with one letter changed, added, dropped or two
    letters swapped, and not exactly; of several such words, one likely another name comes
    first. (A reading of another script differs by a letter as a matter of course: "yhya" for
    يحيى is Yahya.) When both names read as persons' (`listed_form`, `persons.person_like`), a
    letter that sounds alike (`persons.sound_alike`) is a spelling of the same name, not another
    name: persons' names are spelt many ways."""
    if query.kind != "latin":
        return None
    total = sum(n_weights) or 1.0
    found: tuple[str, str, str] | None = None
    for j, word in enumerate(listed):
        if n_weights[j] < _DISTINCTIVE_SHARE * total or not 0.0 < n_best[j] < 1.0:
            continue
        for candidate in query.tokens:
            if OSA.distance(candidate, word, score_cutoff=1) == 1 and candidate not in listed:
                why = _another_name(candidate, word)
                if why and listed_form is not None and sound_alike(candidate, word) and (
                        person_like(query) and person_like(listed_form)):
                    why = ""  # a person's name spelt another way
                if why:
                    return candidate, word, why
                found = found or (candidate, word, "")
    return found


def _another_name(candidate: str, word: str) -> str:
    """Why a query word one edit from a distinctive listed word is likely another name, or ''
    when it reads as a typo of it."""
    if candidate + "s" == word or word + "s" == candidate:
        return "one is the plural of the other: likely another name"
    if len(word) <= _SHORT_WORD:
        return f"in a word of {_SHORT_WORD} letters or fewer, likely another name"
    mine, theirs = pinyin_syllables(candidate), pinyin_syllables(word)
    if mine and theirs and len(theirs) > 1:
        return (f"both are pinyin ({' '.join(mine)} / {' '.join(theirs)}): likely another "
                "Chinese name")
    if slip(candidate, word) is None:
        return ("no slip of typing or spelling (not a neighbouring key, a doubled, dropped or "
                "swapped letter, nor the same sound): likely another name")
    return ""


def rare_word_approximate(
    listed: tuple[str, ...], n_weights: tuple[float, ...], n_best: list[float],
) -> str | None:
    """The listed name's word that carries most of its weight, when the query has it only
    approximately. (The query side is not asked: a misspelt query word is unseen in the index and
    so always looks rare.)"""
    if len(listed) < 2:
        return None
    rarest = max(range(len(listed)), key=n_weights.__getitem__)
    dominant = n_weights[rarest] >= _RARE_SHARE * sum(n_weights)
    if dominant and 0.0 < n_best[rarest] < _RARE_SIMILARITY:
        return listed[rarest]
    return None


def explain(
    query: NameForm, q_weights: tuple[float, ...], listed: NameForm,
    n_weights: tuple[float, ...], person: bool = True,
) -> list[Feature]:
    """The features behind `score` for the same pair; their contributions add up to it."""
    if query.tokens == listed.tokens:
        detail = f"'{query.core}' equals the listed name's core"
        forms = (f"{'/'.join(query.legal_forms) or 'none'} vs "
                 f"{'/'.join(listed.legal_forms) or 'none'}")
        if legal_form_conflict(query, listed):
            return [Feature("exact_alias", 1.0, 1.0, 1.0, detail), Feature(
                "legal_form_conflict", 1.0, LEGAL_FORM_CONFLICT, LEGAL_FORM_CONFLICT,
                f"legal forms of different kinds ({forms}): possibly another company")]
        if query.legal_forms != listed.legal_forms:
            detail += f" (legal forms differ: {forms})"
        return [Feature("exact_alias", 1.0, 1.0, 1.0, detail)]
    pairs: list[TokenPair] = []
    q_cov, n_cov, q_best, n_best = align_tokens(
        query.tokens, q_weights, listed.tokens, n_weights, pairs,
        loose=query.kind == "transliterated")
    overlap = 2 * q_cov * n_cov / (q_cov + n_cov) if q_cov + n_cov else 0.0
    string, compared = string_similarity(query, listed)
    conflict = place_conflict(query.tokens, q_best, listed.tokens, n_best)
    extra = [] if conflict is None else [Feature(
        "place_conflict", 1.0, PLACE_CONFLICT, PLACE_CONFLICT,
        f"the query names {conflict[0]}, the listed name {conflict[1]}: likely another branch",
    )]
    rare = rare_word_approximate(listed.tokens, n_weights, n_best)
    if rare is not None:
        extra.append(Feature(
            "rare_word_approximate", 1.0, RARE_WORD_APPROXIMATE, RARE_WORD_APPROXIMATE,
            f"'{rare}', the word that identifies the name, matches only approximately"))
    kind = kind_conflict(query, listed)
    if kind is not None:
        extra.append(Feature(
            "kind_conflict", 1.0, KIND_CONFLICT, KIND_CONFLICT,
            f"one name is a {kind}, the other a company of another kind"))
    kinds = kinds_differ(query, listed)
    if kinds is not None:
        extra.append(Feature(
            "kinds_differ", 1.0, KINDS_DIFFER, KINDS_DIFFER,
            f"the query says '{kinds[0]}', the listed name '{kinds[1]}': another kind of party"))
    features = [
        Feature(
            "token_overlap", overlap, TOKEN_WEIGHT, TOKEN_WEIGHT * overlap,
            f"{_describe(pairs)}; query words found {q_cov:.0%}, listed words found {n_cov:.0%} "
            "(rare words weigh more)",
        ),
        Feature(
            "edit_distance", string, STRING_WEIGHT, STRING_WEIGHT * string,
            f"character similarity of {compared}",
        ),
        *extra,
    ]
    bare = bare_name(listed)
    if bare is not None:
        so_far = sum(f.contribution for f in features)
        features.append(Feature(
            "bare_listed_name", 1.0, -so_far, -so_far,
            f"the listed name '{listed.core}' is only {bare}: it matches only a query that is "
            "the same, never one that merely shares it"))
        return features
    typo = one_letter_differs(query, listed.tokens, n_weights, n_best,
                              listed if person else None)
    number = shared_number_only(query.tokens, q_best, listed.tokens)
    if typo is not None:
        mine, theirs, why = typo
        detail = f"one letter differs in the distinctive word '{theirs}' (query '{mine}')"
        spelt = None if why or not person else _person_spelling(query, listed, mine, theirs)
        if spelt is not None:
            features.append(Feature("person_name_spelling", 1.0, 0.0, 0.0, spelt))
        if why and rare is None:
            features.append(Feature("one_letter_differs", 1.0, ANOTHER_NAME, ANOTHER_NAME,
                                    f"{detail}: {why}"))
        so_far = sum(f.contribution for f in features)
        ceiling = ANOTHER_NAME_CEILING if why else ONE_LETTER_CEILING
        if so_far > ceiling:
            features.append(Feature(
                "one_letter_differs", 1.0, ceiling - so_far, ceiling - so_far,
                f"{detail}: {why or 'a typo of the listed name or another name'}, so at most "
                f"{ceiling:.2f}"))
        elif not why:
            features.append(Feature("one_letter_differs", 1.0, 0.0, 0.0,
                                    f"{detail}: a typo of the listed name or another name"))
    so_far = sum(f.contribution for f in features)
    single = one_distinctive_word(query, q_best, listed.tokens, n_best) if (
        so_far > ONE_WORD_CEILING) else None
    if single is not None:
        features.append(Feature(
            "one_distinctive_word", 1.0, ONE_WORD_CEILING - so_far, ONE_WORD_CEILING - so_far,
            f"every word of the listed name but '{single[0]}' is generic or a place, and "
            f"{single[1]}: one shared word is not enough, so at most {ONE_WORD_CEILING:.2f}"))
        so_far = ONE_WORD_CEILING
    if number is not None and so_far > NUMBER_ONLY_CEILING:
        features.append(Feature(
            "number_only", 1.0, NUMBER_ONLY_CEILING - so_far, NUMBER_ONLY_CEILING - so_far,
            f"the names share the number {number} and otherwise only words that describe or "
            f"place a party: no word that names one, so at most {NUMBER_ONLY_CEILING:.2f}"))
        so_far = NUMBER_ONLY_CEILING
    contained = parts_contained(query, q_best, q_weights, listed, n_best, n_weights) if (
        person and so_far < PARTS_CONTAINED) else None
    if contained is not None:
        features.append(Feature(
            "name_parts_contained", 1.0, PARTS_CONTAINED - so_far, PARTS_CONTAINED - so_far,
            f"both read as persons' names and {contained}: a person is named with fewer or "
            f"more of their names, so at least {PARTS_CONTAINED:.2f} (to review)"))
        so_far = PARTS_CONTAINED
    reading = person_reading(query, q_weights, listed, n_weights) if (
        person and so_far < PERSON_READING_MAX) else None
    if reading is not None and so_far < reading.level:
        *shown, (name, detail) = reading.notes
        features.extend(Feature(name, 1.0, 0.0, 0.0, detail) for name, detail in shown)
        lift = reading.level - so_far
        features.append(Feature(
            name, 1.0, lift, lift, f"both read as persons' names; {detail}: the same person's "
            f"name written another way, so at least {reading.level:.2f} (to review)"))
    return features


def _person_spelling(query: NameForm, listed: NameForm, mine: str, theirs: str) -> str | None:
    """Why a one-letter difference of two persons' names is read as a spelling of one name
    (`one_letter_differs`), or None when it is not."""
    how = sound_alike(mine, theirs)
    if how is None or not (person_like(query) and person_like(listed)):
        return None
    return (f"both read as persons' names, and '{mine}' is '{theirs}' with {how} (letters "
            "Soundex codes alike): a person's name spelt another way, not another name")


def short_word_approximate(
    query: NameForm, q_weights: tuple[float, ...], listed: NameForm,
    n_weights: tuple[float, ...],
) -> tuple[str, str, str] | None:
    """(query word, listed word, how) when the listed name's word that carries most of its
    weight is short (five letters or fewer) and the query has it only approximately (a typo, a
    sound, consonants: "Sony" / "Sinno", "Sumco" / "SMIC"). A short word is easily near another
    short name, so a country both share corroborates nothing (see `Screener.screen`)."""
    if query.tokens == listed.tokens or not listed.tokens:
        return None
    rarest = max(range(len(listed.tokens)), key=n_weights.__getitem__)
    word = listed.tokens[rarest]
    if len(word) > _SHORT_WORD:  # known before aligning the words
        return None
    pairs: list[TokenPair] = []
    _q, _n, _q_best, n_best = align_tokens(query.tokens, q_weights, listed.tokens, n_weights,
                                           pairs, loose=query.kind == "transliterated")
    if not 0.0 < n_best[rarest] < 1.0:
        return None
    near = max((p for p in pairs if p.listed == word), key=lambda p: p.similarity, default=None)
    if near is None:
        return None
    return near.query, word, f"{near.how} {near.similarity:.2f}"


def country_feature(query_country: str | None, listed: list[str]) -> Feature | None:
    if not query_country:
        return None
    if not listed:
        return Feature("country", 0.0, 0.0, 0.0, "the list gives no country for this entry")
    if query_country in listed:
        return Feature("country", 1.0, COUNTRY_AGREES, COUNTRY_AGREES,
                       f"{query_country} is among the entry's countries ({', '.join(listed)})")
    return Feature("country", 0.0, COUNTRY_DISAGREES, COUNTRY_DISAGREES,
                   f"{query_country} is not among the entry's countries ({', '.join(listed)})")
