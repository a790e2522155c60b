"""The `exportguard` command line: a thin layer over the library's verbs."""

from exportguard.cli import (
    check,
    invest,
    items,
    lists,
    ownership,
    screening,
    service,
    update,
    watch,
)
from exportguard.cli._app import app, main

__all__ = [
    "app", "check", "invest", "items", "lists", "main", "ownership", "screening", "service",
    "update", "watch",
]
