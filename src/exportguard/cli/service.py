"""`serve`, `keys` and `audit`: running the service, its API keys and the audit trail."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exportguard.cli._app import _friendly, app, err, out
from exportguard.errors import InputError
from exportguard.regime.dated import parse_as_of
from exportguard.roles import ROLES

keys_app = typer.Typer(help="API keys for the service (hashed at rest).", no_args_is_help=True)
audit_app = typer.Typer(help="The hash-chained audit log.", no_args_is_help=True)
app.add_typer(keys_app, name="keys")
app.add_typer(audit_app, name="audit")
_JSON = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]


@app.command()
@_friendly
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(help="Processes; they share each key's rate limit.")
                       ] = 1,
) -> None:
    """Run the HTTP API (/api/v1, OpenAPI at /api/v1/docs) and the web pages (/). The database
    is EXPORTGUARD_DB or the local SQLite file."""
    import uvicorn

    from exportguard.access import Access
    from exportguard.store import Store

    if not 1 <= port <= 65535:
        raise InputError("port", f"must be between 1 and 65535, got {port}")
    if not 1 <= workers <= 64:
        raise InputError("workers", f"must be between 1 and 64, got {workers}")
    store = Store()
    if not Access(store).list_keys():
        err.print("No API key exists yet: create one with `exportguard keys create NAME --role "
                  "admin` and sign in with it.", highlight=False)
    store.close()
    os.environ.setdefault("EXPORTGUARD_SERVICE", "1")
    uvicorn.run("exportguard.service.main:app", host=host, port=port, workers=workers,
                log_level="info", access_log=False, proxy_headers=False)


@keys_app.command("create")
@_friendly
def keys_create(
    name: Annotated[str, typer.Argument(help="Who or what uses the key, e.g. 'order-system'.")],
    role: Annotated[str, typer.Option(help=f"One of {', '.join(ROLES)}.")] = "screener",
    rate: Annotated[float | None, typer.Option(help="Units of work per second allowed: a "
                                               "screen costs 1, a check 1 per party, a batch "
                                               "10 plus 1 per 100 rows (default: the "
                                               "service's).")] = None,
    as_json: _JSON = False,
) -> None:
    """Create a key. Its secret is printed once: store it now, it cannot be shown again."""
    from exportguard.access import Access
    from exportguard.audit import AuditLog
    from exportguard.store import Store

    store = Store()
    info, secret = Access(store).create_key(name, role, rate)
    AuditLog(store).append("cli", "key.create", name, "cli",
                           {"key_id": info.id, "role": role, "prefix": info.prefix})
    if as_json:
        print(json.dumps({**info.to_dict(), "secret": secret}))
        return
    out.print(f"Key #{info.id} '{info.name}' ({info.role}):", highlight=False)
    print(secret)
    err.print("Store it now: only its SHA-256 digest is kept.")


@keys_app.command("list")
@_friendly
def keys_list(as_json: _JSON = False) -> None:
    """The keys, with role, prefix, creation and revocation."""
    from exportguard.access import Access
    from exportguard.store import Store

    keys = Access(Store()).list_keys()
    if as_json:
        print(json.dumps({"keys": [k.to_dict() for k in keys]}, indent=2))
        return
    table = Table(title="API keys")
    for column in ("id", "name", "role", "prefix", "created", "revoked", "rate/s"):
        table.add_column(column)
    for k in keys:
        table.add_row(str(k.id), k.name, k.role, k.prefix + "…", f"{k.created_at:%Y-%m-%d}",
                      f"{k.revoked_at:%Y-%m-%d %H:%M}" if k.revoked_at else "",
                      f"{k.rate_per_second:g}" if k.rate_per_second else "default")
    out.print(table)


@keys_app.command("revoke")
@_friendly
def keys_revoke(key: Annotated[str, typer.Argument(help="Key id or name.")]) -> None:
    """Revoke a key (and end its browser sessions); running services notice within 5 s."""
    from exportguard.access import Access
    from exportguard.audit import AuditLog
    from exportguard.store import Store

    store = Store()
    info = Access(store).revoke(int(key) if key.isdigit() else key)
    AuditLog(store).append("cli", "key.revoke", info.name, "cli", {"key_id": info.id})
    out.print(f"Key #{info.id} '{info.name}' revoked.", highlight=False)


@audit_app.command("verify")
@_friendly
def audit_verify(
    head: Annotated[str | None, typer.Option(help="SEQ:HASH printed by an earlier verify: "
                                             "detects records removed from the end.")] = None,
    file: Annotated[Path | None, typer.Option("--file", help="Verify an exported file (with "
                                              "its .signoff.json) instead of the log.")] = None,
    anchor: Annotated[Path | None, typer.Option(help="The anchor file the service writes "
                                                "(default: EXPORTGUARD_AUDIT_ANCHOR, else "
                                                "audit-anchor.jsonl in the data folder).")
                      ] = None,
    as_json: _JSON = False,
) -> None:
    """Recompute the chain: any edited, inserted or deleted record is reported. Exit code 1 if
    the chain is broken."""
    from exportguard.audit import AuditLog, verify_export
    from exportguard.audit_anchor import verify_anchored
    from exportguard.store import Store

    report = verify_export(file) if file else verify_anchored(AuditLog(Store()), head, anchor)
    if as_json:
        print(json.dumps(report.to_dict(), indent=2))
    elif report.ok and file:
        # A file stands on its own: its sign-off, not this database's head or anchor.
        out.print(f"{file.name} matches its sign-off ({file.name}.signoff.json): "
                  f"{report.records:,} records, SHA-256 and chain intact.", highlight=False,
                  soft_wrap=True)
    elif report.ok:
        out.print(f"Audit chain intact: {report.records:,} records. Head (keep it to detect "
                  f"truncation later): {report.head_seq}:{report.head_hash}", highlight=False)
        out.print(f"Checked against the anchor {report.anchor}." if report.anchor else
                  "No anchor found for this database (the service writes one every minute).",
                  highlight=False, soft_wrap=True)
    else:
        err.print(f"[bold red]Audit chain BROKEN[/] ({report.records:,} records read, head "
                  f"{report.head_seq}:{report.head_hash}):", highlight=False, soft_wrap=True)
        for problem in report.problems[:50]:
            err.print(f"  {problem}", highlight=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


@audit_app.command("export")
@_friendly
def audit_export(
    from_: Annotated[str, typer.Option("--from", help="First day (YYYY-MM-DD, UTC).")],
    to: Annotated[str, typer.Option("--to", help="Last day (YYYY-MM-DD, UTC).")],
    out_file: Annotated[Path, typer.Option("--out", help="Output .csv or .jsonl.")],
    by: Annotated[str | None, typer.Option(help="Who signs the export off (default: $USER).")
                  ] = None,
) -> None:
    """Write the records of [from, to] and a sign-off (PATH.signoff.json: counts, chain anchors,
    SHA-256 of the file). Refused when the chain is broken."""
    from exportguard.audit import AuditLog
    from exportguard.store import Store

    start, end = parse_as_of(from_, "from"), parse_as_of(to, "to")
    if not out_file.parent.exists():
        raise InputError("out", f"folder {out_file.parent} does not exist")
    who = by or os.environ.get("USER") or "unknown"
    log = AuditLog(Store())
    signoff = log.export(out_file, start, end, exported_by=who)
    log.append(who, "audit.export", f"{start}..{end}", "cli",
               {"file": out_file.name, "records": signoff["records"],
                "sha256": signoff["sha256"]})
    out.print(f"Wrote {signoff['records']:,} records to {out_file} and the sign-off "
              f"{out_file.name}.signoff.json (SHA-256 {signoff['sha256'][:16]}…).",
              highlight=False)
