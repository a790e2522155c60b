"""The vocabulary of company names (data/name_terms.yaml) as lookup tables."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
from dataclasses import dataclass
from functools import cache
from importlib.util import find_spec
from typing import Any

from exportguard.config import data_dir, keep
from exportguard.package_files import PACKAGE


@dataclass(frozen=True, slots=True)
class Phrase:
    """A token sequence that means `canonical`; `legal` phrases are legal forms."""

    canonical: tuple[str, ...]
    legal: bool


@dataclass(frozen=True, slots=True)
class Vocabulary:
    phrases: dict[tuple[str, ...], Phrase]
    pinyin_phrases: dict[tuple[str, ...], Phrase]
    max_phrase: int
    stopwords: frozenset[str]
    han_terms: dict[str, tuple[str, ...]]  # characters -> English readings, the usual one first
    han_places: dict[str, str]
    han_place_suffixes: tuple[str, ...]
    han_short_forms: tuple[dict[str, str], ...]  # pattern, expansion, source
    han_trade_prefixes: tuple[str, ...]  # stripped before a trade name, besides places (中国)
    han_trade_suffixes: tuple[str, ...]  # business and organisation words after it, longest first
    han_institutions: tuple[str, ...]  # name endings of institutions, which have no trade name
    long_words: tuple[str, ...]  # single vocabulary words of 7+ letters, for spelling repair
    # words of legal forms written run together ('sade' of 'sade cv'), each -> the words it joins
    run_together: dict[str, str]


def _latin_tokens(text: str) -> tuple[str, ...]:
    # Imported here to avoid a cycle: normalize uses this module's vocabulary.
    from exportguard.names.normalize import basic_tokens

    return tuple(basic_tokens(text))


def _readings(terms: list[str]) -> dict[str, tuple[str, ...]]:
    """The pinyin syllables of each term. Importing pypinyin loads its phrase dictionaries (half
    a second), so the readings are kept in a small file in the data directory, keyed by the
    terms and the installed pypinyin (its location and modification time: reading its version
    would cost more than the file saves); a missing or unreadable file only costs that time."""
    spec = find_spec("pypinyin")
    origin = spec.origin if spec is not None and spec.origin else ""
    installed = f"{origin}:{os.stat(origin).st_mtime_ns if origin else ''}"
    digest = hashlib.sha256("\n".join([installed, *terms]).encode()).hexdigest()[:16]
    path = data_dir() / f"pinyin-{digest}.json"
    with contextlib.suppress(OSError, ValueError):
        found = json.loads(path.read_text("utf-8"))
        if isinstance(found, dict) and set(found) == set(terms):
            return {term: tuple(found[term]) for term in terms}
    from pypinyin import lazy_pinyin

    readings = {term: tuple(lazy_pinyin(term)) for term in terms}
    keep(path, json.dumps(readings, ensure_ascii=False).encode("utf-8"))
    return readings


def _pinyin_spellings(syllables: tuple[str, ...]) -> set[tuple[str, ...]]:
    """Ways a term is written in pinyin: syllables apart, joined, and in two-syllable words."""
    spellings = {syllables, ("".join(syllables),)}
    if len(syllables) >= 4 and len(syllables) % 2 == 0:
        spellings.add(tuple("".join(syllables[i : i + 2]) for i in range(0, len(syllables), 2)))
    return spellings


@cache
def _terms_data() -> dict[str, Any]:
    """data/name_terms.yaml as PyYAML's safe loader reads it, with the prefecture-level cities
    of data/chinese_cities.yaml (names/divisions.py) added to its `chinese_places` after the
    table's own places (a place the table spells keeps its spelling). The result is kept in the
    data directory as a pickle keyed by the files' bytes and the installed PyYAML (location and
    modification time), so a screen neither imports PyYAML nor parses the files (a twentieth of
    a cold screen); a missing or unreadable copy only costs that time."""
    raw = PACKAGE.joinpath("data/name_terms.yaml").read_bytes()
    cities = PACKAGE.joinpath("data/chinese_cities.yaml").read_bytes()
    spec = find_spec("yaml")
    origin = spec.origin if spec is not None and spec.origin else ""
    installed = f"{origin}:{os.stat(origin).st_mtime_ns if origin else ''}"
    digest = hashlib.sha256(f"terms 3\n{installed}\n".encode() + raw + b"\0" + cities
                            ).hexdigest()[:16]
    path = data_dir() / f"name-terms-{digest}.pickle"
    with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError,
                             AttributeError, ImportError, IndexError):
        found = pickle.loads(path.read_bytes())
        if isinstance(found, dict) and found:
            return found
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data: dict[str, Any] = yaml.load(raw.decode("utf-8"), Loader=loader)
    check_terms(data)
    places = data["chinese_places"]
    apart = data["places_apart"] = []  # cities read with an apostrophe (ji'an): see place_words
    for name, english in yaml.load(cities.decode("utf-8"), Loader=loader)["cities"].values():
        stem = name.removesuffix("市")
        if stem not in places:
            places[stem] = english.replace("'", "")
            if "'" in english:
                apart.append(places[stem])
    keep(path, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL), family="name-terms-*.pickle")
    return data


class TermsFileError(ValueError):
    """data/name_terms.yaml holds something other than words; the message names the key."""


def check_terms(data: object, where: str = "data/name_terms.yaml") -> None:
    """Raise `TermsFileError`, naming the key, unless every term of the table (every key and
    every value below the top level, but `version`) is a string. YAML 1.1 reads unquoted no,
    yes, on, off, y, n, true and false as booleans and bare numbers as numbers: a stopword
    written `no` was False, so "no" was neither a stopword nor a generic word."""
    if not isinstance(data, dict):
        raise TermsFileError(f"{where}: the file must be a mapping of sections")
    for section, value in data.items():
        if section != "version":
            _check_strings(value, f"{section}", where)


def _check_strings(value: object, key: str, where: str) -> None:
    if isinstance(value, str):
        return
    if isinstance(value, dict):
        for name, inner in value.items():
            if not isinstance(name, str):
                raise TermsFileError(f"{where}: {key} has the key {name!r} "
                                     f"({type(name).__name__}), not a string{_quote(name)}")
            _check_strings(inner, f"{key}.{name}", where)
        return
    if isinstance(value, list):
        for number, inner in enumerate(value):
            _check_strings(inner, f"{key}[{number}]", where)
        return
    raise TermsFileError(f"{where}: {key} is {value!r} ({type(value).__name__}), not a "
                         f"string{_quote(value)}")


def _quote(value: object) -> str:
    if isinstance(value, bool):
        return ": YAML reads unquoted no/yes/on/off/y/n/true/false as booleans, quote the word"
    return ": quote it"


def _canonical(tokens: tuple[str, ...], phrases: dict[tuple[str, ...], Phrase], longest: int
               ) -> tuple[str, ...]:
    """The tokens with each phrase of the table (at most `longest` tokens, longest first)
    replaced by its canonical form."""
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(longest, len(tokens) - i), 0, -1):
            phrase = phrases.get(tokens[i : i + size])
            if phrase is not None:
                out.extend(phrase.canonical)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return tuple(out)


def _run_together(words: tuple[str, ...]) -> list[tuple[str, ...]]:
    """`words` with one or more pairs of neighbours written together, each way once:
    ('sa', 'de', 'cv') -> ('sade', 'cv'), ('sa', 'decv'), ('sadecv',). Letters are not joined
    ('c v' is 'cv' already: `normalize._joined_initials`), nor a whole form into one word of
    under five letters ('co lt' is no 'colt')."""
    found: list[tuple[str, ...]] = []
    for joins in range(1, 1 << (len(words) - 1)):
        out = [words[0]]
        for at, word in enumerate(words[1:]):
            if joins >> at & 1:
                if len(word) < 2 or len(words[at]) < 2:
                    break
                out[-1] += word
            else:
                out.append(word)
        else:
            if len(out) > 1 or len(out[0]) >= 5:
                found.append(tuple(out))
    return found


def _joined_words(words: tuple[str, ...], glued: tuple[str, ...], into: dict[str, str]) -> None:
    """Each word of `glued` that joins words of `words` -> those words ('sade' -> 'sa de')."""
    at = 0
    for word in glued:
        parts: list[str] = []
        while "".join(parts) != word:
            parts.append(words[at])
            at += 1
        if len(parts) > 1:
            into.setdefault(word, " ".join(parts))


@cache
def vocabulary() -> Vocabulary:
    data = _terms_data()
    phrases: dict[tuple[str, ...], Phrase] = {}
    legal_canonicals = set()
    for canonical, variants in data["legal_forms"].items():
        target = Phrase(_latin_tokens(canonical), legal=True)
        legal_canonicals.add(canonical)
        for variant in [canonical, *variants]:
            phrases[_latin_tokens(variant)] = target
    for canonical, variants in data["synonyms"].items():
        target = Phrase(_latin_tokens(canonical), legal=False)
        for variant in variants:
            key = _latin_tokens(variant) or (variant,)
            phrases.setdefault(key, target)
    han_terms: dict[str, tuple[str, ...]] = {}
    # Pinyin spellings of the terms apply to names written in Latin letters only: in a name written
    # in characters the brand's pinyin must not be re-read as a term (中芯 zhongxin is not 中心).
    pinyin_phrases = dict(phrases)
    readings = _readings(list(data["chinese_terms"]))
    longest = max((len(k) for k in phrases), default=1)
    for han, english_readings in data["chinese_terms"].items():
        english = english_readings if isinstance(english_readings, list) else [english_readings]
        han_terms[han] = tuple(english)
        # The English reading in its canonical words (航空航天 "aeronautics and astronautics" ->
        # aviation aerospace), as a name written in characters is read.
        target = Phrase(_canonical(_latin_tokens(english[0]), phrases, longest),
                        legal=english[0] in legal_canonicals)
        for spelling in _pinyin_spellings(readings[han]):
            if len(spelling) == 1 and len(spelling[0]) <= 3:
                continue  # a lone short syllable ("an", "xin") is too ambiguous to rewrite
            # A pinyin spelling never overrides an English word.
            pinyin_phrases.setdefault(spelling, target)
    places = dict(data["chinese_places"])
    long_words = tuple(sorted(
        {k[0] for k, p in phrases.items() if len(k) == 1 and len(k[0]) >= 7 and k[0].isalpha()}
        | {t for p in phrases.values() for t in p.canonical if len(t) >= 7}
    ))
    # A legal form of several words written with some of them run together ('SADE CV' for
    # S.A. de C.V., 'JOINTSTOCK COMPANY') reads as the form; no word or phrase the table has is
    # taken, and the spelling repair (`long_words`, made above) is not offered these.
    run_together: dict[str, str] = {}
    for key, phrase in list(phrases.items()):
        if phrase.legal and len(key) > 1:
            for glued in _run_together(key):
                if glued not in phrases:
                    phrases[glued] = phrase
                    pinyin_phrases.setdefault(glued, phrase)
                    _joined_words(key, glued, run_together)
    return Vocabulary(
        phrases=phrases,
        pinyin_phrases=pinyin_phrases,
        max_phrase=max(len(k) for k in pinyin_phrases),
        stopwords=frozenset(data["stopwords"]),
        han_terms=han_terms,
        han_places=places,
        han_place_suffixes=tuple(sorted(data["chinese_place_suffixes"], key=len, reverse=True)),
        han_short_forms=tuple(data["chinese_short_forms"]),
        han_trade_prefixes=tuple(data["chinese_trade_name"]["prefixes"]),
        han_trade_suffixes=tuple(sorted(data["chinese_trade_name"]["suffixes"], key=len,
                                        reverse=True)),
        han_institutions=tuple(data["chinese_trade_name"]["institutions"]),
        long_words=long_words,
        run_together=run_together,
    )


@cache
def country_names() -> tuple[tuple[str, str | None], ...]:
    """(name, common name or None) of each of pycountry's countries, read from the table
    `countries.iso_countries` keeps in the data directory."""
    from exportguard.countries import iso_countries

    return tuple((name, common) for _, name, _, common in iso_countries())


def place_words_apart() -> frozenset[str]:
    """The English of the cities written with an apostrophe (jian for Ji'an): no place word of a
    name in Latin letters."""
    return frozenset(_terms_data().get("places_apart", ()))


def _latin_places(data: dict[str, Any]) -> list[str]:
    """The English of the Chinese places, as the place words of names in Latin letters: not a
    city written with an apostrophe (Ji'an, Lu'an), which joined reads as a given name (Jian,
    Luan)."""
    apart = set(data.get("places_apart", ()))
    return [w for w in data["chinese_places"].values() if w not in apart]


@cache
def generic_tokens() -> frozenset[str]:
    """Words that describe a business or a place rather than name it: industry vocabulary, place
    names and country names. They count for less when two names are compared.

    The words are kept in the data directory, keyed by everything they are made from (the
    phrases, the country names, the normaliser's code and the installed anyascii): a screen of a
    name in Latin letters then neither reads the phrases again nor imports anyascii for the
    accented country names (Côte d'Ivoire); a missing, damaged or stale file is made again."""
    data = _terms_data()
    terms = [t for v in data["chinese_terms"].values() for t in (v if isinstance(v, list) else [v])]
    phrases = [*data["synonyms"], *terms, *_latin_places(data)]
    countries = [attribute or "" for pair in country_names() for attribute in pair]
    spec = find_spec("anyascii")
    origin = spec.origin if spec is not None and spec.origin else ""
    digest = hashlib.sha256("\0".join(
        ["generic 2", f"{origin}:{os.stat(origin).st_mtime_ns if origin else ''}", *phrases,
         "\1", *countries, "\1", *map(repr, data["extra_generic"]), "\1",
         *map(repr, data["stopwords"])]
    ).encode("utf-8"))
    digest.update(PACKAGE.joinpath("names/normalize.py").read_bytes())
    path = data_dir() / f"generic-words-{digest.hexdigest()[:16]}.json"
    with contextlib.suppress(OSError, ValueError, TypeError):
        kept = json.loads(path.read_text("utf-8"))
        if isinstance(kept, list) and all(isinstance(w, str) for w in kept):
            return frozenset(kept)
    from exportguard.names.normalize import basic_tokens

    words: set[str] = set()
    for phrase in [*phrases, *countries]:
        words.update(basic_tokens(phrase))
    words.update(data["extra_generic"])
    found = frozenset(words - set(data["stopwords"]))
    keep(path, json.dumps(sorted(found)).encode("utf-8"), family="generic-words-*.json")
    return found


@cache
def place_tokens() -> frozenset[str]:
    """One-word place names (countries, Chinese provinces and cities, other cities the lists
    name). Two names that each carry a different place are likely different branches."""
    data = _terms_data()
    words = {w for w in _latin_places(data) if " " not in w}
    words.update(data["cities"])
    for official, common_name in country_names():
        name = common_name or official
        if " " not in name and "," not in name:
            words.add(name.casefold())
    return frozenset(words)


@cache
def place_parts() -> frozenset[str]:
    """The words of the Chinese places written in two words (hong kong, inner mongolia, south
    china), which `place_tokens` leaves out: alone, neither word is a place."""
    return frozenset(w for p in _latin_places(_terms_data()) if " " in p for w in p.split())


@cache
def filler_tokens() -> frozenset[str]:
    """Words that say nothing about what a company does (company, enterprise, general, new...:
    `extra_generic`), with the place words."""
    from exportguard.names.normalize import basic_tokens

    words = {t for w in _terms_data()["extra_generic"] for t in basic_tokens(w)}
    return frozenset(words | place_tokens())
