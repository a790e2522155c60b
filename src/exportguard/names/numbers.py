"""English numbers and ordinals written in words, read as their digits (issue 16).

'First International Bank' and '1st International Bank', 'Brigade Forty-Four' and 'Brigade 44',
'Three Percenters' and '3 Percenters' are the same names: both sides read 'first', 'forty four'
and 'three' as the digits 1, 44 and 3 (a listed name as the query), the way '1st' is already read
as 1. The numbers come from rigour's ordinal table (`rigour._core.ordinals_dict`: 1 to 100 in
many languages, cardinal and ordinal, with and without hyphens, written together or apart, and
the common misspelling 'fourty'); only its English spellings are read, words of other languages
being names too often (Premier, Segundo, Una). A tens word followed by a digit ('Forty 4') is
the number they write together (44).
"""

from __future__ import annotations

import re
from functools import cache

_UNITS = "one two three four five six seven eight nine"
_UNITHS = "first second third fourth fifth sixth seventh eighth ninth"
_TEENS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen "
          "tenth eleventh twelfth thirteenth fourteenth fifteenth sixteenth seventeenth "
          "eighteenth nineteenth")
_TENS = "twenty thirty forty fourty fifty sixty seventy eighty ninety"
_TENTHS = ("twentieth thirtieth fortieth fourtieth fiftieth sixtieth seventieth eightieth "
           "ninetieth hundred hundredth")


def _alternatives(words: str) -> str:
    return "|".join(words.split())


# An English number word: a tens word and a unit written together or alone (fortyfour, forty,
# four, fourth), a teen, a tens ordinal, hundred.
_ENGLISH = re.compile(
    rf"(?:{_alternatives(_TENS)})(?:{_alternatives(_UNITS)}|{_alternatives(_UNITHS)})?"
    rf"|(?:{_alternatives(_UNITS)}|{_alternatives(_UNITHS)})"
    rf"|{_alternatives(_TEENS)}|{_alternatives(_TENTHS)}")
_SPELLING = re.compile(r"[A-Za-z][A-Za-z \-]*")
_WORD = re.compile(r"[a-z]+")
_DIGIT = frozenset("123456789")
NUMBER_MARK = "(a number in words)"  # ends each note of a number read


@cache
def number_words() -> dict[tuple[str, ...], int]:
    """English spellings of the numbers 1 to 100 in rigour's ordinal table, as lower-case words
    (`forty-four` -> ('forty', 'four')) -> the number. A spelling rigour gives two numbers
    (none in rigour 2.6) is left out."""
    from rigour._core import ordinals_dict

    found: dict[tuple[str, ...], set[int]] = {}
    for number, spellings in ordinals_dict().items():
        if number < 1:
            continue
        for spelling in spellings:
            if not spelling.isascii() or _SPELLING.fullmatch(spelling) is None:
                continue
            words = tuple(_WORD.findall(spelling.lower()))
            if words and all(_ENGLISH.fullmatch(word) for word in words):
                found.setdefault(words, set()).add(number)
    return {words: next(iter(numbers)) for words, numbers in found.items() if len(numbers) == 1}


@cache
def english_words() -> frozenset[str]:
    """Every word `_ENGLISH` reads (fortyfour, forty, four, fourth, eleventh, hundred...), made
    without rigour: a name with none of these has no number in words, and rigour's table is not
    loaded for it."""
    tens, units = _TENS.split(), (_UNITS + " " + _UNITHS).split()
    return frozenset([*(t + u for t in tens for u in units), *tens, *units, *_TEENS.split(),
                      *_TENTHS.split()])


@cache
def _starts() -> tuple[frozenset[str], dict[str, tuple[int, ...]]]:
    """The first words of the spellings, and for each the spellings' lengths, longest first."""
    sizes: dict[str, set[int]] = {}
    for words in number_words():
        sizes.setdefault(words[0], set()).add(len(words))
    return frozenset(sizes), {w: tuple(sorted(s, reverse=True)) for w, s in sizes.items()}


def read_numbers(tokens: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """`tokens` with each English number or ordinal in words replaced by its digits, and a note
    for each one read ("'forty four' read as 44 (a number in words)"); the tokens as given (no
    copy, no note) when none is there (most names)."""
    if english_words().isdisjoint(tokens):
        return tokens, ()
    firsts, sizes_of = _starts()
    if firsts.isdisjoint(tokens):
        return tokens, ()
    table = number_words()
    out: list[str] = []
    notes: list[str] = []
    i, size_of_name = 0, len(tokens)
    while i < size_of_name:
        number = None
        for size in sizes_of.get(tokens[i], ()):
            if size <= size_of_name - i:
                number = table.get(tuple(tokens[i:i + size]))
                if number is not None:
                    break
        if number is None:
            out.append(tokens[i])
            i += 1
            continue
        if (size == 1 and number % 10 == 0 and 20 <= number <= 90 and i + 1 < size_of_name
                and tokens[i + 1] in _DIGIT):  # 'forty 4'
            number += int(tokens[i + 1])
            size = 2
        notes.append(f"'{' '.join(tokens[i:i + size])}' read as {number} {NUMBER_MARK}")
        out.append(str(number))
        i += size
    return out, tuple(notes)
