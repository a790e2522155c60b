"""Item classification: 3A090 metrics, the chip catalog and classification on a date."""

from exportguard.items.catalog import Catalog, Item, catalog
from exportguard.items.classify import classify
from exportguard.items.metrics import (
    Throughput,
    memory_bandwidth_density,
    performance_density,
    throughput,
    total_processing_performance,
)
from exportguard.items.result import Classification, Reason
from exportguard.items.spec import Spec, spec

__all__ = [
    "Catalog",
    "Classification",
    "Item",
    "Reason",
    "Spec",
    "Throughput",
    "catalog",
    "classify",
    "memory_bandwidth_density",
    "performance_density",
    "spec",
    "throughput",
    "total_processing_performance",
]
