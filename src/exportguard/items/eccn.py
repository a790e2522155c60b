"""Export Control Classification Numbers as users type them, checked and normalised."""

from __future__ import annotations

import re
from collections.abc import Sequence
from fnmatch import fnmatchcase

from exportguard.errors import InputError

# paragraphs alternate letter, number, letter ... down to six levels (3B001.f.1.b.2.b, the
# lithography paragraph of 734.4(a)(3) in its 2023 text)
_ECCN = re.compile(r"^(EAR99|[0-9][A-E][0-9]{3}"
                   r"(\.[a-z](\.[0-9]+(\.[a-z](\.[0-9]+(\.[a-z])?)?)?)?)?)$")


def parse_eccn(value: str | None, field: str) -> str:
    """`3a090.A` -> `3A090.a`; anything not shaped like an ECCN is an error naming `field`."""
    text = (value or "").strip()
    text = text.upper() if text.upper() == "EAR99" else text[:5].upper() + text[5:].lower()
    if not _ECCN.match(text):
        raise InputError(field, f"'{value}' is not an ECCN like EAR99, 3A090.a or 3E001")
    return text


def is_technology_or_software(eccn: str) -> bool:
    """Product group D (software) or E (technology)."""
    return eccn != "EAR99" and eccn[1] in "DE"


def matches(eccn: str, patterns: Sequence[str]) -> bool:
    """Whether `eccn` falls under any shell-style pattern: "3A090*" is 3A090 and its
    paragraphs, "[345][DE]*" any software or technology ECCN of Categories 3 to 5; a pattern
    without paragraphs ("3E001") covers the ECCN's paragraphs too."""
    return any(fnmatchcase(eccn, p) or fnmatchcase(eccn[:5], p) for p in patterns)


def in_scope(eccn: str | None, items: Sequence[str], excluded: Sequence[str]) -> bool | None:
    """Whether an item's ECCN is in a rule's item scope: unknown when the ECCN is not given,
    or is given without the paragraph the scope turns on (3B001 for a 3B001.c-only scope)."""
    if eccn is None:
        return None
    if matches(eccn, excluded):
        return False
    if matches(eccn, items):
        narrower = [p for p in excluded if p.startswith(eccn + ".")]
        return None if narrower else True
    if "." not in eccn and any(p.startswith(eccn + ".") for p in items):
        return None
    return False
