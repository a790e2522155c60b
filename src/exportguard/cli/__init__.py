"""The `exportguard` command line: a thin layer over the library's verbs."""

from exportguard.cli import items, screening
from exportguard.cli._app import app, main

__all__ = ["app", "items", "main", "screening"]
