"""The candidate index: every name and alias of every entry, normalised once, with inverted
postings over tokens, character trigrams and phonetic keys so a query touches only the few names
that share something with it."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
import numpy as np

from exportguard.model import ListEntry
from exportguard.names.normalize import NameForm, han_key, name_forms
from exportguard.names.terms import generic_tokens


@dataclass(frozen=True, slots=True)
class IndexedName:
    """One comparable name of one entry."""

    entry: int
    origin: str  # 'name', 'alias' or 'local' (a curated name in the party's own script)
    text: str
    form: NameForm


_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]\s*")


def name_variants(texts: Iterable[str]) -> Iterator[str]:
    """Each name, then the name without its bracketed parts: "National Supercomputing Center
    Guangzhou (NSCC-GZ)" is also known as "National Supercomputing Center Guangzhou"."""
    for text in texts:
        yield text
        if "(" in text or "（" in text:
            bare = _BRACKETED.sub(" ", text).strip()
            if bare and bare != text:
                yield bare


def trigrams(compact: str) -> set[str]:
    padded = f"^{compact}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    return jellyfish.metaphone(token) if token.isalpha() and len(token) > 3 else ""


class NameIndex:
    """Names of a set of entries, with postings for candidate selection and token weights."""

    # A trigram shared by more than this share of all names selects nothing useful.
    _MAX_TRIGRAM_SHARE = 0.01

    def __init__(self, entries: Sequence[ListEntry]) -> None:
        self.entries = list(entries)
        self.names: list[IndexedName] = []
        self.exact: dict[str, list[int]] = defaultdict(list)
        self.han_exact: dict[str, list[int]] = defaultdict(list)
        for number, entry in enumerate(self.entries):
            self._add(number, "name", [entry.name])
            self._add(number, "alias", entry.alt_names)
            self._add(number, "local", entry.local_names)
        self.name_entry = np.fromiter((n.entry for n in self.names), dtype=np.int32,
                                      count=len(self.names))
        self._build_postings()

    def _add(self, entry: int, origin: str, texts: Iterable[str]) -> None:
        seen: set[tuple[str, ...]] = set()
        for text in name_variants(texts):
            key = han_key(text)
            for form in name_forms(text):
                if form.tokens in seen:
                    continue
                seen.add(form.tokens)
                number = len(self.names)
                self.names.append(IndexedName(entry, origin, text, form))
                self.exact[form.core].append(number)
                if key:
                    self.han_exact[key].append(number)

    def _build_postings(self) -> None:
        tokens: dict[str, list[int]] = defaultdict(list)
        grams: dict[str, list[int]] = defaultdict(list)
        sounds: dict[str, list[int]] = defaultdict(list)
        for number, name in enumerate(self.names):
            for token in set(name.form.tokens):
                tokens[token].append(number)
                key = phonetic(token)
                if key:
                    sounds[key].append(number)
            for gram in trigrams(name.form.compact):
                grams[gram].append(number)
        total = max(len(self.names), 1)
        generic = generic_tokens()
        self.token_weight: dict[str, float] = {}
        for token, postings in tokens.items():
            idf = math.log((total + 1) / (len(postings) + 0.5))
            # Place names and industry words say little about identity whatever their frequency.
            self.token_weight[token] = (idf * (0.35 if token in generic else 1.0)) ** 2
        self.unseen_weight = math.log((total + 1) / 0.5) ** 2
        self.name_weights = [self.weights(name.form) for name in self.names]
        self.token_postings = {t: np.asarray(p, dtype=np.int32) for t, p in tokens.items()}
        self.sound_postings = {s: np.asarray(p, dtype=np.int32) for s, p in sounds.items()}
        limit = max(int(total * self._MAX_TRIGRAM_SHARE), 50)
        self.gram_postings = {
            g: np.asarray(p, dtype=np.int32) for g, p in grams.items() if len(p) <= limit
        }

    def weight(self, token: str) -> float:
        return self.token_weight.get(token, self.unseen_weight)

    def weights(self, form: NameForm) -> tuple[float, ...]:
        """Weight of each token of `form`: squared IDF, less for generic words."""
        return tuple(self.token_weight.get(t, self.unseen_weight) for t in form.tokens)

    def candidates(self, form: NameForm, limit: int) -> np.ndarray:
        """Name numbers most likely to match `form`, by shared tokens, trigrams and sounds."""
        arrays: list[np.ndarray] = []
        weights: list[np.ndarray] = []
        for token in set(form.tokens):
            postings = self.token_postings.get(token)
            if postings is not None:
                arrays.append(postings)
                weights.append(np.full(len(postings), 3.0 * math.sqrt(self.weight(token))))
            key = phonetic(token)
            sound = self.sound_postings.get(key) if key else None
            if sound is not None:
                arrays.append(sound)
                weights.append(np.full(len(sound), 1.0))
        for gram in trigrams(form.compact):
            postings = self.gram_postings.get(gram)
            if postings is not None:
                arrays.append(postings)
                weights.append(np.full(len(postings), 1.0))
        if not arrays:
            return np.empty(0, dtype=np.int32)
        hits = np.bincount(np.concatenate(arrays), weights=np.concatenate(weights),
                           minlength=len(self.names))
        found = np.flatnonzero(hits)
        if len(found) > limit:
            found = found[np.argpartition(hits[found], -limit)[-limit:]]
        return found
