"""An upper bound of `features.score` for many candidate names at once, so the candidates that
cannot reach the threshold are dropped before their words are aligned one pair at a time.

`score` is at most TOKEN_WEIGHT * overlap + STRING_WEIGHT (the character ratio is at most 1 and
every other feature subtracts). The overlap is the harmonic mean of the two weighted coverages,
which grows with each word's best similarity; here each word takes its best similarity to any
word of the other name (`align_tokens` keeps exactly matched words out of the fuzzy pairs, so
its values are never higher), and each pair takes the highest value any rule of
`_token_similarity` could give it. A name that could match words written together ("Sense
Time" / "SenseTime") is never dropped, nor is any name for a query read from another script
(its words also match on their consonants). `tests/test_bound.py` checks the bound against
`score` on real candidates.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from operator import itemgetter

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.names import person_words
from exportguard.names.normalize import NameForm
from exportguard.screening.features import (
    _PHONETIC_SIMILARITY,
    _PLURAL_SIMILARITY,
    _TYPO_FLOOR,
    STRING_WEIGHT,
    TOKEN_WEIGHT,
)
from exportguard.screening.index import NameIndex
from exportguard.screening.persons import (
    PARTS_CONTAINED,
    PERSON_READING_MAX,
    person_like,
    reads_as_person,
)

_MARGIN = 1e-9  # float sums in another order


def score_bounds(index: NameIndex, form: NameForm, weights: tuple[float, ...],
                 numbers: np.ndarray, *others: tuple[float, ...]) -> np.ndarray:
    """For each name number in `numbers`, a value at least `score(form, weights, name.form,
    name weights)`, and at least that score under each of the query weights `others` too (the
    words' similarities are found once for all); infinity where no bound is computed."""
    return score_bounds_many(index, [(form, numbers, (weights, *others))])[0]


def score_bounds_many(index: NameIndex, jobs: Sequence[tuple[NameForm, np.ndarray,
                                                             Sequence[tuple[float, ...]]]]
                      ) -> list[np.ndarray]:
    """`score_bounds` of several query forms (the readings of one name) and their candidates
    at once, each job (form, name numbers, the query weights bounded under): the similarities
    of all the forms' words to all their candidates' words are found in one step (the readings
    share most words, and their candidates most names), each form's bounds then from its rows
    and columns, as `score_bounds` of that form alone gives them."""
    out: list[np.ndarray | None] = [None] * len(jobs)
    parts = []
    starts = index.name_token_starts
    for number, (form, numbers, weights) in enumerate(jobs):
        count = len(numbers)
        # A query read from another script also matches on consonants, words written apart
        # included: not bounded (those queries are few).
        if not count or not form.tokens or form.kind == "transliterated":
            out[number] = np.full(count, np.inf)
            continue
        first = starts.take(numbers)
        lengths = starts.take(numbers + 1) - first
        if not lengths.all():
            out[number] = np.full(count, np.inf)
            continue
        ends = lengths.cumsum()
        owner_starts = ends - lengths
        tokens = index.name_tokens.take(np.arange(int(ends[-1])) + np.repeat(
            first - owner_starts, lengths))
        parts.append((number, form, weights, tokens, owner_starts))
    if not parts:
        return out  # type: ignore[return-value]
    words = tuple(dict.fromkeys(t for part in parts for t in part[1].tokens))
    every = np.concatenate([part[3] for part in parts]) if len(parts) > 1 else parts[0][3]
    similar, present = _similarity(index, words, every)
    row = {word: at for at, word in enumerate(words)}
    at = 0
    for number, form, weights, tokens, owner_starts in parts:
        query = form.tokens
        mine = similar[:, at:at + len(tokens)] if len(parts) > 1 else similar
        at += len(tokens)
        if query != words:
            mine = mine.take([row[t] for t in query], axis=0)
        n_weights = index.token_weights.take(tokens)
        n_sum = np.add.reduceat(n_weights, owner_starts)
        n_sum[n_sum == 0] = 1.0
        n_best = mine.max(axis=0)
        n_cov = np.add.reduceat(n_weights * n_best, owner_starts) / n_sum
        q_best = np.maximum.reduceat(mine, owner_starts, axis=1)
        bounds = _bounds(weights[0], q_best, n_cov)
        for each in weights[1:]:
            np.maximum(bounds, _bounds(each, q_best, n_cov), out=bounds)
        if len(query) > 1 and person_like(form):
            _mark_contained(query, n_best, q_best, owner_starts, bounds)
        if len(query) > 1 and reads_as_person(form):
            _mark_person(index, query, tokens, n_best, q_best, owner_starts, bounds)
        _mark_joined(index, query, tokens, owner_starts, bounds, present)
        out[number] = bounds
    return out  # type: ignore[return-value]


def _bounds(weights: tuple[float, ...], q_best: np.ndarray, n_cov: np.ndarray) -> np.ndarray:
    q_weights = np.asarray(weights, dtype=np.float64)
    q_cov = q_weights @ q_best / (q_weights.sum() or 1.0)
    both = q_cov + n_cov
    both[both == 0] = np.inf  # no overlap: 0
    return TOKEN_WEIGHT * (2 * q_cov * n_cov / both) + STRING_WEIGHT + _MARGIN


def _mark_contained(query: tuple[str, ...], n_best: np.ndarray, q_best: np.ndarray,
                    owner_starts: np.ndarray, bounds: np.ndarray) -> None:
    """At least PARTS_CONTAINED for the candidates one of whose names may hold the other's
    parts (`persons.parts_contained`): every query word but its initials found exactly, or a
    listed name of two words or more each found exactly in the query."""
    words = [at for at, t in enumerate(query) if len(t) > 1]
    held = ((q_best.take(words, axis=0) == 1.0).all(axis=0) if words
            else np.zeros(len(bounds), dtype=bool))
    lengths = np.diff(owner_starts, append=len(n_best))
    held |= (np.minimum.reduceat(n_best, owner_starts) == 1.0) & (lengths > 1)
    if held.any():
        np.maximum(bounds, np.where(held, PARTS_CONTAINED + _MARGIN, 0.0), out=bounds)


def _mark_person(index: NameIndex, query: tuple[str, ...], tokens: np.ndarray,
                 n_best: np.ndarray, q_best: np.ndarray, owner_starts: np.ndarray,
                 bounds: np.ndarray) -> None:
    """At least PERSON_READING_MAX for the candidates `persons.person_reading` may lift: each
    word of one name found exactly in the other, or one that reading may pair otherwise (a
    title or post-nominal word, an initial, a given name of the nicknames table or the
    given-name groups, a word whose initial the other name has), and some word found exactly."""
    loose_words = person_words.loose_words()
    loose_ids = _loose_ids(index, loose_words)
    exact = q_best == 1.0
    ok = exact.copy()
    letters: dict[str, np.ndarray] = {}
    for at, word in enumerate(query):
        if len(word) == 1 or word in loose_words:
            ok[at] = True
            continue
        if word[0] not in letters:
            slot = index.tokens.slots.get(word[0])
            letters[word[0]] = (np.logical_or.reduceat(tokens == slot, owner_starts)
                                if slot is not None else np.zeros(len(bounds), dtype=bool))
        ok[at] |= letters[word[0]]
    long_words = [at for at, word in enumerate(query) if len(word) > 1]
    some = (exact.take(long_words, axis=0).any(axis=0) if long_words
            else np.zeros(len(bounds), dtype=bool))
    held = ok.all(axis=0) & some
    listed_ok = (n_best == 1.0) | _among_sorted(tokens, loose_ids)
    initials = {w for w in query if len(w) == 1}
    if initials:  # a listed word that starts with a query's initial (few queries have one)
        keys = index.tokens.keys
        first = np.fromiter((ord(keys[t][0]) for t in tokens.tolist()), dtype=np.int64,
                            count=len(tokens))
        for word in initials:
            listed_ok |= first == ord(word)
    lengths = np.diff(owner_starts, append=len(n_best))
    held |= (np.logical_and.reduceat(listed_ok, owner_starts) & (lengths > 1)
             & np.logical_or.reduceat(n_best == 1.0, owner_starts))
    if held.any():
        np.maximum(bounds, np.where(held, PERSON_READING_MAX + _MARGIN, 0.0), out=bounds)


def _among_sorted(values: np.ndarray, ranked: np.ndarray) -> np.ndarray:
    """`np.isin(values, ranked)` for a sorted `ranked`, by a sorted search (np.isin sorts and
    imports numpy.ma: some 35 ms at the first screen of a process, a delta re-screen's)."""
    if not len(ranked):
        return np.zeros(len(values), dtype=bool)
    at = np.searchsorted(ranked, values)
    at[at == len(ranked)] = 0
    return ranked.take(at) == values


def _loose_ids(index: NameIndex, words: frozenset[str]) -> np.ndarray:
    """The index's token ids of `words` and of single letters, sorted (kept on the index)."""
    kept = index.__dict__.get("_person_loose_ids")
    if kept is None:
        slots = index.tokens.slots
        found = {slots[w] for w in words if w in slots}
        found.update(slots[c] for c in map(chr, range(ord("a"), ord("z") + 1)) if c in slots)
        kept = index.__dict__["_person_loose_ids"] = np.asarray(sorted(found), dtype=np.int64)
    return kept


def _similarity(index: NameIndex, query: tuple[str, ...], tokens: np.ndarray
                ) -> tuple[np.ndarray, frozenset[int]]:
    """(query words x listed words): the most `_token_similarity` could give each pair, found
    once for each distinct listed word (the candidates' words repeat: co, ltd, trading...);
    and the distinct listed words."""
    order = np.argsort(tokens, kind="stable")
    ranked = tokens.take(order)
    new = np.empty(len(ranked), dtype=bool)
    new[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    inverse = np.empty(len(tokens), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    distinct = ranked[new]
    ids = distinct.tolist()
    return (_distinct_similarity(index, query, distinct, ids).take(inverse, axis=1),
            frozenset(ids))


def _distinct_similarity(index: NameIndex, query: tuple[str, ...], tokens: np.ndarray,
                         ids: list[int]) -> np.ndarray:
    """`_similarity` of distinct listed words (`ids`: the same as a list). A typo needs a
    similarity of at least _TYPO_FLOOR, which two different words of fewer than three letters,
    or of lengths that far apart, never have: RapidFuzz's cutoff leaves them 0."""
    keys = index.tokens.keys
    listed = itemgetter(*ids)(keys) if len(ids) > 1 else (keys[ids[0]],)
    similar = process.cdist(query, listed, scorer=OSA.normalized_similarity,
                            score_cutoff=_TYPO_FLOOR, dtype=np.float64)
    q_id, q_length, q_key = _query_words(index, query)
    plural = np.abs(q_length - index.token_length.take(tokens)) == 1
    np.maximum(similar, plural * _PLURAL_SIMILARITY, out=similar)
    similar[q_id == tokens] = 1.0
    # Same sound and same first letter; -1 where a query word has no sound (listed words
    # without one are -2 in `sound_and_first`).
    if q_key is not None:
        sound = q_key == index.sound_and_first.take(tokens)
        np.maximum(similar, sound * _PHONETIC_SIMILARITY, out=similar)
    return similar


def _query_words(index: NameIndex, query: tuple[str, ...]
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Columns of the query words' token ids (-1 when not an index token), lengths, and sound
    and first letter (None when no word has a sound)."""
    facts = [index.word(t) for t in query]
    q_key = [f.sound_and_first for f in facts]
    return (np.asarray([f.slot for f in facts], dtype=np.int64)[:, None],
            np.fromiter(map(len, query), dtype=np.int32, count=len(query))[:, None],
            np.asarray(q_key, dtype=np.int64)[:, None] if any(k >= 0 for k in q_key) else None)


def _sound_and_first(sound: int, token: str) -> int:
    """A word's sound slot and first letter as one number (`NameIndex.word` keeps it for query
    words), -1 without a sound."""
    return (sound << 21) | ord(token[0]) if sound >= 0 else -1


def _mark_joined(index: NameIndex, query: tuple[str, ...], tokens: np.ndarray,
                 owner_starts: np.ndarray, bounds: np.ndarray, present: frozenset[int]) -> None:
    """No bound (infinity) for the candidates that might match words written together: a
    listed word equal to two adjacent query words, or two adjacent listed words equal to one
    query word. Listed words are index tokens, so only words of the index are looked for;
    `present` holds (at least) every word of `tokens`, so a joined word or a cut none of whose
    words is there is not looked for in them."""
    slot = index.tokens.slots.get
    glued = [found for a, b in pairwise(query)
             if (found := slot(a + b)) is not None and found in present]
    # Each way to cut a query word into two index tokens (`WordFacts.cuts`), both of whose
    # words some candidate has.
    size = len(index.tokens)
    cuts = [cut for word in dict.fromkeys(query) for cut in index.word(word).cuts
            if cut // size in present and cut % size in present]
    if not glued and not cuts:
        return
    marked = np.zeros(len(tokens), dtype=bool)
    for found in glued:  # np.isin costs more on arrays this small
        marked |= tokens == found
    if cuts and len(tokens) > 1:
        # Each pair of adjacent words of one name as one number, as the cuts are.
        pairs = tokens[:-1].astype(np.int64) * size + tokens[1:]
        pairs[owner_starts[1:] - 1] = -1  # the last word of one name, the first of the next
        for cut in cuts:
            marked[:-1] |= pairs == cut
    if marked.any():
        bounds[np.searchsorted(owner_starts, np.flatnonzero(marked), side="right") - 1] = np.inf
