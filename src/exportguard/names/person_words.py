"""Words around and within persons' names, from kept name libraries: titles and honorifics
(King, Sheikh, Dr, Gen.), post-nominal words (Jr, PhD) and the given names that are one name
(Bob and Robert).

- Titles: rigour's person-name prefixes (`rigour._core.person_name_prefixes_list`, OpenSanctions,
  resources/names/stopwords.yml PERSON_NAME_PREFIXES) and python-nameparser's titles
  (`nameparser.config.titles.TITLES`, the words its parser reads as a title before a name, and
  `GIVEN_NAME_TITLES`, those followed by a given name alone: "Sir John", "King Salman",
  "Sheikh Tamim"). A title of one or two letters is taken only from rigour's list (Dr, Mr, Ms):
  nameparser's short ones ('ra', 'me', 'st') are also name parts ("RA Jong Il").
- Post-nominal words: nameparser's suffix words (`nameparser.config.suffixes.SUFFIX_WORDS`),
  three letters or more, and the generations (jr, sr, ii, iii).
- Only titles and suffixes written in Latin letters are taken: another script's romanised
  may be a name part (Cyrillic 'пан' reads 'pan', a Chinese surname).
- Given names: carltonnorthern's nicknames table (PyPI `nicknames`, names.csv: "name1,
  relationship, name2", each row a given name and one of its nicknames: robert / bob, william /
  bill, elizabeth / betty). Two given names are one name when a row links them; two nicknames of
  one name are not linked by that alone ('al' is Albert's, Alan's and Alexander's).
- Given names across languages and transliterations: groups of rigour's person-names corpus
  (Wikidata name items; Alexander / Aleksandr / Sasha, Francisco / Paco, Joseph / Yosef), in
  Latin letters, kept in data/given_name_groups.json by bench/build_given_names.py (which says
  what is left out: family-name items, a Chinese syllable's romanisations, groups of more than
  16 forms). Two given names are one name when one group has both; groups are not merged.

All are read at first use, never at import: a screen that meets no person's name never reads them.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from exportguard.errors import ExportGuardError

# Titles whose gender is plain, so that "Mr. Robert Liebowitz" is not "Mrs. Robert Liebowitz"
# (python-nameparser's vocabulary gives these genders: salutation, nobility).
_MALE = frozenset({"mr", "mister", "sir", "herr", "monsieur", "senor", "signor", "senhor", "lord",
                   "king", "prince", "gospodin"})
_FEMALE = frozenset({"mrs", "ms", "miss", "missus", "madam", "madame", "mme", "mlle", "lady",
                     "dame", "frau", "senora", "senorita", "signora", "senhora", "queen",
                     "princess", "gospozha"})
# Generations: a father and his son share the rest of the name.
_GENERATIONS = frozenset({"jr", "jnr", "junior", "sr", "snr", "senior", "ii", "iii", "iv"})
_SHORT = 2


def _words(text: str) -> tuple[str, ...]:
    from exportguard.names.normalize import basic_tokens

    return tuple(basic_tokens(text))


def _latin_words(text: str) -> tuple[str, ...]:
    """The words of a title or suffix written in Latin letters; () for another script, whose
    romanisation may be a name part (Cyrillic 'пан' reads 'pan', a Chinese surname; 'ян' ...)."""
    if any(c.isalpha() and "LATIN" not in unicodedata.name(c, "") for c in text):
        return ()
    return _words(text)


@cache
def titles() -> frozenset[tuple[str, ...]]:
    """Titles and honorifics as normalised word sequences ('his', 'excellency'), of kept lists."""
    from nameparser.config.titles import TITLES
    from rigour._core import person_name_prefixes_list

    found: set[tuple[str, ...]] = set()
    for text in person_name_prefixes_list():
        words = _words(text)
        if words and words != ("the",):
            found.add(words)
    for text in TITLES:
        words = _latin_words(text)
        if len(words) == 1 and len(words[0]) > _SHORT and words[0].isalpha():
            found.add(words)
    found.update((word,) for word in given_name_titles())
    return frozenset(found)


@cache
def longest_title() -> int:
    return max(map(len, titles()))


@cache
def title_words() -> frozenset[str]:
    """The words of one-word titles (the first test before a longer title is tried)."""
    return frozenset(t[0] for t in titles())


@cache
def given_name_titles() -> frozenset[str]:
    """Titles followed by a given name alone (King Salman, Sheikh Tamim, Sir John)."""
    from nameparser.config.titles import GIVEN_NAME_TITLES

    return frozenset(w for text in GIVEN_NAME_TITLES for w in _latin_words(text)
                     if len(w) > _SHORT and w.isalpha())


@cache
def suffix_words() -> frozenset[str]:
    """Post-nominal words written out (Jr, Esq., III): three letters or more, or a generation.
    (Its acronyms are left out: 'abd', 'ali' and the like are also name parts.)"""
    from nameparser.config.suffixes import SUFFIX_WORDS

    found = {w for text in SUFFIX_WORDS for w in _latin_words(text)
             if len(w) > _SHORT and w.isalpha()}
    return frozenset(found | _GENERATIONS)


@cache
def aside_words() -> frozenset[str]:
    """Every word of a title and every post-nominal word: a name's words that its reading may
    set aside (`persons.set_aside`), wherever they stand."""
    return frozenset({w for title in titles() for w in title} | suffix_words())


@cache
def loose_words() -> frozenset[str]:
    """Every word a person's reading may pair other than exactly: the words of titles, the
    post-nominal words, the given names and nicknames of the table and of the groups
    (`bound.py` keeps the candidates that have them)."""
    return aside_words() | given_name_links().keys()


def title_gender(word: str) -> str | None:
    """'m' or 'f' for a title that says a gender, else None."""
    return "m" if word in _MALE else "f" if word in _FEMALE else None


def generation(word: str) -> bool:
    return word in _GENERATIONS


@cache
def nickname_links() -> dict[str, frozenset[str]]:
    """Each given name or nickname of the table, with the names a row links it to (both ways)."""
    from nicknames import NickNamer

    links: dict[str, set[str]] = {}
    for name, nicks in NickNamer.default_lookup().items():
        for one in _words(name):
            for nick in nicks:
                for other in _words(nick):
                    if other != one:
                        links.setdefault(one, set()).add(other)
                        links.setdefault(other, set()).add(one)
    if not links:
        raise ExportGuardError("the nicknames table (PyPI nicknames) is empty: reinstall it")
    return {name: frozenset(linked) for name, linked in links.items()}


@cache
def group_links() -> dict[str, frozenset[str]]:
    """Each given name of data/given_name_groups.json, with the names a group has beside it."""
    import json
    from importlib import resources

    path = resources.files("exportguard") / "data" / "given_name_groups.json"
    try:
        groups = json.loads(path.read_text(encoding="utf-8"))["groups"]
    except (OSError, ValueError, KeyError) as exc:
        raise ExportGuardError(f"data/given_name_groups.json: unreadable 'groups' ({exc}); "
                               "rebuild it with bench/build_given_names.py") from exc
    links: dict[str, set[str]] = {}
    for group in groups:
        words = group.split()
        for word in words:
            links.setdefault(word, set()).update(w for w in words if w != word)
    if not links:
        raise ExportGuardError("data/given_name_groups.json: 'groups' is empty")
    return {name: frozenset(linked) for name, linked in links.items()}


@cache
def given_name_links() -> dict[str, frozenset[str]]:
    """`nickname_links` and `group_links` together: each given name with the names it is."""
    links = {name: set(linked) for name, linked in nickname_links().items()}
    for name, linked in group_links().items():
        links.setdefault(name, set()).update(linked)
    return {name: frozenset(linked) for name, linked in links.items()}


def same_given_name(a: str, b: str) -> bool:
    """Whether the nicknames table or a group links the two given names (Bob and Robert,
    Sasha and Alexander)."""
    return b in given_name_links().get(a, ())


def given_name_source(a: str, b: str) -> str:
    """Which kept list links two given names `same_given_name` says are one."""
    return ("nicknames table" if b in nickname_links().get(a, ())
            else "given-name groups of Wikidata's name items, via rigour")
