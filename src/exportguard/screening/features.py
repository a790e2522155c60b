"""How a query name is compared with one listed name. Each feature reports its value, its weight
and its contribution, and the contributions add up to the score."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from exportguard.names.normalize import NameForm
from exportguard.screening.index import phonetic

TOKEN_WEIGHT = 0.85
STRING_WEIGHT = 0.15
COUNTRY_AGREES = 0.05
COUNTRY_DISAGREES = -0.15
_TYPO_FLOOR = 0.75
_PHONETIC_SIMILARITY = 0.85


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
    how: str  # exact, typo, phonetic, joined
    similarity: float


def _token_similarity(a: str, b: str) -> tuple[float, str]:
    if a == b:
        return 1.0, "exact"
    best, how = 0.0, ""
    if min(len(a), len(b)) >= 4:
        similarity = Levenshtein.normalized_similarity(a, b)
        if similarity >= _TYPO_FLOOR:
            best, how = similarity, "typo"
    if best < _PHONETIC_SIMILARITY and a[0] == b[0]:
        # Same sound and same first letter ("Mohammed" / "Muhammad"); metaphone alone conflates
        # pinyin initials such as x and sh.
        key = phonetic(a)
        if key and key == phonetic(b):
            best, how = _PHONETIC_SIMILARITY, "phonetic"
    return best, how


def align_tokens(
    query: tuple[str, ...], listed: tuple[str, ...], weight: Callable[[str], float]
) -> tuple[float, float, list[TokenPair]]:
    """Weighted share of the query's tokens found in the listed name and of the listed name's
    tokens found in the query (rare words weigh more), with the pairs that matched."""
    q_best = [0.0] * len(query)
    n_best = [0.0] * len(listed)
    pairs: list[TokenPair] = []
    for i, a in enumerate(query):
        for j, b in enumerate(listed):
            similarity, how = _token_similarity(a, b)
            if similarity > 0:
                if similarity > q_best[i]:
                    q_best[i] = similarity
                n_best[j] = max(n_best[j], similarity)
                pairs.append(TokenPair(a, b, how, similarity))
    # Words written apart on one side and together on the other ("Sense Time" / "SenseTime").
    for left, right, left_best, right_best, flip in (
        (query, listed, q_best, n_best, False),
        (listed, query, n_best, q_best, True),
    ):
        for i in range(len(left) - 1):
            joined = left[i] + left[i + 1]
            for j, b in enumerate(right):
                similarity = 1.0 if joined == b else (
                    Levenshtein.normalized_similarity(joined, b) if len(b) >= 6 else 0.0)
                if similarity >= 0.85 and similarity > min(left_best[i], left_best[i + 1]):
                    left_best[i] = max(left_best[i], similarity)
                    left_best[i + 1] = max(left_best[i + 1], similarity)
                    right_best[j] = max(right_best[j], similarity)
                    text = f"{left[i]} {left[i + 1]}"
                    pairs.append(TokenPair(b, text, "joined", similarity) if flip
                                 else TokenPair(text, b, "joined", similarity))
    q_total = sum(weight(t) for t in query) or 1.0
    n_total = sum(weight(t) for t in listed) or 1.0
    q_cov = sum(weight(t) * s for t, s in zip(query, q_best, strict=True)) / q_total
    n_cov = sum(weight(t) * s for t, s in zip(listed, n_best, strict=True)) / n_total
    return q_cov, n_cov, pairs


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


def compare(
    query: NameForm, listed: NameForm, weight: Callable[[str], float]
) -> tuple[float, list[Feature]]:
    """Score in [0, 1] of one query form against one listed form, before country adjustment."""
    if query.tokens == listed.tokens:
        detail = f"'{query.core}' equals the listed name's core"
        if query.legal_forms != listed.legal_forms:
            detail += " (legal forms differ: "
            detail += f"{'/'.join(query.legal_forms) or 'none'} vs "
            detail += f"{'/'.join(listed.legal_forms) or 'none'})"
        return 1.0, [Feature("exact_alias", 1.0, 1.0, 1.0, detail)]
    q_cov, n_cov, pairs = align_tokens(query.tokens, listed.tokens, weight)
    overlap = 2 * q_cov * n_cov / (q_cov + n_cov) if q_cov + n_cov else 0.0
    string = fuzz.ratio(query.compact, listed.compact) / 100.0
    features = [
        Feature(
            "token_overlap", overlap, TOKEN_WEIGHT, TOKEN_WEIGHT * overlap,
            f"{_describe(pairs)}; query words found {q_cov:.0%}, listed words found {n_cov:.0%} "
            "(rare words weigh more)",
        ),
        Feature(
            "edit_distance", string, STRING_WEIGHT, STRING_WEIGHT * string,
            f"character similarity of '{query.compact}' and '{listed.compact}'",
        ),
    ]
    return TOKEN_WEIGHT * overlap + STRING_WEIGHT * string, features


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
