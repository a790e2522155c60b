"""The labelled screening set: (query, expected entry key or None, variant kind).

Positives are drawn (seeded, deterministic) from organisation entries of the reference CSL: entries
typed 'Entity', plus untyped entries (EL, MEU, UVL, ISN, DPL, DTC publish no type) whose name looks
like an organisation (so the EL/DPL individuals are left out). The sample is stratified across
lists with a bias toward Chinese EL/CMIC/MEU entries. Each sampled entry yields two variants of
different kinds, chosen to keep the kinds balanced:

    exact, case_punct, typo, word_order, legal_form_dropped, legal_form_changed, abbreviation, alias

and every row of bench/data/chinese_names.csv yields a `chinese_chars` query and three `pinyin`
queries (full pinyin, pinyin brand with English terms, split syllables). Negatives are every line
of bench/data/negatives.txt that does not collide with a CSL name (expected None).

    from labelled import build_labelled_set
    pairs = build_labelled_set(entries)

Run it directly to print a summary and a few examples of each kind:
    .venv/bin/python bench/labelled.py [--show 3] [--json out.json]
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (
    CHINESE_NAMES,
    LEGAL_FORM_TOKENS,
    _words,
    filter_negatives,
    load_entries,
    read_negatives,
    simple_norm,
)

SEED = 20260731
SAMPLE_SIZE = 600
VARIANTS_PER_ENTRY = 2
MAX_NAME_CHARS = 100  # longer CSL names ("X. Affiliated Entity: Y ...") are not realistic queries

# Sampling strata: (label, predicate, share of SAMPLE_SIZE).
CN_LISTS = {"EL", "CMIC", "MEU"}

KINDS = (
    "exact",
    "case_punct",
    "typo",
    "word_order",
    "legal_form_dropped",
    "legal_form_changed",
    "abbreviation",
    "alias",
)
ALL_KINDS = (*KINDS, "chinese_chars", "pinyin", "negative")


@dataclass(frozen=True, slots=True)
class LabelledPair:
    query: str
    expected_key: str | None  # None: a negative, nothing should match
    variant_kind: str
    expected_name: str | None = None  # the listed name the query was made from
    detail: str = ""  # e.g. the pinyin style, the alias used

    @property
    def positive(self) -> bool:
        return self.expected_key is not None


# --------------------------------------------------------------------------- organisation filter

_ORG_WORDS = frozenset(
    _words(
        """
        group institute institution university academy center centre company technology
        technologies tech trading trade industry industries industrial electronics electronic
        engineering research factory plant bureau holding holdings international enterprise
        enterprises laboratory laboratories lab labs bank systems system solutions services service
        import export logistics shipping aviation communications communication telecom corps agency
        organization organisation ministry department office association foundation network
        networks science sciences development equipment machinery manufacturing products supply
        supplies commercial commerce investment investments partners consulting energy oil gas
        petroleum chemical chemicals metals marine air airlines airways aerospace defense defence
        military police army navy force forces school college hospital fund trust capital
        securities insurance media information software semiconductor semiconductors
        microelectronics instruments optics optical photonics power electric materials motors
        automotive construction design precision intelligent
        """
    )
)


def is_organisation(entry) -> bool:
    if entry.type == "Entity":
        return True
    if entry.type is not None:  # Individual, Vessel, Aircraft
        return False
    words = set(simple_norm(entry.name).split())
    raw = set(re.sub(r"[^\w\s]", " ", entry.name.casefold()).split())
    return bool(words & _ORG_WORDS) or bool(raw & LEGAL_FORM_TOKENS)


def _usable_name(name: str) -> bool:
    return 3 <= len(name) <= MAX_NAME_CHARS and ";" not in name and "\n" not in name


# --------------------------------------------------------------------------- legal forms

# Trailing legal forms, longest first. Group 1 is the separator before the form.
_TRAILING_FORMS = [
    r"(?:Open|Closed|Public|Private)\s+Joint[- ]Stock\s+Company",
    r"FZ[- ]?LLC",
    r"FZ[- ]?CO",
    r"Company\s+Limited",
    r"Co\.?,?\s*Ltd\.?",
    r"Co\.?,?\s*Limited",
    r"Corporation\s+Limited",
    r"Corp\.?,?\s*Ltd\.?",
    r"Limited\s+Liability\s+Company",
    r"Joint[- ]Stock\s+Company",
    r"Public\s+Joint\s+Stock\s+Company",
    r"Private\s+Limited",
    r"Pvt\.?\s*Ltd\.?",
    r"Pte\.?\s*Ltd\.?",
    r"Sdn\.?\s*Bhd\.?",
    r"Limited",
    r"Ltd\.?",
    r"Corporation",
    r"Corp\.?",
    r"Incorporated",
    r"Inc\.?",
    r"L\.?L\.?C\.?",
    r"Company",
    r"Co\.",
    r"P\.?L\.?C\.?",
    r"GmbH",
    r"JSC",
    r"FZE",
    r"FZCO",
    r"FZC",
    r"LLP",
    r"S\.?A\.?",
    r"A\.?G\.?",
    r"B\.?V\.?",
    r"N\.?V\.?",
]
_TRAILING_RE = re.compile(
    r"(?P<sep>,?\s+)(?P<form>" + "|".join(_TRAILING_FORMS) + r")(?P<tail>\s*)$", re.IGNORECASE
)
_LEADING_FORMS = [
    r"Closed\s+Joint\s+Stock\s+Company",
    r"Open\s+Joint\s+Stock\s+Company",
    r"Public\s+Joint\s+Stock\s+Company",
    r"Joint\s+Stock\s+Company",
    r"Limited\s+Liability\s+Company",
    r"OOO",
    r"OAO",
    r"ZAO",
    r"PAO",
    r"AO",
    r"JSC",
    r"CJSC",
    r"OJSC",
    r"PJSC",
    r"LLC",
    r"TOV",
]
_LEADING_RE = re.compile(
    r"^(?P<form>" + "|".join(_LEADING_FORMS) + r")\s+(?P<rest>\S.*)$", re.IGNORECASE
)

_TRAILING_ALTERNATIVES = [
    "Co., Ltd.",
    "Limited",
    "Corporation",
    "Company Limited",
    "Co Ltd",
    "Corp.",
    "Inc.",
    "LLC",
]
_LEADING_ALTERNATIVES = {
    "llc": ["OOO", "Limited Liability Company"],
    "ooo": ["LLC", "Limited Liability Company"],
    "limited liability company": ["OOO", "LLC"],
    "jsc": ["AO", "Joint Stock Company"],
    "ao": ["JSC", "Joint Stock Company"],
    "joint stock company": ["AO", "JSC"],
    "oao": ["OJSC", "Open Joint Stock Company"],
    "ojsc": ["OAO", "Open Joint Stock Company"],
    "open joint stock company": ["OAO", "OJSC"],
    "zao": ["CJSC", "Closed Joint Stock Company"],
    "cjsc": ["ZAO", "Closed Joint Stock Company"],
    "closed joint stock company": ["ZAO", "CJSC"],
    "pao": ["PJSC", "Public Joint Stock Company"],
    "pjsc": ["PAO", "Public Joint Stock Company"],
    "public joint stock company": ["PAO", "PJSC"],
    "tov": ["LLC"],
}


def _form_key(form: str) -> str:
    return re.sub(r"[^a-z]", "", form.casefold())


def drop_legal_form(name: str) -> str | None:
    m = _TRAILING_RE.search(name)
    if m and m.start() > 0:
        rest = name[: m.start()].rstrip(" ,")
        if len(rest) >= 3:
            return rest
    m = _LEADING_RE.match(name)
    if m:
        return m.group("rest")
    return None


def change_legal_form(name: str, rng: random.Random) -> str | None:
    m = _TRAILING_RE.search(name)
    if m and m.start() > 0:
        current = _form_key(m.group("form"))
        options = [f for f in _TRAILING_ALTERNATIVES if _form_key(f) != current]
        # keep it plausible: Co Ltd <-> Limited <-> Corporation families first
        choice = rng.choice(options)
        sep = ", " if choice in ("Inc.", "LLC") else " "
        return name[: m.start()].rstrip(" ,") + sep + choice
    m = _LEADING_RE.match(name)
    if m:
        options = _LEADING_ALTERNATIVES.get(" ".join(m.group("form").casefold().split()))
        if options:
            return f"{rng.choice(options)} {m.group('rest')}"
    return None


# --------------------------------------------------------------------------- other variants

_ABBREVIATIONS = [
    ("Technologies", "Tech"),
    ("Technology", "Tech"),
    ("International", "Intl"),
    ("Manufacturing", "Mfg"),
    ("Company", "Co"),
    ("Corporation", "Corp"),
    ("Limited", "Ltd"),
    ("Industries", "Inds"),
    ("Industrial", "Indl"),
    ("Engineering", "Eng"),
    ("Electronics", "Elec"),
    ("Information", "Info"),
    ("Equipment", "Equip"),
    ("Institute", "Inst"),
    ("University", "Univ"),
    ("Science", "Sci"),
    ("Development", "Dev"),
    ("Communications", "Comms"),
    ("Trading", "Trdg"),
    ("Import and Export", "Imp & Exp"),
    ("Import & Export", "Imp & Exp"),
    ("Research", "Res"),
    ("Aerospace", "Aero"),
]
_ABBR_RES = [(re.compile(rf"\b{re.escape(a)}\b", re.IGNORECASE), b) for a, b in _ABBREVIATIONS]


def _match_case(word: str, replacement: str) -> str:
    if word.isupper():
        return replacement.upper()
    if word.islower():
        return replacement.lower()
    return replacement


def abbreviate(name: str) -> str | None:
    out = name
    for pattern, repl in _ABBR_RES:
        out = pattern.sub(lambda m, r=repl: _match_case(m.group(0), r), out)
    return out if out != name else None


_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# words of multi-word legal forms ("Joint Stock Company", "Limited Liability Company"): not core
_FORM_WORDS = frozenset(
    {
        "joint",
        "stock",
        "liability",
        "open",
        "closed",
        "public",
        "private",
        "and",
        "of",
        "for",
        "the",
    }
)


def _is_core(word: str) -> bool:
    norm = simple_norm(word)
    return len(word) >= 3 and bool(norm) and norm not in _FORM_WORDS


def swap_words(name: str, rng: random.Random) -> str | None:
    words = list(_WORD.finditer(name))
    core = [m for m in words if _is_core(m.group(0))]
    if len(core) < 2:
        return None
    # swap two core words, preferring neighbours (the realistic reordering)
    i = rng.randrange(len(core) - 1)
    j = i + 1 if rng.random() < 0.7 else rng.randrange(len(core))
    if i == j:
        return None
    a, b = sorted((core[i], core[j]), key=lambda m: m.start())
    if a.group(0).casefold() == b.group(0).casefold():
        return None
    return name[: a.start()] + b.group(0) + name[a.end() : b.start()] + a.group(0) + name[b.end() :]


_KEYBOARD = {
    "a": "qswz",
    "b": "vghn",
    "c": "xdfv",
    "d": "serfcx",
    "e": "wsdr",
    "f": "drtgvc",
    "g": "ftyhbv",
    "h": "gyujnb",
    "i": "ujko",
    "j": "huikmn",
    "k": "jiolm",
    "l": "kop",
    "m": "njk",
    "n": "bhjm",
    "o": "iklp",
    "p": "ol",
    "q": "wa",
    "r": "edft",
    "s": "awedxz",
    "t": "rfgy",
    "u": "yhji",
    "v": "cfgb",
    "w": "qase",
    "x": "zsdc",
    "y": "tghu",
    "z": "asx",
}


def typo(name: str, rng: random.Random) -> str | None:
    if len(name) < 8:
        return None
    chars = list(name)
    edits = rng.choice((1, 1, 2))
    for _ in range(edits):
        # edit letters of the core words only (a typo in "Ltd" tests nothing interesting)
        text = "".join(chars)
        core_spans = [m.span() for m in _WORD.finditer(text) if _is_core(m.group(0))]
        positions = [i for a, b in core_spans for i in range(max(a, 1), b) if chars[i].isalpha()]
        if not positions:
            return None
        i = rng.choice(positions)
        op = rng.choice(("sub", "del", "ins", "swap"))
        c = chars[i]
        if op == "sub":
            new = rng.choice(_KEYBOARD.get(c.lower(), "e"))
            chars[i] = new.upper() if c.isupper() else new
        elif op == "del":
            del chars[i]
        elif op == "ins":
            chars.insert(i, c)
        elif i + 1 < len(chars) and chars[i + 1].isalpha() and chars[i + 1] != c:
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
        else:
            chars[i] = rng.choice(_KEYBOARD.get(c.lower(), "e"))
    out = "".join(chars)
    return out if out != name else None


def case_punct(name: str, rng: random.Random) -> str | None:
    text = name
    punct = rng.choice(("strip", "strip", "comma", "keep"))
    if punct == "strip":
        text = re.sub(r"[.,()\"]", "", text)
        text = re.sub(r"\s*-\s*", " ", text)
    elif punct == "comma":
        text = text.replace(",", "").replace(".", "")
    text = " ".join(text.split())
    case = rng.choice(("upper", "lower", "title"))
    text = text.upper() if case == "upper" else text.lower() if case == "lower" else text.title()
    return text if text != name else None


def pick_alias(entry, rng: random.Random) -> str | None:
    primary = simple_norm(entry.name)
    options = [
        a
        for a in entry.alt_names
        if _usable_name(a) and simple_norm(a) != primary and len(simple_norm(a)) >= 3
    ]
    return rng.choice(options) if options else None


def make_variant(kind: str, entry, rng: random.Random) -> tuple[str, str] | None:
    name = entry.name
    if kind == "exact":
        return name, ""
    if kind == "alias":
        alias = pick_alias(entry, rng)
        return (alias, "alias") if alias else None
    fn = {
        "case_punct": lambda: case_punct(name, rng),
        "typo": lambda: typo(name, rng),
        "word_order": lambda: swap_words(name, rng),
        "legal_form_dropped": lambda: drop_legal_form(name),
        "legal_form_changed": lambda: change_legal_form(name, rng),
        "abbreviation": lambda: abbreviate(name),
    }[kind]
    out = fn()
    if not out or out.strip() == name.strip():
        return None
    return out, ""


# --------------------------------------------------------------------------- Chinese and pinyin

# Company-name terms: Chinese -> (pinyin word, English). Longest match wins.
_TERMS: dict[str, tuple[str, str]] = {
    "股份有限公司": ("Gufen Youxian Gongsi", "Co., Ltd."),
    "有限责任公司": ("Youxian Zeren Gongsi", "Co., Ltd."),
    "有限公司": ("Youxian Gongsi", "Co., Ltd."),
    "总公司": ("Zonggongsi", "Corporation"),
    "公司": ("Gongsi", "Company"),
    "集团": ("Jituan", "Group"),
    "科技": ("Keji", "Technology"),
    "技术": ("Jishu", "Technology"),
    "信息": ("Xinxi", "Information"),
    "开发": ("Kaifa", "Development"),
    "数字": ("Shuzi", "Digital"),
    "微电子": ("Weidianzi", "Microelectronics"),
    "电子": ("Dianzi", "Electronics"),
    "通信": ("Tongxin", "Communications"),
    "网络": ("Wangluo", "Network"),
    "智能": ("Zhineng", "Intelligent"),
    "产业": ("Chanye", "Industry"),
    "工业": ("Gongye", "Industry"),
    "集成电路": ("Jicheng Dianlu", "Integrated Circuit"),
    "设计": ("Sheji", "Design"),
    "研究所": ("Yanjiusuo", "Research Institute"),
    "研究院": ("Yanjiuyuan", "Research Academy"),
    "中心": ("Zhongxin", "Center"),
    "大学": ("Daxue", "University"),
    "国际": ("Guoji", "International"),
    "制造": ("Zhizao", "Manufacturing"),
    "创新": ("Chuangxin", "Innovation"),
    "存储": ("Cunchu", "Memory"),
    "装备": ("Zhuangbei", "Equipment"),
    "航空": ("Hangkong", "Aviation"),
    "航天": ("Hangtian", "Aerospace"),
    "发动机": ("Fadongji", "Engine"),
    "重工": ("Zhonggong", "Heavy Industry"),
    "船舶": ("Chuanbo", "Shipbuilding"),
    "进出口": ("Jinchukou", "Import and Export"),
    "精密机械": ("Jingmi Jixie", "Precision Machinery"),
    "卫星": ("Weixing", "Satellite"),
    "无人机": ("Wurenji", "UAV"),
    "光电": ("Guangdian", "Optronic"),
    "移动": ("Yidong", "Mobile"),
    "电信": ("Dianxin", "Telecom"),
    "联合": ("Lianhe", "United"),
    "超级计算": ("Chaoji Jisuan", "Supercomputing"),
    "计算": ("Jisuan", "Computing"),
    "国家": ("Guojia", "National"),
    "中国": ("Zhongguo", "China"),
    "建设": ("Jianshe", "Construction"),
    "交通": ("Jiaotong", "Communications"),
    "石油": ("Shiyou", "Oil"),
    "海洋": ("Haiyang", "Offshore"),
    "核": ("He", "Nuclear"),
    "兵器": ("Bingqi", "Ordnance"),
    "机械": ("Jixie", "Machinery"),
    "第一": ("Diyi", "First"),
    "工程": ("Gongcheng", "Engineering"),
    "物理": ("Wuli", "Physics"),
    "科学": ("Kexue", "Science"),
    "研究": ("Yanjiu", "Research"),
    "有色金属": ("Youse Jinshu", "Nonferrous Metals"),
    "生产": ("Shengchan", "Production"),
    "兵团": ("Bingtuan", "Corps"),
    "铁建": ("Tiejian", "Railway Construction"),
    "广核": ("Guanghe", "General Nuclear"),
    "电力": ("Dianli", "Power"),
    "通讯": ("Tongxun", "Communications"),
}
# Places: Chinese -> conventional romanisation (administrative suffix dropped).
_PLACES: dict[str, str] = {
    "北京市": "Beijing",
    "北京": "Beijing",
    "上海市": "Shanghai",
    "上海": "Shanghai",
    "天津市": "Tianjin",
    "天津": "Tianjin",
    "深圳市": "Shenzhen",
    "深圳": "Shenzhen",
    "杭州": "Hangzhou",
    "浙江": "Zhejiang",
    "厦门市": "Xiamen",
    "厦门": "Xiamen",
    "成都": "Chengdu",
    "无锡": "Wuxi",
    "长沙": "Changsha",
    "广州": "Guangzhou",
    "济南": "Jinan",
    "南京": "Nanjing",
    "福建省": "Fujian",
    "内蒙古": "Inner Mongolia",
    "新疆": "Xinjiang",
    "重庆": "Chongqing",
    "西安": "Xi'an",
    "哈尔滨": "Harbin",
    "四川": "Sichuan",
    "香港": "Hong Kong",
    "西北": "Xibei",
    "沈飞": "Shenfei",
}
_HAN = re.compile(r"[\u3400-\u9fff]")


def _segment(chinese: str) -> list[tuple[str, str]]:
    """Split a Chinese name into ('term'|'place'|'brand'|'open'|'close', text) tokens."""
    vocab = {**{k: "term" for k in _TERMS}, **{k: "place" for k in _PLACES}}
    longest = max(len(k) for k in vocab)
    tokens: list[tuple[str, str]] = []
    brand = ""
    i = 0
    text = chinese.replace("（", "(").replace("）", ")")
    while i < len(text):
        ch = text[i]
        if ch in "()":
            if brand:
                tokens.append(("brand", brand))
                brand = ""
            tokens.append(("open" if ch == "(" else "close", ch))
            i += 1
            continue
        for size in range(min(longest, len(text) - i), 0, -1):
            piece = text[i : i + size]
            if piece in vocab:
                if brand:
                    tokens.append(("brand", brand))
                    brand = ""
                tokens.append((vocab[piece], piece))
                i += size
                break
        else:
            brand += ch
            i += 1
    if brand:
        tokens.append(("brand", brand))
    return tokens


def _syllables(text: str) -> list[str]:
    from pypinyin import Style, lazy_pinyin

    return [s for s in lazy_pinyin(text, style=Style.NORMAL) if s.strip()]


def _brand_words(text: str) -> list[str]:
    syl = _syllables(text)
    if len(syl) <= 3:
        return ["".join(syl).capitalize()]
    return ["".join(syl[k : k + 2]).capitalize() for k in range(0, len(syl), 2)]


def pinyin_variants(chinese: str) -> list[tuple[str, str]]:
    """(query, style) for: full pinyin, pinyin brand + English terms, split syllables."""
    tokens = _segment(chinese)
    full: list[str] = []
    mixed: list[str] = []
    split: list[str] = []
    for kind, text in tokens:
        if kind in ("open", "close"):
            for out in (full, mixed, split):
                out.append(text)
            continue
        if kind == "place":
            word = _PLACES[text]
            full.append(word)
            mixed.append(word)
        elif kind == "term":
            full.append(_TERMS[text][0])
            mixed.append(_TERMS[text][1])
        else:
            words = _brand_words(text)
            full.extend(words)
            mixed.extend(words)
        split.extend(s.capitalize() for s in _syllables(text))

    def join(parts: list[str]) -> str:
        s = " ".join(parts).replace("( ", "(").replace(" )", ")")
        return re.sub(r"\s+", " ", s).strip()

    out = [
        (join(full), "pinyin_full"),
        (join(mixed), "pinyin_english"),
        (join(split), "pinyin_split"),
    ]
    seen: set[str] = set()
    unique = []
    for q, style in out:
        if q not in seen:
            seen.add(q)
            unique.append((q, style))
    return unique


def read_chinese_names(path: Path = CHINESE_NAMES) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# --------------------------------------------------------------------------- the set


def _stratified_sample(entries: list, rng: random.Random, size: int) -> list:
    usable = [e for e in entries if is_organisation(e) and _usable_name(e.name)]
    cn = [e for e in usable if e.list_code in CN_LISTS and "CN" in e.countries]
    el_other = [e for e in usable if e.list_code in CN_LISTS and "CN" not in e.countries]
    sdn = [e for e in usable if e.list_code == "SDN"]
    rest = [e for e in usable if e.list_code not in CN_LISTS and e.list_code != "SDN"]
    shares = [(cn, 0.40), (el_other, 0.20), (sdn, 0.25)]
    sample: list = []
    for pool, share in shares:
        k = min(len(pool), round(size * share))
        sample.extend(rng.sample(pool, k))
    # the other lists (DPL, UVL, ISN, SSI, DTC, CAP, NS-MBS, ...) share the last 15% evenly, so
    # the small ones show up at all
    by_list: dict[str, list] = {}
    for e in rest:
        by_list.setdefault(e.list_code, []).append(e)
    remaining = size - len(sample)
    for i, code in enumerate(sorted(by_list)):
        k = min(len(by_list[code]), remaining // (len(by_list) - i))
        sample.extend(rng.sample(by_list[code], k))
        remaining -= k
    return sample


def build_labelled_set(
    entries: list,
    *,
    seed: int = SEED,
    sample_size: int = SAMPLE_SIZE,
    negatives: list[str] | None = None,
) -> list[LabelledPair]:
    """Deterministic labelled pairs for `entries` (the reference CSL)."""
    rng = random.Random(seed)
    pairs: list[LabelledPair] = []
    kind_counts: Counter[str] = Counter()
    for entry in _stratified_sample(entries, rng, sample_size):
        made = 0
        # least-used kinds first (ties broken randomly), so the kinds stay balanced
        order = sorted(KINDS, key=lambda k: (kind_counts[k], rng.random()))
        for kind in order:
            variant = make_variant(kind, entry, rng)
            if variant is None:
                continue
            query, detail = variant
            pairs.append(LabelledPair(query, entry.key, kind, entry.name, detail))
            kind_counts[kind] += 1
            made += 1
            if made == VARIANTS_PER_ENTRY:
                break

    by_name: dict[str, object] = {}
    for entry in entries:  # primary names win over aliases, first list wins
        by_name.setdefault(entry.name, entry)
    for entry in entries:
        for alias in entry.alt_names:
            by_name.setdefault(alias, entry)
    for row in read_chinese_names():
        entry = by_name.get(row["listed_name"])
        if entry is None:
            continue  # check_data.py reports it
        pairs.append(
            LabelledPair(
                row["chinese_name"], entry.key, "chinese_chars", row["listed_name"], row["source"]
            )
        )
        for query, style in pinyin_variants(row["chinese_name"]):
            pairs.append(LabelledPair(query, entry.key, "pinyin", row["listed_name"], style))

    if negatives is None:
        negatives, _ = filter_negatives(read_negatives(), entries)
    pairs.extend(LabelledPair(neg, None, "negative") for neg in negatives)
    return pairs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build and summarise the labelled set.")
    parser.add_argument("--show", type=int, default=3, help="examples per kind")
    parser.add_argument("--json", type=Path, help="write the pairs as JSON")
    args = parser.parse_args(argv)
    entries = load_entries()
    pairs = build_labelled_set(entries)
    counts = Counter(p.variant_kind for p in pairs)
    lists = Counter(p.expected_key.split(":")[0] for p in pairs if p.expected_key)
    print(
        f"{len(pairs)} labelled pairs: {sum(1 for p in pairs if p.positive)} positive, "
        f"{counts['negative']} negative"
    )
    print("by kind: " + ", ".join(f"{k}={counts[k]}" for k in ALL_KINDS))
    print("positives by list: " + ", ".join(f"{k}={v}" for k, v in lists.most_common()))
    for kind in ALL_KINDS:
        examples = [p for p in pairs if p.variant_kind == kind][: args.show]
        for p in examples:
            print(f"  [{kind}] {p.query!r}  <- {p.expected_name!r} {p.detail}")
    if args.json:
        args.json.write_text(
            json.dumps([asdict(p) for p in pairs], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
