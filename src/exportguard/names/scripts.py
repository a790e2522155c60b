"""Names in other scripts (Cyrillic, Hebrew, Arabic, Greek, Armenian, Georgian, Korean, Japanese,
Burmese, ...) read in Latin letters through ICU transliterators (PyICU); Korean also in
McCune-Reischauer (`korean`), Japanese in Hepburn romaji (`japanese`).

A script has several romanisations and the lists use more than one, so a name gets up to three
readings: the BGN/PCGN romanisation of its script where ICU has one (the one US lists follow),
ICU's generic Any-Latin, and anyascii's. ICU loads at first use.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache, lru_cache
from typing import Any

# Unicode script of the first letter outside Latin and Han -> ICU's BGN/PCGN transliterator.
_BGN = {
    "CYRILLIC": "Russian-Latin/BGN",
    "HEBREW": "Hebrew-Latin/BGN",
    "ARABIC": "Arabic-Latin/BGN",
    "GREEK": "Greek-Latin/BGN",
    "ARMENIAN": "Armenian-Latin/BGN",
    "GEORGIAN": "Georgian-Latin/BGN",
    "KATAKANA": "Katakana-Latin/BGN",
}
# Letters past Latin Extended (and Latin Extended Additional).
_BEYOND_LATIN = re.compile(r"[^\x00-\u024f\u1e00-\u1eff]")
# Marks some romanisations write inside words (soft sign, ayin, syllable separators).
_INNER_MARKS = re.compile(r"[·'ʹʺʼʻʾʿ’‘`]")
# The Arabic article is written joined to its word; the lists write it apart ("AL-TIKRITI").
# (الله, Allah, is one word: "Abdullah", not "Abd al-lh").
_ARABIC_ARTICLE = re.compile(
    r"(?<![\w\u0600-\u06ff])ال(?!له(?![\u0600-\u06ff]))(?=[\u0600-\u06ff]{2})")
# Unpointed shin: BGN reads only the pointed letter, and names (Daesh, Shaul) mostly have sh.
_HEBREW_SHIN = re.compile("\u05e9(?![\u05c1\u05c2])")
# A mark at the start of a word read from an abjad is an ayin or alef carrying a vowel, which the
# lists write as one ("Ali" for علي, read "ʿly"; "Abd" for عبد).
_WORD_INITIAL_MARK = re.compile(r"(?<![A-Za-z])[ʼʻʾʿ’‘'`](?=[A-Za-z])")
# The article of an abjad name read alone ("l qdh" for القاعدة, "l" for אל): written "al".
_ARTICLE_READ = re.compile(r"(?<![a-z'])l(?![a-z'])", re.IGNORECASE)
# Greek letters as they sound in names borrowed from other languages (Χαμάς Hamas, Τζιχάντ
# Jihad), where the standard romanisations write kh/ch, tz and nt.
_GREEK_BORROWED = (("τζ", "j"), ("Τζ", "J"), ("ντ", "d"), ("Ντ", "D"), ("μπ", "b"), ("Μπ", "B"),
                   ("γκ", "g"), ("Γκ", "G"), ("χ", "h"), ("Χ", "H"))
_NO_VOWELS = str.maketrans("", "", "aeiouyw")
_DOUBLED = re.compile(r"(.)\1+")


# عبد ("servant of") and the name after it, with its article, are one name in the lists
# (Abdullah, Abdelkader, Abdulrahman), two words in Arabic script (عبد الله).
_ABD_APART = re.compile(r"(?<![\u0600-\u06ff])عبد\s+(ال\s+)?(?=[\u0600-\u06ff])")
# ... and the other way: عبدالكريم written as one word, "Abd Al-Karim" in the lists.
_ABD_JOINED = re.compile(r"(?<![\u0600-\u06ff])عبدال(?=[\u0600-\u06ff]{2})")
# ذ ض ظ as Persian and Urdu (and names from those languages on the lists) pronounce them: z
# (فضل Fazal, رضا Reza), where BGN reads dh, d, z.
_PERSIAN_Z = str.maketrans({"\u0630": "\u0632", "\u0636": "\u0632", "\u0638": "\u0632"})


def _arabic_variants(text: str) -> list[tuple[str, str]]:
    """(how, Arabic text) variants read besides the text as written."""
    out = []
    joined = _ABD_APART.sub(lambda m: "عبد" + ("ال" if m.group(1) else ""), text)
    if joined != text:
        out.append(("'عبد' joined to the name after it", joined))
    apart = _ABD_JOINED.sub("عبد ال ", text)
    if apart != text:
        out.append(("'عبد' and the name after it apart", apart))
    persian = text.translate(_PERSIAN_Z)
    if persian != text:
        out.append(("ذ ض ظ read z as in Persian and Urdu", persian))
    return out


def skeleton(token: str) -> str:
    """A word's consonants, doubled letters once, a final vowel-letter h dropped: a name
    romanised from an abjad (Arabic, Hebrew) has few vowels written ("mhmd" / "Muhammad",
    "tkryty" / "Tikriti", "hms" / "Hamas")."""
    consonants = token.translate(_NO_VOWELS)
    if _DOUBLED.search(consonants):
        consonants = _DOUBLED.sub(r"\1", consonants)
    # A word-final h after a consonant is a vowel letter of the abjads (Hebrew he, Arabic ta
    # marbuta or ha): "qaidah" / "qaida", "qydh" (אל קאעידה) / "qd". The vowels are gone here.
    return consonants[:-1] if len(consonants) > 1 and consonants.endswith("h") else consonants


def skeletons(tokens: list[str]) -> list[str]:
    """`skeleton` of each token, the vowels and doubled letters taken out of all of them at once
    (the tokens joined by newlines, which neither step crosses)."""
    joined = "\n".join(tokens)
    if len(tokens) < 2 or joined.count("\n") != len(tokens) - 1:
        return [skeleton(t) for t in tokens]  # a token with a newline: one by one
    every = _DOUBLED.sub(r"\1", joined.translate(_NO_VOWELS)).split("\n")
    return [c[:-1] if len(c) > 1 and c.endswith("h") else c for c in every]


def other_script(text: str) -> str | None:
    """The Unicode script name of the first letter that is neither Latin nor Han, or None."""
    for char in _BEYOND_LATIN.findall(text):
        if char.isalpha():
            name = unicodedata.name(char, "")
            script = name.split(" ", 1)[0]
            if script in ("LATIN", "CJK"):
                continue
            return script
    return None


@cache
def _transliterator(rules: str) -> Any:
    import icu

    return icu.Transliterator.createInstance(f"{rules}; Latin-ASCII")


@lru_cache(maxsize=65536)
def romanisations(text: str) -> tuple[tuple[str, str], ...]:
    """(how, Latin text) readings of a name in another script, most standard first."""
    script = other_script(text)
    if script == "ARABIC":
        text = _ARABIC_ARTICLE.sub("ال ", text)
    elif script == "HEBREW":
        text = _HEBREW_SHIN.sub("\u05e9\u05c1", text)
    found: list[tuple[str, str]] = []
    if script is not None and script.startswith(("HIRAGANA", "KATAKANA")):
        from exportguard.names.japanese import romaji

        found.extend(romaji(text))
    if script == "HANGUL":
        from exportguard.names.korean import mccune_reischauer

        found.append(("McCune-Reischauer", mccune_reischauer(text)))
    rules = [*([_BGN[script]] if script in _BGN else []), "Any-Latin"]
    abjad = script in ("ARABIC", "HEBREW")
    for rule in rules:
        latin = _transliterator(rule).transliterate(text)
        latin = _INNER_MARKS.sub("", _WORD_INITIAL_MARK.sub("a", latin) if abjad else latin)
        if latin.isascii():
            found.append((f"ICU {rule}", latin))
    from anyascii import anyascii

    latin = anyascii(text)
    found.append(("anyascii", _INNER_MARKS.sub("", _WORD_INITIAL_MARK.sub("a", latin)
                                               if abjad else latin)))
    if script == "GREEK":
        borrowed = text
        for greek, latin in _GREEK_BORROWED:
            borrowed = borrowed.replace(greek, latin)
        found.append(("Greek letters as in borrowed names, then ICU Greek-Latin/UNGEGN",
                      _transliterator("Greek-Latin/UNGEGN").transliterate(borrowed)))
    if script == "ARABIC":
        for how, variant in _arabic_variants(text):
            latin = _transliterator("Any-Latin").transliterate(variant)
            latin = _INNER_MARKS.sub("", _WORD_INITIAL_MARK.sub("a", latin))
            if latin.isascii():
                found.append((f"{how}, then ICU Any-Latin", latin))
    if abjad:
        found = [(how, _ARTICLE_READ.sub("al", latin)) for how, latin in found]
    unique: dict[str, tuple[str, str]] = {}
    for how, latin in found:
        unique.setdefault(latin.casefold(), (how, latin))
    return tuple(unique.values())
