"""The `exportguard` command line: a thin layer over the library's verbs.

Each command's module is imported when the command runs (`_lazy.py`), not here. A plain
`exportguard screen NAME [--country C] [--lists L] [--limit N] [--min-score S] [--as-of D]
[--json] [--no-audit]` (each option at most once, numbers written as digits) runs `screen`'s
body directly, without importing Typer and Click (a fifth of a cold screen): Typer would pass
exactly these values (tests/test_cli_direct.py checks it against Typer's own parse). Anything
else (`--help`, an unknown or repeated option, a value Typer would have to convert or refuse)
goes to the Typer application, which answers or explains the error as always.
"""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import typer

__all__ = ["app", "main", "screen_arguments"]

# `screen`'s options as Typer names them -> its parameters.
SCREEN_VALUES = {"--country": "country", "--lists": "lists", "--limit": "limit",
                 "--min-score": "min_score", "--as-of": "as_of"}
SCREEN_FLAGS = {"--json": "as_json", "--no-audit": "no_audit"}
SCREEN_DEFAULTS: dict[str, Any] = {"country": None, "lists": None, "limit": 10, "min_score": None,
                                   "as_of": None, "as_json": False, "no_audit": False}
_DIGITS = re.compile(r"[0-9]{1,9}")
_DECIMAL = re.compile(r"[0-9]{1,9}(?:\.[0-9]{1,17})?")


def screen_arguments(args: list[str]) -> dict[str, Any] | None:
    """The parameters of `screen` for the arguments after the word `screen`, as Typer would pass
    them; None for anything this reading does not take on (Typer then reads them)."""
    values: dict[str, Any] = {}
    names: list[str] = []
    position = 0
    while position < len(args):
        arg = args[position]
        position += 1
        if not arg.startswith("-"):
            names.append(arg)
            continue
        option, equals, value = arg.partition("=")
        if option in SCREEN_FLAGS and not equals:
            parameter = SCREEN_FLAGS[option]
            if parameter in values:
                return None
            values[parameter] = True
            continue
        parameter = SCREEN_VALUES.get(option)  # None for --help, --, -x, a flag with '='...
        if parameter is None or parameter in values:
            return None
        if not equals:
            if position >= len(args):
                return None
            value = args[position]
            position += 1
        if value.startswith("-"):
            return None
        values[parameter] = value
    if len(names) != 1 or not names[0]:
        return None
    if "limit" in values:
        if not _DIGITS.fullmatch(values["limit"]):
            return None
        values["limit"] = int(values["limit"])
    if "min_score" in values:
        if not _DECIMAL.fullmatch(values["min_score"]):
            return None
        values["min_score"] = float(values["min_score"])
    return {"name": names[0], **SCREEN_DEFAULTS, **values}


def main() -> None:
    arguments = screen_arguments(sys.argv[2:]) if sys.argv[1:2] == ["screen"] else None
    if arguments is None:
        from exportguard.cli._app import main as typer_main

        typer_main()
        return
    from exportguard.cli._console import report_error, report_interrupt
    from exportguard.cli._screen import run_screen
    from exportguard.errors import ExportGuardError

    # As the Typer command does (cli/_app.py: `_friendly` and `main`).
    try:
        run_screen(**arguments)
    except ExportGuardError as exc:
        report_error(exc)
        raise SystemExit(2) from None
    except KeyboardInterrupt:
        report_interrupt()
        raise SystemExit(130) from None
    except BrokenPipeError:
        sys.stderr.close()


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        from exportguard.cli._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
