"""ISO 3166-1 alpha-2 country codes, validated rather than guessed."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from functools import cache

from exportguard.errors import InputError

# Codes the lists use that ISO 3166-1 has not assigned (user-assigned range, used by OFAC and UN).
_EXTRA = {"XK": "Kosovo"}



@cache
def _codes() -> frozenset[str]:
    """The assigned codes (pycountry is read at first use: a screen without a country, or with
    none written in the query, does not need it)."""
    import pycountry

    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(_EXTRA)


def is_country_code(code: str) -> bool:
    return code.upper() in _codes()


def country_name(code: str) -> str:
    code = code.upper()
    if code in _EXTRA:
        return _EXTRA[code]
    import pycountry

    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else code


def parse_country(value: str, field: str = "country") -> str:
    """Validate a user-supplied ISO-2 code; raise InputError naming `field` otherwise."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InputError(field, f"'{value}' is not a two-letter ISO 3166-1 country code")
    if code not in _codes():
        raise InputError(field, f"'{value}' is not an ISO 3166-1 country code")
    return code


def fold_country_name(text: str) -> str:
    """A country name reduced for lookup: accents, case and punctuation dropped
    ("Côte d'Ivoire" -> "cote d ivoire", "Korea, North" -> "korea north")."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain.casefold()).split())


@cache
def _iso_names() -> dict[str, str]:
    import pycountry

    names: dict[str, str] = {}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                names.setdefault(fold_country_name(value), country.alpha_2)
    return names


def spellings(table: Mapping[str, str]) -> dict[str, str]:
    """A list's own country spellings, keyed for `country_from_name`."""
    return {fold_country_name(name): code for name, code in table.items()}


def country_from_name(text: str | None, own: Mapping[str, str] | None = None) -> str | None:
    """ISO-2 code for a country written as a name: the list's own spellings first (built with
    `spellings`), then ISO 3166 names. Never matches codes; None when unknown."""
    if not text or not text.strip():
        return None
    folded = fold_country_name(text)
    if own and folded in own:
        return own[folded]
    return _iso_names().get(folded)
