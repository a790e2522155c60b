"""Batches submitted to the API: stored, screened on a background thread with the per-row
function of `exportguard batch`, and read back only by the key that submitted them (or an
admin). Callers see an unguessable token, never the row number. A job whose process died is
marked failed, with the reason, when a service process starts (`fail_orphans`)."""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from exportguard.access import Principal
from exportguard.batch.rows import RowOptions, screen_rows
from exportguard.errors import ExportGuardError, InputError
from exportguard.lists.codes import parse_list_codes
from exportguard.processes import process_alive
from exportguard.regime.dated import parse_as_of
from exportguard.service.state import ServiceState
from exportguard.store import Store
from exportguard.store.tables import BatchJobRow

log = logging.getLogger("exportguard.service")
_STEP = 500
# A job on another host whose heartbeat is older than this is taken for dead.
STALE_AFTER = timedelta(minutes=10)
_RUNNER = f"{socket.gethostname()[:100]}:{os.getpid()}"


def submit_batch(state: ServiceState, principal: Principal, request_id: str,
                 rows: list[dict[str, Any]], options: dict[str, Any]) -> str:
    """Store a batch and start screening it; its token (the id callers use)."""
    if len(rows) > state.limits.max_batch_rows:
        raise InputError("rows", f"{len(rows):,} rows; the limit is "
                                 f"{state.limits.max_batch_rows:,} per batch (use the "
                                 "`exportguard batch` command for files)")
    if not rows:
        raise InputError("rows", "at least one row is required")
    parse_list_codes(options.get("lists"))
    if options.get("as_of"):
        parse_as_of(options["as_of"], "as_of")
    token = secrets.token_urlsafe(16)
    now = datetime.now(UTC)
    with state.store._sessions.begin() as session:
        job = BatchJobRow(status="queued", submitted_by=principal.name, submitted_at=now,
                          request_id=request_id, options=options, rows=rows, total=len(rows),
                          done=0, token=token, key_id=principal.key_id, runner=_RUNNER,
                          heartbeat_at=now)
        session.add(job)
        session.flush()
        job_id = job.id
    state.audit.append(principal.name, "batch.submit", f"batch {token}", request_id,
                       {"batch": token, "rows": len(rows), "options": options})
    threading.Thread(target=_run_batch, args=(state, job_id, token, principal.name, request_id),
                     name=f"batch-{job_id}", daemon=True).start()
    return token


def running_of(state: ServiceState, principal: Principal) -> int:
    """How many of this key's batches are queued or running."""
    with state.store._sessions() as session:
        return session.scalar(
            select(func.count()).select_from(BatchJobRow).where(
                BatchJobRow.key_id == principal.key_id,
                BatchJobRow.status.in_(("queued", "running")))) or 0


def batch_status(state: ServiceState, token: str, principal: Principal, *,
                 with_results: bool) -> dict[str, Any]:
    """The batch's status; a batch of another key is 'not found' (admins read all)."""
    with state.store._sessions() as session:
        job = session.execute(select(BatchJobRow).where(BatchJobRow.token == token)) \
            .scalar_one_or_none()
        if job is None or (principal.role != "admin" and job.key_id != principal.key_id):
            raise LookupError(f"there is no batch {token} of this key")
        data: dict[str, Any] = {
            "id": job.token, "status": job.status, "total": job.total, "done": job.done,
            "submitted_by": job.submitted_by, "submitted_at": job.submitted_at.isoformat(),
            "finished_at": job.finished_at.isoformat() if job.finished_at else None,
            "options": job.options, "error": job.error}
        if with_results:
            data["results"] = job.results
        return data


def fail_orphans(store: Store, now: datetime | None = None) -> list[str]:
    """Mark failed the unfinished jobs whose process is gone: on this host, its pid is not
    alive; elsewhere, its heartbeat is older than STALE_AFTER. Their tokens."""
    now = now or datetime.now(UTC)
    host = _RUNNER.rsplit(":", 1)[0]
    failed: list[str] = []
    with store._sessions.begin() as session:
        jobs = session.execute(select(BatchJobRow).where(
            BatchJobRow.status.in_(("queued", "running")))).scalars().all()
        for job in jobs:
            runner_host, _, pid = (job.runner or "").rpartition(":")
            beat = job.heartbeat_at or job.submitted_at
            if beat.tzinfo is None:
                beat = beat.replace(tzinfo=UTC)
            if runner_host == host and pid.isdigit():
                dead = not process_alive(int(pid))
            else:
                dead = now - beat > STALE_AFTER
            if dead:
                job.status, job.finished_at = "failed", now
                job.error = (f"the service process running it ({job.runner or 'unknown'}) "
                             f"stopped after {job.done:,} of {job.total:,} rows; submit it "
                             "again")
                failed.append(job.token or str(job.id))
    for token in failed:
        log.warning("batch %s was left unfinished by a stopped process: marked failed", token)
    return failed



def _run_batch(state: ServiceState, job_id: int, token: str, actor: str,
               request_id: str) -> None:
    with state.store._sessions() as session:
        job = session.get(BatchJobRow, job_id)
        assert job is not None
        rows, options = list(job.rows), dict(job.options)
    _set_job(state, job_id, status="running")
    try:
        day = parse_as_of(options["as_of"], "as_of") if options.get("as_of") else None
        screener = state.screener(day)
        codes = parse_list_codes(options.get("lists"))
        row_options = RowOptions("name", "country", codes, options.get("min_score"),
                                 ",".join(str(s.id) for s in screener.snapshots))
        results: list[dict[str, Any]] = []
        for start in range(0, len(rows), _STEP):
            part = rows[start:start + _STEP]
            columns = screen_rows(screener, [r.get("name") for r in part],
                                  [r.get("country") for r in part], [None] * len(part),
                                  row_options)
            results.extend({"id": row.get("id"), "name": row.get("name"),
                            "country": row.get("country"),
                            **{column: values[number] for column, values in columns.items()}}
                           for number, row in enumerate(part))
            _set_job(state, job_id, done=len(results))
        counts: dict[str, int] = {}
        for item in results:
            counts[item["decision"]] = counts.get(item["decision"], 0) + 1
        _set_job(state, job_id, status="done", done=len(rows), results=results,
                 finished_at=datetime.now(UTC))
        state.audit.append(actor, "batch.done", f"batch {token}", request_id,
                           {"batch": token, "rows": len(rows), "decisions": counts,
                            "snapshot_ids": [s.id for s in screener.snapshots]})
    except ExportGuardError as exc:
        _set_job(state, job_id, status="failed", error=str(exc), finished_at=datetime.now(UTC))
    except Exception:  # a thread has no caller to tell: the job says it failed, the log why
        log.exception("batch %s failed", token)
        _set_job(state, job_id, status="failed", error="an unexpected error; see the service "
                 f"log for request {request_id}", finished_at=datetime.now(UTC))


def _set_job(state: ServiceState, job_id: int, **values: Any) -> None:
    with state.store._sessions.begin() as session:
        job = session.get(BatchJobRow, job_id)
        assert job is not None
        for name, value in values.items():
            setattr(job, name, value)
        job.heartbeat_at = datetime.now(UTC)
