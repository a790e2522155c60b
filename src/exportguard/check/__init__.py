"""Licence determination: item x parties x destination x end use on a date."""

from exportguard.check.determination import CheckReason, Determination, Party
from exportguard.check.evaluate import check

__all__ = ["CheckReason", "Determination", "Party", "check"]
