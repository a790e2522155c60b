"""A name written in pinyin read as the trade name inside it: "Beijing Kuangshi Keji Youxiangongsi"
is the place Beijing, the trade name kuangshi and the business words keji youxiangongsi, as
北京旷视科技有限公司 is (see `chinese.trade_name`). The pinyin of the places and words comes from
pypinyin once and is kept in the data directory (terms.py), so a Latin-script screen does not
import pypinyin.
"""

from __future__ import annotations

from functools import cache, lru_cache

from exportguard.names.terms import _readings, vocabulary


@cache
def _spellings() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """(pinyin of the places and prefixes a trade name may follow, longest first; pinyin of the
    business and organisation words that may follow it), each by its first letter (heads) or
    its last (tails), so a name's letters are compared with the few that can match there."""
    vocab = vocabulary()
    heads = [*vocab.han_places, *vocab.han_trade_prefixes]
    tails = list(vocab.han_trade_suffixes)
    readings = _readings(sorted({*heads, *tails}))
    head_spellings = {"".join(readings[h]) for h in heads} - {""}
    tail_spellings = {"".join(readings[t]) for t in tails} - {""}
    by_first: dict[str, list[str]] = {}
    for head in sorted(head_spellings, key=len, reverse=True):
        by_first.setdefault(head[0], []).append(head)
    by_last: dict[str, list[str]] = {}
    for tail in tail_spellings:
        by_last.setdefault(tail[-1], []).append(tail)
    return ({c: tuple(h) for c, h in by_first.items()},
            {c: tuple(t) for c, t in by_last.items()})


def _tail_starts(letters: str) -> list[int]:
    """Positions j where letters[j:] is nothing but business words (the end itself included),
    from the end backwards."""
    _heads, by_last = _spellings()
    found = {len(letters)}
    pending = [len(letters)]
    while pending:
        end = pending.pop()
        for tail in by_last.get(letters[end - 1], ()) if end else ():
            start = end - len(tail)
            if start > 0 and start not in found and letters.endswith(tail, 0, end):
                found.add(start)
                pending.append(start)
    return sorted(found, reverse=True)


def _head_ends(letters: str) -> list[tuple[int, str]]:
    """(position after the places and prefixes, the places) for each way the letters start with
    places, the start itself first."""
    by_first, _tails = _spellings()
    found = [(0, "")]
    position = 0
    while True:
        head = next((h for h in by_first.get(letters[position:position + 1], ())
                     if letters.startswith(h, position)), None)
        if head is None:
            return found
        position += len(head)
        found.append((position, letters[:position]))


@lru_cache(maxsize=4096)
def pinyin_trade_names(letters: str) -> tuple[tuple[str, str], ...]:
    """(candidate trade name in pinyin, what was set aside) for letters run together in lower
    case: each way to set aside the places at the start and the business words at the end."""
    out: dict[str, str] = {}
    for start, head in _head_ends(letters):
        for end in _tail_starts(letters):
            if end - start < 2:
                continue
            parts = [f"'{head}' before" if head else "", f"'{letters[end:]}' after"
                     if end < len(letters) else ""]
            out.setdefault(letters[start:end], " and ".join(p for p in parts if p) or
                           "the whole query")
    return tuple(out.items())
