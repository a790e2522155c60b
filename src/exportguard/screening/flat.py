"""Flat storage for the name index: keyed postings as one key list and two arrays, records as one
byte buffer with offsets, and a file of named NumPy arrays that is memory-mapped, not unpickled.

Loading a pickled index built of Python objects took one to two seconds (a hundred thousand
small objects and seventy thousand small arrays); these structures load in milliseconds and
decode a record only when it is asked for."""

from __future__ import annotations

import json
import mmap
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

import numpy as np

T = TypeVar("T")
_MAGIC = b"EGFLAT1\n"
_ALIGN = 64
# Keys searched for in the encoded keys of postings read from a file before the dictionary of
# all keys is made (`Postings._find`).
_SEARCHED = 64


class Postings:
    """Keys (strings without a newline) to ascending int32 arrays of numbers."""

    def __init__(self, keys: list[str] | np.ndarray, starts: np.ndarray,
                 numbers: np.ndarray) -> None:
        """`keys` as a list, or encoded (`encode_keys`) to be decoded at first use: a screen
        looks up only a few of an index's postings, so one read from a file decodes no more."""
        self._keys = keys if isinstance(keys, list) else None
        self._encoded = None if isinstance(keys, list) else keys
        self.starts = starts
        self.numbers = numbers
        self._slots: dict[str, int] | None = None
        self._offsets: list[int] | None = None
        self._text: bytes | None = None  # the encoded keys, each between newlines
        self._searched = 0

    @property
    def keys(self) -> list[str]:
        if self._keys is None:
            self._keys = decode_keys(self._encoded)  # type: ignore[arg-type]
        return self._keys

    @property
    def _slot(self) -> dict[str, int]:
        if self._slots is None:
            self._slots = dict(zip(self.keys, range(len(self.keys)), strict=True))
        return self._slots

    @property
    def slots(self) -> dict[str, int]:
        """Key -> its position in `keys` (read only), for callers that look up many keys."""
        return self._slot

    def _find(self, key: str) -> int | None:
        """The key's position in `keys`, None when absent. The first few keys asked of postings
        read from a file are searched for in the encoded keys (a one-shot screen asks a few of
        an index's 100,000: decoding them all and making the dictionary cost more); after
        that, and for postings made here, the dictionary answers."""
        if self._slots is not None or self._encoded is None or self._searched >= _SEARCHED:
            return self._slot.get(key)
        self._searched += 1
        if "\n" in key:
            return None  # no key holds a newline (`encode_keys`)
        if self._text is None:
            raw = self._encoded.tobytes()
            self._text = b"\n" + raw[8:] + b"\n" if int.from_bytes(raw[:8], "little") else b""
        at = self._text.find(b"\n" + key.encode("utf-8") + b"\n")
        # Keys are unique; key i is preceded by the i-th newline (counting from 0).
        return None if at < 0 else self._text.count(b"\n", 0, at)

    @classmethod
    def of(cls, lists: dict[str, list[int]]) -> Postings:
        keys = list(lists)
        lengths = np.fromiter((len(v) for v in lists.values()), dtype=np.int64, count=len(keys))
        starts = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(lengths, out=starts[1:])
        numbers = np.fromiter((n for v in lists.values() for n in v), dtype=np.int32,
                              count=int(starts[-1]))
        return cls(keys, starts, numbers)

    @classmethod
    def of_pairs(cls, keys: list[str], key_ids: np.ndarray, numbers: np.ndarray) -> Postings:
        """From parallel arrays of key ids and numbers; each key's numbers keep their order."""
        order = np.argsort(key_ids, kind="stable")
        counts = np.bincount(key_ids, minlength=len(keys))
        starts = np.zeros(len(keys) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(keys, starts, numbers[order].astype(np.int32))

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) is not None

    def array(self, key: str) -> np.ndarray | None:
        slot = self._find(key)
        if slot is None:
            return None
        return self.numbers[self._span(slot)]

    def arrays(self, keys: Iterable[str]) -> list[np.ndarray]:
        """The postings of those of `keys` that have some, in their order."""
        numbers = self.numbers
        if self._slots is not None:  # the dictionary of all keys is made: no method per key
            get = self._slots.get
            offsets = self._offsets
            if offsets is None:
                offsets = self._offsets = self.starts.tolist()
            return [numbers[offsets[slot]:offsets[slot + 1]] for key in keys
                    if (slot := get(key)) is not None]
        find, span = self._find, self._span
        return [numbers[span(slot)] for key in keys if (slot := find(key)) is not None]

    def _span(self, slot: int) -> slice:
        offsets = self._offsets
        if offsets is None:
            if self._slots is None:  # a few keys looked up so far: no list of all offsets yet
                return slice(int(self.starts[slot]), int(self.starts[slot + 1]))
            # Python ints: a screen slices some thirty postings, and NumPy scalars as slice
            # bounds cost more than the slice.
            offsets = self._offsets = self.starts.tolist()
        return slice(offsets[slot], offsets[slot + 1])

    def slot(self, key: str) -> int:
        """The key's position in `keys`, -1 when absent."""
        found = self._find(key)
        return -1 if found is None else found

    def count(self, slot: int) -> int:
        return int(self.starts[slot + 1] - self.starts[slot])

    def get(self, key: str, default: Sequence[int] = ()) -> Sequence[int]:
        found = self.array(key)
        return default if found is None else found.tolist()

    def items(self) -> Iterator[tuple[str, list[int]]]:
        for key in self.keys:
            yield key, self.get(key)

    def flagged(self, flags: np.ndarray) -> Postings:
        """These postings with only the numbers flagged (`flags`, a bool per number), each key's
        in their order, and only the keys left with one. Of keys read from a file only those
        are decoded: a few postings of an index's 50,000 keys cost less than its dictionary."""
        numbers = np.asarray(self.numbers)
        kept = np.flatnonzero(flags[numbers])
        slots, counts = np.unique(np.searchsorted(self.starts, kept, side="right") - 1,
                                  return_counts=True)
        starts = np.zeros(len(slots) + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return Postings(self._keys_at(slots.tolist()), starts, numbers[kept].astype(np.int32))

    def _keys_at(self, slots: list[int]) -> list[str]:
        if self._keys is not None or not slots:
            return [self.keys[slot] for slot in slots]
        raw = np.asarray(self._encoded)[8:]
        ends = [*np.flatnonzero(raw == 10).tolist(), len(raw)]  # key i ends at newline i
        data = raw.tobytes()
        return [data[ends[slot - 1] + 1 if slot else 0:ends[slot]].decode("utf-8")
                for slot in slots]

    def to_arrays(self, prefix: str) -> dict[str, np.ndarray]:
        keys = self._encoded if self._encoded is not None else encode_keys(self.keys)
        return {f"{prefix}.keys": keys, f"{prefix}.starts": self.starts,
                f"{prefix}.numbers": self.numbers}

    @classmethod
    def from_arrays(cls, arrays: dict[str, np.ndarray], prefix: str) -> Postings:
        return cls(arrays[f"{prefix}.keys"], arrays[f"{prefix}.starts"],
                   arrays[f"{prefix}.numbers"])


def encode_keys(keys: list[str]) -> np.ndarray:
    if any("\n" in key for key in keys):
        raise ValueError("a key holds a newline")
    data = "\n".join(keys).encode("utf-8") if keys else b""
    return np.frombuffer(len(keys).to_bytes(8, "little") + data, dtype=np.uint8)


def decode_keys(array: np.ndarray) -> list[str]:
    raw = array.tobytes()
    count = int.from_bytes(raw[:8], "little")
    return raw[8:].decode("utf-8").split("\n") if count else []


class Records(Sequence[T]):
    """Records encoded one by one into a byte buffer, decoded on first access and kept.
    `decode(number, raw)` makes the record."""

    def __init__(self, data: np.ndarray, starts: np.ndarray,
                 decode: Callable[[int, bytes], T]) -> None:
        self.data = data
        self.starts = starts
        self._decode = decode
        self._seen: dict[int, T] = {}

    @staticmethod
    def encode(records: Iterable[T], encode: Callable[[T], bytes]) -> tuple[np.ndarray,
                                                                            np.ndarray]:
        chunks = [encode(r) for r in records]
        starts = np.zeros(len(chunks) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in chunks], out=starts[1:])
        return np.frombuffer(b"".join(chunks), dtype=np.uint8), starts

    def __len__(self) -> int:
        return len(self.starts) - 1

    def __getitem__(self, number: int) -> T:  # type: ignore[override]
        number = int(number)
        found = self._seen.get(number)
        if found is None:
            if not 0 <= number < len(self):
                raise IndexError(number)
            start, end = int(self.starts[number]), int(self.starts[number + 1])
            found = self._seen[number] = self._decode(number, self.data[start:end].tobytes())
        return found

    def __iter__(self) -> Iterator[T]:
        for number in range(len(self)):
            yield self[number]


def write_arrays(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """One file: a JSON header naming each array's dtype, length and offset, then the arrays,
    each aligned. Written to a temporary name and renamed, so readers never see half a file."""
    header: dict[str, list[object]] = {}
    offset = 0
    for name, array in arrays.items():
        array = np.ascontiguousarray(array)
        if array.ndim != 1:
            raise ValueError(f"{name}: only flat arrays are stored")
        header[name] = [array.dtype.str, len(array), offset]
        offset += -(-array.nbytes // _ALIGN) * _ALIGN
    head = json.dumps(header).encode("utf-8")
    start = -(-(len(_MAGIC) + 8 + len(head)) // _ALIGN) * _ALIGN
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    with temporary.open("wb") as handle:
        handle.write(_MAGIC + len(head).to_bytes(8, "little") + head)
        handle.write(b"\0" * (start - handle.tell()))
        for array in arrays.values():
            data = np.ascontiguousarray(array).tobytes()
            handle.write(data + b"\0" * (-(-len(data) // _ALIGN) * _ALIGN - len(data)))
    temporary.replace(path)


def read_arrays(path: Path) -> dict[str, np.ndarray]:
    """The arrays of a file written by `write_arrays`, memory-mapped read-only. Raises
    ValueError for a file that is not one (or is cut short)."""
    with path.open("rb") as handle:
        if handle.read(len(_MAGIC)) != _MAGIC:
            raise ValueError(f"{path} is not an index file")
        size = int.from_bytes(handle.read(8), "little")
        header = json.loads(handle.read(size))
        mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    start = -(-(len(_MAGIC) + 8 + size) // _ALIGN) * _ALIGN
    arrays = {}
    for name, (dtype, length, offset) in header.items():
        kind = np.dtype(dtype)
        if start + offset + length * kind.itemsize > len(mapped):
            raise ValueError(f"{path} is cut short")
        arrays[name] = np.frombuffer(mapped, dtype=kind, count=length, offset=start + offset)
    return arrays
