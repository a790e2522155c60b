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

from itertools import pairwise
from operator import itemgetter

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.names.normalize import NameForm
from exportguard.screening.features import (
    _PHONETIC_SIMILARITY,
    _PLURAL_SIMILARITY,
    _TYPO_FLOOR,
    STRING_WEIGHT,
    TOKEN_WEIGHT,
)
from exportguard.screening.index import NameIndex

_MARGIN = 1e-9  # float sums in another order


def score_bounds(index: NameIndex, form: NameForm, weights: tuple[float, ...],
                 numbers: np.ndarray, *others: tuple[float, ...]) -> np.ndarray:
    """For each name number in `numbers`, a value at least `score(form, weights, name.form,
    name weights)`, and at least that score under each of the query weights `others` too (the
    words' similarities are found once for all); infinity where no bound is computed."""
    count = len(numbers)
    query = form.tokens
    starts = index.name_token_starts
    first = starts.take(numbers)
    lengths = starts.take(numbers + 1) - first
    # A query read from another script also matches on consonants, words written apart
    # included: not bounded (those queries are few).
    if not count or not query or not lengths.all() or form.kind == "transliterated":
        return np.full(count, np.inf)
    ends = lengths.cumsum()
    owner_starts = ends - lengths
    tokens = index.name_tokens.take(np.arange(int(ends[-1])) + np.repeat(first - owner_starts,
                                                                         lengths))
    similar = _similarity(index, form, tokens)
    n_weights = index.token_weights.take(tokens)
    n_sum = np.add.reduceat(n_weights, owner_starts)
    n_sum[n_sum == 0] = 1.0
    n_cov = np.add.reduceat(n_weights * similar.max(axis=0), owner_starts) / n_sum
    q_best = np.maximum.reduceat(similar, owner_starts, axis=1)
    bounds = _bounds(weights, q_best, n_cov)
    for each in others:
        np.maximum(bounds, _bounds(each, q_best, n_cov), out=bounds)
    _mark_joined(index, query, tokens, owner_starts, bounds)
    return bounds


def _bounds(weights: tuple[float, ...], q_best: np.ndarray, n_cov: np.ndarray) -> np.ndarray:
    q_weights = np.asarray(weights, dtype=np.float64)
    q_cov = q_weights @ q_best / (q_weights.sum() or 1.0)
    both = q_cov + n_cov
    both[both == 0] = np.inf  # no overlap: 0
    return TOKEN_WEIGHT * (2 * q_cov * n_cov / both) + STRING_WEIGHT + _MARGIN


def _similarity(index: NameIndex, form: NameForm, tokens: np.ndarray) -> np.ndarray:
    """(query words x listed words): the most `_token_similarity` could give each pair, found
    once for each distinct listed word (the candidates' words repeat: co, ltd, trading...)."""
    order = np.argsort(tokens, kind="stable")
    ranked = tokens.take(order)
    new = np.empty(len(ranked), dtype=bool)
    new[0] = True
    np.not_equal(ranked[1:], ranked[:-1], out=new[1:])
    inverse = np.empty(len(tokens), dtype=np.intp)
    inverse[order] = np.cumsum(new) - 1
    return _distinct_similarity(index, form, ranked[new]).take(inverse, axis=1)


def _distinct_similarity(index: NameIndex, form: NameForm, tokens: np.ndarray) -> np.ndarray:
    """`_similarity` of distinct listed words. A typo needs a similarity of at least
    _TYPO_FLOOR, which two different words of fewer than three letters, or of lengths that far
    apart, never have: RapidFuzz's cutoff leaves them 0."""
    query = form.tokens
    keys = index.tokens.keys
    listed = itemgetter(*tokens.tolist())(keys) if len(tokens) > 1 else (keys[int(tokens[0])],)
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
                 owner_starts: np.ndarray, bounds: np.ndarray) -> None:
    """No bound (infinity) for the candidates that might match words written together: a
    listed word equal to two adjacent query words, or two adjacent listed words equal to one
    query word. Listed words are index tokens, so only words of the index are looked for."""
    slot = index.tokens.slots.get
    glued = [found for a, b in pairwise(query) if (found := slot(a + b)) is not None]
    # Each way to cut a query word into two index tokens (`WordFacts.cuts`).
    cuts = [cut for word in dict.fromkeys(query) for cut in index.word(word).cuts]
    marked = np.zeros(len(tokens), dtype=bool)
    for found in glued:  # np.isin costs more on arrays this small
        marked |= tokens == found
    if cuts and len(tokens) > 1:
        # Each pair of adjacent words of one name as one number, as the cuts are.
        pairs = tokens[:-1].astype(np.int64) * len(index.tokens) + tokens[1:]
        pairs[owner_starts[1:] - 1] = -1  # the last word of one name, the first of the next
        for cut in cuts:
            marked[:-1] |= pairs == cut
    if marked.any():
        bounds[np.searchsorted(owner_starts, np.flatnonzero(marked), side="right") - 1] = np.inf
