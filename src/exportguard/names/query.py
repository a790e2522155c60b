"""Clean-up of a screening query before it is compared: the names written inside it are screened
separately, and whatever follows the name (an address, a port, a branch) is set aside.

"ORIENT PEARL (ex-BLUE HORIZON)" is two names, ORIENT PEARL and the former name BLUE HORIZON;
"Acme Valve Co, 45 Harbour Rd, Port Klang" is the name Acme Valve Co and an address;
"GURON TRADING B.V., Netherlands" is a name and the country it is in (used as the query's
country when none is given); "NorthwindTradingCompany" is "Northwind Trading Company". Besides
the names found, the query as written is screened too, unless a country was set aside from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from exportguard.countries import country_from_name
from exportguard.names.chinese import mainland_words
from exportguard.names.normalize import basic_tokens, kept_in_brackets, name_forms
from exportguard.names.terms import place_tokens

# Markers of another name of the same party ("ex-", "f.k.a.", "formerly", "a.k.a.", "d/b/a").
_MARKER = (r"(?:ex[-.:]|f\.?\s?k\.?\s?a\.?|formerly(?:\s+known\s+as)?|"
           r"previously(?:\s+known\s+as)?|a\.?\s?k\.?\s?a\.?|also\s+known\s+as|"
           r"d\.?\s?/?b\.?\s?/?a\.?|doing\s+business\s+as|"
           r"trading\s+as|t/a)")
_MARKED = re.compile(rf"[\[(]?\s*\b{_MARKER}\s+([^()\[\];]+?)\s*(?:[)\]]|;|$)", re.IGNORECASE)
_MARKED_TIGHT = re.compile(r"[\[(]\s*ex\b[-.:]?\s*([^()\[\]]+?)\s*[)\]]", re.IGNORECASE)
_BRACKETED = re.compile(r"[(\[（]([^()\[\]（）]+)[)\]）]")
# The same in Chinese: a former, current or other name written after the name, in brackets or
# after a comma or a space (X（原名Y）, X，曾用名：Y, X（原Y）): 原名, 原称, 曾用名, 前身, 旧称,
# 又名, 现名, 更名为, 简称, or, in brackets only, 原 alone before a name of two characters or more.
_HAN_MARKER = (r"(?:原名称?|原称|原企业名称|曾用名|前身(?:是|为)?|旧称|旧名|又名|别名|现名|"
               r"现更名为|已更名为|更名为|改名为|简称|簡稱|原(?=[\u4e00-\u9fff]{2}))")
_HAN_MARKED = re.compile(rf"[(（]\s*{_HAN_MARKER}\s*[:：为是]?\s*([^()（）]+?)\s*[)）]"
                         rf"|(?<=\S)[，,;；\s]+{_HAN_MARKER.replace('|原(?=', '|(?!)(?=')}"
                         r"\s*[:：为是]?\s*([^()（），,;；]+)")
# Marks the exchanges add to an A-share stock's short name (股票简称), not part of the company's
# name: ST / *ST (special treatment, delisting risk), S, S*ST and SST (share reform not done),
# NST, N (first day of trading), C (first five days), XD, XR, DR (ex-dividend, ex-rights, both)
# before it; -U (not yet profitable), -W (weighted voting rights), -V (VIE structure) after it on
# STAR and ChiNext names (https://zhongli-tech.com/new/678334862060434432,
# https://m.tftnews.com/news8443690, http://shuangcheng.net/tags/184545.html). Written before
# or after characters only: "ST康美", "寒武纪-U".
_STOCK_MARK = re.compile(r"^\s*(\*ST|S\*ST|SST|NST|ST|XD|XR|DR|N|C|S)\s*(?=[\u4e00-\u9fff])"
                         r"|(?<=[\u4e00-\u9fff])\s*[-－]\s*([UWV]{1,3})\s*$")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")
# Words that start an address, a port or a branch rather than continue a name.
_ADDRESS_TEXT = """
    road rd street st avenue ave av lane ln boulevard blvd highway hwy building bldg floor
    fl tower suite unit room rm block blk district industrial zone estate park po box p.o.
    pobox port harbour harbor branch office plaza village town city province state jalan jl
    ul ulitsa prospekt str strasse straße calle rue via viale km no. floor. mall centre
    complex compound sector plot lot warehouse airport terminal dock pier market bazaar shop
"""
_ADDRESS_WORDS = frozenset(_ADDRESS_TEXT.split())
_FIRST_NAME_WORDS = 3


@dataclass(frozen=True, slots=True)
class QueryPart:
    """A name found in the query, with what it is: 'query' (as written), 'name' (the query's
    main name after clean-up), 'former or other name', 'words split'."""

    text: str
    role: str
    note: str
    country: str | None = None  # a country written after the name ("..., Germany")


_HAN_NAME_CHARS = 4
_HAN_IN = re.compile(r"[\u3400-\u9fff]")
_HAN_UNIT_END = re.compile(r"(?:所|院|公司|集团|大学|学院|厂|中心|局)$")
# A bracketed part that says how the company is related to another
# (（中国电子科技集团公司全资子公司）) names the other company, not this one.
_HAN_RELATION = re.compile(r"子公司|分公司|全资|控股|下属|旗下|隶属|合资|参股|母公司|成员")


def _han_name(content: str) -> bool:
    """A bracketed part in characters that is a name of its own (中电科55所, 浪潮信息), not a
    place or qualifier (（北京）, （集团）, （上海浦东）) nor a relation to another company
    (（某集团全资子公司）): four characters or more, with a word that is no place nor vocabulary
    term, or ending in an institution's or a company's word; one that starts with a place must
    end so."""
    han = "".join(re.findall(r"[\u3400-\u9fff]+", content))
    if len(han) < _HAN_NAME_CHARS or _HAN_RELATION.search(han):
        return False
    from exportguard.names.chinese import segment, spelt_out

    text = spelt_out(han)
    words = segment(text)
    unit = _HAN_UNIT_END.search(text) is not None
    if words and words[0].how == "place" and not unit:
        return False
    return unit or any(w.how not in ("place", "term") for w in words)


def _address_start(segment: str) -> bool:
    words = segment.strip().casefold().split()
    if not words:
        return False
    return any(c.isdigit() for c in words[0]) or words[0] in _ADDRESS_WORDS or (
        len(words) > 1 and words[-1] in _ADDRESS_WORDS)


def _first_name(text: str) -> str | None:
    """The first comma-separated part (with the legal forms written after it) when it has three
    words or more and the rest reads as an address: "ROSHAN MONEY EXCHANGE, Hazar Joft, Garmser
    District, Helmand Province" (whose second part alone says nothing of an address)."""
    segments = text.split(",")
    end = 1
    while end < len(segments) and _only_legal_form(segments[end]):
        end += 1
    head, rest = ",".join(segments[:end]).strip(), ",".join(segments[end:])
    if end == len(segments) or len(basic_tokens(segments[0])) < _FIRST_NAME_WORDS:
        return None
    return head if _looks_like_address(rest) else None


def _ends_in_legal_form(head: str) -> bool:
    forms = name_forms(head)
    return bool(forms) and bool(forms[0].legal_forms) and forms[0].text.endswith(
        forms[0].legal_forms[-1])


def _only_legal_form(segment: str) -> bool:
    """A comma-separated part that is nothing but a legal form ("Ltd.")."""
    forms = name_forms(segment)
    return bool(forms) and bool(forms[0].legal_forms) and forms[0].core == " ".join(
        forms[0].legal_forms)


def _looks_like_address(text: str) -> bool:
    """Some word of an address: a street or building word, a house number, a city or country."""
    words = basic_tokens(text)
    places = place_tokens()
    return any(w in _ADDRESS_WORDS or w.isdigit() or w in places for w in words)


def _without_address(text: str) -> str | None:
    """The text before the first comma-separated part that reads as an address or a branch, or
    that follows a legal form and holds an address word ("CHONMYONG SHIPPING CO, Kalrimgil
    2-dong, Mangyongdae-guyok, Pyongyang")."""
    segments = text.split(",")
    for position in range(1, len(segments)):
        head = ",".join(segments[:position]).strip()
        rest = ",".join(segments[position:])
        if head and not _only_legal_form(segments[position]) and (
                _address_start(segments[position]) or (
                    _ends_in_legal_form(head) and _looks_like_address(rest)
                    and not _ends_in_legal_form(rest))):
            return head
    return None


def _trailing_country(text: str) -> tuple[str, str] | None:
    """(the name, the country's ISO code) when the text ends in ", <country name>"."""
    head, comma, tail = text.rpartition(",")
    code = country_from_name(tail.strip()) if comma and head.strip() else None
    return (head.strip(), code) if code else None


@lru_cache(maxsize=4096)  # a pure function of the text; a batch row asks it twice
def query_parts(text: str) -> tuple[QueryPart, ...]:
    """The query as written (unless a country was set aside from it), then each cleaned-up name
    in it (no duplicates)."""
    parts: list[QueryPart] = [QueryPart(text, "query", "the query as written")]
    main = text
    others: list[str] = []
    for pattern in (_MARKED_TIGHT, _MARKED):
        for match in pattern.finditer(main):
            others.append(match.group(1).strip(" .,-"))
        main = pattern.sub(" ", main)
    for match in _HAN_MARKED.finditer(main):
        others.append((match.group(1) or match.group(2)).strip(" .,-"))
    main = _HAN_MARKED.sub(" ", main)
    stock = _STOCK_MARK.sub("", main)
    marks = [m.group(1) or f"-{m.group(2)}" for m in _STOCK_MARK.finditer(main)]
    main = stock
    # Other bracketed parts ("(Group)", "(Shenzhen)", "(CETC 14)") are left out, as they are from
    # listed names, but not screened alone.
    # A place or qualifier in brackets inside a Chinese name is part of the name and stays; a
    # name in brackets after a name (南京电子器件研究所（中电科55所）, 浪潮电子信息产业股份有限
    # 公司（浪潮信息）) is another name of it: screened on its own, and the name without it.
    aliases = [m.group(1).strip() for m in _BRACKETED.finditer(main)
               if _HAN_IN.search(m.group(1)) and _han_name(m.group(1))]
    others.extend(aliases)
    main = " ".join(_BRACKETED.sub(
        lambda m: m.group(0) if kept_in_brackets(m.group(1)) and m.group(1).strip() not in aliases
        else " ", main).split()).strip(" ,;")
    country = None
    located = _trailing_country(main)
    if located:
        main, country = located
    address_free = _without_address(main)
    first = _first_name(main)
    whole = main
    if country or marks:
        # The country is not part of the name: the query as written is not screened (it would
        # match as if no country had been given); nor are a stock's marks (*ST read 'saint').
        parts.clear()
    if address_free:
        parts.append(QueryPart(address_free, "name",
                               f"'{main[len(address_free):].strip(' ,')}' set aside as an "
                               "address or branch", country))
        main = address_free
    elif main and main != text:
        parts.append(QueryPart(main, "name", (
            f"read as a stock's short name without the exchange's marks ({', '.join(marks)})"
            if marks else "the name without its bracketed parts") if country is None else
            f"the country named after it ({country}) set aside", country))
    if first is not None and first != address_free:
        parts.append(QueryPart(first, "name", f"'{whole[len(first):].strip(' ,')}' set aside as "
                               "an address or branch", country))
    for other in others:
        if len(other) >= 2:
            parts.append(QueryPart(other, "other name",
                                   f"'{other}' is written in the query as another name"))
    for part in list(parts):
        split = _CAMEL.sub(" ", part.text)
        if split != part.text:
            parts.append(QueryPart(split, "words split", f"'{part.text}' read as '{split}'"))
        mainland = mainland_words(part.text)
        if mainland is not None:
            # Names written in Taiwan use its words (資訊 for 信息): listed and curated names in
            # characters are the mainland's.
            parts.append(QueryPart(mainland, "mainland words",
                                   f"'{part.text}' read with the mainland's words as "
                                   f"'{mainland}'", part.country))
    unique: dict[str, QueryPart] = {}
    for part in parts:
        key = " ".join(part.text.casefold().split())
        if key:
            unique.setdefault(key, part)
    return tuple(unique.values())


def split_glued(token: str, known: set[str] | frozenset[str] | dict[str, float],
                shortest: int = 3) -> list[str] | None:
    """A long word that is several known words written together ("northwindtradingcompany" ->
    northwind trading company), fewest pieces first; None when it is not."""
    if len(token) < 2 * shortest or token in known:
        return None
    best: list[list[str] | None] = [None] * (len(token) + 1)
    best[0] = []
    for end in range(shortest, len(token) + 1):
        for start in range(0, end - shortest + 1):
            head = best[start]
            piece = token[start:end]
            if head is not None and piece in known:
                candidate = [*head, piece]
                if best[end] is None or len(candidate) < len(best[end] or ()):
                    best[end] = candidate
    found = best[len(token)]
    return found if found and len(found) > 1 else None
