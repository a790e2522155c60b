"""ISO 3166-1 alpha-2 country codes, validated rather than guessed."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import unicodedata
from collections.abc import Mapping
from functools import cache
from importlib.util import find_spec
from typing import Any

from exportguard.config import data_dir, keep
from exportguard.errors import InputError

# Codes the lists use that ISO 3166-1 has not assigned (user-assigned range, used by OFAC and UN).
_EXTRA = {"XK": "Kosovo"}
_CODE = re.compile(r"[A-Z]{2}")


@cache
def iso_countries() -> tuple[tuple[str, str, str | None, str | None], ...]:
    """(alpha-2 code, name, official name, common name) of each of pycountry's countries, in its
    order. Importing pycountry and reading its table costs about 20 ms, more than a delta
    re-screen's screening, so the rows are kept in a small file in the data directory, keyed by
    pycountry's code and country table (location and modification time: reading its version
    with importlib.metadata costs more than the file saves) and carrying the digest of its rows:
    a missing, damaged or stale file is made again from pycountry, never trusted."""
    spec = find_spec("pycountry")
    origin = spec.origin if spec is not None and spec.origin else ""
    table = os.path.join(os.path.dirname(origin), "databases", "iso3166-1.json") if origin else ""
    installed = "\n".join(f"{path}:{os.stat(path).st_mtime_ns}" for path in (origin, table)
                          if path and os.path.exists(path))
    digest = hashlib.sha256(f"countries 2\n{installed}".encode()).hexdigest()[:16]
    path = data_dir() / f"countries-{digest}.json"
    with contextlib.suppress(OSError, ValueError, TypeError, KeyError):
        kept = json.loads(path.read_text("utf-8"))
        rows = _checked_rows(kept["countries"])
        if hashlib.sha256(_rows_text(rows).encode()).hexdigest() == kept["sha256"]:
            return rows
    import pycountry

    rows = tuple((c.alpha_2, c.name, getattr(c, "official_name", None),
                  getattr(c, "common_name", None)) for c in pycountry.countries)
    text = _rows_text(rows)
    keep(path, json.dumps({"countries": json.loads(text),
                           "sha256": hashlib.sha256(text.encode()).hexdigest()},
                          ensure_ascii=False).encode("utf-8"), family="countries-*.json")
    return rows


def _rows_text(rows: tuple[tuple[str, str, str | None, str | None], ...]) -> str:
    return json.dumps(rows, ensure_ascii=False)


def _checked_rows(found: Any) -> tuple[tuple[str, str, str | None, str | None], ...]:
    """The kept rows, or ValueError when they are not what `iso_countries` writes."""
    if not isinstance(found, list) or not found:
        raise ValueError("no countries")
    rows = []
    for row in found:
        if (not isinstance(row, list) or len(row) != 4 or not isinstance(row[0], str)
                or not _CODE.fullmatch(row[0]) or not isinstance(row[1], str) or not row[1]
                or not all(v is None or isinstance(v, str) for v in row[2:])):
            raise ValueError(f"not a country row: {row!r}")
        rows.append((row[0], row[1], row[2], row[3]))
    return tuple(rows)


@cache
def _codes() -> frozenset[str]:
    """The assigned codes."""
    return frozenset(row[0] for row in iso_countries()) | frozenset(_EXTRA)


@cache
def _names_by_code() -> dict[str, str]:
    return {code: name for code, name, _, _ in iso_countries()} | _EXTRA


def is_country_code(code: str) -> bool:
    return code.upper() in _codes()


def country_name(code: str) -> str:
    code = code.upper()
    return _names_by_code().get(code, code)


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
    names: dict[str, str] = {}
    for code, *spelt in iso_countries():  # name, official name, common name
        for value in spelt:
            if value:
                names.setdefault(fold_country_name(value), code)
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
