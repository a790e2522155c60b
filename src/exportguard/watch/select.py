"""The customers a delta re-screen must screen: every customer who could have a hit on a touched
entry (added or changed) in a full re-screen, found for all customers at once from their kept
forms (`watch/kept.py`), with no name normalised and no candidate search.

A touched name can be reported for a customer only in one of these ways (`Screener.screen`):

- its characters, trade name or pinyin equal a lookup key of the customer's name (exact alias,
  trade name, pinyin: the customer's kept keys against the keys the new index files the touched
  names under), or its characters end with a unit the customer's name names under its parents
  (unit_of_parent: the customer's units are kept as keys, each touched name's unit endings are
  looked up);
- a form of the customer's name scores at least FLOOR against it (the threshold less the most
  a country can add; every other adjustment subtracts). `score` is at most TOKEN_WEIGHT x the
  harmonic mean of the two weighted coverages + STRING_WEIGHT, the coverages growing with each
  word's best similarity, each pair of words taking the most any rule of `_token_similarity`
  could give it (typo by RapidFuzz's OSA, plural, same sound and first letter). That needs the
  touched name's matched words to weigh at least KEY_SHARE of it, so a word of its "key words"
  (those left when its lightest words under that share are set aside) must meet a similar word
  of the customer's: only those pairs are bounded, with the query words weighed as the new
  index weighs them (for a name in characters, whose business words may weigh less, the query
  coverage is taken as 1);
- two words written together on one side and apart on the other count as alike (similarity 1)
  in that bound; a customer's long word split into index words (`Screener._glued`) is kept with its
  glued forms, which are bounded as the others while the new index splits the word the same
  way (else the customer is chosen);
- the rules for persons' names (`persons.parts_contained`, `persons.person_reading`) lift a
  pair whatever its coverages, only where the listed party may be a person and both names read
  as persons' names, every word of one is found in the other (exactly, as a nickname or an
  initial) or may be set aside, and the listed name's words found carry CONTAINED_SHARE of its
  weight (`_persons_lifted`); its key words are then also weighed with its titles left out,
  and a nickname or an initial pairs words for these rules only, never for the score's bound;
- customers kept as "always" (names in Hangul, characters read in Korean, names read from
  another script, names the rules refuse).

Everything here only widens the choice: the customers chosen are then screened for real
(`rescreen._TouchedScreener`), so their hits on touched entries are the full re-screen's; a
customer not chosen has none in a full re-screen. `tests/test_watch.py` checks both on real
list updates.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from exportguard.names import person_words
from exportguard.screening.features import (
    _PHONETIC_SIMILARITY,
    _PLURAL_SIMILARITY,
    _TYPO_FLOOR,
    COUNTRY_AGREES,
    STRING_WEIGHT,
    TOKEN_WEIGHT,
)
from exportguard.screening.han_rules import is_unit
from exportguard.screening.index import NameIndex, phonetic
from exportguard.screening.persons import (
    CONTAINED_SHARE,
    PERSON_READING_MAX,
    may_be_person,
    reads_as_person,
    words_read_as_person,
)
from exportguard.screening.screener import DEFAULT_THRESHOLD
from exportguard.store.watchlist import Customer
from exportguard.watch.kept import KeptForms, glued_split, key_hash

FLOOR = DEFAULT_THRESHOLD - COUNTRY_AGREES
_MARGIN = 1e-9
_RATIO_MARGIN = 1e-6  # the ratio computed by `process.cpdist` and by `fuzz.ratio`, in floats
# The harmonic mean of the coverages a score of FLOOR needs, and the least name coverage that
# allows (with a query coverage of 1).
_OVERLAP = (FLOOR - STRING_WEIGHT) / TOKEN_WEIGHT
KEY_SHARE = _OVERLAP / (2 - _OVERLAP) - 1e-6
_CHUNK = 4096  # vocabulary words compared at once


def touched_names(index: NameIndex, entries: np.ndarray) -> np.ndarray:
    """The index's name numbers of these entry numbers."""
    return np.flatnonzero(member(index.name_entry, entries))


def member(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """`np.isin(values, wanted)` for numbers of the index's size (names, entries): a table of
    flags (np.isin may sort, and then imports numpy.ma: some 30 ms in a new process)."""
    if not len(values) or not len(wanted):
        return np.zeros(len(values), dtype=bool)
    table = np.zeros(max(int(values.max()), int(wanted.max())) + 1, dtype=bool)
    table[wanted] = True
    return table.take(values)


def _among(values: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """`np.isin` for any 64-bit numbers (key hashes), by a sorted search."""
    if not len(values) or not len(wanted):
        return np.zeros(len(values), dtype=bool)
    ranked = np.sort(wanted)
    at = np.searchsorted(ranked, values)
    at[at == len(ranked)] = 0
    return ranked.take(at) == values


def chosen_customers(kept: KeptForms, index: NameIndex, names: np.ndarray,
                     customers: Callable[[list[int]], Sequence[Customer]] | None = None
                     ) -> set[int]:
    """Ids of the customers who could have a hit on one of the name numbers `names` of the new
    lists' index (see the module's text). A customer with a long word the new index splits
    otherwise than the index its record was made with (`_glued`) is chosen outright, or, when
    `customers` (ids -> their rows) is given, its record is made again against the new index's
    words (as a kept file made now would hold it) and bounded like the others."""
    if not len(names) or not len(kept.customers):
        return set(kept.always.tolist())
    stale = _glued(kept, index)
    chosen = _chosen(kept, index, np.asarray(names, dtype=np.int64))
    if not stale:
        return chosen
    if customers is None:
        return chosen | stale
    fresh = KeptForms.build(customers(sorted(stale)), index.token_weight)
    return (chosen - stale) | chosen_customers(fresh, index, names)


def _chosen(kept: KeptForms, index: NameIndex, names: np.ndarray) -> set[int]:
    """`chosen_customers` by the records as kept (their glued forms taken as they are)."""
    chosen: set[int] = set(kept.always.tolist())
    chosen |= _by_keys(kept, index, names)
    words = {w: n for n, w in enumerate(kept.vocabulary)}
    starts = index.name_token_starts
    first = starts.take(names)
    lengths = starts.take(names + 1) - first
    ends = lengths.cumsum()
    tokens = index.name_tokens.take(np.arange(int(ends[-1])) + np.repeat(first - (ends - lengths),
                                                                         lengths))
    owner = np.repeat(np.arange(len(names)), lengths)
    distinct, column = _distinct(tokens)
    keys = index.tokens.keys
    touched = [keys[t] for t in distinct.tolist()]
    joined = _joined(kept, words, touched, [touched[c] for c in column.tolist()], owner)
    persons = _person_names(index, names)
    person_word = np.zeros(len(touched), dtype=bool)
    person_word[column[persons.take(owner)]] = True
    similar = _similar(kept, words, touched, joined, person_word)
    compacts = ["".join(words_of) for words_of in _split(
        [touched[c] for c in column.tolist()], lengths.tolist())]
    chosen |= _bounded(kept, index, similar, column, owner, index.token_weights.take(tokens),
                       compacts, touched, persons)
    return chosen


def _person_names(index: NameIndex, names: np.ndarray) -> np.ndarray:
    """Each touched name the rules for persons' names may read (`features.score`: its party
    may be a person, and `persons.reads_as_person`, which `persons.person_like` implies)."""
    entries, indexed = index.entries, index.names
    return np.fromiter((may_be_person(entries[(name := indexed[n]).entry])
                        and reads_as_person(name.form) for n in names.tolist()),
                       dtype=bool, count=len(names))


def _distinct(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`np.unique(values, return_inverse=True)` by a sort (np.unique imports numpy.ma, some
    30 ms in a new process, and hashes)."""
    order = np.argsort(values, kind="stable")
    ranked = values.take(order)
    new = np.ones(len(ranked), dtype=bool)
    new[1:] = ranked[1:] != ranked[:-1]
    inverse = np.empty(len(values), dtype=np.int64)
    inverse[order] = np.cumsum(new) - 1
    return ranked[new], inverse


def _split(items: list[str], lengths: list[int]) -> list[list[str]]:
    out, at = [], 0
    for length in lengths:
        out.append(items[at:at + length])
        at += length
    return out


def _by_keys(kept: KeptForms, index: NameIndex, names: np.ndarray) -> set[int]:
    """Customers with a lookup key under which the new index files a touched name."""
    found: list[int] = []
    for prefix, postings in (("h", index.han_exact), ("t", index.han_trade),
                             ("p", index.pinyin_full), ("q", index.pinyin_trade)):
        if not len(postings.numbers):
            continue
        at = np.flatnonzero(member(postings.numbers, names))
        if not len(at):
            continue
        slots = set((np.searchsorted(postings.starts, at, side="right") - 1).tolist())
        every = postings.keys
        found += [key_hash(prefix + every[s]) for s in slots]
        if prefix == "h":
            # A customer naming a unit under its parents is looked up under the unit's name
            # too, which a touched name in characters may end with (`Screener._units_of_parents`).
            found += [key_hash("h" + every[s][i:]) for s in slots
                      for i in range(1, len(every[s])) if is_unit(every[s][i:])]
    if not found:
        return set()
    hit = _among(kept.keys, np.asarray(found, dtype=np.int64))
    return set(kept.key_customer[hit].tolist())


def _glued(kept: KeptForms, index: NameIndex) -> set[int]:
    """Customers with a long word the new index splits otherwise than the index their record
    was made with (`Screener._glued`): their kept glued forms are not the screener's now, so
    they are chosen."""
    weight = index.token_weight
    now: dict[str, str] = {}
    changed = [number for number, (word, split) in enumerate(
        zip(kept.long_words, kept.long_splits, strict=True))
        if now.setdefault(word, glued_split(word, weight)) != split]
    starts = kept.long_starts
    return {c for n in changed for c in kept.long_customers[starts[n]:starts[n + 1]].tolist()}


def _customers_with(kept: KeptForms, vocabulary: list[int]) -> set[int]:
    if not vocabulary:
        return set()
    starts = kept.word_starts
    forms = np.concatenate([kept.word_forms[starts[v]:starts[v + 1]] for v in vocabulary])
    return set(kept.form_customer.take(forms).tolist())


def _joined(kept: KeptForms, words: dict[str, int], touched: list[str], name_words: list[str],
            owner: np.ndarray) -> list[tuple[int, int, float]]:
    """Words written together on one side and apart on the other (`features._align_joined`),
    as similarities of 1 between the touched word and each customer word it meets: a touched
    word that two customer words make, two adjacent words of a touched name that make one
    customer word. (Each pair is then alike in every name and form: the bound only widens.)"""
    number = {w: n for n, w in enumerate(touched)}
    rows: list[tuple[int, int, float]] = []
    for t, word in enumerate(touched):
        for cut in range(1, len(word)):
            left, right = words.get(word[:cut]), words.get(word[cut:])
            if left is not None and right is not None:
                rows += [(t, left, 1.0), (t, right, 1.0)]
    apart = (owner[1:] == owner[:-1]).tolist()
    for left, right, same in zip(name_words, name_words[1:], apart, strict=False):
        if same and (found := words.get(left + right)) is not None:
            rows += [(number[left], found, 1.0), (number[right], found, 1.0)]
    return rows


def _similar(kept: KeptForms, words: dict[str, int], touched: list[str],
             extra: list[tuple[int, int, float]], person_word: np.ndarray) -> np.ndarray:
    """The pairs (touched word, customer word) some rule of `_token_similarity` could call alike,
    or that a person's reading pairs (a given name and its nickname or initial, for the words
    of `person_word`, those of a touched name read as a person's), as rows (touched word,
    vocabulary word, the most `_token_similarity` gives, 1 when either says the two words are
    one), one per pair, sorted by pair."""
    rows: list[np.ndarray] = []
    vocabulary = kept.vocabulary
    for start in range(0, len(vocabulary), _CHUNK):
        block = vocabulary[start:start + _CHUNK]
        typo = process.cdist(touched, block, scorer=OSA.normalized_similarity,
                             score_cutoff=_TYPO_FLOOR, dtype=np.float64)
        t, v = np.nonzero(typo)
        rows.append(np.stack([t, v + start, typo[t, v]], axis=1))
    extra = list(extra)
    # The tables are read only when a touched name reads as a person's (some 70 ms at first).
    links = person_words.given_name_links() if person_word.any() else {}
    read: list[tuple[int, int, float, float]] = []
    for number, word in enumerate(touched):
        for other in (word + "s", word[:-1] if word.endswith("s") else None):
            if other and (found := words.get(other)) is not None:
                extra.append((number, found, _PLURAL_SIMILARITY))
        if not person_word[number]:
            continue
        # A person's given name and its nickname or equivalent (the nicknames table, the
        # given-name groups), or its initial (`persons.person_reading`,
        # `persons.parts_contained`): one word to those rules, unlike to the score's.
        for other in (*links.get(word, ()), word[0] if len(word) > 1 else None):
            if other and (found := words.get(other)) is not None:
                read.append((number, found, 0.0, 1.0))
    sounds = {}
    for number, word in enumerate(touched):
        key = phonetic(word)
        if key:
            sounds.setdefault(key_hash(key), []).append(number)
    if sounds:
        at = np.flatnonzero(_among(kept.sounds, np.fromiter(sounds, dtype=np.int64,
                                                            count=len(sounds))))
        for found in at.tolist():
            word = vocabulary[found]
            for number in sounds[int(kept.sounds[found])]:
                if touched[number][0] == word[0]:
                    extra.append((number, found, _PHONETIC_SIMILARITY))
    if extra:
        rows.append(np.asarray(extra, dtype=np.float64))
    rows = [np.concatenate([r, (r[:, 2:3] == 1.0).astype(np.float64)], axis=1) for r in rows]
    if read:
        rows.append(np.asarray(read, dtype=np.float64))
    table = np.concatenate(rows) if rows else np.empty((0, 4))
    if not len(table):
        return table
    # One row per pair, with the largest value of each column.
    codes = table[:, 0].astype(np.int64) * len(vocabulary) + table[:, 1].astype(np.int64)
    order = np.argsort(codes, kind="stable")
    codes, table = codes[order], table[order]
    first = np.ones(len(codes), dtype=bool)
    first[1:] = codes[1:] != codes[:-1]
    starts = np.flatnonzero(first)
    out = table[first]
    out[:, 2] = np.maximum.reduceat(table[:, 2], starts)
    out[:, 3] = np.maximum.reduceat(table[:, 3], starts)
    return out


def _bounded(kept: KeptForms, index: NameIndex, similar: np.ndarray, column: np.ndarray,
             owner: np.ndarray, weights: np.ndarray, compacts: list[str], touched: list[str],
             persons: np.ndarray) -> set[int]:
    """Customers with a form whose score bound against a touched name reaches FLOOR. `column`:
    each touched name word's touched word; `owner`: its name (0..count-1); `weights`: its weight
    in the new index; `compacts`: each name's words written together; `touched`: the touched
    words; `persons`: each touched name the rules for persons' names may read
    (`_person_names`)."""
    count = len(compacts)
    if not len(similar):
        return set()
    aside = person_words.aside_words() if persons.any() else frozenset()
    touched_aside = np.fromiter((w in aside for w in touched), dtype=bool, count=len(touched))
    size = len(kept.vocabulary)
    # Each name's key words (see the module's text): by position, lightest first.
    light = _light(weights, owner, count, weightless_light=False)
    # A person's name is read with its titles and post-nominal words set aside
    # (`persons.person_reading`): its key words so weighed are key words too.
    light &= _light(np.where(touched_aside.take(column) & persons.take(owner), 0.0, weights),
                    owner, count)
    key_word = column[~light]
    key_name = owner[~light]
    # (customer form, touched name) pairs that share a similar key word.
    s_touched = similar[:, 0].astype(np.int64)
    s_word = similar[:, 1].astype(np.int64)
    by_word = np.argsort(key_word, kind="stable")
    key_word, key_name = key_word[by_word], key_name[by_word]
    lo = np.searchsorted(key_word, s_touched, side="left")
    hi = np.searchsorted(key_word, s_touched, side="right")
    has = hi > lo
    if not has.any():
        return set()
    lo, hi, s_word = lo[has], hi[has], s_word[has]
    # Expand: every name of the key word x every form holding the customer word.
    per = hi - lo
    rows = np.repeat(np.arange(len(lo)), per)
    names = key_name[np.arange(int(per.sum())) - np.repeat(np.cumsum(per) - per, per)
                     + np.repeat(lo, per)]
    w_lo = kept.word_starts.take(s_word.take(rows))
    w_hi = kept.word_starts.take(s_word.take(rows) + 1)
    span = w_hi - w_lo
    forms = kept.word_forms.take(np.arange(int(span.sum())) - np.repeat(np.cumsum(span) - span,
                                                                        span)
                                 + np.repeat(w_lo, span)).astype(np.int64)
    names = np.repeat(names, span).astype(np.int64)
    pairs = _distinct(forms * count + names)[0]
    forms, names = pairs // count, pairs % count
    # Each pair: its form's words x its name's words, with their similarities.
    f_lo = kept.form_starts.take(forms)
    f_len = kept.form_starts.take(forms + 1) - f_lo
    n_pos = np.r_[0, np.cumsum(np.bincount(owner, minlength=count))]
    n_lo = n_pos.take(names)
    n_len = n_pos.take(names + 1) - n_lo
    cells = f_len * n_len
    total = int(cells.sum())
    pair_of = np.repeat(np.arange(len(pairs)), cells)
    inside = np.arange(total) - np.repeat(np.cumsum(cells) - cells, cells)
    i = inside // n_len.take(pair_of)
    j = inside % n_len.take(pair_of)
    word = kept.form_tokens.take(f_lo.take(pair_of) + i).astype(np.int64)
    name_word = n_lo.take(pair_of) + j  # position among the touched names' words
    codes = column.take(name_word).astype(np.int64) * size + word
    table = similar[:, 0].astype(np.int64) * size + similar[:, 1].astype(np.int64)
    at = np.searchsorted(table, codes)
    at[at == len(table)] = 0
    hit = table.take(at) == codes
    value = np.where(hit, similar[:, 2].take(at), 0.0)
    one = np.where(hit, similar[:, 3].take(at), 0.0)  # one word to a person's reading
    # Best similarity of each form word (over the name's words) and of each name word.
    q_key = np.repeat(np.cumsum(f_len) - f_len, n_len * f_len) + i  # (pair, form word)
    q_best = np.zeros(int(f_len.sum()))
    np.maximum.at(q_best, q_key, value)
    q_one = np.zeros(int(f_len.sum()))
    np.maximum.at(q_one, q_key, one)
    n_key = np.repeat(np.cumsum(n_len) - n_len, cells) + j  # (pair, name word)
    n_best = np.zeros(int(n_len.sum()))
    np.maximum.at(n_best, n_key, value)
    n_one = np.zeros(int(n_len.sum()))
    np.maximum.at(n_one, n_key, one)
    # Coverages: the query's words as the new index weighs them, the name's as it does.
    vocabulary_weight = _vocabulary_weights(kept, index)
    q_words = kept.form_tokens.take(np.repeat(f_lo, f_len) + (
        np.arange(int(f_len.sum())) - np.repeat(np.cumsum(f_len) - f_len, f_len)))
    q_weight = vocabulary_weight.take(q_words)
    q_owner = np.repeat(np.arange(len(pairs)), f_len)
    q_total = np.bincount(q_owner, weights=q_weight, minlength=len(pairs))
    q_cov = np.bincount(q_owner, weights=q_weight * q_best, minlength=len(pairs))
    q_cov = np.divide(q_cov, q_total, out=np.zeros_like(q_cov), where=q_total > 0)
    q_cov[kept.form_han.take(forms)] = 1.0
    n_weight = weights.take(np.repeat(n_lo, n_len) + (
        np.arange(int(n_len.sum())) - np.repeat(np.cumsum(n_len) - n_len, n_len)))
    n_owner = np.repeat(np.arange(len(pairs)), n_len)
    n_total = np.bincount(n_owner, weights=n_weight, minlength=len(pairs))
    n_cov = np.bincount(n_owner, weights=n_weight * n_best, minlength=len(pairs))
    n_cov = np.divide(n_cov, n_total, out=np.zeros_like(n_cov), where=n_total > 0)
    both = q_cov + n_cov
    overlap = np.divide(2 * q_cov * n_cov, both, out=np.zeros_like(both), where=both > 0)
    bound = TOKEN_WEIGHT * overlap + STRING_WEIGHT + _MARGIN
    # The same words on both sides score 1 whatever their weights.
    full = (np.bincount(q_owner, weights=(q_best == 1.0), minlength=len(pairs)) == f_len) & \
        (np.bincount(n_owner, weights=(n_best == 1.0), minlength=len(pairs)) == n_len)
    bound[full] = 1.0
    # Where the bound reaches the floor, the character ratio itself in place of its most, 1
    # (`features.string_similarity` of forms not read from another script: those are "always").
    near = np.flatnonzero(bound >= FLOOR)
    if len(near):
        vocabulary = kept.vocabulary
        starts = kept.form_starts.tolist()
        tokens = kept.form_tokens
        mine = ["".join([vocabulary[t] for t in tokens[starts[f]:starts[f + 1]].tolist()])
                for f in forms.take(near).tolist()]
        theirs = [compacts[n] for n in names.take(near).tolist()]
        ratio = process.cpdist(mine, theirs, scorer=fuzz.ratio, dtype=np.float64) / 100.0
        bound[near] -= STRING_WEIGHT * (1.0 - ratio) - _RATIO_MARGIN
    n_word = column.take(np.repeat(n_lo, n_len) + (
        np.arange(int(n_len.sum())) - np.repeat(np.cumsum(n_len) - n_len, n_len)))
    person = _persons_lifted(
        kept, forms, persons.take(names), _Words(q_words, q_owner, q_one, q_best, f_len),
        _Words(n_word, n_owner, n_one, n_best, n_len), n_weight, touched, touched_aside)
    np.maximum(bound, np.where(person, PERSON_READING_MAX + _MARGIN, 0.0), out=bound)
    return set(kept.form_customer.take(forms[bound >= FLOOR]).tolist())


class _Words(NamedTuple):
    """The words of one side of the (form, touched name) pairs, pair after pair."""

    word: np.ndarray  # vocabulary or touched word numbers
    owner: np.ndarray  # the pair of each
    one: np.ndarray  # 1 where a person's reading finds it in the other name (`_similar`)
    best: np.ndarray  # its best similarity as the score finds it
    length: np.ndarray  # each pair's count of words


def _persons_lifted(kept: KeptForms, forms: np.ndarray, persons: np.ndarray, query: _Words,
                    listed: _Words, n_weight: np.ndarray, touched: list[str],
                    touched_aside: np.ndarray) -> np.ndarray:
    """The (form, touched name) pairs the rules for persons' names may lift whatever their
    coverages (`persons.parts_contained`, `persons.person_reading`): what each rule asks of
    every pair it lifts.

    - The listed party may be a person and its name reads as a person's (`persons`: each
      pair's), and so do the form's words (`persons.words_read_as_person`; the form's kind and
      legal forms are not kept, so not asked).
    - Every word of one name is found in the other (exactly, as a nickname or an initial: the
      rows of `_similar`) or may be set aside (a title, a post-nominal word, an initial, a
      given name of the nicknames table or the given-name groups).
    - Some word of the listed name is found as the score finds it (every rule pairs some word
      the same on both sides).
    - The listed name's words found carry CONTAINED_SHARE of its weight, its title and
      post-nominal words left out (`persons._listed_share_kept`, asked by every reading) or
      not (`parts_contained` when the listed name holds the other's words); or else every
      listed word but its initials is found as the score finds it (`parts_contained` when the
      other name holds the listed name's words)."""
    count = len(forms)
    if not persons.any():
        return persons
    loose = person_words.loose_words()
    vocabulary = kept.vocabulary
    q_loose = np.fromiter((len(w) == 1 or w in loose for w in map(
        vocabulary.__getitem__, query.word.tolist())), dtype=bool, count=len(query.word))
    n_loose = np.fromiter((len(w) == 1 or w in loose for w in touched), dtype=bool,
                          count=len(touched)).take(listed.word)
    n_initial = np.fromiter((len(w) == 1 for w in touched), dtype=bool,
                            count=len(touched)).take(listed.word)
    q_ok = np.bincount(query.owner, weights=(query.one == 1.0) | q_loose, minlength=count)
    n_ok = np.bincount(listed.owner, weights=(listed.one == 1.0) | n_loose, minlength=count)
    person = ((q_ok == query.length) & (query.length > 1)) | \
        ((n_ok == listed.length) & (listed.length > 1))
    person &= persons
    n_exact = listed.best == 1.0
    person &= np.bincount(listed.owner, weights=n_exact, minlength=count) > 0
    found = n_weight * (listed.one == 1.0)
    named = ~touched_aside.take(listed.word)
    named_total = np.bincount(listed.owner, weights=n_weight * named, minlength=count)
    share = (named_total > 0) & (np.bincount(listed.owner, weights=found * named,
                                             minlength=count)
                                 >= CONTAINED_SHARE * named_total - _MARGIN)
    share |= np.bincount(listed.owner, weights=found, minlength=count) >= CONTAINED_SHARE * \
        np.bincount(listed.owner, weights=n_weight, minlength=count) - _MARGIN
    share |= np.bincount(listed.owner, weights=n_exact | n_initial,
                         minlength=count) == listed.length
    person &= share
    if person.any():  # the forms' words, for the few pairs left
        at = np.flatnonzero(person)
        starts, tokens = kept.form_starts, kept.form_tokens
        reads = {f: words_read_as_person(tuple(vocabulary[t] for t in tokens[
            starts[f]:starts[f + 1]].tolist())) for f in set(forms.take(at).tolist())}
        person[at] = [reads[f] for f in forms.take(at).tolist()]
    return person


def _light(weights: np.ndarray, owner: np.ndarray, count: int, *,
           weightless_light: bool = True) -> np.ndarray:
    """Each word of each name (`owner`) whose name's lighter words and itself weigh less than
    KEY_SHARE of the name. The words of a name that weighs nothing in all are light when
    `weightless_light` (a person's name whose every word is a title), key words otherwise (a
    name the index does not weigh is still looked up by its words)."""
    totals = np.bincount(owner, weights=weights, minlength=count)
    order = np.lexsort((weights, owner))
    running = np.cumsum(weights[order])
    name_start = np.r_[0, np.cumsum(np.bincount(owner, minlength=count))[:-1]]
    before = running - weights[order] - np.r_[0.0, running][name_start[owner[order]]]
    total = totals[owner[order]]
    light = np.empty(len(owner), dtype=bool)
    light[order] = np.where(total > 0, before + weights[order] < KEY_SHARE * total,
                            weightless_light)
    return light


def _vocabulary_weights(kept: KeptForms, index: NameIndex) -> np.ndarray:
    """Each customer word's weight in the new index (`NameIndex.weights`)."""
    weight, unseen = index.token_weight, index.unseen_weight
    return np.fromiter((weight.get(w, unseen) for w in kept.vocabulary), dtype=np.float64,
                       count=len(kept.vocabulary))
