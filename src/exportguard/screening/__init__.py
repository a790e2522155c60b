"""Restricted-party screening: fuzzy, cross-script name matching with explanations."""

from exportguard.screening.screener import (
    CONFIRMED_SCORE,
    DECISIONS,
    DEFAULT_THRESHOLD,
    Match,
    Screener,
    ScreenResult,
    validate_query,
)

__all__ = [
    "CONFIRMED_SCORE",
    "DECISIONS",
    "DEFAULT_THRESHOLD", "Match", "ScreenResult", "Screener", "validate_query"]
