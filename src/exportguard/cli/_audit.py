"""CLI decisions (screen, check, invest, batch, load) go to the audit log like the service's,
as actor `cli:USER`. `--no-audit` is for scratch use; the output then says so, so a printed or
saved answer shows whether it was recorded."""

from __future__ import annotations

import getpass
import os
from typing import TYPE_CHECKING, Annotated, Any

if TYPE_CHECKING:
    from exportguard.store import Store
    from exportguard.store.direct import DirectSqlite

NO_AUDIT_HELP = ("Do not record this decision in the audit log (scratch use; the output says "
                 "so).")


def __getattr__(name: str) -> Any:
    """`NoAudit`, the Typer parameter, made when a command module asks for it: `screen`'s
    direct path (cli/__init__.py) appends its record with this module without Typer."""
    if name == "NoAudit":
        import typer

        value = Annotated[bool, typer.Option("--no-audit", help=NO_AUDIT_HELP)]
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def audit_decision(store: Store | DirectSqlite, action: str, subject: str, detail: dict[str, Any],
                   skip: bool) -> dict[str, Any]:
    """Append the decision (unless `skip`); the setting as the output reports it."""
    if skip:
        return {"recorded": False, "setting": "--no-audit"}
    from exportguard.audit_chain import canonical
    from exportguard.store.direct import DirectSqlite

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown"
    actor, request_id = f"cli:{user}", f"cli-{_uuid4_head()}"
    if isinstance(store, DirectSqlite):
        record = store.append_audit(actor, action, subject[:500], request_id, canonical(detail))
    else:
        from exportguard.audit import AuditLog

        record = AuditLog(store).append(actor, action, subject[:500], request_id, detail)
    return {"recorded": True, "seq": record.seq, "actor": record.actor}


def _uuid4_head() -> str:
    """`uuid.uuid4().hex[:16]`: eight random bytes, the seventh carrying the version 4 in its
    high half (uuid imports platform, which a cold screen need not)."""
    head = bytearray(os.urandom(8))
    head[6] = (head[6] & 0x0F) | 0x40
    return head.hex()


def audit_note(setting: dict[str, Any]) -> str:
    """One line for the text output."""
    if setting["recorded"]:
        return f"[dim]Audit record #{setting['seq']} ({setting['actor']}).[/]"
    return "[dim]Not audited (--no-audit).[/]"
