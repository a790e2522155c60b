"""The index build's fast paths give what the plain computation gives, on the full reference CSL
with the curated names: the index against one built name by name with dictionaries (every
posting, key order, token id, weight), and the normaliser's shortcuts (spelling repair, legal
forms, words, phrases, skeletons) against the computation they shortcut."""

from __future__ import annotations

import math
import re
from collections import defaultdict

import pytest
from rapidfuzz import process
from rapidfuzz.distance import OSA

from exportguard.lists.starter import with_local_names
from exportguard.names import legal, normalize
from exportguard.names.normalize import clean, name_forms
from exportguard.names.numbers import read_numbers
from exportguard.names.scripts import skeleton, skeletons
from exportguard.names.terms import generic_tokens, vocabulary
from exportguard.screening.index import (
    IndexedName,
    NameIndex,
    _bare,
    han_keys,
    name_variants,
    phonetic,
    trigrams,
)


@pytest.fixture(scope="module")
def entries(csl_entries):
    return [with_local_names(e) for e in csl_entries]


@pytest.fixture(scope="module")
def texts(entries):
    return list(dict.fromkeys(
        t for e in entries for group in ([e.name], e.alt_names, e.local_names)
        for t in name_variants(group)))


def _plain_index(entries) -> dict[str, object]:
    """The index's content computed name by name, as the build did before it worked on arrays."""
    names: list[IndexedName] = []
    exact: dict[str, list[int]] = defaultdict(list)
    han: dict[str, dict[str, list[int]]] = {k: defaultdict(list) for k in
                                            ("han_exact", "pinyin_full", "han_trade",
                                             "pinyin_trade")}
    for number, entry in enumerate(entries):
        for origin, group in (("name", [entry.name]), ("alias", entry.alt_names),
                              ("local", entry.local_names)):
            seen: set[tuple[str, ...]] = set()
            for text in name_variants(group):
                first = True
                for form in name_forms(text, every=False):
                    if form.tokens in seen:
                        continue
                    seen.add(form.tokens)
                    names.append(IndexedName(number, origin, text, form))
                    exact[form.core].append(len(names) - 1)
                    if first:
                        found = han_keys(text)
                        if found is not None:
                            key, spellings, trade, trade_pinyin = found
                            han["han_exact"][key].append(len(names) - 1)
                            for spelling in spellings:
                                han["pinyin_full"][spelling].append(len(names) - 1)
                            if trade:
                                han["han_trade"][trade].append(len(names) - 1)
                                han["pinyin_trade"][trade_pinyin].append(len(names) - 1)
                        first = False
    token_ids: dict[str, int] = {}
    tokens: dict[str, list[int]] = {}
    for number, name in enumerate(names):
        for token in name.form.tokens:
            token_ids.setdefault(token, len(token_ids))
            postings = tokens.setdefault(token, [])
            if not postings or postings[-1] != number:
                postings.append(number)
    # Sounds and skeletons: each name's distinct tokens by token id, names in order.
    sounds: dict[str, list[int]] = {}
    bares: dict[str, list[int]] = {}
    for token in token_ids:  # the keys in the order of the tokens
        if phonetic(token):
            sounds.setdefault(phonetic(token), [])
        if _bare(token):
            bares.setdefault(_bare(token), [])
    for number, name in enumerate(names):
        for token in sorted(set(name.form.tokens), key=token_ids.__getitem__):
            if phonetic(token):
                sounds[phonetic(token)].append(number)
            if _bare(token):
                bares[_bare(token)].append(number)
    grams: dict[str, list[int]] = defaultdict(list)
    for number, name in enumerate(names):
        for gram in trigrams(name.form.compact):
            grams[gram].append(number)
    limit = max(int(max(len(names), 1) * NameIndex._MAX_TRIGRAM_SHARE), 50)
    generic = generic_tokens()
    total = max(len(names), 1)
    weight = {t: (math.log((total + 1) / (len(p) + 0.5)) * (0.35 if t in generic else 1.0)) ** 2
              for t, p in tokens.items()}
    return {
        "names": names, "exact": dict(exact), **{k: dict(v) for k, v in han.items()},
        "tokens": tokens, "sounds": sounds, "skeletons": bares,
        "grams": {g: grams[g] for g in sorted(grams) if len(grams[g]) <= limit},
        "token_weight": weight,
        "name_weights": [tuple(weight[t] for t in n.form.tokens) for n in names],
    }


def test_the_index_is_the_one_built_name_by_name(full_screener, entries):
    index = full_screener.index  # built by NameIndex from the same entries
    plain = _plain_index(entries)
    assert len(plain["names"]) > 55_000 and plain["han_exact"]
    assert list(index.names) == plain["names"]
    assert {type(n) for n in index.names} == {IndexedName}
    for field in ("exact", "han_exact", "pinyin_full", "han_trade", "pinyin_trade", "tokens",
                  "sounds", "skeletons", "grams"):
        postings = getattr(index, field)
        assert postings.keys == list(plain[field]), field
        assert [postings.get(k) for k in postings.keys] == list(plain[field].values()), field
    assert index.token_weight == plain["token_weight"]
    assert list(index.token_weight) == list(plain["token_weight"])
    assert list(index.name_weights) == plain["name_weights"]
    tokens = list(plain["tokens"])
    ids = {t: i for i, t in enumerate(tokens)}
    assert index.name_tokens.tolist() == [ids[t] for n in plain["names"] for t in n.form.tokens]
    assert index.name_token_starts.tolist()[-1] == len(index.name_tokens)
    assert index.token_length.tolist() == [len(t) for t in tokens]
    assert index.token_first.tolist() == [ord(t[0]) for t in tokens]
    sounds = {s: i for i, s in enumerate(plain["sounds"])}
    assert index.token_sound.tolist() == [sounds[phonetic(t)] if phonetic(t) else -1
                                          for t in tokens]


def test_spelling_repair_answers_as_scoring_every_vocabulary_word(texts):
    words = vocabulary().long_words
    every = {t for text in texts for t in normalize.basic_tokens(clean(text))}
    asked = sorted(t for t in every if len(t) >= 7 and t.isalpha() and t not in words)
    assert len(asked) > 10_000
    repaired = 0
    for token in asked:
        found = process.extractOne(token, words, scorer=OSA.normalized_similarity,
                                   score_cutoff=0.84)
        want = found[0] if found else token
        assert normalize._spelling(token) == want, token
        repaired += want != token
    assert repaired > 50  # the real list has misspelt words ("Technoloogies")


def test_spellings_repaired_in_advance_as_word_by_word(texts):
    """`repair_spellings` (one cdist per word length, before an index build) gives each word the
    repair `_spelling` gives it alone."""
    normalize._SPELT.clear()
    normalize.repair_spellings(texts)
    primed = dict(normalize._SPELT)
    assert len(primed) > 15_000
    assert all(normalize._spelling.__wrapped__(t) == spelt for t, spelt in primed.items())
    assert sum(t != spelt for t, spelt in primed.items()) > 50
    words = vocabulary().long_words
    asked = {t for text in texts for t in normalize.basic_tokens(clean(text))
             if len(t) >= 7 and t.isalpha() and t not in words
             and normalize._words_of_length(words).get(len(t))}
    # Left to be repaired when met: words joined at an apostrophe ("academy's"), the pinyin of
    # names in characters.
    assert len(asked - primed.keys()) < len(asked) // 20


def test_trigram_postings_of_a_wide_alphabet_as_name_by_name():
    """Trigrams of 16 bits (the CSL's, in the test above) and of a wider alphabet, whose codes
    are sorted as 64-bit integers, both as `trigrams` finds them name by name."""
    import random

    from exportguard.names.normalize import NameForm
    from exportguard.screening.index import _trigram_postings

    rng = random.Random(5)
    for alphabet in ("abcdefghij0123", "abcdefghijklmnopqrstuvwxyz0123456789ÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒ"):
        forms = [NameForm("", "latin", "", tuple(
            "".join(rng.choices(alphabet, k=rng.randint(1, 6))) for _ in range(rng.randint(1, 3))
        ), ()) for _ in range(3000)]
        plain: dict[str, list[int]] = defaultdict(list)
        for number, form in enumerate(forms):
            for gram in trigrams(form.compact):
                plain[gram].append(number)
        kept = {g: plain[g] for g in sorted(plain) if len(plain[g]) <= 60}
        postings = _trigram_postings(forms, 60)
        assert postings.keys == list(kept)
        assert [list(postings.get(k)) for k in postings.keys] == list(kept.values())


_WORD = re.compile(r"\w+")


def _plain_ascii_spans(text: str) -> list[tuple[str, str]]:
    """legal._ascii_spans as it was: every word's place found first."""
    forms = legal.ascii_forms()
    longest = max(map(len, forms))
    spans = list(re.finditer(r"[a-z0-9]+", text))
    words = [w.group() for w in spans]
    found: list[tuple[str, str]] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            compact = forms.get(tuple(words[i:i + size]))
            if compact is not None:
                found.append((text[spans[i].start():spans[i + size - 1].end()], compact))
                i += size
                break
        else:
            i += 1
    return found


def _plain_legal_form_spans(text: str) -> tuple[tuple[str, str], ...]:
    """legal_form_spans as it was: the ASCII spellings looked for in every name, rigour asked
    through its wrapper."""
    found = _plain_ascii_spans(text) if text.isascii() else []
    if text.isascii() and len(_WORD.findall(text)) < 3:
        return tuple(found)
    extract_org_types, folded, strong = legal._rigour()
    hits = list(extract_org_types(text))
    if text.isascii():
        hits += extract_org_types(text, normalize_flags=folded, cleanup=strong)
    for spelled, compact in sorted(hits, key=lambda hit: -len(hit[0])):
        start = text.find(spelled)
        if start < 0 or any(spelled in other for other, _ in found):
            continue
        at_end = not _WORD.search(text[start + len(spelled):])
        if len(spelled) >= 6 or at_end:
            found = [(s, c) for s, c in found if s not in spelled]
            found.append((spelled, compact.replace(" ", "")))
    return tuple(found)


def test_legal_forms_and_words_as_plainly_found(texts):
    _not_word = re.compile(r"[^a-z0-9]+")
    apostrophe = re.compile(r"(?<=[a-z])['’`](?=[a-z])")
    spans = 0
    for text in texts:
        for variant in (clean(text).casefold(), clean(text), f"{text} O'Brien_x 2nd"):
            assert legal.legal_form_spans.__wrapped__(variant) == \
                _plain_legal_form_spans(variant), variant
            plain = apostrophe.sub("", normalize._ascii(variant).casefold().replace("&", " and "))
            assert normalize.basic_tokens(variant) == [t for t in _not_word.split(plain) if t]
        spans += bool(legal.legal_form_spans(clean(text).casefold()))
    assert spans > 10_000


def _plain_rewrite(tokens: list[str], read_pinyin: bool, legal_words: list[str]
                   ) -> tuple[list[str], list[str], list[str]]:
    """normalize._rewrite without its shortcuts: at each word the longest phrase of the table
    (any length), else a legal word, else the word read alone (its spelling repaired, then a
    one-word synonym unless a legal form)."""
    vocab = vocabulary()
    table = vocab.pinyin_phrases if read_pinyin else vocab.phrases
    out: list[str] = []
    core: list[str] = []
    legal_forms: list[str] = []
    i = 0
    while i < len(tokens):
        for size in range(len(tokens) - i, 0, -1):
            phrase = table.get(tuple(tokens[i:i + size]))
            if phrase is not None:
                out.extend(phrase.canonical)
                if phrase.legal:
                    legal_forms.append(" ".join(phrase.canonical))
                else:
                    core.extend(phrase.canonical)
                i += size
                break
        else:
            token = tokens[i]
            if token in legal_words:
                out.append(token)
                legal_forms.append(token)
            else:
                spelt = normalize._spelling(token)
                phrase = table.get((spelt,))
                words = phrase.canonical if phrase is not None and not phrase.legal else (spelt,)
                out.extend(words)
                core.extend(words)
            i += 1
    # ("no" is a stopword before a number only: "No. 9 Plant", but "NO, Kwang Chol")
    core = [t for i, t in enumerate(core) if t not in vocab.stopwords or (
        t == "no" and not (i + 1 < len(core) and core[i + 1][0].isdigit()))] or core
    if not core and legal_forms:
        core = [t for form in legal_forms for t in form.split()]
    return out, core, legal_forms


def _plain_latin_form(text: str, read_pinyin: bool) -> tuple[str, tuple[str, ...],
                                                              tuple[str, ...]]:
    """(text, tokens, legal forms) of normalize._latin_form, made with the plain helpers: the
    legal forms found in the case-folded text, its words found afresh (`basic_tokens`); a
    legal form glued to the name written apart first, numbers in words and misspelt legal forms
    read in every name (`_latin_form` reads them only where its set lookup finds a word)."""
    text = normalize._glued_legal_forms(text)[0]
    folded = text.casefold()
    marked: list[str] = []
    for spelled, compact in _plain_legal_form_spans(folded):
        if tuple(normalize.basic_tokens(spelled)) in vocabulary().phrases or \
                normalize._ends_initials(folded, spelled):  # (K.A.S. is kas, not k and A.S.)
            continue
        folded = folded.replace(spelled, f" {compact} ", 1)
        marked.append(compact)
    tokens = normalize._joined_initials(normalize.basic_tokens(folded))  # (A.B.C. is abc)
    tokens = [re.sub(r"^(\d+)(?:st|nd|rd|th)$", r"\1", t) for t in tokens]
    tokens = normalize._legal_spellings(read_numbers(tokens)[0])[0]
    out, core, legal_forms = _plain_rewrite(tokens, read_pinyin, marked)
    return " ".join(out), tuple(core), tuple(legal_forms)


def test_latin_forms_as_plainly_made(texts):
    """The forms of Latin-script names (the words found once for the legal forms and the
    tokens, the phrase loop's shortcuts) are those the plain helpers make, read either way."""
    asked = [clean(t) for t in texts if t.isascii()]
    assert len(asked) > 50_000
    asked += [f"{t} & Sons O'Brien_x 2nd" for t in asked[::50]] + [
        "Acme Gesellschaft mit beschraenkter Haftung", "Acme Anonim Sirketi", "Limited",
        "Polmex Spolka z ograniczona odpowiedzialnoscia", "Acme 3rd Co., Ltd.", "Acme S.A.",
        "Acme Joint-Stock Company", "OOO `Acme`", "Acme Co_Ltd Limited", "A & B Co Ltd",
        "A.B.C. Trading Co., Ltd.", "L.X.C Limited", "T. E. G. & Sons", "John F. Kennedy",
        "SiemensAG", "Acme Aktiengeselschaft", "Acme Joynt Stock Company", "Brigade Forty 4",
        "First Ocean GmbH", "Accesos SADE CV"]
    made = {True: 0, False: 0}
    for text in asked:
        for read_pinyin in (True, False):
            form = normalize._latin_form(text, text, "latin" if read_pinyin else "syllabic")
            assert (form.text, form.tokens, form.legal_forms) == \
                _plain_latin_form(text, read_pinyin), (text, read_pinyin)
            made[read_pinyin] += bool(form.legal_forms)
    assert min(made.values()) > 15_000


def test_phrases_as_read_word_by_word(texts):
    """The shortcut for names where no phrase starts reads as the phrase loop does (a legal
    word no name has sends `_rewrite` through the loop); a word's kept reading is the one made
    afresh (its spelling repaired, then looked up)."""
    never = ["\x00"]
    shortcut = 0
    for text in texts:
        tokens = normalize.basic_tokens(clean(text))
        for read_pinyin in (True, False):
            assert normalize._rewrite(tokens, read_pinyin, []) == \
                normalize._rewrite(tokens, read_pinyin, never), (text, read_pinyin)
        shortcut += normalize._phrase_sizes(True).keys().isdisjoint(tokens)
    assert shortcut > 20_000  # most names take the shortcut
    vocab = vocabulary()
    for read_pinyin, table in ((True, vocab.pinyin_phrases), (False, vocab.phrases)):
        kept = normalize._SINGLE[read_pinyin]
        assert len(kept) > 10_000
        for token, words in list(kept.items())[::7]:
            assert normalize._single_word(token, table, {}) == words, token
            spelt = normalize._spelling(token)
            assert words in ((spelt,), getattr(table.get((spelt,)), "canonical", None))


def test_skeletons_of_many_tokens_are_each_tokens():
    tokens = ["mohammad", "qaidah", "hh", "", "aeiou", "llama", "a\nb", "tikriti", "ssh"]
    assert skeletons(tokens) == [skeleton(t) for t in tokens]
    assert skeletons(tokens[:1]) == [skeleton(tokens[0])]
    assert skeletons([]) == []


def test_skeletons_on_the_full_csl(full_screener):
    tokens = list(full_screener.index.tokens.keys)
    assert skeletons(tokens) == [skeleton(t) for t in tokens]


def test_ascii_cleaning_and_latin_forms_as_plainly_made(texts):
    import unicodedata

    from exportguard.names.normalize import NameForm

    control = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")
    asked = [t for t in texts if t.isascii()] + ["a\x00b\tc\x1f d  ", " \x7f", "", " a", "a ",
                                                 "a  b", "a\x0bb", "a\x1cb", " ", "a b"]
    for text in asked:
        plain = " ".join(control.sub(" ", unicodedata.normalize("NFKC", text)).split())
        assert clean(text) == plain
    for text in texts[:5000]:
        for form in name_forms(text, every=False):
            again = NameForm(*form)
            assert type(form) is NameForm and again.tokens == form.tokens
            assert form == again and hash(form) == hash(again) and repr(form) == repr(again)


def test_listed_forms_are_the_usual_readings_kept_apart(texts):
    """`listed_forms` (the build's normaliser) gives `name_forms(text, every=False)` of every
    CSL text, Chinese local names' usual reading among them, and keeps it in its own store."""
    readings = 0
    for text in texts:
        assert normalize.listed_forms(text) == name_forms(text, every=False), text
        readings += name_forms(text, every=False) != name_forms(text, every=True)
    assert readings > 100  # names in characters with readings beyond the usual one
    assert normalize.listed_forms(texts[-1]) is normalize._LISTED[texts[-1]]
