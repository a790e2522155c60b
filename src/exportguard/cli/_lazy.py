"""The commands by name, imported when invoked: a run builds only the command it runs.

Typer turns every registered command into a click command, and every parameter of the one that
runs into a pydantic validator, on each start; with 22 top-level names across 13 modules that
was most of a cold `screen` (issue 17). `LazyGroup` is click's lazy-loading group pattern on
Typer's group class: the registry below names each command's module and the first paragraph of
its help, so `exportguard --help` lists every command without importing one;
`tests/test_startup.py` checks the registry against the commands the modules define.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager
from copy import copy
from typing import Any, NamedTuple

from typer import _click
from typer.core import TyperCommand, TyperGroup


class Entry(NamedTuple):
    module: str
    summary: str  # the first paragraph of the command's help, as `--help` lists it


_SCREENING = "exportguard.cli.screening"
_ITEMS = "exportguard.cli.items"
_LISTS = "exportguard.cli.lists"
_SERVICE = "exportguard.cli.service"
_WATCH = "exportguard.cli.watch"

# In the order `--help` lists them (commands first, then the groups of subcommands).
COMMANDS: dict[str, Entry] = {
    "screen": Entry(_SCREENING, "Screen a name against the loaded lists and explain every match."),
    "compare": Entry("exportguard.cli.compare", "Score two names against each other with the "
                     "screening matcher, and explain the score."),
    "load": Entry(_SCREENING, "Load a list file as a new snapshot. A file that fails leaves the "
                  "lists unchanged."),
    "batch": Entry("exportguard.cli.batch", "Screen every row of a file against the loaded "
                   "lists; resumable after a stop."),
    "check": Entry("exportguard.cli.check", "Decide whether a licence is needed, with every "
                   "reason and its citation."),
    "invest": Entry("exportguard.cli.invest", "May a U.S. person buy, hold or must they sell a "
                    "security under NS-CMIC (E.O. 14032)?\nWith --holdings, check a whole "
                    "portfolio or index on the date."),
    "classify": Entry(_ITEMS, "Classify an item under ECCN 3A090/4A090 on a date, from the "
                      "catalog or from figures."),
    "items": Entry(_ITEMS, "List the catalog with each item's figures and its classification on "
                   "a date."),
    "chart": Entry(_ITEMS, "Draw the catalog on the TPP x performance-density plane with the "
                   "thresholds of a date."),
    "lists": Entry(_LISTS, "Show the sources, their snapshots (dates, entry counts) and which "
                   "serves each list."),
    "diff": Entry(_LISTS, "Entries added, removed and changed between two snapshots of a "
                  "source, by list."),
    "history": Entry(_LISTS, "When an entity was added, changed and removed, across every "
                     "snapshot kept."),
    "mcp": Entry("exportguard.cli.mcp", "Serve the screen, check, classify, invest and "
                 "list_status tools to an MCP client (an AI\nagent), answering with the "
                 "documents `--json` prints. stdio by default: configure the\nclient to run "
                 "`exportguard mcp`."),
    "outbound": Entry("exportguard.cli.outbound", "Is an investment prohibited, notifiable, "
                      "excepted or not covered (31 CFR Part 850)?"),
    "owners": Entry("exportguard.cli.ownership", "The ownership tree up and down, listed "
                    "parties marked, and the ownership rules."),
    "release": Entry("exportguard.cli.release", "Decide whether a release of technology to a "
                     "foreign person in the U.S. needs a licence."),
    "serve": Entry(_SERVICE, "Run the HTTP API (/api/v1, OpenAPI at /api/v1/docs) and the web "
                   "pages (/). The database\nis EXPORTGUARD_DB or the local SQLite file."),
    "alerts": Entry(_WATCH, "New, changed and cleared hits found by re-screening the "
                    "watchlist."),
    "update": Entry("exportguard.cli.update", "Download each official list, verify it and load "
                    "it as a new snapshot. A source that\nfails keeps its previous snapshot in "
                    "force; the others still load. Exit code 1 if any\nfailed."),
    "ownership": Entry("exportguard.cli.ownership", "The ownership graph (who owns whom)."),
    "keys": Entry(_SERVICE, "API keys for the service (hashed at rest)."),
    "audit": Entry(_SERVICE, "The hash-chained audit log."),
    "customers": Entry(_WATCH, "The watchlist of counterparties re-screened on every list "
                       "change."),
}


class LazyGroup(TyperGroup):
    """The root group: a command is imported and built when it is run or its help is asked."""

    def __init__(self, **attrs: Any) -> None:
        # Typer passes the commands of the modules imported so far (in tests, some); every
        # command is built here instead, the same way whatever was imported before.
        super().__init__(**{**attrs, "commands": {}})
        self._suggest, self.suggest_commands = self.suggest_commands, False
        self._listing = False

    def get_params(self, ctx: _click.Context) -> list[_click.Parameter]:
        from exportguard.cli._fast_params import plain_values

        return plain_values(super().get_params(ctx))

    def list_commands(self, ctx: _click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: _click.Context, cmd_name: str) -> _click.Command | None:
        entry = COMMANDS.get(cmd_name)
        if entry is None:
            return None
        if self._listing:
            return TyperCommand(cmd_name, help=entry.summary)
        if cmd_name not in self.commands:
            self.commands[cmd_name] = _build(cmd_name, entry.module, self.rich_markup_mode)
        return self.commands[cmd_name]

    def resolve_command(
        self, ctx: _click.Context, args: list[str]
    ) -> tuple[str | None, _click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except _click.exceptions.UsageError as exc:
            # Typer would suggest close names among the commands built so far: none here.
            from difflib import get_close_matches

            close = get_close_matches(args[0], list(COMMANDS)) if args and self._suggest else []
            if close:
                exc.message = (f"{exc.message.rstrip('.')}. Did you mean "
                               f"{', '.join(repr(name) for name in close)}?")
            raise

    def format_help(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        with self._summaries():
            super().format_help(ctx, formatter)

    def format_commands(self, ctx: _click.Context, formatter: _click.HelpFormatter) -> None:
        with self._summaries():
            super().format_commands(ctx, formatter)

    @contextmanager
    def _summaries(self) -> Iterator[None]:
        """The listing in `--help` reads the registry's summaries, not the modules."""
        self._listing = True
        try:
            yield
        finally:
            self._listing = False


def _build(name: str, module: str, rich_markup_mode: Any) -> _click.Command:
    """Import the command's module (which registers it on the app) and build that command."""
    from typer.main import get_command_from_info, get_command_name, get_group_from_info

    from exportguard.cli._app import app
    from exportguard.cli._fast_params import PlainValuesCommand

    importlib.import_module(module)
    for info in app.registered_commands:
        assert info.callback is not None
        if (info.name or get_command_name(info.callback.__name__)) == name:
            if info.cls is TyperCommand:  # the default: no command asks for its own class
                info = copy(info)
                info.cls = PlainValuesCommand
            return get_command_from_info(info, pretty_exceptions_short=app.pretty_exceptions_short,
                                         rich_markup_mode=rich_markup_mode)
    for group in app.registered_groups:
        if group.name == name:
            return get_group_from_info(
                group, pretty_exceptions_short=app.pretty_exceptions_short,
                suggest_commands=app.suggest_commands, rich_markup_mode=rich_markup_mode)
    raise LookupError(f"{module} defines no command {name!r}")
