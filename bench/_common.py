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
