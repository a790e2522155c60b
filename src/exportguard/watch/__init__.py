"""The watchlist: stored counterparties re-screened when the lists change, with alerts."""

from exportguard.watch.customers import read_customers
from exportguard.watch.rescreen import import_customers, rescreen

__all__ = ["import_customers", "read_customers", "rescreen"]
