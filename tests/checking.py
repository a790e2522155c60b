"""Tests state a check the way the CLI flags read; this builds the one `CheckRequest`."""

from __future__ import annotations

from typing import Any

from exportguard.check import CheckRequest, Determination, ItemFigures, Party, check
from exportguard.screening import Screener


def decide(screener: Screener, *, parties: list[Party], on: str | None = None,
           item: str | ItemFigures | None = None, ownership: Any = None, cleared: Any = None,
           **fields: Any) -> Determination:
    """`check` over one screener for every date (the reference CSL carries its own dates)."""
    figures = item if isinstance(item, ItemFigures) else None
    request = CheckRequest(parties=tuple(parties), date=on, figures=figures,
                           item=None if figures else item, **fields)
    return check(request, screener_for=lambda _day: screener, ownership=ownership,
                 cleared=cleared)


def found(screener: Screener, query: str, country: str | None = None, **screen_args: Any):
    """The matches of one screen by listed name: `{entry name: Match}` (screen's own defaults)."""
    result = screener.screen(query, country=country, **screen_args)
    return {m.entry.name: m for m in result.matches}


def features(match) -> dict:
    """A match's explanation features by name."""
    return {f.name: f for f in match.features}


def readings(text: str) -> list[str]:
    """The readings of a name in characters (`names.chinese.read_text`), spaces normalised."""
    from exportguard.names.chinese import read_text

    return [" ".join(r.text.split()) for r in read_text(text)]
