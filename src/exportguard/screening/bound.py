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
from exportguard.screening.index import NameIndex, phonetic

_MARGIN = 1e-9  # float sums in another order


def score_bounds(index: NameIndex, form: NameForm, weights: tuple[float, ...],
                 numbers: np.ndarray) -> np.ndarray:
    """For each name number in `numbers`, a value at least `score(form, weights, name.form,
    name weights)`; infinity where no bound is computed."""
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
    listed = itemgetter(*tokens.tolist())(index.tokens.keys) if len(tokens) > 1 else (
        index.tokens.keys[int(tokens[0])],)
    n_length = index.token_length.take(tokens)
    similar = _similarity(index, form, tokens, listed, n_length)
    q_weights = np.asarray(weights, dtype=np.float64)
    q_cov = q_weights @ np.maximum.reduceat(similar, owner_starts, axis=1) / (
        q_weights.sum() or 1.0)
    n_weights = index.token_weights.take(tokens)
    n_sum = np.add.reduceat(n_weights, owner_starts)
    n_sum[n_sum == 0] = 1.0
    n_cov = np.add.reduceat(n_weights * similar.max(axis=0), owner_starts) / n_sum
    both = q_cov + n_cov
    both[both == 0] = np.inf  # no overlap: 0
    bounds = TOKEN_WEIGHT * (2 * q_cov * n_cov / both) + STRING_WEIGHT + _MARGIN
    _mark_joined(index, query, tokens, listed, n_length, owner_starts, bounds)
    return bounds


def _similarity(index: NameIndex, form: NameForm, tokens: np.ndarray, listed: tuple[str, ...],
                n_length: np.ndarray) -> np.ndarray:
    """(query words x listed words): the most `_token_similarity` could give each pair."""
    query = form.tokens
    q_length = np.fromiter(map(len, query), dtype=np.int32, count=len(query))[:, None]
    shorter, longer = np.minimum(q_length, n_length), np.maximum(q_length, n_length)
    similar = process.cdist(query, listed, scorer=OSA.normalized_similarity,
                            score_cutoff=_TYPO_FLOOR, dtype=np.float64)
    similar[(shorter < 3) | (shorter < longer * _TYPO_FLOOR)] = 0.0
    plural = (longer - shorter) == 1
    similar[plural] = np.maximum(similar[plural], _PLURAL_SIMILARITY)
    slots = index.tokens
    q_id = np.fromiter(map(slots.slot, query), dtype=np.int64, count=len(query))[:, None]
    similar[q_id == tokens] = 1.0
    q_sound = np.fromiter((index.sounds.slot(phonetic(t)) for t in query), dtype=np.int64,
                          count=len(query))
    if (q_sound >= 0).any():
        q_first = np.fromiter((ord(t[0]) for t in query), dtype=np.int32, count=len(query))
        sound = ((q_sound[:, None] == index.token_sound.take(tokens))
                 & (q_first[:, None] == index.token_first.take(tokens)) & (q_sound[:, None] >= 0))
        similar[sound] = np.maximum(similar[sound], _PHONETIC_SIMILARITY)
    return similar


def _mark_joined(index: NameIndex, query: tuple[str, ...], tokens: np.ndarray,
                 listed: tuple[str, ...], n_length: np.ndarray, owner_starts: np.ndarray,
                 bounds: np.ndarray) -> None:
    """No bound (infinity) for the candidates that might match words written together: a
    listed word equal to two adjacent query words, or two adjacent listed words equal to one
    query word."""
    glued = {a + b for a, b in pairwise(query)}
    at = [i for i in np.flatnonzero(_one_of(n_length, {len(t) for t in glued})).tolist()
          if listed[i] in glued] if glued else []
    if len(listed) > 1:
        pair = n_length[:-1] + n_length[1:]
        pair[owner_starts[1:] - 1] = 0  # the last word of one name and the first of the next
        words = set(query)
        at += [i for i in np.flatnonzero(_one_of(pair, {len(t) for t in words})).tolist()
               if listed[i] + listed[i + 1] in words]
    if at:
        bounds[np.searchsorted(owner_starts, at, side="right") - 1] = np.inf


def _one_of(lengths: np.ndarray, wanted: set[int]) -> np.ndarray:
    """Where `lengths` (small non-negative numbers) is one of `wanted` (np.isin is slower on
    arrays this small)."""
    table = np.zeros(max(wanted) + 1, dtype=bool)
    table[list(wanted)] = True
    return table[np.minimum(lengths, len(table) - 1)] & (lengths < len(table))
