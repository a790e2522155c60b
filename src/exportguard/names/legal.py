"""Legal forms in the spellings of many languages, from rigour's organisation-type table (built by
OpenSanctions from the ISO 20275 Entity Legal Forms code list, OCCRP's list and Wikipedia's types
of business entity). "Gesellschaft mit beschränkter Haftung", "spółka z ograniczoną
odpowiedzialnością" and "osakeyhtiö" are found there; data/name_terms.yaml keeps the short forms
and the ASCII spellings the lists use.
"""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"\w+")
# A short form found before the end of a name ("as", "ab") is more likely a word than a form.
_SHORT = 6
# An ASCII name spells a legal form out in words rigour alone knows only when it is this long.
_ASCII_WORDS = 3


@lru_cache(maxsize=65536)
def legal_form_spans(text: str) -> tuple[tuple[str, str], ...]:
    """(spelling in `text`, compact form) of each legal form rigour finds in a case-folded name;
    a short form ("stg", "as") counts only at the end of the name."""
    if text.isascii() and len(_WORD.findall(text)) < _ASCII_WORDS:
        return ()  # the vocabulary's own forms cover short names; rigour loads in half a second
    from rigour.names.org_types import extract_org_types

    found: list[tuple[str, str]] = []
    for spelled, compact in extract_org_types(text):
        start = text.find(spelled)
        if start < 0:
            continue
        at_end = not _WORD.search(text[start + len(spelled):])
        if len(spelled) >= _SHORT or at_end:
            found.append((spelled, compact.replace(" ", "")))
    return tuple(found)
