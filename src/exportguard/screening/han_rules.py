"""Rules for a query written in Chinese characters compared with a listed name read otherwise
(issue 16): how much its business words weigh, and the conflicts that keep an unlisted Chinese
company apart from a listed party whose English name it shares words with. Each rule says in
a feature how the query was read (see `screener.Screener._match`)."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from exportguard.names.chinese import (
    HAN_RUN,
    business_tail,
    numbered_key,
    segment,
    simplified,
    spelt_out,
    trade_name,
)
from exportguard.names.normalize import NameForm, basic_tokens, name_forms
from exportguard.names.terms import filler_tokens, generic_tokens, place_words_apart, vocabulary
from exportguard.screening.features import INSTITUTION_WORDS, kind_conflict

# The business and organisation words after the trade name of a query in characters (工业, 集团 of
# 沈阳飞机工业(集团)有限公司) weigh this share of their usual weight on the query's side: the
# English name of the same company often words them otherwise or leaves them out ("Shenyang
# Aircraft Corporation"), while the place and trade name say which company it is.
BUSINESS_WORD_SHARE = 0.25
# A listed name that is one short word (an acronym: TCL, AVIC; others describing only, as in
# MEC International) met by a query in characters whose reading has more words (TCL科技集团
# "tcl technology group"): acronyms are shared by many parties, and the name in characters
# says which company it is.
ACRONYM_ONLY = -0.10
_ACRONYM_LETTERS = 4


@lru_cache(maxsize=4096)
def business_words(text: str) -> frozenset[str]:
    """The English words of the business and organisation words after the trade name of a
    query in characters (`chinese.business_tail`; legal forms are left out of the words
    compared anyway)."""
    return frozenset(t for word in business_tail(text) for form in name_forms(word)
                     if not form.legal_forms for t in form.tokens)


def lighter_against(form: NameForm, listed: NameForm) -> bool:
    """Whether the query's business words weigh less against this listed name: not when it is
    itself read from characters (中国卫星 lacks 网络 of 中国卫星网络集团: written in characters,
    a missing word is missing), nor when it has a word the query lacks that says what it does
    (Changjiang Cunchu, read "changjiang memory", against 南京长江电子信息产业集团: what the
    business words would be weighed against); places and words such as company or enterprise
    may be missing."""
    if listed.kind.startswith("han"):
        return False
    filler = filler_tokens()
    return all(t in form.tokens or t in filler for t in listed.tokens)


def company_not_institution(text: str, form: NameForm, listed: NameForm
                            ) -> tuple[str, str] | None:
    """(trade name, institution word) when the query in characters names a company by its
    structure (a trade name, 华东电脑 -> 电脑, and no word of an institution in its reading)
    and the listed name is an institution the query's reading lacks ("East China Institute of
    Computing Technology"): what `features.kind_conflict` finds when a company has a legal form
    or words of its own."""
    if kind_conflict(form, listed) is not None:
        return None  # already counted
    theirs = INSTITUTION_WORDS.intersection(listed.tokens)
    if not theirs or INSTITUTION_WORDS.intersection(form.tokens) or listed.legal_forms:
        return None
    trade = trade_name(text)
    return (trade, min(theirs)) if trade else None


def acronym_only(form: NameForm, listed: NameForm) -> str | None:
    """The listed name's one word of its own ("MEC" of "MEC International": the others describe)
    when it is short (an acronym, with letters) and the query's reading has other words besides
    it."""
    generic = generic_tokens()
    own = {t for t in listed.tokens if t not in generic} or set(listed.tokens)
    if len(own) != 1:
        return None
    word = own.pop()
    if (len(word) > _ACRONYM_LETTERS or not any(c.isalpha() for c in word)
            or word not in form.tokens or len(set(form.tokens)) < 2):
        return None  # a number (58 of CETC's 58th institute) is no acronym: it names one party
    return word


# A query in characters whose other words contradict the listed party: the place it names is not
# the party's, the business it says it is in is none of the party's, or it numbers another
# institute. Chinese enterprise names are registered as place + trade name + industry +
# organisation form, and the same trade name may be registered again in another place or another
# industry (Provisions on the Administration of Enterprise Name Registration, State Council
# Order 734, arts. 6-8 and 17: https://www.gov.cn/zhengce/content/2020-12/28/content_5574256.htm),
# so a shared trade name (科达 of 科达制造 and of 苏州科达科技) with another place or another
# industry is another company: 西安光机所 is not 长春光机所, 联合能源集团 not 中国联合网络通信. The
# party's own names (every name, alias and curated name of the entry) decide what is its: a
# query that shortens one of them, or names a place or business one of them has, contradicts
# nothing.
CONTRADICTED = -0.15

# Business kinds: the words a Chinese name (matched inside the characters) or an English name
# (whole words) says them with. A kind the query names and none of the party's names has is a
# contradiction; generic words (科技, 技术, 信息, 智能, 集团, 实业...) name no kind. The English
# side is generous (any word that could say the kind), the query's side strict.
BUSINESS_KINDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "bank": (("银行",), ("bank", "banking")),
    "securities": (("证券",), ("securities", "security", "brokerage")),
    "insurance": (("保险", "人寿", "财险"), ("insurance", "life", "assurance", "insurer")),
    "accounting": (("会计师事务所",), ("accounting", "accountants", "cpa", "cpas", "audit")),
    "law firm": (("律师事务所",), ("law", "lawyers", "legal")),
    "investment": (("投资", "控股", "资本", "资产管理", "金融", "租赁", "基金", "信托", "期货"),
                   ("investment", "investments", "holding", "holdings", "capital", "asset",
                    "assets", "finance", "financial", "leasing", "fund", "funds", "trust",
                    "futures", "venture", "ventures")),
    "automobiles": (("汽车",), ("automobile", "automobiles", "automotive", "auto", "autos",
                               "motor", "motors", "vehicle", "vehicles", "car", "cars")),
    "food and drink": (("乳品", "乳业", "乳制品", "食品", "饮料", "酒业", "啤酒", "酿酒"),
                       ("dairy", "food", "foods", "beverage", "beverages", "brewery", "wine",
                        "liquor", "drinks")),
    "pharmaceuticals": (("药业", "制药", "医药"), ("pharmaceutical", "pharmaceuticals", "pharma",
                                                 "medicine", "medicines", "medical", "drug")),
    "real estate": (("地产", "置业"), ("estate", "property", "properties", "realty")),
    "energy": (("能源", "石油", "石化", "天然气", "油气", "电力", "煤炭", "燃气"),
               ("energy", "oil", "petroleum", "petrochemical", "gas", "power", "coal",
                "nuclear", "electric", "electricity")),
    "electronics": (("电子", "电器", "光电"), ("electronic", "electronics", "electric",
                                             "electrical", "optoelectronic", "optoelectronics",
                                             "microelectronic", "microelectronics", "optronic",
                                             "optronics", "photoelectric", "semiconductor",
                                             "semiconductors", "optical")),
    "telecommunications": (("通信", "通讯", "电信"), ("communication", "communications", "telecom",
                                                  "telecommunication", "telecommunications",
                                                  "unicom", "network", "networks")),
    "semiconductors": (("半导体", "集成电路", "芯片", "晶圆"),
                       ("semiconductor", "semiconductors", "integrated", "circuit", "circuits",
                        "chip", "chips", "ic", "microelectronic", "microelectronics", "wafer",
                        "electronic", "electronics")),
    "software": (("软件",), ("software", "computer", "computing", "information", "informatics",
                            "digital")),
    "materials and chemicals": (("材料", "化工", "化学"), ("material", "materials", "chemical",
                                                        "chemicals", "chemistry")),
    "machinery": (("制造", "机械", "装备", "设备", "重工", "机床", "机器人"),
                  ("manufacturing", "manufacture", "manufacturer", "machinery", "machine",
                   "machines", "equipment", "heavy", "industry", "industries", "industrial",
                   "robot", "robotics", "tool", "tools", "works", "plant", "factory")),
    "shipbuilding": (("船舶", "造船", "船厂"), ("ship", "ships", "shipbuilding", "shipyard",
                                            "marine", "offshore", "vessel")),
    "aerospace": (("航空", "航天", "飞机"), ("aviation", "aeronautic", "aeronautics",
                                          "aeronautical", "aerospace", "astronautics", "aircraft",
                                          "aero", "space", "airlines", "airline")),
    "textiles": (("纺织", "化纤"), ("textile", "textiles", "fiber", "fibre", "cotton")),
    "metals and mining": (("钢铁", "冶金", "矿业", "稀土", "有色金属"),
                          ("steel", "iron", "metallurgy", "metallurgical", "mining", "minerals",
                           "metals", "rare", "earth")),
    "logistics": (("物流", "航运", "海运", "快递"), ("logistics", "shipping", "express",
                                                "transport", "transportation", "freight")),
    "trading": (("贸易", "商贸", "进出口"), ("trading", "trade", "import", "export", "imports",
                                          "exports")),
}
# Province-level divisions (https://www.gov.cn/guoqing/2005-09/13/content_5043917.htm); the
# municipalities, the SARs and 吉林 (province and city) are places of both levels. Two places
# contradict each other only at the same level (广东 and 深圳 do not).
_PROVINCES = frozenset({"浙江", "江苏", "内蒙古", "新疆", "西藏", "广东", "四川", "湖南", "湖北",
                        "安徽", "福建", "山东", "陕西", "黑龙江", "吉林", "辽宁", "河北", "河南",
                        "山西", "江西", "广西", "云南", "贵州", "甘肃", "青海", "宁夏", "海南",
                        "台湾"})
_BOTH_LEVELS = frozenset({"北京", "上海", "天津", "重庆", "香港", "澳门", "吉林"})
# Legal forms of a company in characters (the first three found anywhere, 公司 at the end), and
# the words of one in Latin letters; words of universities and institutes.
_HAN_COMPANY = ("有限公司", "股份公司", "有限责任公司", "公司")
_LATIN_COMPANY = frozenset({"co", "company", "corporation", "corp", "ltd", "limited", "inc",
                            "llc", "plc", "group", "holding", "holdings", "enterprise",
                            "enterprises"})
_HAN_INSTITUTION = ("大学", "学院", "研究所", "研究院", "科学院", "学校")
_LATIN_INSTITUTION = frozenset({"university", "institute", "academy", "college", "school",
                                "laboratory"})
# Regions (西北 of 西北工业大学, 华东 of 华东电脑) describe, they do not place a party.
_REGIONS = frozenset({"西北", "东北", "西南", "东南", "华南", "华东", "华北", "华中"})


@dataclass(frozen=True, slots=True)
class NameFacts:
    """What a name says besides its trade name: its places (simplified characters), its business
    kinds (keys of BUSINESS_KINDS) and its numbers (an institute's, as digits)."""

    places: frozenset[str]
    kinds: frozenset[str]
    numbers: frozenset[str]
    company: bool = False  # a company's legal form (有限公司, Co., Ltd., Corporation...)
    institution: bool = False  # a university's or an institute's word (大学, 研究所, Institute...)


def _levels(place: str) -> set[str]:
    if place in _BOTH_LEVELS:
        return {"province", "city"}
    return {"province"} if place in _PROVINCES else {"city"}


@lru_cache(maxsize=8192)
def han_facts(text: str) -> NameFacts:
    """The places, business kinds and institute numbers of a name in characters (simplified,
    short forms spelt out, numbers as digits: `chinese.numbered_key`)."""
    chars = numbered_key(spelt_out(simplified(text)))
    han = "".join(HAN_RUN.findall(chars))
    places = frozenset(w.chars for w in segment(han)
                       if w.how == "place" and w.chars not in _REGIONS) if han else frozenset()
    kinds = frozenset(kind for kind, (words, _) in BUSINESS_KINDS.items()
                      if any(w in chars for w in words))
    # 中国电子科技集团公司第十四研究所 is an institute of a company, not a company.
    company = han.endswith(_HAN_COMPANY) or any(f in han for f in _HAN_COMPANY[:3])
    institution = any(w in han for w in _HAN_INSTITUTION)
    return NameFacts(places, kinds, frozenset(re.findall(r"[0-9]+", chars)), company,
                     institution)


@lru_cache(maxsize=8192)
def latin_facts(text: str) -> NameFacts:
    """The same read from a name in Latin letters (words, and places by their pinyin)."""
    words = basic_tokens(text)
    by_pinyin, longest = _places_by_pinyin(), _place_words()
    # A place's pinyin is one word or a few in a row: the runs of words looked up (the same
    # as finding " pinyin " among the words joined by spaces, for far fewer look-ups).
    places = frozenset(by_pinyin[run] for size in range(1, longest + 1)
                       for start in range(len(words) - size + 1)
                       if (run := " ".join(words[start:start + size])) in by_pinyin)
    present = set(words)
    by_word = _kinds_by_word()
    kinds = frozenset(kind for word in present for kind in by_word.get(word, ()))
    numbers = frozenset(m for w in words for m in re.findall(r"^([0-9]+)(?:st|nd|rd|th)?$", w))
    return NameFacts(places, kinds, numbers, bool(present & _LATIN_COMPANY),
                     bool(present & _LATIN_INSTITUTION))


@cache
def _places_by_pinyin() -> dict[str, str]:
    found: dict[str, str] = {}
    apart = place_words_apart()
    for chars, pinyin in vocabulary().han_places.items():  # the table's own places first
        if chars not in _REGIONS and pinyin not in apart:  # jian is a given name, not 吉安
            found.setdefault(pinyin, chars)  # suzhou is 苏州 (宿州 reads so too)
    return found


@cache
def _place_words() -> int:
    """The most words a place's pinyin has."""
    return max((len(pinyin.split(" ")) for pinyin in _places_by_pinyin()), default=0)


@cache
def _kinds_by_word() -> dict[str, tuple[str, ...]]:
    """Each English word of BUSINESS_KINDS -> the kinds it says."""
    found: dict[str, list[str]] = {}
    for kind, (_, english) in BUSINESS_KINDS.items():
        for word in english:
            found.setdefault(word, []).append(kind)
    return {word: tuple(kinds) for word, kinds in found.items()}


def party_facts(names: Sequence[str]) -> NameFacts:
    """What any of a party's names says (a place, kind or number one name has is the party's)."""
    found = [han_facts(n) if HAN_RUN.search(n) else latin_facts(n) for n in names]
    return NameFacts(frozenset().union(*(f.places for f in found)),
                     frozenset().union(*(f.kinds for f in found)),
                     frozenset().union(*(f.numbers for f in found)),
                     any(f.company for f in found), any(f.institution for f in found))


def contradiction(query: NameFacts, party: NameFacts) -> str | None:
    """How the query's words contradict the party's names, or None: another place of the same
    level and none of the party's; a business kind none of the party's names has; a company
    (its legal form) against a university or institute none of whose names is a company's; an
    institute number the party's numbered names do not carry."""
    if query.places and party.places and not query.places & party.places:
        levels = {level for place in party.places for level in _levels(place)}
        mine = sorted(p for p in query.places if _levels(p) & levels)
        if mine:
            return (f"the query names the place {'/'.join(mine)}, the listed party "
                    f"{'/'.join(sorted(party.places))}")
    other = sorted(query.kinds - party.kinds)
    if other:
        return (f"the query names a business ({', '.join(other)}) that none of the listed "
                "party's names has")
    if query.company and not query.institution and party.institution and not party.company:
        return "the query names a company, the listed party is a university or institute"
    if query.numbers and party.numbers and not query.numbers & party.numbers:
        return (f"the query numbers {'/'.join(sorted(query.numbers))}, the listed party "
                f"{'/'.join(sorted(party.numbers))}")
    return None


# A group relative: a query in characters that shares the party's trade name (合盛硅业, 浪潮, 光启)
# but has words of its own that none of the party's names has (股份 and no 鄯善 of 合盛硅业(鄯善)
# 有限公司; 国际 of 浪潮国际; 安徽 of 安徽光机所 against 长春光机所) names another legal person of
# the same group or trade name (a parent, a sister, a subsidiary: each is registered under its own
# name, State Council Order 734 cited above), not the listed party. It stays visible for a person
# to see, below the default threshold: group links are the ownership rules' business, not the
# name's.
RELATIVE_CEILING = 0.80
# Legal forms alone say nothing of which company of a group (有限公司 becomes 股份有限公司 when a
# company is converted, under the same registration); 集团 and 股份 name the group's parent or its
# listed company, so they count only against a listed name with words of its own (a place or a
# business: a named subsidiary). Words a listing reads as "technology" are interchangeable.
_LEGAL_TAIL = re.compile(r"有限责任公司|有限公司|总公司|公司")
_GROUP_WORDS = frozenset({"集团", "股份"})
_SAME_AS_TECHNOLOGY = frozenset({"科技", "技术"})


@dataclass(frozen=True, slots=True)
class Relative:
    """Why a query is a relative of the listed party: the trade name they share, the party's
    name in characters holding it, the query's words of its own and the listed name's."""

    trade: str
    listed: str
    mine: tuple[str, ...]
    theirs: tuple[str, ...]

    left_out: str | None = None

    def detail(self) -> str:
        theirs = (f"; the listed name has {', '.join(self.theirs)} the query lacks"
                  if self.theirs else "")
        how = (f"has words of its own none of the party's names has ({', '.join(self.mine)})"
               f"{theirs}" if self.mine else
               f"leaves out {self.left_out} of it and keeps the words after it")
        return (f"shares the trade name {self.trade} with the listed party's {self.listed}, but "
                f"{how}: likely a parent, sister or subsidiary, not the listed party")


def _rest_words(key: str, trade: str) -> list:
    """The words of a name in characters beyond its trade name, less legal forms and 中国."""
    rest = _LEGAL_TAIL.sub("", key.replace(trade, " ", 1))
    rest = re.sub(r"[^\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+", " ", rest)
    heads = {"中国", "中华"}
    return [w for part in rest.split() for w in segment(part) if w.chars not in heads]


_BRACKETED = re.compile(r"[(（]([^()（）]*)[)）]")


def bracketed_places(text: str) -> frozenset[str]:
    """The places a name in characters writes in brackets (鄯善 of 合盛硅业(鄯善)有限公司, 北京 of
    曙光信息产业(北京)有限公司): in a registered name they name the company registered there,
    usually a subsidiary (see `normalize.kept_in_brackets`)."""
    found = (w.chars for inner in _BRACKETED.findall(simplified(text))
             for run in HAN_RUN.findall(inner) for w in segment(run))
    return frozenset(found) & frozenset(vocabulary().han_places)


def relative(text: str, key: str, own: Sequence[str], latin_tokens: frozenset[str],
             party: NameFacts, left_out: Callable[[str, str], str | None]) -> Relative | None:
    """The query `text` (its characters `key`) as a relative of a party whose names in
    characters are `own` (simplified keys) and whose other names have `latin_tokens`, or None.
    A relative shares a trade name with one of `own`, is none of them nor a shortening of one,
    and either has a word of its own that no name of the party has (a place where the party
    names another or in brackets, a business word, 集团 or 股份 against a named subsidiary or a
    party named by the other), or leaves out a word of the party's name whole and keeps the
    words after it (`left_out`: 中国航空集团有限公司 against 中国航空工业集团有限公司)."""
    # The trade name of the name as written: a place in brackets after it is not part of it.
    trade = trade_name(text) or trade_name(key)
    holders = [name for name in own if trade and trade in name]
    if not trade or not holders or any(key == name for name in own):
        return None
    mine = _rest_words(key, trade)
    bracketed = bracketed_places(text)
    query_chars = {w.chars for w in mine}
    theirs_by_name = {name: [w for w in _rest_words(name, trade)
                             if w.chars not in query_chars and w.chars not in _GROUP_WORDS]
                      for name in holders}
    # Shown: the party's name sharing most characters with the query.
    listed = max(holders, key=lambda n: (sum(c in key for c in n), -len(n)))
    named_subsidiary = all(theirs_by_name[n] for n in holders)
    distinct: list[str] = []
    for word in mine:
        if any(word.chars in name for name in own):
            continue
        if word.how == "place":
            # A place the party names otherwise, or one in brackets the party's names lack.
            if word.chars not in party.places and (party.places or word.chars in bracketed):
                distinct.append(word.chars)
            continue
        if word.how == "number" or word.chars in _SAME_AS_TECHNOLOGY:
            continue
        if word.chars in _GROUP_WORDS and not named_subsidiary and not any(
                other in name and other not in key
                for other in _GROUP_WORDS - {word.chars} for name in own):
            continue  # 集团 against a party named 股份 (or the reverse) is another company
        readings = [f.tokens for e in word.english for f in name_forms(e, False)]
        if any(r and all(t in latin_tokens for t in r) for r in readings):
            continue
        distinct.append(word.chars)
    if distinct:
        return Relative(trade, listed, tuple(distinct),
                        tuple(w.chars for w in theirs_by_name[listed]))
    for name in holders:
        word = left_out(key, name)
        if word is not None:
            return Relative(trade, name, (), (), word)
    return None


# A query in characters that is a place (or nothing) and a numbered unit: 南京55所, 合肥38所,
# 西安771所, 二〇二厂. Chinese research institutes and state factories are known by their numbers
# (中国电子科技集团公司第五十五研究所 is called 南京55所 or 中电科55所 where it stands, "南京55所
# ... 通常指的是中国电子科技集团公司第五十五研究所", https://www.thjunshi.com/yxuwd/202508/2432256.html),
# and the English listing keeps the number ("55th Research Institute", "202 Plant"). Numbers are
# shared across groups (CETC's 23rd institute in Shanghai, CASIC's 23rd in Beijing), so the place
# the query names must be one of the listed party's places; a number alone is read so only with
# three digits or more (an institute or plant code, not 第一研究所) and for a Chinese party.
NUMBERED_IN_PLACE = 0.92
NUMBERED_ALONE = 0.88
_NUMBERED_UNIT = re.compile(r"^(?P<head>.*?)(?<![0-9])(?P<number>[0-9]+)"
                            r"(?P<unit>研究所|研究院|设计院|设计所|分厂|工厂|厂|基地)$")
UNIT_WORDS = {
    "研究所": frozenset({"institute"}), "设计所": frozenset({"institute"}),
    "研究院": frozenset({"institute", "academy"}), "设计院": frozenset({"institute"}),
    "厂": frozenset({"factory", "plant", "works"}),
    "工厂": frozenset({"factory", "plant", "works"}),
    "分厂": frozenset({"factory", "plant", "works", "branch"}), "基地": frozenset({"base"}),
}
_ALONE_DIGITS = 3
_PARENT_WORDS = 2


@dataclass(frozen=True, slots=True)
class NumberedUnit:
    """A query read as a numbered unit: its places, number and unit word (研究所, 厂...); `parent`
    when other words name the group or academy it belongs to (航天科工二院23所)."""

    places: frozenset[str]
    number: str
    unit: str
    parent: bool = False
    above: tuple[str, ...] = ()  # numbers before the unit's own (the academy's: 二院23所)

    def words(self) -> frozenset[str]:
        return UNIT_WORDS[self.unit]


@lru_cache(maxsize=4096)
def numbered_unit(key: str) -> NumberedUnit | None:
    """The query's exact key (`normalize.han_key`: 南京55研究所, 202厂) read as places and a
    numbered unit, or None when it has other words (a group's name: the exact and reading paths
    handle 中电科55所) or a number alone of fewer than three digits."""
    found = _NUMBERED_UNIT.match(key)
    if found is None:
        return None
    head, number = found.group("head"), found.group("number")
    places: set[str] = set()
    if re.search(r"[0-9]", head):  # an academy's number before the institute's (二院23所)
        return NumberedUnit(frozenset(), number, found.group("unit"), parent=True,
                            above=tuple(re.findall(r"[0-9]+", head)))
    if head:
        words = segment(head)
        suffixes = vocabulary().han_place_suffixes
        for word in words:
            if word.how == "place" and word.chars not in _REGIONS:
                places.add(next((word.chars[: -len(s)] for s in suffixes
                                 if word.chars.endswith(s) and len(word.chars) > len(s) + 1),
                                word.chars))
            elif word.chars not in suffixes:
                return NumberedUnit(frozenset(), number, found.group("unit"), parent=True)
    if not places and len(number) < _ALONE_DIGITS:
        return None
    return NumberedUnit(frozenset(places), number, found.group("unit"))


def numbered_agrees(unit: NumberedUnit, tokens: Sequence[str], party: NameFacts,
                    countries: Sequence[str]) -> bool:
    """Whether a listed name (its tokens) is the numbered unit the query reads as: the number and
    a word of the unit's kind in the name, and the query's place among the party's places (a
    number alone: a Chinese party)."""
    if unit.number not in tokens or not unit.words().intersection(tokens):
        return False
    if unit.parent:
        return True  # the parent's words: `parent_named`
    if unit.places:
        return bool(unit.places & party.places)
    return "CN" in countries


def parent_named(readings: Sequence[Sequence[str]], unit: NumberedUnit,
                 tokens: Sequence[str]) -> bool:
    """Whether some reading of a numbered unit's query names its parent with the listed name's
    words: every word of the reading but the number, the unit's words, 'group' and words that
    only describe (china, company...) is in the listed name, and at least two such words are
    (航天科工二院23所 'aerospace science and industry second academy 23 research institute'
    against CASIC's Second Academy, Subordinate Institution - 23rd Research Institute; 中国科学院
    23所 'china academy of sciences 23 research institute' names no parent by one shared
    'science'); an academy's number before the unit's is the listed name's too, and the listed
    name does not go on with words of its own after the unit (a subordinate of it)."""
    listed = set(tokens)
    if not all(n in listed or _ordinal(n) in listed for n in unit.above):
        return False  # another academy (三院23所 against the Second Academy's 23rd)
    filler = filler_tokens()
    skip = {unit.number, "group", "research", *unit.words()}
    # A name that goes on after its numbered unit with words of its own names a subordinate of
    # it ("13th Research Institute. Subordinate Institute: Envoltek"); an acronym may follow
    # ("55th Research Institute (CETC 55)").
    at = max(i for i, t in enumerate(tokens) if t == unit.number)
    after = [t for t in tokens[at + 1:] if t not in skip and t not in filler
             and not (t.isalpha() and len(t) <= _ACRONYM_LETTERS)]
    for reading in readings:
        own = [t for t in reading if t not in skip and t not in filler]
        if (len(own) >= _PARENT_WORDS and all(t in listed for t in own)
                and all(t in reading for t in after)):
            return True
    return False


_ORDINAL_WORDS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                  "ninth", "tenth", "eleventh", "twelfth")


def _ordinal(number: str) -> str | None:
    value = int(number)
    return _ORDINAL_WORDS[value - 1] if 1 <= value <= len(_ORDINAL_WORDS) else None


# A unit written with its parents' names in front of its own (issue 16): Chinese institutes are
# named so in full, 中国人民解放军军事科学院军事医学研究院野战输血研究所 (the PLA's Academy of
# Military Sciences, its Academy of Military Medical Sciences, then the institute), 中国航空工业
# 集团公司成都飞机设计研究所 (the AVIC group, then the institute), and a unit is written after its
# host's name (中山大学国家超级计算广州中心, the national supercomputing centre hosted by Sun
# Yat-sen University). The listing names the unit alone or with its parent in English ("Academy
# of Military Medical Sciences, Field Blood Transfusion Institution"), and curated names in
# characters often give the unit alone (野战输血研究所) or with a shorter or older parent
# (中航工业成都飞机设计研究所, 军事医学科学院生物工程研究所). Read whole, the parents' words
# outweigh the unit's and the own name in characters differs; so the query is also read as its
# unit (the words after a parent's last word) under its parents (the words before): see
# `screener.Screener._units_of_parents`.
UNIT_OF_PARENT = 0.95
# The last word of a parent: a group or company, an academy, a university or college, an
# administration, ministry or department, the army.
_PARENT_END = re.compile(r"集团有限公司|集团公司|有限责任公司|有限公司|集团|公司|科学院|研究院|"
                         r"大学|学院|总局|局|部|解放军|委员会")
# The last word of a unit: an institute, academy or design institute, a centre, a laboratory, a
# design department, a branch academy, an academy of sciences, a university or college, a
# company, a factory.
_UNIT_END = re.compile(r"(?:研究所|研究院|设计院|设计所|研究中心|中心|实验室|研究室|设计部|分院|"
                       r"科学院|大学|学院|有限责任公司|有限公司|厂)$")
_FORM_ONLY = re.compile(r"(?:股份|集团|控股|总)+")
_DIRECTION = re.compile(r"[东西南北中]部$")  # 新疆西部: a part of a place, no ministry
_UNIT_MIN = 4  # characters of a unit's name, its last word included
_UNIT_OWN = 2  # characters of a unit's name before its last word


@lru_cache(maxsize=8192)
def unit_splits(key: str) -> tuple[tuple[str, str], ...]:
    """(parents, unit) for each way the exact key of a name in characters (`normalize.han_key`)
    reads as a unit after its parents' names: the parents end with a parent's last word
    (集团公司, 研究院, 大学...) where a word ends (not 部 of 部件), the unit with a unit's
    (研究所, 中心...) and has two characters of its own or more, not only a legal form's
    (股份 of 集团股份有限公司 is the group's own form); the nearest parent first
    (中国人民解放军军事科学院军事医学研究院 / 野战输血研究所, then 中国人民解放军军事科学院 /
    军事医学研究院野战输血研究所...)."""
    if _UNIT_END.search(key) is None:
        return ()
    found: list[tuple[str, str]] = []
    for match in _PARENT_END.finditer(key):
        head, unit = key[: match.end()], key[match.end():]
        end = _UNIT_END.search(unit)
        if (len(head) >= 2 and len(unit) >= _UNIT_MIN and end is not None
                and end.start() >= _UNIT_OWN and not _FORM_ONLY.fullmatch(unit[: end.start()])
                and not _DIRECTION.search(head)):
            found.append((head, unit))
    if found:
        ends = set(itertools.accumulate(len(w.chars) for w in segment(key)))
        found = [(head, unit) for head, unit in found if len(head) in ends]
    return tuple(reversed(found))


def is_unit(key: str) -> bool:
    """Whether a name in characters ends with a unit's last word and has two characters of its
    own before it (野战输血研究所)."""
    end = _UNIT_END.search(key)
    return end is not None and len(key) >= _UNIT_MIN and end.start() >= _UNIT_OWN


@lru_cache(maxsize=4096)
def parent_parts(head: str) -> tuple[str, ...]:
    """The names a unit's parents are written with: each run of whole parents' names in `head`
    (中国人民解放军 / 军事科学院 / 军事医学研究院: each, and each run of them, the whole too)."""
    ends = [m.end() for m in _PARENT_END.finditer(head)]
    starts = [0, *ends]
    cuts = sorted({*ends, len(head)})
    parts = {head[a:b] for a in starts for b in cuts if b > a and b - a >= 2}
    return tuple(sorted(parts, key=lambda p: (-len(p), p)))


def unit_has_place(unit: str) -> bool:
    """Whether a unit's name says where it is (国家超级计算广州中心, 成都飞机设计研究所): a place
    word, which sets it apart from units of other parents with the same words (生物工程研究所
    names many institutes)."""
    return any(word.how == "place" and word.chars not in _REGIONS
               for word in segment(unit))


def parent_in_name(parent: Sequence[str], unit: Sequence[str]) -> bool:
    """Whether a listed unit's name (its tokens) holds the words of a listed parent's name
    (tokens) that say whose it is, two or more ("Academy of Military Medical Sciences" in
    "Academy of Military Medical Sciences, Field Blood Transfusion Institution")."""
    filler = filler_tokens()
    own = {t for t in parent if t not in filler}
    return len(own) >= _PARENT_WORDS and own.issubset(unit)


@lru_cache(maxsize=4096)
def reading_tokens(text: str) -> frozenset[str]:
    """Every word of every reading of a text in characters (`normalize.name_forms`)."""
    return frozenset(t for form in name_forms(text) for t in form.tokens)


def parent_only(key: str, listed: Sequence[str]) -> tuple[str, str, tuple[str, ...]] | None:
    """(parents, unit, the listed name's words) when a query in characters that names a unit
    under its parents (`unit_splits`, the nearest parent) meets a listed name (its tokens)
    whose every word that says whose it is (not a filler word: company, china...) is a word of
    the parents' readings: the listed name names a parent, or a party named like one, not the
    unit (中国人民解放军军事科学院 'china people's liberation army military academy of
    sciences' against the alias PEOPLE'S LIBERATION ARMY of Peru's Shining Path; a CETC
    institute's query against the CETC group). Held back like a group relative
    (RELATIVE_CEILING): group links are the ownership rules' business."""
    splits = unit_splits(key)
    if not splits:
        return None
    head, unit = splits[0]
    filler = filler_tokens()
    own = tuple(dict.fromkeys(t for t in listed if t not in filler))
    mine = reading_tokens(head)
    if not own or not all(t in mine for t in own):
        return None
    return head, unit, own
