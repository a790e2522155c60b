"""Licence determination: item x parties x destination x end use on a date."""

from exportguard.check.determination import CheckReason, Determination, Party
from exportguard.check.evaluate import check
from exportguard.check.request import CheckRequest, ItemFigures, ScreenerFor

__all__ = [
    "CheckReason",
    "CheckRequest",
    "Determination",
    "ItemFigures",
    "Party",
    "ScreenerFor",
    "check",
]
