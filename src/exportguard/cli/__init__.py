"""The `exportguard` command line: a thin layer over the library's verbs."""

from exportguard.cli import (
    batch,
    check,
    invest,
    items,
    lists,
    mcp,
    outbound,
    ownership,
    release,
    screening,
    service,
    update,
    watch,
)
from exportguard.cli._app import app, main

__all__ = [
    "app", "batch", "check", "invest", "items", "lists", "main", "mcp", "outbound", "ownership",
    "release", "screening", "service", "update", "watch",
]
