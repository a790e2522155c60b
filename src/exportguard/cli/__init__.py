"""The `exportguard` command line: a thin layer over the library's verbs.

Each command's module is imported when the command runs (`_lazy.py`), not here.
"""

from exportguard.cli._app import app, main

__all__ = ["app", "main"]
