"""The regime: dated rules, thresholds and conditions, as data with a small evaluator."""

from exportguard.regime.advanced_computing import AdvancedComputingRules, advanced_computing_rules
from exportguard.regime.dated import EARLIEST_DATE, Citation, Period, parse_as_of

__all__ = [
    "EARLIEST_DATE",
    "AdvancedComputingRules",
    "Citation",
    "Period",
    "advanced_computing_rules",
    "parse_as_of",
]
