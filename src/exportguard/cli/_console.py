"""The consoles the commands print to, and the one-line report of an error a user can act on,
without Typer: a `screen` takes a path that does not import it (cli/__init__.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from exportguard.errors import ExportGuardError


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


def report_error(exc: ExportGuardError) -> None:
    """One line on stderr (the command then exits with code 2)."""
    from rich.markup import escape

    # The message is text, not markup: "pip install -e '.[spark]'" or a file named
    # "book[2].csv" must print as written.
    err.print(f"[bold red]error:[/] {escape(str(exc))}", markup=True, highlight=False,
              soft_wrap=True)


def report_interrupt() -> None:
    err.print("interrupted; nothing was changed")
