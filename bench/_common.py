"""Helpers shared by the bench scripts: where the reference data is, loading it, and a simple,
matcher-independent name normaliser used for labelling (never the matcher's own normaliser, so the
bench does not grade the matcher with its own ruler).

The reference data is read at run time from ../shared/reference beside the repository; nothing
from it is copied into the project.
"""

from __future__ import annotations

import re
import sys
import time
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
DATA_DIR = BENCH_DIR / "data"
REFERENCE_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "reference"
CSL_COMPACT = REFERENCE_DIR / "csl" / "csl-2026-07-31.compact.json"
NEGATIVES = DATA_DIR / "negatives.txt"
CHINESE_NAMES = DATA_DIR / "chinese_names.csv"

if str(BENCH_DIR) not in sys.path:  # lets the scripts import each other without a package
    sys.path.insert(0, str(BENCH_DIR))


def _words(text: str) -> list[str]:
    return text.split()


# Legal-form tokens after `simple_norm`'s punctuation handling ("S.A." -> "sa", "Co., Ltd." ->
# "co ltd", "A/S" -> "as").
LEGAL_FORM_TOKENS = frozenset(
    _words(
        """
        co company companies ltd limited corp corporation inc incorporated llc lc llp lp plc pllc
        ag se sa sas sarl nv bv gmbh kg kgaa mbh spa srl sl oyj abp asa ab as aps kk pte pvt
        private jsc ojsc cjsc pjsc ooo oao zao pao ao tov fze fzco fzc fzllc fz sdn bhd tbk pt cv
        sal
        """
    )
)
STOPWORDS = frozenset({"the"})

_PUNCT = re.compile(r"[^\w\s]+", re.UNICODE)
_DOTS = re.compile(r"[.'’`/]")


_MULTIWORD_FORMS = re.compile(
    r"\b(?:(?:closed|open|public|private)\s+)?joint[\s-]+stock\s+company\b"
    r"|\blimited\s+liability\s+(?:company|partnership)\b"
    r"|\bsociedad\s+an[oó]nima\b|\bsociete\s+anonyme\b",
)


def simple_norm(name: str) -> str:
    """Casefold, strip punctuation, drop legal forms: the bench's ruler for "same name"."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _MULTIWORD_FORMS.sub(" ", text)
    text = text.replace("&", " and ")
    text = _DOTS.sub("", text)
    text = _PUNCT.sub(" ", text).replace("_", " ")
    tokens = [t for t in text.split() if t not in LEGAL_FORM_TOKENS and t not in STOPWORDS]
    return " ".join(tokens)


def load_entries(path: Path = CSL_COMPACT) -> list:
    """All entries of the reference CSL (ListEntry objects)."""
    from exportguard.lists.csl import CslCompactParser

    if not path.is_file():
        raise SystemExit(
            f"reference CSL not found at {path}; the bench expects ../shared/reference beside the "
            "repository"
        )
    return list(CslCompactParser().entries(path))


@lru_cache(maxsize=1)
def _cached_entries() -> tuple:
    return tuple(load_entries())


def entries_cached() -> list:
    return list(_cached_entries())


def names_of(entry) -> list[str]:
    return [entry.name, *entry.alt_names]


def norm_index(entries: Iterable) -> dict[str, list[int]]:
    """simple_norm(name or alias) -> indices of the entries that carry it."""
    index: dict[str, list[int]] = {}
    for i, entry in enumerate(entries):
        for name in names_of(entry):
            key = simple_norm(name)
            if key:
                bucket = index.setdefault(key, [])
                if not bucket or bucket[-1] != i:
                    bucket.append(i)
    return index


def read_negatives(path: Path = NEGATIVES) -> list[str]:
    out: list[str] = []
    seen: set[str] = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line not in seen:
            seen.add(line)
            out.append(line)
    return out


def filter_negatives(
    negatives: list[str], entries: list
) -> tuple[list[str], list[tuple[str, str]]]:
    """Drop negatives whose simple_norm equals a CSL name or alias (also compared with the spaces
    removed, so "Semi-Conductor" equals "Semiconductor"); returns (kept, dropped) where dropped
    holds (negative, the CSL name it collided with)."""
    by_norm: dict[str, str] = {}
    for entry in entries:
        for name in names_of(entry):
            norm = simple_norm(name)
            by_norm.setdefault(norm, f"{entry.key}: {name}")
            by_norm.setdefault(norm.replace(" ", ""), f"{entry.key}: {name}")
    kept, dropped = [], []
    for neg in negatives:
        norm = simple_norm(neg)
        hit = by_norm.get(norm) or by_norm.get(norm.replace(" ", ""))
        if hit is None:
            kept.append(neg)
        else:
            dropped.append((neg, hit))
    return kept, dropped


def average_precision(scored: Iterable[tuple[float, bool]], n_pos: int) -> float:
    """Area under the precision/recall curve swept over every score (equal scores taken
    together): `scored` is (score, is positive) per item ranked, `n_pos` the positives in all
    (positives left out of `scored` are never found)."""
    if not n_pos:
        return float("nan")
    ranked = sorted(scored, key=lambda s: -s[0])
    tp = fp = 0
    ap = 0.0
    i = 0
    while i < len(ranked):
        j = i
        new_tp = 0
        while j < len(ranked) and ranked[j][0] == ranked[i][0]:
            new_tp += ranked[j][1]
            fp += not ranked[j][1]
            j += 1
        tp += new_tp
        ap += (new_tp / n_pos) * (tp / (tp + fp))
        i = j
    return ap


def profile_some(screener, queries: list[str], wanted: set[int], orders: tuple[str, ...],
                 top: int, title: str) -> None:
    """Screen every query in order (as the timed run did, so the caches are as warm) with
    cProfile (CPU-time timer) on only the queries numbered in `wanted`; print its top lines
    by each order."""
    import cProfile
    import pstats
    import time

    profile = cProfile.Profile(time.thread_time)
    for number, query in enumerate(queries):
        if number in wanted:
            profile.enable()
            screener.screen(query, limit=10)
            profile.disable()
        else:
            screener.screen(query, limit=10)
    for order in orders:
        print(f"\ncProfile of {title} (CPU time), by {order}:")
        pstats.Stats(profile).sort_stats(order).print_stats(top)


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    k = (len(sorted_values) - 1) * q
    lo = int(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


class Timer:
    def __enter__(self) -> Timer:
        self.start = time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self.start


def import_screener():
    """(Screener, DEFAULT_THRESHOLD), or a clear exit when the matcher is not there yet."""
    try:
        from exportguard.screening import DEFAULT_THRESHOLD, Screener
    except ImportError as exc:
        raise SystemExit(f"exportguard.screening is not importable yet: {exc}") from None
    return Screener, DEFAULT_THRESHOLD


def matcher_fingerprint() -> str:
    """Short hash of the matcher's source (screening/ and names/), so runs of the bench against a
    matcher that is still changing can be told apart."""
    import hashlib

    digest = hashlib.sha256()
    src = REPO_ROOT / "src" / "exportguard"
    for sub in ("screening", "names", "data"):
        for path in sorted((src / sub).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".yaml", ".json", ".txt", ".csv"):
                digest.update(path.relative_to(src).as_posix().encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


_PLACES = ("Global", "Pacific", "Atlantic", "Northern", "Eastern", "Alpine", "Nordic", "Asia",
           "Euro", "Andes", "Sahara", "Baltic", "Delta", "Harbor", "Summit", "Valley", "Metro")
_TRADES = ("Logistics", "Trading", "Foods", "Textiles", "Machinery", "Software", "Holdings",
           "Pharma", "Energy", "Plastics", "Freight", "Packaging", "Instruments", "Components",
           "Retail", "Consulting", "Electric", "Motors", "Optics", "Marine")
_FORMS = ("Co., Ltd.", "Ltd", "LLC", "Inc.", "GmbH", "S.A.", "B.V.", "Pte. Ltd.", "Corp.",
          "S.r.l.", "AG", "Limited", "K.K.", "Sdn. Bhd.", "")


def synthetic_book(n: int, entries: list, *, listed_share: float = 0.02, seed: int = 7,
                   variants_of: list | None = None) -> list[tuple[str, str, str]]:
    """`n` counterparties (id, name, country), deterministic for a seed: real unlisted company
    names and recombinations of their words with places, trades and legal forms (most of the
    book), plus `listed_share` of variants of real listed names (case, punctuation and legal form
    changed), drawn from `variants_of` when given, else from all `entries`."""
    import random

    rng = random.Random(seed)
    negatives = read_negatives()
    words = sorted({w for name in negatives for w in name.replace(",", " ").split()
                    if w.isalpha() and len(w) > 3 and w[0].isupper()})
    countries = ("CN", "US", "DE", "JP", "GB", "FR", "IN", "SG", "KR", "BR", "AE", "TR", "")
    pool = variants_of or [e for e in entries if e.type != "Individual"]
    book: list[tuple[str, str, str]] = []
    for number in range(n):
        roll = rng.random()
        if roll < listed_share:
            entry = rng.choice(pool)
            name = rng.choice([entry.name, *entry.alt_names])
            name = _variant(name, rng)
            # Some list records carry region names ("REGION: CRIMEA") among their countries.
            country = next((c for c in entry.countries if len(c) == 2 and c.isalpha()), "")
        elif roll < 0.1:
            name, country = rng.choice(negatives), rng.choice(countries)
        else:
            parts = [rng.choice(words), rng.choice(_PLACES + tuple(words[:50])),
                     rng.choice(_TRADES)]
            rng.shuffle(parts[:2])
            name = " ".join([*parts[:rng.choice((2, 3, 3))], rng.choice(_FORMS)]).strip()
            country = rng.choice(countries)
        book.append((f"C{number:07d}", name, country))
    return book


def _variant(name: str, rng) -> str:
    choice = rng.random()
    if choice < 0.25:
        return name.upper()
    if choice < 0.5:
        return name.replace(",", "").replace(".", "")
    if choice < 0.75:
        for old, new in ((" Co., Ltd.", " Company Limited"), (" Ltd.", " Limited"),
                         (" Inc.", " Incorporated"), (" LLC", " L.L.C.")):
            if old in name:
                return name.replace(old, new)
    return name
