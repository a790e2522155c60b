"""The Typer application, its consoles and the error wrapper every command uses."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from exportguard.cli._lazy import LazyGroup
from exportguard.errors import ExportGuardError

if TYPE_CHECKING:
    from rich.console import Console

# The command modules register on `app` when imported; `LazyGroup` imports only the one run.
app = typer.Typer(
    cls=LazyGroup,
    help="Export-control compliance engine: screen parties against the U.S. lists and classify "
    "AI chips under ECCN 3A090 on any date.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


@app.callback()
def _root() -> None:
    """Makes `app` a group while no command module is imported yet; it has no options."""


class _LazyConsole:
    """A rich `Console` made on first use: `screen --json` prints without importing rich."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def __getattr__(self, name: str) -> Any:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


out: Console = _LazyConsole()  # type: ignore[assignment]
err: Console = _LazyConsole(stderr=True)  # type: ignore[assignment]
F = TypeVar("F", bound=Callable[..., Any])


def _friendly(func: F) -> F:
    """Errors a user can act on become one line on stderr and exit code 2, never a traceback."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except ExportGuardError as exc:
            from rich.markup import escape

            # The message is text, not markup: "pip install -e '.[spark]'" or a file named
            # "book[2].csv" must print as written.
            err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False,
                      soft_wrap=True)
            raise typer.Exit(2) from None
        except KeyboardInterrupt:
            err.print("interrupted; nothing was changed")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def main() -> None:
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
