"""The Typer application, its consoles and the error wrapper every command uses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import typer

from exportguard.cli._console import err, out, report_error, report_interrupt
from exportguard.cli._lazy import LazyGroup
from exportguard.errors import ExportGuardError

__all__ = ["_friendly", "app", "err", "main", "out"]

# The command modules register on `app` when imported; `LazyGroup` imports only the one run.
app = typer.Typer(
    cls=LazyGroup,
    help="Export-control compliance engine: screen parties against the U.S. lists and classify "
    "AI chips under ECCN 3A090 on any date.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        print(f"exportguard {version('exportguard')}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_print_version, is_eager=True,
                                 help="Print exportguard's version and exit."),
) -> None:
    """Makes `app` a group while no command module is imported yet; its one option is
    --version."""


F = TypeVar("F", bound=Callable[..., Any])


def _friendly(func: F) -> F:
    """Errors a user can act on become one line on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ExportGuardError as exc:
            report_error(exc)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            report_interrupt()
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
