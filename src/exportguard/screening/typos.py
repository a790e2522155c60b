"""Whether one word differing from another by one letter reads as a slip of typing or of
spelling, or as another word.

Single slips of typing are of four kinds: a letter dropped, a letter added, a letter replaced,
two neighbouring letters swapped (Damerau, "A technique for computer detection and correction of
spelling errors", CACM 7(3), 1964, https://doi.org/10.1145/363958.363994). A finger that slips
adds or replaces a letter with one on a neighbouring key, or doubles a letter (the slips
bench/labelled.py makes); a spelling slip keeps the word's sound (Dynamiks / Dynamics, and a
vowel changed inside a word romanised from another script: Tambovskii / Timbovskii). Another
letter in its place, far on the keyboard and changing the sound (Aviaagregat / Aviaasregat), is
more likely another name.

The neighbouring keys are computed from the three letter rows of the QWERTY layout and their
usual stagger, not listed by hand.
"""

from __future__ import annotations

from functools import cache

from exportguard.screening.index import phonetic

# QWERTY letter rows and how far each starts to the right of the row above, in key widths.
_ROWS = (("qwertyuiop", 0.0), ("asdfghjkl", 0.25), ("zxcvbnm", 0.75))


@cache
def keyboard_neighbours() -> dict[str, frozenset[str]]:
    """Each letter's neighbouring keys: beside it in its row, and the keys of the rows above
    and below that overlap it."""
    where = {letter: (row, offset + column)
             for row, (letters, offset) in enumerate(_ROWS)
             for column, letter in enumerate(letters)}
    return {letter: frozenset(other for other, (row2, x2) in where.items()
                              if other != letter and abs(row2 - row) <= 1 and abs(x2 - x) < 1.0
                              + (row2 == row))
            for letter, (row, x) in where.items()}


def slip(typed: str, word: str) -> str | None:
    """How `typed` is `word` with one slip ("a neighbouring key", "two letters swapped", ...), or
    None when the one letter that differs is none of those: likely another word. The words must
    be one edit apart (a transposition counting as one)."""
    near = keyboard_neighbours()
    if len(typed) == len(word):
        at = [i for i, (a, b) in enumerate(zip(typed, word, strict=True)) if a != b]
        if len(at) == 2 and typed[at[0]] == word[at[1]] and typed[at[1]] == word[at[0]]:
            return "two neighbouring letters swapped"
        if len(at) != 1:
            return None
        mine, theirs = typed[at[0]], word[at[0]]
        if mine in near.get(theirs, ()):
            return f"'{mine}' for '{theirs}', a neighbouring key"
        if phonetic(typed) and phonetic(typed) == phonetic(word):
            return f"'{mine}' for '{theirs}' keeps the sound"
        return None
    if len(typed) == len(word) - 1:
        return "a letter dropped"
    if len(typed) != len(word) + 1:
        return None
    at = next((i for i, (a, b) in enumerate(zip(typed, word, strict=False)) if a != b), len(word))
    added = typed[at]
    beside = {typed[i] for i in (at - 1, at + 1) if 0 <= i < len(typed)}
    if added in beside:
        return f"'{added}' doubled"
    if any(added in near.get(letter, ()) for letter in beside):
        return f"'{added}' added from a neighbouring key"
    return None
