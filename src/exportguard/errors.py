"""Errors a user can act on.

Every error raised for bad input names the thing that was wrong (file, line or record, field) so the
CLI and the API can print it without a traceback.
"""

from __future__ import annotations


class ExportGuardError(Exception):
    """Base class for errors shown to the user as a message, never as a traceback."""


class InputError(ExportGuardError):
    """A value given by the user is unusable; `field` names which one, and `index` which
    element (from 0) when the value is one of several (the second party, a nationality)."""

    def __init__(self, field: str, message: str, *, index: int | None = None) -> None:
        self.field = field
        self.message = message
        self.index = index
        super().__init__(f"{field}: {message}")


class ListFileError(ExportGuardError):
    """A list file failed to parse or validate. Nothing was stored."""

    def __init__(
        self,
        path: str,
        message: str,
        *,
        line: int | None = None,
        record: int | None = None,
        field: str | None = None,
    ) -> None:
        self.path = path
        self.line = line
        self.record = record
        self.field = field
        self.message = message
        where = [path]
        if line is not None:
            where.append(f"line {line}")
        if record is not None:
            where.append(f"record {record}")
        if field is not None:
            where.append(f"field '{field}'")
        super().__init__(f"{', '.join(where)}: {message}")


class StoreError(ExportGuardError):
    """The database could not be opened or migrated."""
