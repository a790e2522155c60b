"""Legal forms in the spellings of many languages, from rigour's organisation-type table (built by
OpenSanctions from the ISO 20275 Entity Legal Forms code list, OCCRP's list and Wikipedia's types
of business entity). "Gesellschaft mit beschränkter Haftung", "spółka z ograniczoną
odpowiedzialnością" and "osakeyhtiö" are found there; data/name_terms.yaml keeps the short forms
and the ASCII spellings the lists use.

Names are often written without their accents ("spolka akcyjna", "osakeyhtio", "anonim
sirketi"), which rigour's table does not hold. data/legal_forms_ascii.json does: each spelt-out
form of the legal-form table of `fingerprints` (the same OpenSanctions sources, shipped as a
YAML file) written in ASCII, kept when rigour reads the form as written as a legal form, with
rigour's compact form. It is made by `python -m exportguard.names.legal` and read without
loading rigour, so a Latin-script screen stays light.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

from exportguard.package_files import DATA

_WORD = re.compile(r"\w+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# A short form found before the end of a name ("as", "ab") is more likely a word than a form.
_SHORT = 6
# An ASCII name spells a legal form out in words rigour alone knows only when it is this long.
_ASCII_WORDS = 3
_ASCII_FILE = "legal_forms_ascii.json"


# rigour's `Normalize` and `Cleanup` flags as the integers its compiled core takes
# (rigour.text.normalize; tests/test_names_legal_core.py checks them against the installed rigour).
_CASEFOLD = 4  # Normalize.CASEFOLD
_CASEFOLD_NFKD = 36  # Normalize.CASEFOLD | Normalize.NFKD
_NOOP = 0  # Cleanup.Noop
_STRONG = 1  # Cleanup.Strong


def _extract_org_types(name: str, normalize_flags: int = _CASEFOLD,
                       cleanup: int = _NOOP) -> list[tuple[str, str]]:
    """`rigour.names.org_types.extract_org_types`, which passes its arguments to rigour's core
    as integers: called there directly, since importing `rigour.names` (for the wrapper) or
    `rigour.text` (for the flags) loads normality, chardet and ICU, most of a cold screen of a
    name in characters."""
    return _core_extract()(name, normalize_flags, cleanup, False)


@cache
def _core_extract() -> Callable[[str, int, int, bool], list[tuple[str, str]]]:
    from rigour._core import extract_org_types

    return extract_org_types  # type: ignore[no-any-return]


@cache
def _rigour() -> tuple[Callable[..., list[tuple[str, str]]], Any, Any]:
    """rigour's `extract_org_types`, with the flags that read a name without its accents and
    punctuation (rigour's core loaded at first use)."""
    return _extract_org_types, _CASEFOLD_NFKD, _STRONG


@lru_cache(maxsize=65536)
def legal_form_spans(text: str) -> tuple[tuple[str, str], ...]:
    """(spelling in `text`, compact form) of each legal form found in a case-folded name; a
    short form ("stg", "as") counts only at the end of the name."""
    if text.isascii():
        return ascii_legal_form_spans(text, _ASCII_WORD.findall(text))
    hits = _core_extract()(text, _CASEFOLD, _NOOP, False)
    return _with_hits(text, [], hits) if hits else ()


def ascii_legal_form_spans(text: str, words: list[str]) -> tuple[tuple[str, str], ...]:
    """`legal_form_spans` of an ASCII `text` whose words `[a-z0-9]+` are `words` (found once by
    a caller that needs them too, `normalize._latin_form`), not kept in its cache."""
    # Most names have no word that starts an ASCII spelling: nothing to look for.
    found = [] if _first_words().isdisjoint(words) else _ascii_spans(text, words)
    # Without capitals and "_", the words of `_WORD` are these.
    # (`islower` first: a case-folded name with letters is lower-case, no copy made.)
    count = len(words) if "_" not in text and (text.islower() or text.lower() == text) \
        else len(_WORD.findall(text))
    if count < _ASCII_WORDS:
        return tuple(found)  # the vocabulary's forms cover short names; rigour loads slowly
    extract = _core_extract()  # (`_extract_org_types` without its Python layer)
    # Also asked of rigour's table with its accents taken off ("anonim sirketi"); that table
    # has its punctuation taken off too, so "s.a. de c.v." is found as written only.
    hits = extract(text, _CASEFOLD, _NOOP, False) + extract(text, _CASEFOLD_NFKD, _STRONG, False)
    return _with_hits(text, found, hits) if hits else tuple(found)


def _with_hits(text: str, found: list[tuple[str, str]], hits: list[tuple[str, str]]
               ) -> tuple[tuple[str, str], ...]:
    """`found` (the ASCII spellings) with rigour's `hits` in `text`."""
    if len(hits) == 2 and hits[0] == hits[1]:
        hits = hits[:1]  # (most hits: the same in both tables)
    elif len(hits) > 1:  # longest first; a hit both tables give is read once
        hits = sorted(dict.fromkeys(hits), key=lambda hit: -len(hit[0]))
    for spelled, compact in hits:
        start = text.find(spelled)
        if start < 0 or (found and any(spelled in other for other, _ in found)):
            continue
        if len(spelled) >= _SHORT or not _WORD.search(text, start + len(spelled)):  # (at the end)
            # rigour's longer spelling wins over a part of it found in ASCII ("anonim sirketi")
            if found:
                found = [(s, c) for s, c in found if s not in spelled]
            found.append((spelled, compact.replace(" ", "")))
    return tuple(found)


@cache
def ascii_forms() -> dict[tuple[str, ...], str]:
    """ASCII spelling (words) -> compact form, from data/legal_forms_ascii.json."""
    raw = DATA.joinpath(_ASCII_FILE).read_text(encoding="utf-8")
    table = json.loads(raw)["forms"]
    return {tuple(spelled.split()): compact for spelled, compact in table.items()}


@cache
def _sizes_by_first_word() -> dict[str, tuple[int, ...]]:
    """For each first word of an `ascii_forms` spelling, the lengths in words of the spellings
    it starts, longest first: a name's word that starts none is passed over at once."""
    sizes: dict[str, set[int]] = {}
    for spelled in ascii_forms():
        sizes.setdefault(spelled[0], set()).add(len(spelled))
    return {word: tuple(sorted(found, reverse=True)) for word, found in sizes.items()}


@cache
def _first_words() -> frozenset[str]:
    """The first words of the `ascii_forms` spellings."""
    return frozenset(_sizes_by_first_word())


def _ascii_spans(text: str, words: list[str] | None = None) -> list[tuple[str, str]]:
    """The longest ASCII spellings of spelt-out legal forms in `text`, left to right; `words`
    are its words (`_ASCII_WORD`), found here when not given."""
    if words is None:
        words = _ASCII_WORD.findall(text)
    forms = ascii_forms()
    starting = _sizes_by_first_word()
    found: list[tuple[str, str]] = []
    spans: list[tuple[int, int]] | None = None  # each word's place, found at the first form
    size_of_name = len(words)
    i = 0
    while i < size_of_name:
        for size in starting.get(words[i], ()):
            compact = forms.get(tuple(words[i:i + size])) if size <= size_of_name - i else None
            if compact is not None:
                if spans is None:
                    spans = [m.span() for m in _ASCII_WORD.finditer(text)]
                found.append((text[spans[i][0]:spans[i + size - 1][1]], compact))
                i += size
                break
        else:
            i += 1
    return found


def build_ascii_forms() -> dict[str, str]:
    """The ASCII table from the installed `fingerprints` and `rigour` (run when either changes)."""
    import importlib.util

    import yaml
    from anyascii import anyascii
    from rigour.names.org_types import extract_org_types
    from rigour.text.normalize import Cleanup, Normalize

    spec = importlib.util.find_spec("fingerprints")
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the fingerprints package is not installed (pip install fingerprints)")
    path = Path(next(iter(spec.submodule_search_locations))) / "types" / "types.yml"
    types = yaml.safe_load(path.read_text(encoding="utf-8"))["types"]
    folded_flags = Normalize.CASEFOLD | Normalize.NFKD
    out: dict[str, str] = {}
    for entry in types:
        for form in entry["forms"]:
            words = _ASCII_WORD.findall(anyascii(form).casefold())
            if len("".join(words)) < _SHORT:
                continue  # abbreviations: the vocabulary keeps the ones the lists use
            spelled = form.casefold()
            hits = [c for s, c in extract_org_types(spelled) if s == spelled] or [
                c for s, c in extract_org_types(spelled, normalize_flags=folded_flags,
                                                cleanup=Cleanup.Strong)
                if s == " ".join(words)]
            if hits and hits[0].strip():
                out.setdefault(" ".join(words), hits[0].replace(" ", ""))
    return dict(sorted(out.items()))


if __name__ == "__main__":
    from importlib.metadata import version

    target = Path(__file__).resolve().parent.parent / "data" / _ASCII_FILE
    document = {
        "description": "Spelt-out legal forms in ASCII -> rigour's compact form; made by "
                       "`python -m exportguard.names.legal` from fingerprints' types.yml "
                       "(OpenSanctions: ISO 20275 ELF, OCCRP, Wikipedia), each form kept when "
                       "rigour reads it as a legal form",
        "sources": {"fingerprints": version("fingerprints"), "rigour": version("rigour")},
        "forms": build_ascii_forms(),
    }
    target.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(document['forms'])} forms to {target}", file=sys.stderr)
