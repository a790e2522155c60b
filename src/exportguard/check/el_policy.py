"""The review policy an Entity List entry's policy text sets for one item.

Entries word their policy in many ways ("Presumption of denial", "Presumption for denial",
"Policy of denial for all items ... apart from food and medicine ..., which will be reviewed on a
case-by-case basis", "Case-by-case for all items listed on the CCL. Presumption of approval for
EAR99 items"). The phrases are data (vocabulary.yaml, entity_list_policy_text); this module cuts
the text where each policy phrase starts and reads each part's scope. Wording with no known
phrase gives no policy and a note quoting the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from exportguard.regime.vocabulary import PolicyText, vocabulary

_ECCN = re.compile(r"\b\d[a-e]\d{3}(?:\.[a-z0-9]+)*")
_FOR = re.compile(r"\bfor\b")  # "... for <items>" gives a part its scope
# a sentence ends at ";" or at "." before a space, but not after an initial ("U.S. Government")
# (nor at a ";" that continues a list of ECCNs)
_SENTENCE_END = re.compile(r"(?<!\b[A-Za-z])\.(?:\s|$)|;(?!\s*\d[A-Ea-e]\d{3})")
_QUOTE_CHARS = 300


@dataclass(frozen=True, slots=True)
class _Part:
    policy: str
    scope: str
    carve_out: bool


def entity_list_policy(text: str, eccn: str | None) -> tuple[str | None, str | None]:
    """(policy, note) for an item of `eccn` (None: not known) under the entry's policy text."""
    words = vocabulary().policy_text
    written = " ".join(text.split())
    lower = written.lower()
    if len(lower) != len(written):  # case folding changed the length: read without the case
        written = lower
    parts = _parts(written, lower, words)
    if not parts:
        return None, (f"The entry's licence review policy was not recognised: \"{_quote(text)}\";"
                      " read it in full.")
    item = (eccn or "").lower()
    notes = []
    specific: list[_Part] = []
    general: list[_Part] = []
    for part in parts:
        named = _ECCN.findall(part.scope)
        if any(w in part.scope for w in words.ccl):
            if item and item != "ear99":
                specific.append(part)
        elif part.carve_out and not _ECCN.search(part.scope):
            notes.append(f"The entry sets {part.policy.replace('_', '-')} review for some items "
                         f"(apart from its general policy: \"{_quote(part.scope)}\"); whether "
                         "this item is one of them is not assessed.")
        elif any(w in part.scope for w in words.general) or not _FOR.search(part.scope):
            general.append(part)
        elif named:
            negated = any(w in part.scope for w in words.negation)
            hit = any(item == n or item.startswith(n + ".") for n in named)
            same_entry = any(item.split(".")[0] == n.split(".")[0] for n in named)
            if item and not hit and same_entry:  # "3B001.a.4, .c, .d": shorthand not expanded
                return None, (f"The entry names paragraphs of {item.split('.')[0].upper()} in "
                              f"\"{_quote(part.scope)}\"; whether {eccn} is among them decides "
                              "its policy: read the entry.")
            if not item:
                notes.append(f"The entry sets {part.policy.replace('_', '-')} review for "
                             f"\"{_quote(part.scope)}\"; the item's ECCN is not known.")
            elif hit != negated:
                specific.append(part)
                if hit:
                    notes.append(f"The entry names {eccn} for "
                                 f"{part.policy.replace('_', '-')} review.")
        elif any(w in part.scope for w in words.ear99):
            if item == "ear99":
                specific.append(part)
        else:
            notes.append(f"The entry sets {part.policy.replace('_', '-')} review for some items "
                         f"(\"{_quote(part.scope)}\"); whether this item is one of them is not "
                         "assessed.")
    if specific:
        return specific[0].policy, " ".join(notes) or None
    if general:
        return general[0].policy, " ".join(notes) or None
    return None, " ".join([*notes, f"No general policy was found in \"{_quote(text)}\"; read the "
                           "entry for this item."])


def _parts(written: str, lower: str, words: PolicyText) -> list[_Part]:
    """The text cut where each policy phrase starts; a carve-out's policy takes the scope
    between the carve-out word and its phrase."""
    found = sorted(
        (m.start(), m.end(), policy)
        for policy, phrases in words.policies.items()
        for phrase in phrases
        for m in re.finditer(re.escape(phrase), lower)
    )
    starts: list[tuple[int, int, str]] = []
    for start, end, policy in found:  # drop a phrase inside another ("case-by case" twice)
        if not starts or start >= starts[-1][1]:
            starts.append((start, end, policy))
    parts: list[_Part] = []
    pending: str | None = None
    for i, (_start, end, policy) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(lower)
        cut = _SENTENCE_END.search(written, end, stop)
        scope = lower[end:cut.start() if cut else stop]
        if pending is not None:
            carved = pending if pending.strip(" ,.;:") else scope
            parts.append(_Part(policy, carved, carve_out=True))
            pending = None
            continue
        marker = _first(scope, words.carve_out)
        if marker is not None and i + 1 < len(starts):
            parts.append(_Part(policy, scope[:marker[0]], carve_out=False))
            pending = scope[marker[1]:]
        else:
            parts.append(_Part(policy, scope, carve_out=False))
    return parts


def _first(text: str, phrases: tuple[str, ...]) -> tuple[int, int] | None:
    hits = [(text.find(p), text.find(p) + len(p)) for p in phrases if p in text]
    return min(hits) if hits else None


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 3] + "..."
