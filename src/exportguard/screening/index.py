"""The candidate index: every name and alias of every entry, normalised once, with inverted
postings over tokens, character trigrams and phonetic keys so a query touches only the few names
that share something with it.

The index is kept flat (see `flat`): postings as arrays, names and entries as records decoded on
first use. An index built in this process keeps its Python objects; one read from a file
(`NameIndex.read`) or unpickled decodes only the names and entries a query reaches."""

from __future__ import annotations

import gc
import itertools
import json
import math
import pickle
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from operator import attrgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

import jellyfish
import numpy as np

from exportguard.model import ListEntry
from exportguard.names.chinese import pinyin_key, simplified, trade_name
from exportguard.names.normalize import (
    NameForm,
    han_key,
    kept_in_brackets,
    listed_forms,
    repair_spellings,
)
from exportguard.names.scripts import skeleton, skeletons
from exportguard.names.terms import generic_tokens
from exportguard.screening.flat import (
    Postings,
    Records,
    read_arrays,
    write_arrays,
)

if TYPE_CHECKING:
    from exportguard.screening.forms_cache import NameForms


class IndexedName(NamedTuple):
    """One comparable name of one entry (a named tuple, as `NameForm`: made in one step)."""

    entry: int
    origin: str  # 'name', 'alias' or 'local' (a curated name in the party's own script)
    text: str
    form: NameForm


@dataclass(frozen=True, slots=True)
class WordFacts:
    """What the candidates and the score bound need of one query word, found once per index
    (`NameIndex.word`): its postings and their weight, and what `bound` compares."""

    postings: np.ndarray | None  # the names holding the word
    weight: float  # of a hit in `postings`: 3 x the square root of the word's weight
    sound: np.ndarray | None  # the names holding a word of its sound
    slot: int  # its token id, -1 when no name has it
    sound_and_first: int  # see `NameIndex.sound_and_first`; -1 without a sound
    cuts: tuple[int, ...]  # each cut into two index tokens, as first id x tokens + second id


_BRACKETED = re.compile(r"\s*[(（][^()（）]*[)）]\s*")


def name_variants(texts: Iterable[str]) -> Iterator[str]:
    """Each name, then the name without its bracketed parts: "National Supercomputing Center
    Guangzhou (NSCC-GZ)" is also known as "National Supercomputing Center Guangzhou"."""
    for text in texts:
        yield text
        if "(" in text or "（" in text:
            bare = _BRACKETED.sub(
                lambda m: m.group(0) if kept_in_brackets(m.group(0).strip()[1:-1]) else " ",
                text).strip()
            if bare and bare != text:
                yield bare


def trigrams(compact: str) -> tuple[str, ...]:
    """The distinct trigrams of `^compact$`, in their order (a set's order would follow the
    process's string hashing)."""
    padded = f"^{compact}$"
    return tuple(dict.fromkeys([padded[i : i + 3] for i in range(len(padded) - 2)]))


@lru_cache(maxsize=200_000)
def phonetic(token: str) -> str:
    return jellyfish.metaphone(token) if token.isalpha() and len(token) > 3 else ""


_ENTRY, _FORM, _TOKENS = attrgetter("entry"), attrgetter("form"), attrgetter("tokens")
_FORMAT = 6  # of the pickled state and the file; older ones are refused (and rebuilt)
_HAN_CHARS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def _bare(token: str) -> str:
    """The consonant skeleton a token is found under, or '' when it has too few consonants."""
    if not token.isalpha():
        return ""
    key = skeleton(token)
    return key if len(key) >= 2 else ""


def token_keys(tokens: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each token's sound (`phonetic`) and consonant skeleton (`_bare`), '' for none."""
    tokens = list(tokens)
    return [phonetic(t) for t in tokens], _bare_keys(tokens)


def _bare_keys(tokens: list[str]) -> list[str]:
    """Each token's consonant skeleton (`_bare`), '' for none."""
    return [key if len(key) >= 2 and token.isalpha() else ""
            for token, key in zip(tokens, skeletons(tokens), strict=True)]


def _encode_name(name: IndexedName) -> bytes:
    values = [name.origin, name.text, *name.form]  # (the form's fields in order)
    return json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _name_decoder(name_entry: np.ndarray) -> Any:
    def decode(number: int, raw: bytes) -> IndexedName:
        origin, text, *values = json.loads(raw)
        form = NameForm(*(tuple(v) if isinstance(v, list) else v for v in values))
        return IndexedName(int(name_entry[number]), origin, text, form)

    return decode


def _entry_decoder(_number: int, raw: bytes) -> ListEntry:
    entry = pickle.loads(raw)
    if not isinstance(entry, ListEntry):
        raise pickle.UnpicklingError("not a list entry")
    return entry


class _NameWeights(Sequence[tuple[float, ...]]):
    """The weights of each name's tokens, computed from the token weights when first asked."""

    def __init__(self, index: NameIndex) -> None:
        self._index = index
        self._seen: dict[int, tuple[float, ...]] = {}

    def __len__(self) -> int:
        return len(self._index.names)

    def __getitem__(self, number: int) -> tuple[float, ...]:  # type: ignore[override]
        found = self._seen.get(number)
        if found is None:
            found = self._seen[number] = self._index.weights(self._index.names[number].form)
        return found


class NameIndex:
    """Names of a set of entries, with postings for candidate selection and token weights."""

    # A trigram shared by more than this share of all names selects nothing useful.
    _MAX_TRIGRAM_SHARE = 0.01

    entries: Sequence[ListEntry]
    names: Sequence[IndexedName]

    def __init__(self, entries: Sequence[ListEntry], forms: NameForms | None = None) -> None:
        """`forms`: the names' normalised forms kept from earlier builds (`forms_cache`), which
        gives the same index as normalising every name here."""
        paused = gc.isenabled()
        gc.disable()  # hundreds of thousands of new objects, no cycles: collections only cost
        try:
            self._build(entries, forms)
        finally:
            if paused:
                gc.enable()

    def _build(self, entries: Sequence[ListEntry], forms: NameForms | None) -> None:
        self.entries = list(entries)
        self._citation_dates: np.ndarray | None = None
        keys = _Keys()
        self.names = _names(self.entries, keys, forms)
        self.name_entry = np.fromiter(map(_ENTRY, self.names), dtype=np.int32,
                                      count=len(self.names))
        self.han_exact = Postings.of(keys.han_exact)
        self.han_trade = Postings.of(keys.han_trade)
        self.pinyin_full = Postings.of(keys.pinyin_full)
        self.pinyin_trade = Postings.of(keys.pinyin_trade)
        self._build_postings(forms)
        # Computed up front here (batch workers forked from this process share them); an index
        # read from a file computes each name's weights when a query first reaches it. Each
        # name's tokens are in `token_weight`, so these are `weights(form)` of every name.
        every = tuple(self.token_weights[self.name_tokens].tolist())
        bounds = self.name_token_starts.tolist()
        self.name_weights: Sequence[tuple[float, ...]] = list(
            map(every.__getitem__, map(slice, bounds[:-1], bounds[1:])))

    def _build_postings(self, cache: NameForms | None = None) -> None:
        """Exact-core, token, sound and trigram postings as (key id, name number) pairs sorted
        into arrays;
        each key's names stay in ascending order, a name once per token and trigram (a name
        with two words of one sound is in that sound's postings twice, as it always was).
        Built over arrays of all names' token ids and characters, not name by name. (The
        consonant skeletons' postings are made when first asked: `skeletons`.)"""
        forms = list(map(_FORM, self.names))
        name_tokens_of = list(map(_TOKENS, forms))
        # Each name under its core (`exact`): one Python step per name, no list per key.
        self.exact = _postings_of_keys(list(map(" ".join, name_tokens_of)))
        lengths = np.fromiter(map(len, name_tokens_of), dtype=np.int64, count=len(forms))
        name_token_starts = np.zeros(len(forms) + 1, dtype=np.int64)
        np.cumsum(lengths, out=name_token_starts[1:])
        # Token ids in the order of first appearance.
        every_token = list(itertools.chain.from_iterable(name_tokens_of))
        tokens = list(dict.fromkeys(every_token))
        token_ids = dict(zip(tokens, range(len(tokens)), strict=True))
        name_tokens = np.fromiter(map(token_ids.__getitem__, every_token), dtype=np.int64,
                                  count=len(every_token))
        # Each name's tokens as token ids, in order, and what `bound` needs of each token.
        self.name_tokens = name_tokens.astype(np.int32)
        self.name_token_starts = name_token_starts
        owner = np.repeat(np.arange(len(forms), dtype=np.int64), lengths)
        token_of_array, token_name_array = _distinct_pairs(name_tokens, owner, len(tokens))
        self.tokens = Postings.of_pairs(tokens, token_of_array, token_name_array)
        # Each token's sound (kept with the names' forms when cached).
        sound_keys = (cache.token_keys(tokens)[0] if cache is not None
                      else list(map(phonetic, tokens)))
        sound_ids: dict[str, int] = {}
        sound_of_token = np.asarray(
            [sound_ids.setdefault(key, len(sound_ids)) if key else -1 for key in sound_keys],
            dtype=np.int64)
        self.token_sound = sound_of_token.astype(np.int32)
        self.token_length = np.fromiter(map(len, tokens), dtype=np.int32, count=len(tokens))
        self.token_first = np.fromiter(map(ord, [t[0] for t in tokens]), dtype=np.int32,
                                       count=len(tokens))
        sound_of = sound_of_token[token_of_array] if len(tokens) else token_of_array
        has_sound = sound_of >= 0
        self.sounds = Postings.of_pairs(list(sound_ids), sound_of[has_sound],
                                        token_name_array[has_sound])
        total = max(len(self.names), 1)
        generic = generic_tokens()
        counts = np.diff(self.tokens.starts)
        # Place names and industry words say little about identity whatever their frequency.
        # A token's weight is (log((total + 1) / (count + 0.5)) x factor) ** 2, worked out once
        # per distinct count and factor (in Python floats) and picked for each token.
        distinct = sorted(set(counts.tolist()))
        by_count = {factor: np.asarray(
            [(math.log((total + 1) / (count + 0.5)) * factor) ** 2 for count in distinct],
            dtype=np.float64) for factor in (1.0, 0.35)}
        at = np.searchsorted(np.asarray(distinct, dtype=np.int64), counts)
        is_generic = np.fromiter(map(generic.__contains__, tokens), dtype=bool,
                                 count=len(tokens))
        self.token_weights = np.where(is_generic, by_count[0.35][at], by_count[1.0][at]) \
            if len(tokens) else np.zeros(0, dtype=np.float64)
        self.token_weight = dict(zip(tokens, self.token_weights.tolist(), strict=True))
        self.unseen_weight = math.log((total + 1) / 0.5) ** 2
        self.grams = _trigram_postings(forms, max(int(total * self._MAX_TRIGRAM_SHARE), 50))

    def weigh_as(self, other: NameIndex) -> None:
        """Weigh words as `other` weighs them (its names' word frequencies), this index's own
        words and those it lacks alike: a pair of names scored through a one-name index
        (`screening/pairs.py`) then scores as a screen against `other`'s lists does. The index's
        postings stay its own."""
        self.token_weight = other.token_weight  # shared, never written
        self.unseen_weight = other.unseen_weight
        self.token_weights = np.fromiter(map(other.weight, self.tokens.keys), dtype=np.float64,
                                         count=len(self.tokens))
        every = self.token_weights[self.name_tokens].tolist()
        self.name_weights = [tuple(every[start:end]) for start, end in
                             itertools.pairwise(self.name_token_starts.tolist())]
        self.__dict__.pop("_words", None)  # a word's facts hold its weight

    @cached_property
    def skeletons(self) -> Postings:
        """Consonant skeletons, for queries read from a script that writes few vowels: "ghryb"
        (غريب) shares no token, sound or trigram with GHARIB but the skeleton ghrb. Put in
        postings when first asked (by such a query, or to write the index), not by the build:
        few screens ask them. An index read from a file has them."""
        tokens = self.tokens.keys
        lengths = np.diff(self.name_token_starts)
        owner = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
        token_of, token_name = _distinct_pairs(self.name_tokens.astype(np.int64), owner,
                                               len(tokens))
        bare_ids: dict[str, int] = {}
        bare_of_token = np.asarray(
            [bare_ids.setdefault(key, len(bare_ids)) if key else -1 for key in _bare_keys(tokens)],
            dtype=np.int64)
        bare_of = bare_of_token[token_of] if len(tokens) else token_of
        has_bare = bare_of >= 0
        return Postings.of_pairs(list(bare_ids), bare_of[has_bare], token_name[has_bare])

    @cached_property
    def sound_and_first(self) -> np.ndarray:
        """Each token's sound and first letter as one number (-2 for a token without a sound),
        which `bound` compares with a query word's in one step."""
        sound = self.token_sound.astype(np.int64)
        return np.where(sound >= 0, (sound << 21) | self.token_first, -2)

    def weight(self, token: str) -> float:
        return self.token_weight.get(token, self.unseen_weight)

    def weights(self, form: NameForm) -> tuple[float, ...]:
        """Weight of each token of `form`: squared IDF, less for generic words."""
        return tuple(self.token_weight.get(t, self.unseen_weight) for t in form.tokens)

    _WORDS_KEPT = 100_000  # words whose facts are kept (then the store starts over)

    def word(self, token: str) -> WordFacts:
        """The facts of one query word, kept for the next query that has it."""
        kept = self.__dict__.get("_words")
        if kept is None:
            kept = self.__dict__["_words"] = {}
        found = kept.get(token)
        if found is not None:
            return found
        slots = self.tokens.slots
        slot = slots.get(token, -1)
        postings = self.tokens.array(token)
        key = phonetic(token)
        sound_slot = self.sounds.slot(key) if key else -1
        size = len(self.tokens)
        found = WordFacts(
            postings, 3.0 * math.sqrt(self.weight(token)) if postings is not None else 0.0,
            self.sounds.array(key) if key else None, slot,
            (sound_slot << 21) | ord(token[0]) if sound_slot >= 0 else -1,
            tuple(left * size + right for cut in range(1, len(token))
                  if (left := slots.get(token[:cut])) is not None
                  and (right := slots.get(token[cut:])) is not None))
        if len(kept) >= self._WORDS_KEPT:
            kept.clear()
        kept[token] = found
        return found

    def candidates(self, form: NameForm, limit: int) -> np.ndarray:
        """Name numbers most likely to match `form`, by shared tokens, trigrams and sounds."""
        arrays: list[np.ndarray] = []
        weights: list[float] = []
        # Postings that hold a name at most once (tokens, trigrams; not sounds nor skeletons: a
        # name with two words of one sound is in that sound's postings twice), for the floor.
        once: list[np.ndarray] = []
        # Tokens and trigrams in the query's order, not a set's: the hits are sums of floats, and
        # a set's order follows the process's string hashing, so two processes could add them
        # in another order, differ in the last bit and break a tie at the limit differently.
        words = tuple(dict.fromkeys(form.tokens))
        for token in words:
            facts = self.word(token)
            if facts.postings is not None:
                arrays.append(facts.postings)
                weights.append(facts.weight)
                once.append(facts.postings)
            if facts.sound is not None:
                arrays.append(facts.sound)
                weights.append(1.0)
        if form.kind == "transliterated":
            total = len(self.name_entry) + 1
            for token in words:
                key = _bare(token)
                bare = self.skeletons.array(key) if key else None
                if bare is not None:
                    arrays.append(bare)
                    weights.append(3.0 * math.log(total / (len(bare) + 0.5)))
        grams = self.grams.arrays(trigrams(form.compact))
        arrays.extend(grams)
        weights.extend([1.0] * len(grams))
        once.extend(grams)
        if not arrays:
            return np.empty(0, dtype=np.int32)
        lengths = [len(a) for a in arrays]
        every = np.concatenate(arrays)
        hits = np.bincount(every, weights=np.repeat(weights, lengths),
                           minlength=len(self.name_entry))
        # The names of a posting in `once` are distinct, so the limit-th most hits among them is
        # at most the limit-th among all names: only names with at least that many hits are
        # looked at (a few hundred of some two thousand with a hit, in one scan). The first such
        # posting is a word's when a word has one (a word weighs more than a trigram). (The
        # limit-th value by a sort: NumPy's introselect is slow on the many ties of these sums.)
        floor = 0.0
        some = next((a for a in once if len(a) >= limit), None)
        if some is not None:
            some = np.sort(hits.take(some))
            floor = float(some[len(some) - limit])
        # A boolean scan: several times faster on floats than flatnonzero of the floats (and
        # than finding the names among the postings' in a real screen, whose postings are not
        # in the CPU's caches).
        found = np.flatnonzero(hits >= floor) if floor > 0 else np.flatnonzero(hits != 0)
        if len(found) > limit:
            found = self._cut(found, hits.take(found), limit)
        return found

    def _cut(self, found: np.ndarray, values: np.ndarray, limit: int) -> np.ndarray:
        """The `limit` names of `found` with the most hits. Names tied with the last one kept
        (often a hundred or more share the same words and trigrams of the query) are chosen by a
        rule, not by where a selection algorithm happens to leave them: the shorter name first
        (the same evidence covers more of it, so its full score is likely higher), then the
        earlier name (entry order). `found` is in ascending name order and holds every name with
        as many hits as the limit-th."""
        cut = np.sort(values)[len(values) - limit]
        above = values > cut
        need = limit - int(np.count_nonzero(above))
        tied = found[values == cut]
        if len(tied) > need:
            # A stable sort keeps equal lengths in name order.
            tied = tied[np.argsort(self.name_length.take(tied), kind="stable")[:need]]
        return np.concatenate((found[above], tied))

    @cached_property
    def name_length(self) -> np.ndarray:
        """Each name's length in characters of its core words written together (`compact`)."""
        per_token = np.zeros(len(self.name_tokens) + 1, dtype=np.int64)
        np.cumsum(self.token_length.take(self.name_tokens), out=per_token[1:])
        return np.diff(per_token.take(self.name_token_starts))

    def citation_dates(self) -> np.ndarray:
        """Rows (volume, page, day ordinal) of the dated Federal Register citations in the
        entries ('82 F.R. 48792 10/20/2017'), which `lists.fr_dates` uses as anchors. Kept in the
        index file, so a dated screen need not decode every entry to find them."""
        if self._citation_dates is None:
            from exportguard.lists.fr_dates import entry_anchors

            rows = [(a.volume, a.first, a.day.toordinal()) for a in entry_anchors(self.entries)]
            self._citation_dates = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
        return self._citation_dates

    # --- flat state: pickling (batch workers, Spark) and the file `loaded.py` keeps ---------

    def __getstate__(self) -> dict[str, Any]:
        return {"format": _FORMAT, "arrays": self.to_arrays()}

    def __setstate__(self, state: dict[str, Any]) -> None:
        if not isinstance(state, dict) or state.get("format") != _FORMAT:
            raise pickle.UnpicklingError("an index of another format")
        self._from_arrays(state["arrays"])

    def to_arrays(self) -> dict[str, np.ndarray]:
        entries, entry_starts = Records.encode(
            self.entries, lambda e: pickle.dumps(e, protocol=pickle.HIGHEST_PROTOCOL))
        names, name_starts = Records.encode(self.names, _encode_name)
        return {
            "format": np.asarray([_FORMAT], dtype=np.int64),
            "entries": entries, "entries.starts": entry_starts,
            "names": names, "names.starts": name_starts, "name_entry": self.name_entry,
            **self.tokens.to_arrays("tokens"), **self.sounds.to_arrays("sounds"),
            **self.skeletons.to_arrays("skeletons"),
            **self.grams.to_arrays("grams"), **self.exact.to_arrays("exact"),
            **self.han_exact.to_arrays("han_exact"), **self.han_trade.to_arrays("han_trade"),
            **self.pinyin_full.to_arrays("pinyin_full"),
            **self.pinyin_trade.to_arrays("pinyin_trade"),
            "token_weight": self.token_weights,
            "token_sound": self.token_sound, "token_length": self.token_length,
            "token_first": self.token_first,
            "name_tokens": self.name_tokens, "name_tokens.starts": self.name_token_starts,
            "unseen_weight": np.asarray([self.unseen_weight], dtype=np.float64),
            "citation_dates": self.citation_dates().reshape(-1),
        }

    def _from_arrays(self, arrays: dict[str, np.ndarray]) -> None:
        self.entries = Records(arrays["entries"], arrays["entries.starts"], _entry_decoder)
        self.name_entry = arrays["name_entry"]
        self.names = Records(arrays["names"], arrays["names.starts"],
                             _name_decoder(self.name_entry))
        self.tokens = Postings.from_arrays(arrays, "tokens")
        self.sounds = Postings.from_arrays(arrays, "sounds")
        self.skeletons = Postings.from_arrays(arrays, "skeletons")
        self.grams = Postings.from_arrays(arrays, "grams")
        self.exact = Postings.from_arrays(arrays, "exact")
        self.han_exact = Postings.from_arrays(arrays, "han_exact")
        self.han_trade = Postings.from_arrays(arrays, "han_trade")
        self.pinyin_full = Postings.from_arrays(arrays, "pinyin_full")
        self.pinyin_trade = Postings.from_arrays(arrays, "pinyin_trade")
        self.token_weights = arrays["token_weight"]
        self.token_weight = dict(zip(self.tokens.keys, self.token_weights.tolist(), strict=True))
        self.token_sound = arrays["token_sound"]
        self.token_length = arrays["token_length"]
        self.token_first = arrays["token_first"]
        self.name_tokens = arrays["name_tokens"]
        self.name_token_starts = arrays["name_tokens.starts"]
        self.unseen_weight = float(arrays["unseen_weight"][0])
        self._citation_dates = arrays["citation_dates"].reshape(-1, 3)
        self.name_weights = _NameWeights(self)

    def write(self, path: Path) -> None:
        write_arrays(path, self.to_arrays())

    @classmethod
    def read(cls, path: Path) -> NameIndex:
        """An index written by `write`, memory-mapped. Raises ValueError (or OSError) for a file
        that is not one of this format."""
        arrays = read_arrays(path)
        if "format" not in arrays or int(arrays["format"][0]) != _FORMAT:
            raise ValueError(f"{path}: an index of another format")
        index = cls.__new__(cls)
        index._from_arrays(arrays)
        return index


def _sorted_distinct(values: np.ndarray) -> np.ndarray:
    """`np.unique(values)`, which NumPy 2.4 answers by hashing, several times slower here."""
    values = np.sort(values)
    new = np.ones(len(values), dtype=bool)
    new[1:] = values[1:] != values[:-1]
    return values[new]


def _postings_of_keys(keys_of: list[str]) -> Postings:
    """Each key of `keys_of` to the positions it holds (ascending), keys in the order of first
    appearance: `Postings.of` of the dictionary of lists made position by position."""
    keys = list(dict.fromkeys(keys_of))
    slots = dict(zip(keys, range(len(keys)), strict=True))
    key_ids = np.fromiter(map(slots.__getitem__, keys_of), dtype=np.int64, count=len(keys_of))
    return Postings.of_pairs(keys, key_ids, np.arange(len(keys_of), dtype=np.int32))


def _distinct_pairs(keys: np.ndarray, owners: np.ndarray, key_count: int
                    ) -> tuple[np.ndarray, np.ndarray]:
    """The distinct (key, owner) pairs of two parallel arrays, by owner then key."""
    if not len(keys):
        return keys.astype(np.int64), owners.astype(np.int32)
    pairs = _sorted_distinct(owners * max(key_count, 1) + keys)
    return pairs % max(key_count, 1), (pairs // max(key_count, 1)).astype(np.int32)


def _trigram_postings(forms: Sequence[NameForm], limit: int) -> Postings:
    """Each name's distinct trigrams of `^compact$` (see `trigrams`), found over one array of
    all names' characters; a trigram of more than `limit` names is left out."""
    compacts = list(map("".join, map(_TOKENS, forms)))
    if not compacts:
        return Postings([], np.zeros(1, dtype=np.int64), np.empty(0, dtype=np.int32))
    points = np.frombuffer(("^" + "$^".join(compacts) + "$").encode("utf-32-le"),
                           dtype=np.uint32)
    # Characters as ranks in the names' own alphabet, so that a trigram is one small integer
    # (its three ranks as digits in the alphabet's base: ordered as the trigrams are).
    alphabet = np.flatnonzero(np.bincount(points))
    rank = np.zeros(int(alphabet[-1]) + 1, dtype=np.int64)
    rank[alphabet] = np.arange(len(alphabet))
    letters = rank[points]
    sizes = np.fromiter(map(len, compacts), dtype=np.int64, count=len(compacts)) + 2
    # A trigram starts at every position but the last two of each name.
    starts = np.ones(len(points), dtype=bool)
    ends = np.cumsum(sizes)
    starts[ends - 1] = False
    starts[ends - 2] = False
    at = np.flatnonzero(starts)
    base = len(alphabet)
    codes = (letters[at] * base + letters[at + 1]) * base + letters[at + 2]
    owner = np.repeat(np.arange(len(forms), dtype=np.int32), sizes - 2)
    # By trigram, each trigram's names kept in name order (a stable sort). The core words are
    # ASCII letters and digits (with ^ and $ an alphabet of 38): every trigram fits in 16 bits,
    # which NumPy sorts stably by radix, in linear time (a tenth of sorting 64-bit integers).
    if base**3 <= 1 << 16:
        codes = codes.astype(np.uint16)
    order = np.argsort(codes, kind="stable")
    codes, owner = codes[order], owner[order]
    new = np.ones(len(codes), dtype=bool)
    new[1:] = (codes[1:] != codes[:-1]) | (owner[1:] != owner[:-1])
    codes, owner = codes[new], owner[new]
    # `codes` is sorted now: each trigram's run of names.
    first = np.flatnonzero(np.concatenate(([True], codes[1:] != codes[:-1])))
    distinct, counts = codes[first], np.diff(np.append(first, len(codes)))
    kept = counts <= limit
    chars = [chr(c) for c in alphabet.tolist()]
    square = base * base
    keys = [chars[c // square] + chars[c // base % base] + chars[c % base]
            for c in distinct[kept].tolist()]
    key_starts = np.zeros(len(keys) + 1, dtype=np.int64)
    np.cumsum(counts[kept], out=key_starts[1:])
    return Postings(keys, key_starts, owner[np.repeat(kept, counts)])


class _Keys:
    """The exact-lookup keys of the names in characters being indexed, each to its name
    numbers: its simplified characters (short forms spelt out), its trade name
    (`chinese.trade_name`: 旷视 of 北京旷视科技有限公司), and the pinyin of both (a query in
    pinyin is looked up by its letters run together)."""

    def __init__(self) -> None:
        self.han_exact: dict[str, list[int]] = defaultdict(list)
        self.han_trade: dict[str, list[int]] = defaultdict(list)
        self.pinyin_full: dict[str, list[int]] = defaultdict(list)
        self.pinyin_trade: dict[str, list[int]] = defaultdict(list)

    def add_han(self, found: HanKeys | None, number: int) -> None:
        if found is None:
            return
        key, spellings, trade, trade_pinyin = found
        self.han_exact[key].append(number)
        for spelling in spellings:
            self.pinyin_full[spelling].append(number)
        if trade:
            self.han_trade[trade].append(number)
            self.pinyin_trade[trade_pinyin].append(number)


# A name in characters' exact keys: simplified characters with short forms spelt out, the pinyin
# of its characters and of that key (distinct, in that order), its trade name and the trade
# name's pinyin ('' when it has none).
HanKeys = tuple[str, tuple[str, ...], str, str]


def han_keys(text: str) -> HanKeys | None:
    """The exact keys `_Keys` files a name in characters under; None for any other name."""
    if text.isascii():
        return None  # no characters (han_key would say so after cleaning it)
    key = han_key(text)
    if not key:
        return None
    chars = simplified("".join(_HAN_CHARS.findall(text)))
    spellings = tuple(dict.fromkeys([pinyin_key(chars), pinyin_key(key)]))
    trade = trade_name(text)
    return key, spellings, trade or "", pinyin_key(trade) if trade else ""


def _names(entries: Sequence[ListEntry], keys: _Keys, forms: NameForms | None
           ) -> list[IndexedName]:
    """Every comparable name of `entries`, in order (an entry's name, aliases, curated names;
    each text then its bare variant, `name_variants`), a form once per entry and origin, with
    the first name of a text in characters filed in `keys` under its `han_keys`."""
    names: list[IndexedName] = []
    append = names.append
    if forms is None:  # every name is normalised here
        repair_spellings(text for listed in entries
                         for text in (listed.name, *listed.alt_names, *listed.local_names))
    get = forms.get if forms is not None else _fresh
    new = tuple.__new__
    for entry, listed in enumerate(entries):
        for origin, texts in (("name", (listed.name,)), ("alias", listed.alt_names),
                              ("local", listed.local_names)):
            if not texts:
                continue
            seen: set[tuple[str, ...]] = set()
            for text in name_variants(texts):
                first = True
                text_forms, han = get(text)
                for form in text_forms:
                    tokens = form.tokens
                    if tokens in seen:
                        continue
                    seen.add(tokens)
                    number = len(names)
                    # IndexedName(entry, origin, text, form) without the named tuple's own
                    # __new__ (a Python function).
                    name = new(IndexedName, (entry, origin, text, form))
                    append(name)
                    if first:
                        if han is not None:
                            keys.add_han(han, number)
                        first = False
    return names


if IndexedName._fields != ("entry", "origin", "text", "form"):
    raise TypeError("_names makes IndexedName from its fields in order: update it with the class")


def _fresh(text: str) -> tuple[tuple[NameForm, ...], HanKeys | None]:
    """What the index needs of a name text, normalised here (`forms_cache.NameForms.get` keeps
    the same values between builds)."""
    return listed_forms(text), None if text.isascii() else han_keys(text)
