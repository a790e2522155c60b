"""`screening.bound.score_bounds` for many queries at once: the delta re-screen's reverse search
bounds the candidates of several hundred query forms (the touched entries' names, searched among
the customer names), each with a hundred or so candidates, and one call per form is mostly the
fixed cost of some thirty NumPy calls. Here the words' similarities are still found one query at
a time (one RapidFuzz `cdist` each), and everything else is done once for all the queries with
the same number of words.

The values are `score_bounds`'s, computed by the same rules (tests/test_watch.py compares
them), except that sums of floats may be added in another order (a difference in the last bits,
far below the bound's own margin)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from operator import itemgetter

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.names.normalize import NameForm
from exportguard.screening.bound import _MARGIN, _sound_and_first
from exportguard.screening.features import (
    _PHONETIC_SIMILARITY,
    _PLURAL_SIMILARITY,
    _TYPO_FLOOR,
    STRING_WEIGHT,
    TOKEN_WEIGHT,
)
from exportguard.screening.index import NameIndex, phonetic

Query = tuple[NameForm, tuple[float, ...], np.ndarray]  # form, its weights, name numbers


def score_bounds_many(index: NameIndex, queries: Sequence[Query]) -> list[np.ndarray]:
    """`[score_bounds(index, form, weights, numbers) for form, weights, numbers in queries]`."""
    out: list[np.ndarray] = [np.full(len(numbers), np.inf) for _form, _w, numbers in queries]
    starts = index.name_token_starts
    groups: dict[int, list[int]] = {}
    for number, (form, _weights, numbers) in enumerate(queries):
        if not len(numbers) or not form.tokens or form.kind == "transliterated":
            continue  # no bound, as `score_bounds` has it
        lengths = starts.take(numbers + 1) - starts.take(numbers)
        if not lengths.all():
            continue
        groups.setdefault(len(form.tokens), []).append(number)
    for size, members in groups.items():
        for number, bounds in zip(members, _group(index, [queries[m] for m in members], size),
                                  strict=True):
            out[number] = bounds
    return out


def _group(index: NameIndex, queries: list[Query], size: int) -> list[np.ndarray]:
    """The bounds of queries of `size` words each: their candidates' words side by side, one
    column per word of a candidate name, one row per query word."""
    starts = index.name_token_starts
    keys = index.tokens.keys
    numbers = np.concatenate([q[2] for q in queries]).astype(np.int64)
    per_query = np.fromiter((len(q[2]) for q in queries), dtype=np.int64, count=len(queries))
    first = starts.take(numbers)
    lengths = starts.take(numbers + 1) - first
    ends = lengths.cumsum()
    owner_starts = ends - lengths  # each candidate's first column
    tokens = index.name_tokens.take(np.arange(int(ends[-1])) + np.repeat(first - owner_starts,
                                                                         lengths))
    pair_query = np.repeat(np.arange(len(queries)), per_query)  # each candidate's query
    column_query = np.repeat(pair_query, lengths)  # each column's query
    # Each query's block of columns (its candidates' words): to the end of its last candidate.
    query_columns = np.r_[0, ends.take(per_query.cumsum() - 1)]
    similar = np.empty((size, len(tokens)), dtype=np.float64)
    listed = itemgetter(*tokens.tolist())(keys) if len(tokens) > 1 else (keys[int(tokens[0])],)
    for number, (form, _weights, _numbers) in enumerate(queries):
        low, high = int(query_columns[number]), int(query_columns[number + 1])
        similar[:, low:high] = process.cdist(
            form.tokens, listed[low:high], scorer=OSA.normalized_similarity,
            score_cutoff=_TYPO_FLOOR, dtype=np.float64)
    # The rules of `bound._similarity`, each query's words against its own columns.
    slots = index.tokens
    q_length = np.asarray([[len(t) for t in q[0].tokens] for q in queries], dtype=np.int64)
    q_id = np.asarray([[slots.slot(t) for t in q[0].tokens] for q in queries], dtype=np.int64)
    q_key = np.asarray([[_sound_and_first(index.sounds.slot(phonetic(t)), t)
                         for t in q[0].tokens] for q in queries], dtype=np.int64)
    plural = np.abs(q_length.T.take(column_query, axis=1)
                    - index.token_length.take(tokens)) == 1
    np.maximum(similar, plural * _PLURAL_SIMILARITY, out=similar)
    similar[q_id.T.take(column_query, axis=1) == tokens] = 1.0
    if (q_key >= 0).any():
        sound = q_key.T.take(column_query, axis=1) == index.sound_and_first.take(tokens)
        np.maximum(similar, sound * _PHONETIC_SIMILARITY, out=similar)
    # `score_bounds` and `bound._bounds`, each candidate with its query's weights.
    n_weights = index.token_weights.take(tokens)
    n_sum = np.add.reduceat(n_weights, owner_starts)
    n_sum[n_sum == 0] = 1.0
    n_cov = np.add.reduceat(n_weights * similar.max(axis=0), owner_starts) / n_sum
    q_best = np.maximum.reduceat(similar, owner_starts, axis=1)
    q_weights = np.asarray([q[1] for q in queries], dtype=np.float64)
    totals = q_weights.sum(axis=1)
    totals[totals == 0] = 1.0
    q_cov = np.einsum("pj,jp->p", q_weights.take(pair_query, axis=0), q_best) \
        / totals.take(pair_query)
    both = q_cov + n_cov
    both[both == 0] = np.inf
    bounds = TOKEN_WEIGHT * (2 * q_cov * n_cov / both) + STRING_WEIGHT + _MARGIN
    _mark_joined(index, queries, tokens, column_query, owner_starts, bounds)
    return np.split(bounds, per_query.cumsum()[:-1])


def _mark_joined(index: NameIndex, queries: list[Query], tokens: np.ndarray,
                 column_query: np.ndarray, owner_starts: np.ndarray, bounds: np.ndarray) -> None:
    """`bound._mark_joined` for every query: no bound for a candidate with a word equal to two
    adjacent words of its query, or two adjacent words equal to one word of its query."""
    slot = index.tokens.slots.get
    count = len(index.tokens.keys) + 1
    glued: list[int] = []
    cuts: list[int] = []
    for number, (form, _weights, _numbers) in enumerate(queries):
        query = form.tokens
        glued += [number * count + found for a, b in pairwise(query)
                  if (found := slot(a + b)) is not None]
        cuts += [(number * count + left) * count + right for word in set(query)
                 for cut in range(1, len(word))
                 if (left := slot(word[:cut])) is not None
                 and (right := slot(word[cut:])) is not None]
    marked = np.zeros(len(tokens), dtype=bool)
    mine = column_query * count + tokens
    if glued:
        marked |= np.isin(mine, np.asarray(glued, dtype=np.int64))
    if cuts and len(tokens) > 1:
        after = np.ones(len(tokens), dtype=bool)
        after[owner_starts[1:] - 1] = False  # the last word of one name, the first of the next
        pairs = mine[:-1] * count + tokens[1:]
        marked[:-1] |= np.isin(pairs, np.asarray(cuts, dtype=np.int64)) & after[:-1]
    if marked.any():
        bounds[np.searchsorted(owner_starts, np.flatnonzero(marked), side="right") - 1] = np.inf
