"""Name normalisation: Unicode, case, punctuation, legal forms, abbreviations and other scripts.

`name_forms(text)` turns a name into the forms the matcher compares. A Latin-script name has one
form; so does a name in Chinese characters, with its company-name terms translated
(科技 -> technology) and the rest in pinyin (商汤 -> shangtang). Each form keeps the legal
forms it dropped so a match can say whether they agreed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.names.terms import vocabulary

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’`](?=[a-z])")

MAX_NAME_CHARS = 1000


@dataclass(frozen=True, slots=True)
class NameForm:
    """One comparable form of a name.

    `tokens` is the core: canonical words with legal forms and stopwords removed. `kind` says how
    the form was made: 'latin' or 'han-translated'.
    """

    original: str
    kind: str
    text: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]

    @property
    def core(self) -> str:
        return " ".join(self.tokens)

    @property
    def compact(self) -> str:
        return "".join(self.tokens)


def clean(text: str) -> str:
    """NFKC, control characters removed, whitespace collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return " ".join(text.split())


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def basic_tokens(text: str) -> list[str]:
    """Lower-case ASCII words: other scripts transliterated, accents and punctuation dropped."""
    text = anyascii(text).casefold().replace("&", " and ")
    text = _APOSTROPHE.sub("", text)
    return [t for t in _NOT_WORD.split(text) if t]


def _rewrite(tokens: list[str], read_pinyin: bool) -> tuple[list[str], list[str], list[str]]:
    """Apply the phrase table: returns (all canonical tokens, core tokens, legal forms)."""
    vocab = vocabulary()
    table = vocab.pinyin_phrases if read_pinyin else vocab.phrases
    out: list[str] = []
    core: list[str] = []
    legal: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(min(vocab.max_phrase, len(tokens) - i), 0, -1):
            phrase = table.get(tuple(tokens[i : i + size]))
            if phrase is not None:
                out.extend(phrase.canonical)
                if phrase.legal:
                    legal.append(" ".join(phrase.canonical))
                else:
                    core.extend(phrase.canonical)
                i += size
                break
        else:
            token = _spelling(tokens[i])
            phrase = table.get((token,))
            if phrase is not None and not phrase.legal:
                out.extend(phrase.canonical)
                core.extend(phrase.canonical)
            else:
                out.append(token)
                core.append(token)
            i += 1
    core = [t for t in core if t not in vocab.stopwords] or core
    if not core and legal:
        # A name that is nothing but a legal form ("Limited") keeps it as its core.
        core = [t for form in legal for t in form.split()]
    return out, core, legal


@lru_cache(maxsize=200_000)
def _spelling(token: str) -> str:
    """A long word one or two edits from a vocabulary word is that word misspelt
    ("Technoloogies", "Electroinc"); anything else is left alone."""
    if len(token) < 7 or not token.isalpha():
        return token
    words = vocabulary().long_words
    if token in words:
        return token
    found = process.extractOne(token, words, scorer=OSA.normalized_similarity,
                               score_cutoff=0.84)
    return found[0] if found else token


def _latin_form(original: str, text: str, kind: str) -> NameForm:
    out, core, legal = _rewrite(basic_tokens(text), read_pinyin=kind == "latin")
    return NameForm(original, kind, " ".join(out), tuple(core), tuple(legal))


def _han_segments(run: str) -> list[str]:
    """Split a run of Chinese characters into terms, places and the rest (usually the brand)."""
    from pypinyin import lazy_pinyin

    vocab = vocabulary()
    words: list[str] = []
    pending = ""

    def flush() -> None:
        nonlocal pending
        if pending:
            words.append("".join(lazy_pinyin(pending)))
            pending = ""

    i = 0
    while i < len(run):
        for size in range(min(vocab.han_max, len(run) - i), 1, -1):
            piece = run[i : i + size]
            if piece in vocab.han_places:
                flush()
                words.append(vocab.han_places[piece])
                i += size
                for suffix in vocab.han_place_suffixes:
                    if run.startswith(suffix, i):
                        i += len(suffix)
                        break
                break
            if piece in vocab.han_terms:
                flush()
                words.append(vocab.han_terms[piece][0])
                i += size
                break
        else:
            pending += run[i]
            i += 1
    flush()
    return words


def _han_text(text: str) -> str:
    parts: list[str] = []
    last = 0
    for match in _HAN_RUN.finditer(text):
        parts.append(text[last : match.start()])
        parts.extend(f" {w} " for w in _han_segments(match.group()))
        last = match.end()
    parts.append(text[last:])
    return "".join(parts)


@lru_cache(maxsize=65536)
def name_forms(text: str) -> tuple[NameForm, ...]:
    """The forms of a name to compare; empty when nothing comparable is left."""
    text = clean(text)
    if not text:
        return ()
    if has_han(text):
        # Terms translated, the rest (places, brand) in pinyin. A plain-pinyin form adds nothing:
        # Latin-script names have their pinyin terms read as English before comparison.
        forms = (_latin_form(text, _han_text(text), "han-translated"),)
    else:
        forms = (_latin_form(text, text, "latin"),)
    unique: dict[tuple[str, ...], NameForm] = {}
    for form in forms:
        if form.tokens:
            unique.setdefault(form.tokens, form)
    return tuple(unique.values())


def han_key(text: str) -> str | None:
    """The Chinese characters of a name, for exact comparison of names written in characters."""
    chars = "".join(_HAN_RUN.findall(clean(text)))
    return chars or None
