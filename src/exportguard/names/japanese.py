"""Japanese names read in Hepburn romaji, as the lists write Japanese names (YAMAGUCHI-GUMI,
TOYO SHINYO JITSUGYO K.K.).

ICU has no reading of kanji in Japanese (its Any-Latin reads them as Mandarin pinyin), so a
name with kana is read by cutlet (MIT licence) over the MeCab tokenizer fugashi and the
UniDic-lite dictionary, which gives each word its reading in context; a katakana loanword is
written as its source word (グループ group). Hepburn marks long vowels that names on the lists
mostly leave out (Kōdō-kai as KODO-KAI, Tōyō as TOYO), so each name gets a second reading with
the long vowels shortened. The legal form 株式会社 reads "kabushiki kaisha", which rigour knows as
KK. cutlet and its dictionary load at first use.
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

# Long vowels as Hepburn without macrons writes them: ou, uu, oo (Tōkyō "toukyou"); ei is kept,
# as the lists keep it (KEISUKE).
_LONG_VOWELS = re.compile(r"(?<=o)[ou]|(?<=u)u")
_APOSTROPHE = re.compile(r"['’]")  # Hepburn's n' before a vowel (shin'you)
_UNREAD = "?"  # cutlet's reading of a character its dictionary does not know


@cache
def _reader() -> Any:
    import cutlet

    reader = cutlet.Cutlet("hepburn")
    reader.use_foreign_spelling = True
    return reader


@lru_cache(maxsize=4096)
def romaji(text: str) -> tuple[tuple[str, str], ...]:
    """(how, Latin text) readings of a Japanese name: Hepburn, then with long vowels shortened
    (not in loanwords, which keep their source spelling: "group")."""
    from cutlet import normalize_text

    reader = _reader()
    words = reader.tagger(normalize_text(text))
    tokens = reader.romaji_tokens(words, capitalize=False)
    plain, short = [], []
    for token, word in zip(tokens, words, strict=True):
        read = _APOSTROPHE.sub("", str(token)).casefold()
        if _UNREAD in read:
            # cutlet writes "?" for a character UniDic cannot read (simplified 长, 鑫, 为): such
            # a name is not Japanese, and the syllables it could read are not its name
            # (长鑫存储 read as "?? ari ?" matched the alias ARI exactly).
            return ()
        plain.append(read)
        short.append(read if getattr(word.feature, "goshu", "") == "外" else
                     _LONG_VOWELS.sub("", read))
    found = [("Hepburn romaji (cutlet, UniDic)", "".join(plain).strip())]
    if short != plain:
        found.append(("Hepburn romaji, long vowels shortened", "".join(short).strip()))
    return tuple(found)
