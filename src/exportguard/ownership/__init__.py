"""Ownership: the graph of who owns whom, and the rules that reach a company through its
owners (BIS affiliates rule, Red Flag 29, OFAC's 50 % rule, the 2023 headquarters rule)."""

from exportguard.ownership.importer import read_ownership
from exportguard.ownership.resolve import OwnershipFinding, ownership_of, ownership_rules

__all__ = ["OwnershipFinding", "ownership_of", "ownership_rules", "read_ownership"]
