"""Name normalisation: Unicode, case, punctuation, legal forms, abbreviations and other scripts.

`name_forms(text)` turns a name into the forms the matcher compares. A Latin-script name has one
form; so does a name in Chinese characters, with its company-name terms translated
(科技 -> technology) and the rest in pinyin (商汤 -> shangtang). Each form keeps the legal
forms it dropped so a match can say whether they agreed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.names import chinese, japanese
from exportguard.names.legal import ascii_legal_form_spans, legal_form_spans
from exportguard.names.numbers import NUMBER_MARK, english_words, read_numbers
from exportguard.names.scripts import other_script, romanisations
from exportguard.names.terms import Phrase, vocabulary

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff]")
_HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_OR_DIGITS = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff0-9]+")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
_WORD_RUN = re.compile(r"[a-z0-9]+")
_LONG_WORD_RUN = re.compile(r"[a-z0-9]{7,}")
_DIGIT = re.compile(r"[0-9]")
_APOSTROPHE = re.compile(r"(?<=[a-z])['’`](?=[a-z])")

MAX_NAME_CHARS = 1000


class NameForm(NamedTuple):
    """One comparable form of a name.

    `tokens` is the core: canonical words with legal forms and stopwords removed. `kind` says how
    the form was made: 'latin'; 'han-translated' (Chinese terms translated, the rest in pinyin);
    'han-dictionary' (with CC-CEDICT glosses); 'transliterated' (another script romanised);
    'syllabic' (a script that writes every vowel, Japanese kana or a Korean person's syllables,
    read in Latin letters: never matched on consonants alone).

    A named tuple (immutable, compared and hashed by its values): the index build makes one per
    name of a list, and a tuple is made in one step where a frozen dataclass sets each field.
    """

    original: str
    kind: str
    text: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]
    notes: tuple[str, ...] = ()  # how a name in another script was read, word by word

    @property
    def core(self) -> str:
        return " ".join(self.tokens)

    @property
    def compact(self) -> str:
        return "".join(self.tokens)


# A number written with Chinese numerals and a zero that is not 零 (七〇九所, 七六○所, 二0七所:
# the 709th, 760th and 207th institutes): 〇 (U+3007) lies outside the blocks of Chinese characters
# and ○ is a geometric shape, so the run was cut there and read in pieces. Such a run has its zeros
# and any digit written as Chinese numerals (七零九, 二零七), which `chinese.numbered_key` reads
# as a number where it numbers an institute, a factory or a branch.
_NUMERAL_RUN = re.compile(r"[一二三四五六七八九十百千零〇○◯0-9]{2,}")
_HAN_NUMERAL = re.compile(r"[一二三四五六七八九十百千]")
_AS_NUMERAL = str.maketrans({"〇": "零", "○": "零", "◯": "零", "0": "零", "1": "一", "2": "二",
                             "3": "三", "4": "四", "5": "五", "6": "六", "7": "七", "8": "八",
                             "9": "九"})

# 第 before digits (第709研究所) reads as the ordinal of the number, not as the syllable di.
_ORDINAL_DIGITS = re.compile(r"(?<=第)[0-9]+")


def _numeral_zeros(match: re.Match[str]) -> str:
    run = match.group()
    if not _HAN_NUMERAL.search(run) or not any(c in "〇○◯0123456789" for c in run):
        return run
    return run.translate(_AS_NUMERAL)


def clean(text: str) -> str:
    """NFKC, control characters removed, whitespace collapsed; in a number written with Chinese
    numerals, zeros and digits written as Chinese numerals (七〇九 -> 七零九)."""
    if text.isascii():  # which NFKC leaves as it is, without characters
        # An ASCII text is printable when it has no control character (\x00-\x1f, \x7f), so
        # its only white space is " ": without two together or one at an end it is clean.
        if text.isprintable():
            if "  " not in text and text[:1] != " " and text[-1:] != " ":
                return text
            return " ".join(text.split())
        return " ".join(_CONTROL.sub(" ", text).split())
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    if _HAN.search(text):
        text = _NUMERAL_RUN.sub(_numeral_zeros, text)
        text = _ORDINAL_DIGITS.sub(lambda m: m.group().translate(_AS_NUMERAL), text)
    return " ".join(text.split())


def has_han(text: str) -> bool:
    return _HAN.search(text) is not None


def _ascii(text: str) -> str:
    """`anyascii(text)`, which returns ASCII text as it is: anyascii (which imports
    importlib.resources and with it tempfile, shutil and the compression modules) is imported
    for the first text that is not ASCII."""
    if text.isascii():
        return text
    from anyascii import anyascii

    return anyascii(text)


def basic_tokens(text: str) -> list[str]:
    """Lower-case ASCII words: other scripts transliterated, accents and punctuation dropped."""
    text = _ascii(text).casefold().replace("&", " and ")
    if "'" in text or "`" in text:  # (’ is ASCII ' by now)
        text = _APOSTROPHE.sub("", text)
    return _WORD_RUN.findall(text)  # (what splitting at [^a-z0-9]+ leaves)


def _rewrite(tokens: list[str], read_pinyin: bool, legal_words: list[str]
             ) -> tuple[list[str], list[str], list[str]]:
    """Apply the phrase table: returns (all canonical tokens, core tokens, legal forms), not
    to be changed (the core may be the list of all tokens). `legal_words` are tokens already
    known to be legal forms (found by rigour)."""
    table, starting, stopwords = _phrase_table(read_pinyin)
    single = _SINGLE[read_pinyin]
    out: list[str] = []
    core: list[str] = []
    legal: list[str] = []
    if not legal_words and starting.keys().isdisjoint(tokens):
        # No phrase starts at any word (most names): each word is read alone.
        for token in tokens:
            words = single.get(token)
            out += words if words is not None else _single_word(token, table, single)
        if stopwords.isdisjoint(out):  # (most names: the core is every word, no list made)
            return out, out, legal
        core = _without_stopwords(out, stopwords) or out[:]
        return out, core, legal
    words_of = tuple(tokens)  # (its slices are the table's keys)
    size_of_name = len(words_of)
    phrase_of, sizes_of, single_of = table.get, starting.get, single.get
    i = 0
    while i < size_of_name:
        token = words_of[i]
        sizes = sizes_of(token)
        if sizes is not None:  # the longest phrase of the table that starts here, if any
            phrase = None
            for size in sizes:
                if size <= size_of_name - i:
                    phrase = phrase_of(words_of[i : i + size])
                    if phrase is not None:
                        break
            if phrase is not None:
                out.extend(phrase.canonical)
                if phrase.legal:
                    legal.append(" ".join(phrase.canonical))
                else:
                    core.extend(phrase.canonical)
                i += size
                continue
        if legal_words and token in legal_words:
            out.append(token)
            legal.append(token)
            i += 1
            continue
        words = single_of(token)
        if words is None:
            words = _single_word(token, table, single)
        out += words
        core += words
        i += 1
    if not stopwords.isdisjoint(core):
        core = _without_stopwords(core, stopwords) or core
    if not core and legal:
        # A name that is nothing but a legal form ("Limited") keeps it as its core.
        core = [t for form in legal for t in form.split()]
    return out, core, legal


# Stopwords that are one only before a number: "No. 9 Plant" is the ninth plant, "NO, Kwang Chol"
# (an SDN entry) is a Korean family name.
_BEFORE_NUMBER = frozenset({"no"})


def _without_stopwords(words: list[str], stopwords: frozenset[str]) -> list[str]:
    """`words` without the stopwords (a word of `_BEFORE_NUMBER` only before a number)."""
    last = len(words) - 1
    return [t for i, t in enumerate(words) if t not in stopwords or (
        t in _BEFORE_NUMBER and not (i < last and words[i + 1][:1].isdigit()))]


# What `_rewrite` makes of a word where no phrase of its table matches (nor is it a legal form
# found by rigour): its spelling repaired (`_spelling`), then read as a one-word synonym (not a
# legal form). A function of the word and the table alone, kept per table: most words of a
# list's names repeat.
_SINGLE: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] = ({}, {})
_SINGLE_KEPT = 200_000  # words kept per table (then the store starts over)


def _single_word(token: str, table: dict[tuple[str, ...], Phrase],
                 single: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    # (`_spelling` leaves a word of under 7 characters as it is: no call, nothing kept.)
    spelt = _SPELT.get(token) or (token if len(token) < 7 else _spelling(token))
    phrase = table.get((spelt,))
    words = phrase.canonical if phrase is not None and not phrase.legal else (spelt,)
    if len(single) >= _SINGLE_KEPT:
        single.clear()
    single[token] = words
    return words


@lru_cache(maxsize=2)
def _phrase_table(read_pinyin: bool
                  ) -> tuple[dict[tuple[str, ...], Phrase], dict[str, tuple[int, ...]],
                             frozenset[str]]:
    """The phrase table `_rewrite` uses, its `_phrase_sizes` and the stopwords."""
    vocab = vocabulary()
    return (vocab.pinyin_phrases if read_pinyin else vocab.phrases, _phrase_sizes(read_pinyin),
            vocab.stopwords)


@lru_cache(maxsize=2)
def _phrase_sizes(read_pinyin: bool) -> dict[str, tuple[int, ...]]:
    """For each first token of a phrase of the table `_rewrite` uses, the phrases' lengths,
    longest first: a token that starts no phrase is passed over without a lookup per length."""
    vocab = vocabulary()
    sizes: dict[str, set[int]] = {}
    for key in vocab.pinyin_phrases if read_pinyin else vocab.phrases:
        sizes.setdefault(key[0], set()).add(len(key))
    return {token: tuple(sorted(found, reverse=True)) for token, found in sizes.items()}


@lru_cache(maxsize=200_000)
def _spelling(token: str) -> str:
    """A long word one or two edits from a vocabulary word is that word misspelt
    ("Technoloogies", "Electroinc"); anything else is left alone."""
    if len(token) < 7 or not token.isalpha():
        return token
    words = vocabulary().long_words
    if token in words:
        return token
    # Only the words of a length that can score the cutoff (in their order, so a tie goes to
    # the same word): most tokens have none, and no scorer is called.
    words = _words_of_length(words).get(len(token), ())
    if not words:
        return token
    found = process.extractOne(token, words, scorer=OSA.normalized_similarity,
                               score_cutoff=_SPELLING_CUTOFF)
    return found[0] if found else token


_SPELLING_CUTOFF = 0.84

# `_spelling` of words worked out in advance by `repair_spellings`.
_SPELT: dict[str, str] = {}


def repair_spellings(texts: Iterable[str]) -> None:
    """Work out `_spelling` of the words of many names at once, before they are normalised (an
    index build): one RapidFuzz `cdist` per word length instead of one `extractOne` per word,
    a fifth of the time for a list's 19,000 words that need scoring. The same repairs: of the
    words of the best score at the cutoff, the first (`argmax`), scores in float64. A word of a
    name not found here (a word made by joining, "o'brien") is repaired when met."""
    import numpy as np

    vocabulary_words = vocabulary().long_words
    known = frozenset(vocabulary_words)
    by_length = _words_of_length(vocabulary_words)
    asked: dict[int, list[str]] = {}
    # (Words of 7 characters or more as `basic_tokens` finds them in ASCII text.)
    for token in set(_LONG_WORD_RUN.findall(" ".join(texts).lower())).difference(_SPELT, known):
        if token.isalpha() and len(token) in by_length:
            asked.setdefault(len(token), []).append(token)
    if len(_SPELT) + sum(map(len, asked.values())) > _SINGLE_KEPT:
        _SPELT.clear()
    for length, tokens in asked.items():
        choices = by_length[length]
        scores = process.cdist(tokens, choices, scorer=OSA.normalized_similarity,
                               score_cutoff=_SPELLING_CUTOFF, dtype=np.float64)
        best = scores.argmax(axis=1)
        top = scores[range(len(tokens)), best].tolist()
        for token, at, score in zip(tokens, best.tolist(), top, strict=True):
            _SPELT[token] = choices[at] if score >= _SPELLING_CUTOFF else token


@lru_cache(maxsize=2)
def _words_of_length(words: tuple[str, ...]) -> dict[int, tuple[str, ...]]:
    """For each token length, the words of `words` (in their order) whose length leaves them a
    chance of `_SPELLING_CUTOFF`: the OSA distance of two words is at least the difference of
    their lengths, and the normalised similarity is 1 - distance / the longer length. A word is
    left out only when the lengths alone put it below the cutoff with a margin."""
    longest = max(map(len, words), default=0)
    out: dict[int, tuple[str, ...]] = {}
    for size in range(1, 2 * longest + 2):
        kept = tuple(w for w in words
                     if 1 - abs(len(w) - size) / max(len(w), size) >= _SPELLING_CUTOFF - 0.01)
        if kept:
            out[size] = kept
    return out


_ORDINAL = re.compile(r"^(\d+)(?:st|nd|rd|th)$")


def _latin_form(original: str, text: str, kind: str, notes: tuple[str, ...] = ()) -> NameForm:
    """The form of a name written (or read) in Latin letters; `text` is clean."""
    if _CAMEL.search(text) is not None:  # (a legal form glued to a word: SiemensAG)
        text, glued = _glued_legal_forms(text)
        notes += glued
    folded = text.casefold()
    if folded.isascii():
        # Its words, found once for the legal forms and (most names) as its tokens.
        words: list[str] | None = _WORD_RUN.findall(folded)
        spans = ascii_legal_form_spans(folded, words)
    else:
        words, spans = None, legal_form_spans(folded)
    marked: list[str] = []
    for spelled, compact in spans:
        if _in_vocabulary(spelled) or _ends_initials(folded, spelled):
            continue  # the vocabulary's own spelling and canonical form win
        folded = folded.replace(spelled, f" {compact} ", 1)
        marked.append(compact)
    # `basic_tokens` of a case-folded ASCII name without "&" or an apostrophe, and with no
    # legal form written compact, are its words.
    tokens = _joined_initials(
        words if words is not None and not marked and "&" not in folded and "'" not in folded
        and "`" not in folded else basic_tokens(folded))
    if not folded.isascii() or _DIGIT.search(folded) is not None:
        tokens = [_ORDINAL.sub(r"\1", t) if t[0].isdigit() else t for t in tokens]
    if not _read_words().isdisjoint(tokens):  # (most names have no such word)
        tokens, read = read_numbers(tokens)
        tokens, spelt = _legal_spellings(tokens)
        notes += read + spelt
    out, core, legal = _rewrite(tokens, kind == "latin", marked)
    if legal:
        joined = vocabulary().run_together
        if not joined.keys().isdisjoint(tokens):
            notes += tuple(f"'{t}' read as '{joined[t]}' {RUN_TOGETHER_MARK}"
                           for t in dict.fromkeys(tokens) if t in joined and t not in out)
    # NameForm(original, kind, text, tokens, legal_forms, notes) without the named tuple's
    # own __new__ (a Python function): a list's names make 56,000.
    form = _NEW(NameForm, (original, kind, " ".join(out), tuple(core), tuple(legal), notes))
    return form


# A legal form glued to the word before it, which capitals after small letters show (SiemensAG,
# AcmeGmbH, NovaLLC): read apart, as 'Siemens AG'. Only forms of one word the vocabulary knows,
# written with two capitals or more (a brand writes one: RusAg, the Russian Agricultural Bank, is
# no AG), after a word of three letters or more.
_CAMEL = re.compile(r"[a-z][A-Z]")
GLUED_FORM_MARK = "(a legal form written together with the name)"
MISSPELT_FORM_MARK = "(a legal form misspelt)"
RUN_TOGETHER_MARK = "(words of a legal form written together)"
# The notes of the readings above and of numbers in words, which a match shows as its
# `name_reading` feature (the other notes say how another script was read).
READING_MARKS = (NUMBER_MARK, GLUED_FORM_MARK, MISSPELT_FORM_MARK, RUN_TOGETHER_MARK)


def reading_notes(notes: tuple[str, ...]) -> tuple[str, ...]:
    """The notes of `notes` that a reading of words (numbers, legal forms) wrote."""
    return tuple(note for note in notes if note.endswith(READING_MARKS)) if notes else ()
_GLUED_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b")


def _glued_legal_forms(text: str) -> tuple[str, tuple[str, ...]]:
    """`text` with each legal form glued to the word before it written apart, and a note for
    each ("'SiemensAG' read as 'Siemens AG'")."""
    forms = _one_word_legal_forms()
    notes: list[str] = []

    def apart(match: re.Match[str]) -> str:
        word = match.group()
        for cut in _CAMEL.finditer(word):  # each small letter followed by a capital
            head, tail = word[:cut.start() + 1], word[cut.start() + 1:]
            if len(head) >= 3 and sum(map(str.isupper, tail)) >= 2 and tail.casefold() in forms:
                notes.append(f"'{word}' read as '{head} {tail}' {GLUED_FORM_MARK}")
                return f"{head} {tail}"
        return word

    return _GLUED_WORD.sub(apart, text), tuple(notes)


@lru_cache(maxsize=1)
def _one_word_legal_forms() -> frozenset[str]:
    """The vocabulary's legal forms of one word of two letters or more (ag, gmbh, llc, ltd...)."""
    return frozenset(key[0] for key, phrase in vocabulary().phrases.items()
                     if phrase.legal and len(key) == 1 and len(key[0]) >= 2)


# A legal form misspelt by one letter (changed, added, dropped or two swapped): a word of nine
# letters or more ('Aktiengeselschaft'), or one word of four letters or more of a form of three
# words or more whose other words are as the vocabulary writes them ('JOYNT STOCK COMPANY'),
# reads as the form, so the misspelt word is not taken for a word of the name.
_LEGAL_LONG = 9
_LEGAL_PHRASE_WORDS = 3
_LEGAL_WORD = 4


@lru_cache(maxsize=1)
def _legal_tables() -> tuple[dict[str, str], dict[tuple[str, ...], list[tuple[str, ...]]],
                              dict[str, tuple[str, ...]], frozenset[str], tuple[int, ...]]:
    """(each misspelling by one letter of a legal form of one word of `_LEGAL_LONG` letters or
    more -> the form; each legal form of `_LEGAL_PHRASE_WORDS` words or more with one of its
    words of `_LEGAL_WORD` letters or more written '*' -> the forms; each misspelling by one
    letter of such a word -> the words it misspells; the words of those forms; their lengths,
    longest first). The misspellings are worked out once, so a name is looked up, not scored."""
    vocab = vocabulary()
    legal = [key for key, phrase in vocab.phrases.items() if phrase.legal]
    known = {word for key in legal for word in key}
    long_words: dict[str, str] = {}
    for key in legal:
        if (len(key) == 1 and len(key[0]) >= _LEGAL_LONG and key[0].isalpha()
                and key[0] not in vocab.run_together):  # (not a form's words run together)
            for spelling in _one_letter_off(key[0]) - known:
                long_words.setdefault(spelling, key[0])
    gapped: dict[tuple[str, ...], list[tuple[str, ...]]] = {}
    gaps: set[str] = set()
    for key in legal:
        if len(key) >= _LEGAL_PHRASE_WORDS and vocab.run_together.keys().isdisjoint(key):
            for at, word in enumerate(key):
                if len(word) >= _LEGAL_WORD and word.isalpha():
                    gapped.setdefault((*key[:at], "*", *key[at + 1:]), []).append(key)
                    gaps.add(word)
    misspelt: dict[str, set[str]] = {}
    for word in sorted(gaps):
        for spelling in _one_letter_off(word) - known:
            misspelt.setdefault(spelling, set()).add(word)
    words = frozenset(word for keys in gapped.values() for key in keys for word in key)
    sizes = tuple(sorted({len(key) for keys in gapped.values() for key in keys}, reverse=True))
    return (long_words, gapped, {k: tuple(sorted(v)) for k, v in misspelt.items()}, words,
            sizes)


def _one_letter_off(word: str) -> set[str]:
    """The spellings one letter from `word` (a-z): changed, added, dropped, or two neighbours
    swapped (an OSA distance of 1)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    cuts = [(word[:at], word[at:]) for at in range(len(word) + 1)]
    found = {head + tail[1:] for head, tail in cuts if tail}
    found |= {head + tail[1] + tail[0] + tail[2:] for head, tail in cuts if len(tail) > 1}
    found |= {head + c + tail[1:] for head, tail in cuts if tail for c in letters}
    found |= {head + c + tail for head, tail in cuts for c in letters}
    found.discard(word)
    return found


def _gapped_form(window: tuple[str, ...], gapped: dict[tuple[str, ...], list[tuple[str, ...]]],
                 misspelt: dict[str, tuple[str, ...]]) -> tuple[str, ...] | None:
    """The legal form `window` writes with one word misspelt by one letter, if any."""
    for at, word in enumerate(window):
        meant = misspelt.get(word)
        if meant is not None:
            for key in gapped.get((*window[:at], "*", *window[at + 1:]), ()):
                if key[at] in meant:
                    return key
    return None


@lru_cache(maxsize=1)
def _read_words() -> frozenset[str]:
    """The words that start a number in words or misspell a legal form: a name without any is
    read as it is written."""
    long_words, _, misspelt, _, _ = _legal_tables()
    return english_words().union(long_words, misspelt)


def _legal_spellings(tokens: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """`tokens` with legal forms misspelt by one letter written as the vocabulary writes them,
    and a note for each; the tokens as given (no copy, no note) when none is there (most names:
    a name whose words are no misspelling of a form's word is given back at once)."""
    long_words, gapped, misspelt, words, sizes = _legal_tables()
    if long_words.keys().isdisjoint(tokens) and misspelt.keys().isdisjoint(tokens):
        return tokens, ()
    out = tokens[:]
    notes: list[str] = []
    for at, token in enumerate(tokens):
        word = long_words.get(token)
        if word is not None:
            out[at] = word
            notes.append(f"'{token}' read as '{word}' {MISSPELT_FORM_MARK}")
    if len(words.intersection(out)) >= _LEGAL_PHRASE_WORDS - 1:
        phrases = vocabulary().phrases
        for size in sizes:
            for start in range(len(out) - size + 1):
                window = tuple(out[start:start + size])
                if window in phrases:
                    continue
                key = _gapped_form(window, gapped, misspelt)
                if key is not None:
                    notes.append(f"'{' '.join(window)}' read as '{' '.join(key)}' "
                                 f"{MISSPELT_FORM_MARK}")
                    out[start:start + size] = key
    return (out, tuple(notes)) if notes else (tokens, ())


def _joined_initials(tokens: list[str]) -> list[str]:
    """Letters written one by one in a row (A.B.C., L.X.C, T. E. G.) as the one word they spell
    (abc, lxc, teg): a name with and without the dots between its initials has the same words.
    A single initial (John F. Kennedy) stays a word of its own."""
    if list(map(len, tokens)).count(1) < 2:  # (most names: no two one-letter words)
        return tokens
    out: list[str] = []
    run: list[str] = []
    for token in (*tokens, ""):
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if len(run) > 1:
            out.append("".join(run))
        else:
            out += run
        run = []
        if token:
            out.append(token)
    return out


def _ends_initials(folded: str, spelled: str) -> bool:
    """Whether a legal form found in a name is the last letters of a run of dotted initials:
    A.S. (akciova spolecnost) of K.A.S., C.I.C. of I.C.I.C., A.S. of Y.A.S. are not the legal
    form but the end of the one word the initials spell (`_joined_initials`: kas, icic, yas).
    So when each word of the form is one letter and just before it stands another letter
    written as an initial, with a dot after it. "XYZ A.S." (a word before it) keeps its form."""
    if not all(len(word) == 1 for word in _WORD_RUN.findall(spelled)):
        return False
    at = folded.find(spelled)
    if at <= 0:
        return False
    head = folded[:at].rstrip(" ")
    return (head.endswith(".") and len(head) >= 2 and head[-2].isalpha()
            and (len(head) == 2 or not head[-3].isalnum()))


@lru_cache(maxsize=4096)
def _in_vocabulary(spelled: str) -> bool:
    """Whether a legal form as a name spells it ("limited", "joint stock company") is a phrase of
    the vocabulary (a list's names spell a few hundred)."""
    return tuple(basic_tokens(spelled)) in vocabulary().phrases


_NEW = tuple.__new__
if NameForm._fields != ("original", "kind", "text", "tokens", "legal_forms", "notes"):
    raise TypeError("_latin_form makes NameForm from its fields in order: update it with the class")


def name_forms(text: str, every: bool = True) -> tuple[NameForm, ...]:
    """The forms of a name to compare; empty when nothing comparable is left.

    A Latin-script name has one form. A name in Chinese characters has one per reading (terms
    translated and the rest in pinyin; CC-CEDICT glosses; conventional alternatives), a name in
    another script one per romanisation; each form notes how it was read. `every=False` keeps the
    usual reading only (listed names: a query's other readings meet it).
    """
    if text.isascii():
        return _forms(text, True)  # one reading only: `every` changes nothing
    return _forms(text, every)


def listed_forms(text: str) -> tuple[NameForm, ...]:
    """`name_forms(text, every=False)`, a listed name's usual reading, kept in a dictionary of
    its own: an index build asks it once of each of a list's 56,000 texts (a rebuild in the
    same process finds them there), which `name_forms`'s LRU cache would keep at a higher cost
    per text, pushing the queries' forms out."""
    found = _LISTED.get(text)
    if found is None:
        if len(_LISTED) >= _LISTED_KEPT:
            _LISTED.clear()
        found = _LISTED[text] = _forms.__wrapped__(text, text.isascii())
    return found


_LISTED: dict[str, tuple[NameForm, ...]] = {}
_LISTED_KEPT = 65_536  # texts kept, as many as `_forms` keeps (then the store starts over)


@lru_cache(maxsize=65536)
def _forms(text: str, every: bool) -> tuple[NameForm, ...]:
    text = clean(text)
    if not text:
        return ()
    if text.isascii():  # neither characters nor another script
        form = _latin_form(text, text, "latin")
        return (form,) if form.tokens else ()
    if has_han(text) and not has_kana(text):
        # A plain-pinyin form adds nothing: Latin-script names have their pinyin terms read as
        # English before comparison.
        # Their Japanese readings are `japanese_forms`, which the screener asks only when these
        # find nothing close.
        forms = [_latin_form(text, clean(r.text), r.kind,
                             (f"read '{text}' as '{clean(r.text)}'", *r.notes))
                 for r in chinese.read_text(text, every)]
    elif (script := other_script(text)) is not None:
        # Kana write every vowel: only readings of other scripts also match on consonants.
        kind = "syllabic" if script.startswith(("HIRAGANA", "KATAKANA")) else "transliterated"
        forms = [_latin_form(text, clean(latin), kind, (f"read '{text}' as '{latin}' ({how})",))
                 for how, latin in romanisations(text)[: None if every else 1]]
    else:
        forms = [_latin_form(text, text, "latin")]
    unique: dict[tuple[str, ...], NameForm] = {}
    for form in forms:
        if form.tokens:
            unique.setdefault(form.tokens, form)
    return tuple(unique.values())


@lru_cache(maxsize=4096)
def japanese_forms(text: str) -> tuple[NameForm, ...]:
    """The Japanese readings of a name in Chinese characters without kana (Japanese writes names
    in kanji alone too: 山口組 Yamaguchi-gumi), less those equal to one of its `name_forms`; empty
    for any other name. A name with kana is read in Japanese by `name_forms` itself."""
    text = clean(text)
    if not has_han(text) or has_kana(text) or other_script(text):
        return ()
    known = {form.tokens for form in name_forms(text)}
    unique: dict[tuple[str, ...], NameForm] = {}
    for how, latin in japanese.romaji(text):
        form = _latin_form(text, clean(latin), "syllabic", (f"read '{text}' as '{latin}' ({how})",))
        if form.tokens and form.tokens not in known:
            unique.setdefault(form.tokens, form)
    return tuple(unique.values())


_HAN_QUALIFIER = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_HAN_OTHER_NAME = ("原", "曾用", "前身", "简称", "簡稱", "又名", "现名", "現名", "即")


def kept_in_brackets(content: str) -> bool:
    """Whether a bracketed part is part of the name itself: in a Chinese legal name a place or a
    qualifier in brackets belongs to the registered name (摩尔线程智能科技（北京）有限责任公司 and
    its （成都） sister are different companies), unless it announces another name (（原...）)."""
    content = content.strip()
    return bool(_HAN_QUALIFIER.fullmatch(content)) and not content.startswith(_HAN_OTHER_NAME)


@lru_cache(maxsize=65536)  # a pure function of the text; a screen asks it of one text many times
def han_key(text: str) -> str | None:
    """The Chinese characters of a name in simplified form with short forms spelt out, for exact
    comparison of names written in characters (華為 and 华为 are one key, 国防科大 and 国防科技大学
    another, 第十四研究所 and 第14研究所 a third: numbers of institutes, factories and branches are
    kept as digits, so CETC's 13th and 14th institutes do not share a key)."""
    cleaned = clean(text)
    if not _HAN_RUN.search(cleaned):
        return None
    chars = "".join(_HAN_OR_DIGITS.findall(cleaned))
    return chinese.numbered_key(chinese.spelt_out(chars))


def has_kana(text: str) -> bool:
    return _KANA.search(text) is not None
