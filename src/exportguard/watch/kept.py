"""The customers' names as the screener reads them, kept between re-screens, so that the delta
re-screen after a list update can tell, for every customer at once and without normalising a
name, which customers could have a hit on a touched entry (`watch/select.py`).

What is kept of each customer is what `Screener.screen` makes of the name before it looks at
any index: the words of every form of every query part (`query_parts`, `name_forms` with every
reading, and for a name in characters its Japanese readings), and the keys a name in characters
or in pinyin is looked up under (its simplified characters, its trade name, its letters run
together and the pinyin trade names in them). Customers whose forms depend on the index's words
(a name in Hangul, characters read in Korean) or that compare on consonants (a name read from
another script) are kept as "always": the delta screens them whenever it runs.

The file (one per store, in the data directory) holds flat arrays (`screening.flat`), read
memory-mapped. It is trusted only when its format, the normaliser's fingerprint
(`forms_cache.normaliser_fingerprint`, which covers this module too), the store and the
watchlist's version (`WatchlistStore.version`) are those of the run, and its checksum matches
its content; otherwise it is rebuilt. A rebuild normalises again only the customers whose name
is not in the old file (by a fingerprint of the name) or all of them when the normaliser
changed. Writing is atomic (temporary file, then rename); a failure to write only costs the next
run the time to build it again.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from exportguard.config import data_dir
from exportguard.errors import InputError
from exportguard.names.chinese import trade_name
from exportguard.names.korean import has_hangul, korean_terms, sino_korean
from exportguard.names.normalize import (
    NameForm,
    basic_tokens,
    han_key,
    japanese_forms,
    name_forms,
)
from exportguard.names.pinyin import pinyin_trade_names
from exportguard.names.query import query_parts, split_glued
from exportguard.screening.flat import decode_keys, encode_keys, read_arrays, write_arrays
from exportguard.screening.forms_cache import normaliser_fingerprint
from exportguard.screening.han_rules import unit_splits
from exportguard.screening.index import phonetic
from exportguard.screening.screener import _GLUED_MIN, _GLUED_PIECE, _PINYIN_MIN, validate_query
from exportguard.screening.short_names import person_forms
from exportguard.store.watchlist import Customer

_FORMAT = 1
_PREFIX = "watch-forms-"
_SUFFIX = ".flat"


def key_hash(text: str) -> int:
    """A stable 63-bit number for a lookup key or a name (two keys sharing one only make the
    selection wider, never narrower)."""
    return int.from_bytes(hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest(),
                          "little") >> 1


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """What the selection needs of one customer's name."""

    forms: tuple[tuple[tuple[str, ...], bool], ...]  # each form's words; from a name in characters
    keys: tuple[int, ...]  # `key_hash` of its lookup keys
    always: bool  # screened by every delta
    # Each long word of its forms (`Screener._glued`) and how the index of the time split it
    # ('' for not at all): the glued forms among `forms` hold while the index splits it so.
    long: tuple[tuple[str, str], ...] = ()


def customer_record(name: str, words: Container[str]) -> CustomerRecord:
    """The name as `Screener.screen` reads it before looking at an index, its glued words split
    against the index words `words`."""
    try:
        text = validate_query(name)
    except InputError:  # refused now: screened (and given no hits) as a full re-screen does
        return CustomerRecord((), (), True)
    forms: list[tuple[tuple[str, ...], bool]] = []
    keys: list[str] = []
    long: dict[str, str] = {}
    always = False
    for part in query_parts(text):
        key = han_key(part.text)
        if has_hangul(part.text):
            always = True  # read in Korean against the index's words (`Screener._korean_forms`)
        found = list(name_forms(part.text))
        if key:
            keys.append("h" + key)
            # Each unit the name names under its parents (`han_rules.unit_splits`) is looked up
            # as a name in characters ending with it (`Screener._units_of_parents`).
            keys += ["h" + unit for _parents, unit in unit_splits(key)]
            trade = trade_name(part.text)
            if trade:
                keys.append("t" + trade)
            korean = sino_korean(part.text) if not has_hangul(part.text) else None
            if korean is not None and any(t in korean for t in korean_terms()):
                always = True
            found += japanese_forms(part.text)
        elif part.text.isascii():
            letters = "".join(basic_tokens(part.text))
            if len(letters) >= _PINYIN_MIN and letters.isalpha():
                keys.append("p" + letters)
                keys += ["q" + trade for trade, _how in pinyin_trade_names(letters)
                         if len(trade) >= _PINYIN_MIN]
        found += _glued(found, words, long)
        found += person_forms(key, found)  # as `Screener._forms` reads the name
        for form in found:
            if form.kind == "transliterated":
                always = True  # words also compared on their consonants
            forms.append((form.tokens, bool(key)))
    if not forms:
        always = True
    return CustomerRecord(tuple(dict.fromkeys(forms)),
                          tuple(dict.fromkeys(key_hash(k) for k in keys)), always,
                          tuple(long.items()))


def glued_split(word: str, words: Container[str]) -> str:
    """How `Screener._glued` splits a long word against the index words `words`: the pieces
    joined by spaces, '' when it does not."""
    if len(word) < _GLUED_MIN or word in words:
        return ""
    pieces = split_glued(word, words, _GLUED_PIECE)  # type: ignore[arg-type]
    return " ".join(pieces) if pieces else ""


def _glued(forms: list[NameForm], words: Container[str], long: dict[str, str]
           ) -> list[NameForm]:
    """`Screener._glued`: each form with its long words the index does not hold split into
    index words; each long word's split noted in `long`."""
    found: list[NameForm] = []
    for form in forms:
        split = []
        for word in form.text.split():
            if len(word) >= _GLUED_MIN:
                split.append(long.setdefault(word, glued_split(word, words)))
            else:
                split.append("")
        if any(split):
            joined = " ".join(pieces or word
                              for word, pieces in zip(form.text.split(), split, strict=True))
            found.extend(f for f in name_forms(joined) if f.tokens != form.tokens)
    return found


class KeptForms:
    """The kept records of every customer, as flat arrays: the vocabulary of their words, each
    form's words as vocabulary numbers, the forms holding each word, the lookup keys."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.arrays = arrays
        self.vocabulary: list[str] = decode_keys(arrays["vocabulary"])
        self.sounds = arrays["sounds"]  # key_hash of each word's sound, -1 without one
        self.form_tokens = arrays["form_tokens"]
        self.form_starts = arrays["form_starts"]
        self.form_customer = arrays["form_customer"]
        self.form_han = arrays["form_han"].astype(bool)
        self.word_forms = arrays["word_forms"]  # forms holding each word, word by word
        self.word_starts = arrays["word_starts"]
        self.keys = arrays["keys"]  # sorted key hashes, with their customers
        self.key_customer = arrays["key_customer"]
        self.always = arrays["always"]
        self.customers = arrays["customers"]  # ids, ascending, with their names' hashes
        self.digests = arrays["digests"]
        # Long words as each record split them, with their customers.
        self.long_words = decode_keys(arrays["long_words"])
        self.long_splits = decode_keys(arrays["long_splits"])
        self.long_starts = arrays["long_starts"]
        self.long_customers = arrays["long_customers"]

    @classmethod
    def build(cls, customers: Sequence[Customer], words: Container[str],
              known: dict[int, CustomerRecord] | None = None) -> KeptForms:
        """From the customers' names, glued words split against the index words `words`;
        `known` holds records by name hash (kept from an older file of the same code)."""
        known = known or {}
        ordered = sorted(customers, key=lambda c: c.id)
        records = []
        digests = []
        for customer in ordered:
            digest = key_hash(customer.name)
            record = known.get(digest)
            if record is None:
                record = known[digest] = customer_record(customer.name, words)
            records.append(record)
            digests.append(digest)
        return cls(_arrays(ordered, records, digests))

    def records(self) -> dict[int, CustomerRecord]:
        """Name hash -> record, for a rebuild after the customers changed."""
        out: dict[int, CustomerRecord] = {}
        ids = self.customers.tolist()
        forms_of: dict[int, list[tuple[tuple[str, ...], bool]]] = {}
        words = self.vocabulary
        starts = self.form_starts.tolist()
        tokens = self.form_tokens.tolist()
        han = self.form_han.tolist()
        for number, owner in enumerate(self.form_customer.tolist()):
            forms_of.setdefault(owner, []).append(
                (tuple(words[t] for t in tokens[starts[number]:starts[number + 1]]),
                 han[number]))
        keys_of: dict[int, list[int]] = {}
        for key, owner in zip(self.keys.tolist(), self.key_customer.tolist(), strict=True):
            keys_of.setdefault(owner, []).append(key)
        long_of: dict[int, list[tuple[str, str]]] = {}
        starts = self.long_starts.tolist()
        owners = self.long_customers.tolist()
        for number, pair in enumerate(zip(self.long_words, self.long_splits, strict=True)):
            for owner in owners[starts[number]:starts[number + 1]]:
                long_of.setdefault(owner, []).append(pair)
        always = set(self.always.tolist())
        for cid, digest in zip(ids, self.digests.tolist(), strict=True):
            out[digest] = CustomerRecord(tuple(forms_of.get(cid, ())),
                                         tuple(keys_of.get(cid, ())), cid in always,
                                         tuple(long_of.get(cid, ())))
        return out


def _arrays(customers: Sequence[Customer], records: Sequence[CustomerRecord],
            digests: Sequence[int]) -> dict[str, np.ndarray]:
    vocabulary: dict[str, int] = {}
    form_tokens: list[int] = []
    form_starts = [0]
    form_customer: list[int] = []
    form_han: list[bool] = []
    keys: list[int] = []
    key_customer: list[int] = []
    always: list[int] = []
    long: dict[tuple[str, str], list[int]] = {}
    for customer, record in zip(customers, records, strict=True):
        for pair in record.long:
            long.setdefault(pair, []).append(customer.id)
        for tokens, han in record.forms:
            form_tokens += [vocabulary.setdefault(t, len(vocabulary)) for t in tokens]
            form_starts.append(len(form_tokens))
            form_customer.append(customer.id)
            form_han.append(han)
        keys += record.keys
        key_customer += [customer.id] * len(record.keys)
        if record.always:
            always.append(customer.id)
    words = list(vocabulary)
    tokens = np.asarray(form_tokens, dtype=np.int32)
    starts = np.asarray(form_starts, dtype=np.int64)
    owner = np.repeat(np.arange(len(form_customer), dtype=np.int32), np.diff(starts))
    order = np.argsort(tokens, kind="stable")
    word_starts = np.zeros(len(words) + 1, dtype=np.int64)
    np.cumsum(np.bincount(tokens, minlength=len(words)), out=word_starts[1:])
    key_array = np.asarray(keys, dtype=np.int64)
    key_order = np.argsort(key_array, kind="stable")
    return {
        "format": np.asarray([_FORMAT], dtype=np.int64),
        "vocabulary": encode_keys(words),
        "sounds": np.asarray([key_hash(s) if (s := phonetic(w)) else -1 for w in words],
                             dtype=np.int64),
        "form_tokens": tokens, "form_starts": starts,
        "form_customer": np.asarray(form_customer, dtype=np.int64),
        "form_han": np.asarray(form_han, dtype=np.uint8),
        "word_forms": owner[order], "word_starts": word_starts,
        "keys": key_array[key_order],
        "key_customer": np.asarray(key_customer, dtype=np.int64)[key_order],
        "always": np.asarray(always, dtype=np.int64),
        "customers": np.asarray([c.id for c in customers], dtype=np.int64),
        "digests": np.asarray(digests, dtype=np.int64),
        "long_words": encode_keys([w for w, _ in long]),
        "long_splits": encode_keys([p for _, p in long]),
        "long_starts": np.r_[0, np.cumsum([len(v) for v in long.values()])].astype(np.int64),
        "long_customers": np.asarray([c for v in long.values() for c in v], dtype=np.int64),
    }


# --- the file ----------------------------------------------------------------------------------


def kept_path(store_url: str, folder: Path | None = None) -> Path:
    digest = hashlib.sha256(store_url.encode()).hexdigest()[:16]
    return (folder or data_dir()) / f"{_PREFIX}{digest}{_SUFFIX}"


def _stamp(made_by: str, version: str) -> np.ndarray:
    return encode_keys([f"format {_FORMAT}", made_by, version])


def _checksum(arrays: dict[str, np.ndarray]) -> np.ndarray:
    digest = hashlib.sha256()
    for name in sorted(arrays):
        if name != "checksum":
            digest.update(name.encode())
            digest.update(np.ascontiguousarray(arrays[name]).tobytes())
    return np.frombuffer(digest.digest(), dtype=np.uint8)


def read_kept(path: Path, fingerprint: str) -> tuple[KeptForms, str] | None:
    """The kept forms of the file and the watchlist version they were made for, when the file
    is whole and made by this code and normaliser; None for a missing, damaged or foreign one."""
    try:
        arrays = read_arrays(path)
        stamp = decode_keys(arrays["stamp"])
        if len(stamp) != 3 or stamp[0] != f"format {_FORMAT}" or stamp[1] != fingerprint:
            return None
        if not np.array_equal(arrays["checksum"], _checksum(arrays)):
            return None
        kept = KeptForms(arrays)
        _check(kept)
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None
    return kept, stamp[2]


def _check(kept: KeptForms) -> None:
    """Raises ValueError when the arrays do not fit together (a file that passed its checksum
    but was written by other code)."""
    forms = len(kept.form_customer)
    words = len(kept.vocabulary)
    if (len(kept.form_starts) != forms + 1 or int(kept.form_starts[-1]) != len(kept.form_tokens)
            or len(kept.word_starts) != words + 1 or len(kept.word_forms) != len(kept.form_tokens)
            or len(kept.sounds) != words or len(kept.form_han) != forms
            or len(kept.keys) != len(kept.key_customer)
            or len(kept.customers) != len(kept.digests)
            or len(kept.long_words) != len(kept.long_splits)
            or len(kept.long_starts) != len(kept.long_words) + 1
            or int(kept.long_starts[-1]) != len(kept.long_customers)
            or (len(kept.form_tokens) and (int(kept.form_tokens.min()) < 0
                                           or int(kept.form_tokens.max()) >= words))
            or (forms and (int(kept.word_forms.min()) < 0
                           or int(kept.word_forms.max()) >= forms))):
        raise ValueError("kept forms do not fit together")


def write_kept(path: Path, kept: KeptForms, made_by: str, version: str) -> None:
    arrays = {name: array for name, array in kept.arrays.items()
              if name not in ("stamp", "checksum")}
    arrays["stamp"] = _stamp(made_by, version)
    arrays["checksum"] = _checksum(arrays)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        write_arrays(path, arrays)


def fingerprint() -> str:
    """The normaliser's fingerprint and the code that makes the records (this module and the
    screener's query rules, with the units' under their parents)."""
    digest = hashlib.sha256(normaliser_fingerprint().encode())
    screening = Path(__file__).parents[1] / "screening"
    for module in (Path(__file__), screening / "screener.py", screening / "han_rules.py",
                   screening / "short_names.py"):
        digest.update(module.read_bytes())
    return digest.hexdigest()[:24]


def load_kept(store_url: str, version: str, customers: Callable[[], Sequence[Customer]],
              words: Container[str], folder: Path | None = None) -> KeptForms:
    """The kept forms of the watchlist at `version`: the file's when it is current, else built
    (glued words split against the index words `words`; reusing the records of an older file
    of the same code by name) and written."""
    made_by = fingerprint()
    path = kept_path(store_url, folder)
    found = read_kept(path, made_by)
    if found is not None and found[1] == version:
        return found[0]
    kept = KeptForms.build(customers(), words,
                           found[0].records() if found is not None else None)
    write_kept(path, kept, made_by, version)
    return kept
