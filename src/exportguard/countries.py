"""ISO 3166-1 alpha-2 country codes, validated rather than guessed."""

from __future__ import annotations

import pycountry

from exportguard.errors import InputError

# Codes the lists use that ISO 3166-1 has not assigned (user-assigned range, used by OFAC and UN).
_EXTRA = {"XK": "Kosovo"}

_CODES: frozenset[str] = frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(_EXTRA)


def is_country_code(code: str) -> bool:
    return code.upper() in _CODES


def country_name(code: str) -> str:
    code = code.upper()
    if code in _EXTRA:
        return _EXTRA[code]
    found = pycountry.countries.get(alpha_2=code)
    return found.name if found else code


def parse_country(value: str, field: str = "country") -> str:
    """Validate a user-supplied ISO-2 code; raise InputError naming `field` otherwise."""
    code = value.strip().upper()
    if len(code) != 2 or not code.isalpha():
        raise InputError(field, f"'{value}' is not a two-letter ISO 3166-1 country code")
    if code not in _CODES:
        raise InputError(field, f"'{value}' is not an ISO 3166-1 country code")
    return code
