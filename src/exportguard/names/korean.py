"""Korean names in McCune-Reischauer (MR), the romanisation North Korean names on the US lists
follow ("CHOSON TAESONG UNHAENG", "CHONGCH'AL CH'ONGGUK"), without its breves and apostrophes.

ICU's Korean-Latin/BGN is MR too but loses vowels ("chsŏn" for 조선), and Hangul-Latin is the
Revised Romanization of South Korea ("joseon"). Hangul syllables are composed by Unicode's
arithmetic (an initial, a vowel and an optional final), so the reading needs no library.

MR voices a plain consonant inside a word (ㄱ k/g, ㄷ t/d, ㅂ p/b, ㅈ ch/j) after a vowel or
n, l, m, ng, never at the start of one: 대 is "tae" in "Taesong" and "dae" in "Mansudae". Korean
writes a name without spaces (조선대성은행), so where the words start is found against the words
of the listed names (`words`).

Source of the tables: the McCune-Reischauer system as given in the Library of Congress
romanization table for Korean (https://www.loc.gov/catdir/cpso/romanization/korean.pdf).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from functools import cache

from exportguard.package_files import DATA

_FIRST, _LAST = 0xAC00, 0xD7A3
_HANGUL_RUN = re.compile("[\uac00-\ud7a3]+")
_INITIALS = ("k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "ch", "tch", "ch",
             "k", "t", "p", "h")
_VOICED = {0: "g", 3: "d", 7: "b", 12: "j"}  # ㄱ ㄷ ㅂ ㅈ inside a word after a voiced sound
_VOWELS = ("a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo",
           "we", "wi", "yu", "u", "ui", "i")
_FINALS = ("", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "p", "l", "l", "p", "l", "m", "p",
           "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t")
_VOICED_FINALS = frozenset({"", "n", "l", "m", "ng"})
# The longest word tried when finding where words start, in syllables.
_LONGEST_WORD = 6


def _parts(syllable: str) -> tuple[int, int, int]:
    code = ord(syllable) - _FIRST
    return code // 588, (code % 588) // 28, code % 28


def mr_word(syllables: str) -> str:
    """One word of Hangul syllables in MR, voicing inside the word only."""
    out: list[str] = []
    previous_final: str | None = None
    for syllable in syllables:
        initial, vowel, final = _parts(syllable)
        consonant = _INITIALS[initial]
        if previous_final is not None and previous_final in _VOICED_FINALS:
            consonant = _VOICED.get(initial, consonant)
            if initial == 5 and previous_final == "l":
                consonant = "l"  # ㄹㄹ is ll
        out.append(consonant + _VOWELS[vowel] + _FINALS[final])
        previous_final = _FINALS[final]
    return "".join(out)


def mccune_reischauer(text: str) -> str:
    """The text with each run of Hangul read in MR as one word (spaces kept where written)."""
    return _HANGUL_RUN.sub(lambda run: f" {mr_word(run.group())} ", text).strip()


def mr_words(text: str, words: Collection[str], terms: dict[str, str] | None = None,
             used: list[str] | None = None, whole: bool = False) -> str | None:
    """The text in MR with each run of Hangul cut into words of `words` where it can be
    (조선대성은행 -> "choson taesong unhaeng"); syllables no word covers stay one word. With
    `terms` (Hangul -> English), those words are translated first and each one used is noted in
    `used`. None when no run holds a known word or term of two syllables or more, or, `whole`,
    when a syllable is left that no word or term covers."""
    found = False
    partial = False

    def cut(run: str) -> str:
        nonlocal found, partial
        # best[i]: (syllables covered, -pieces, pieces) for run[:i]; a term counts double
        best: list[tuple[int, int, list[str]]] = [(0, 0, [])]
        for end in range(1, len(run) + 1):
            options = []
            for start in range(max(0, end - _LONGEST_WORD), end):
                covered, pieces, cuts = best[start]
                span = run[start:end]
                english = terms.get(span) if terms else None
                if english is not None:
                    options.append((covered + 2 * len(span), pieces - 1,
                                    [*cuts, f"={span}={english}"]))
                    continue
                word = mr_word(span)
                known = len(span) >= 2 and word in words
                options.append((covered + (len(span) if known else 0), pieces - 1,
                                [*cuts, word] if known else [*cuts, f"?{span}"]))
            best.append(max(options, key=lambda o: (o[0], o[1])))
        covered, _, cuts = best[-1]
        if covered:
            found = True
        partial = partial or any(piece.startswith("?") for piece in cuts)
        for piece in cuts:
            if piece.startswith("=") and used is not None:
                _, span, english = piece.split("=")
                used.append(f"{span} as '{english}'")
        cuts = [piece.rsplit("=", 1)[1] if piece.startswith("=") else piece for piece in cuts]
        merged: list[str] = []
        unknown = ""
        for piece in cuts:  # adjacent unknown syllables make one word
            if piece.startswith("?"):
                unknown += piece[1:]
                continue
            if unknown:
                merged.append(mr_word(unknown))
                unknown = ""
            merged.append(piece)
        if unknown:
            merged.append(mr_word(unknown))
        return f" {' '.join(merged)} "

    read = " ".join(_HANGUL_RUN.sub(lambda run: cut(run.group()), text).split())
    return read if found and not (whole and partial) else None


# The DPRK's romanisation (1992, rev. 2002 and 2012; UNGEGN Working Paper No. 46, summarised at
# https://en.wikipedia.org/wiki/Romanization_of_Korean_(North_Korea)) writes ㅈ j and ㅉ jj where MR
# writes ch and tch, and a person's name family name first, each syllable of a given name of
# Chinese origin apart: 김정은 Kim Jong Un, 최룡해 Choe Ryong Hae, the spelling of the lists.
_DPRK_INITIALS = {12: "j", 13: "jj"}
_PERSON_SYLLABLES = (2, 4)


def dprk_person(text: str) -> str | None:
    """A Hangul name of two to four syllables read as a person's name in the DPRK's romanisation,
    syllable by syllable (김정은 -> "kim jong un"); None for any other text."""
    syllables = "".join(text.split())
    low, high = _PERSON_SYLLABLES
    if not low <= len(syllables) <= high or not _HANGUL_RUN.fullmatch(syllables):
        return None
    out = []
    for syllable in syllables:
        initial, _, _ = _parts(syllable)
        read = mr_word(syllable)
        if initial in _DPRK_INITIALS:
            read = _DPRK_INITIALS[initial] + read[len(_INITIALS[initial]):]
        out.append(read)
    return " ".join(out)


@cache
def korean_terms() -> dict[str, str]:
    """Hangul -> English of data/korean_terms.yaml (each record with the source of its meaning)."""
    import yaml

    raw = DATA.joinpath("korean_terms.yaml").read_text("utf-8")
    terms: dict[str, str] = {}
    for number, record in enumerate(yaml.safe_load(raw)["terms"], 1):
        if set(record) != {"hangul", "hanja", "english", "source"} or not all(
                isinstance(v, str) and v for v in record.values()):
            raise ValueError(f"korean_terms.yaml record {number}: needs hangul, hanja, english "
                             f"and source, each non-empty text; got {record}")
        terms[record["hangul"]] = record["english"]
    return terms


def has_hangul(text: str) -> bool:
    return _HANGUL_RUN.search(text) is not None


_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _hanja_table() -> dict[str, str]:
    from exportguard.names.lexicon import hanja_readings

    return hanja_readings()


def sino_korean(text: str) -> str | None:
    """The text with its Han characters in Hangul by their Sino-Korean readings (the hanja
    package's table, https://github.com/suminb/hanja), or None when it has none. Japanese and
    Chinese write Korean names in these characters (朝鮮大聖銀行 for 조선대성은행, Korea Daesong
    Bank). Read as North Korea reads them, without the initial-sound rule of the South (連峰
    련봉, Ryonbong), which the package would apply at the start of a word."""
    if not _HAN_CHAR.search(text):
        return None
    table = _hanja_table()
    return _HAN_CHAR.sub(lambda char: table.get(char.group(), char.group()), text)
