"""Review cases: a screen or check that ends in `review` opens one; a reviewer clears it (a false
positive), escalates it or confirms it, always with a note. Every case action is appended to the
audit log in the same transaction as the change it records.

Clearing remembers each (subject, list entry) pair of the case with a fingerprint of both sides:
the subject's name and country as screened, and the entry's compared fields (`entry_fingerprint`).
The same possible match is then not raised again for that subject until either side changes (the
customer is renamed or moves, the list entry is amended); a changed side raises it afresh.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from exportguard.access import Principal, allows
from exportguard.audit import AuditLog, ChainContention
from exportguard.audit_group import LoopGroups
from exportguard.errors import ExportGuardError, InputError
from exportguard.store import Store
from exportguard.store.ownership import company_key
from exportguard.store.tables import CaseRow, ClearedPairRow

STATUSES = ("open", "escalated", "cleared", "confirmed")
ACTIONS = {"clear": "cleared", "escalate": "escalated", "confirm": "confirmed"}
_OPEN = ("open", "escalated")
MAX_NOTE_CHARS = 5000
_RETRIES = 50


def subject_key(name: str, country: str | None, customer_id: str | None = None) -> str:
    """Whom a match is about: the caller's customer id when given, else the name (without case
    and punctuation) and country."""
    if customer_id:
        return f"id:{customer_id}"
    return "name:" + company_key(name, country)


def subject_fingerprint(name: str, country: str | None) -> str:
    """The subject as screened; a renamed or relocated customer gets a new fingerprint."""
    text = _fingerprint_json([" ".join(name.split()), country or ""])
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


_fingerprint_json = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps, made once


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    kind: str
    status: str
    subject: str
    request: dict[str, Any]
    result: dict[str, Any]
    matches: list[dict[str, Any]]
    opened_at: datetime
    opened_by: str
    request_id: str
    decided_at: datetime | None
    decided_by: str | None
    note: str | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id, "kind": self.kind, "status": self.status, "subject": self.subject,
            "request": self.request, "result": self.result, "matches": self.matches,
            "opened_at": self.opened_at.isoformat(), "opened_by": self.opened_by,
            "request_id": self.request_id,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "decided_by": self.decided_by, "note": self.note,
        }


class Cases:
    def __init__(self, store: Store, audit: AuditLog | None = None,
                 groups: LoopGroups | None = None) -> None:
        self.store = store
        self.audit = audit or AuditLog(store)
        self.groups = groups  # the service's group commit (audit_group.py), if any

    def record(self, *, kind: str, subject: str, decision: str, request: dict[str, Any],
               result: dict[str, Any], matches: list[dict[str, Any]], actor: str,
               request_id: str, summary: dict[str, Any]) -> int | None:
        """Audit a screen or check decision; when it is `review`, open a case in the same
        transaction, unless the same subject's same possible matches already wait in an open or
        escalated case (asking twice before anyone reviewed must not queue it twice). Returns
        the case id (None when no case was needed), once committed."""
        return self.commit(self.recording(
            kind=kind, subject=subject, decision=decision, request=request, result=result,
            matches=matches, actor=actor, request_id=request_id, summary=summary))

    def commit(self, work: Callable[[Session], Any]) -> Any:
        """Run `work` (a `recording`) in a transaction of its own; its result once committed."""
        return self._transaction(work)

    async def commit_async(self, work: Callable[[Session], Any]) -> Any:
        """`commit` on the event loop: with group commit (`audit_group.LoopGroups`), the
        records of the requests the loop serves meanwhile go in the same transaction."""
        if self.groups is not None:
            return await self.groups.commit(work)
        return self._transaction(work)

    def recording(self, *, kind: str, subject: str, decision: str, request: dict[str, Any],
                  result: dict[str, Any], matches: list[dict[str, Any]], actor: str,
                  request_id: str, summary: dict[str, Any]) -> Callable[[Session], int | None]:
        """What `record` runs in its transaction: a function of the session, run again from
        the start if the transaction is retried."""

        def work(session: Session) -> int | None:
            case_id = None
            reused = False
            if decision == "review":
                case_id = _open_case_for(session, kind, subject, matches, request)
                reused = case_id is not None
            if decision == "review" and case_id is None:
                first = matches[0] if matches else {}
                row = CaseRow(kind=kind, status="open", subject=subject,
                              subject_key=first.get("subject_key", ""),
                              subject_fingerprint=first.get("subject_fingerprint", ""),
                              request=request, result=result, matches=matches,
                              opened_at=datetime.now(UTC), opened_by=actor,
                              request_id=request_id)
                session.add(row)
                session.flush()
                case_id = row.id
            self.audit.append(actor, kind, subject, request_id,
                              {**summary, "decision": decision, "case_id": case_id},
                              session=session)
            if case_id is not None and not reused:
                self.audit.append(actor, "case.open", f"case #{case_id}", request_id,
                                  {"case_id": case_id, "kind": kind, "subject": subject,
                                   "matches": [_brief(m) for m in matches]}, session=session)
            return case_id

        return work

    def decide(self, case_id: int, action: str, note: str, principal: Principal,
               request_id: str) -> Case:
        """A reviewer's decision. Cleared and confirmed cases are final; an escalated case can
        still be cleared or confirmed. The note is mandatory."""
        if action not in ACTIONS:
            raise InputError("action", f"must be one of {', '.join(ACTIONS)}, got '{action}'")
        if not isinstance(note, str) or not note.strip():
            raise InputError("note", "a note is required: say why")
        if len(note) > MAX_NOTE_CHARS:
            raise InputError("note", f"is {len(note)} characters; the limit is {MAX_NOTE_CHARS}")
        if not allows(principal.role, "reviewer"):
            raise PermissionError("deciding a case needs the reviewer role")
        status = ACTIONS[action]

        def work(session: Session) -> Case:
            row = session.get(CaseRow, case_id)
            if row is None:
                raise LookupError(f"there is no case #{case_id}")
            if row.status not in _OPEN:
                raise InputError("case", f"case #{case_id} is already {row.status}; a decided "
                                         "case is final")
            if row.status == status:
                raise InputError("action", f"case #{case_id} is already {status}")
            now = datetime.now(UTC)
            previous = row.status
            row.status, row.decided_at, row.decided_by, row.note = (
                status, now, principal.name, note.strip())
            if status == "cleared":
                for match in row.matches:
                    session.add(ClearedPairRow(
                        subject_key=match["subject_key"],
                        subject_fingerprint=match["subject_fingerprint"],
                        entry_key=match["entry_id"],
                        entry_fingerprint=match["entry_fingerprint"],
                        case_id=row.id, cleared_at=now, cleared_by=principal.name))
            session.flush()
            self.audit.append(principal.name, f"case.{action}", f"case #{case_id}", request_id,
                              {"case_id": case_id, "from": previous, "to": status,
                               "note": note.strip(), "role": principal.role,
                               "matches": [_brief(m) for m in row.matches]}, session=session)
            return _case(row)

        return self._transaction(work)

    def cleared(self, pairs: list[tuple[str, str, str, str]]) -> dict[tuple[str, str], int]:
        """Of (subject_key, subject_fingerprint, entry_key, entry_fingerprint) pairs, those a
        reviewer cleared with both fingerprints unchanged: {(subject_key, entry_key): case}."""
        if not pairs:
            return {}
        wanted = {(s, e): (sf, ef) for s, sf, e, ef in pairs}
        with self.store._sessions() as session:
            rows = session.scalars(select(ClearedPairRow).where(
                ClearedPairRow.subject_key.in_({s for s, _ in wanted}),
                ClearedPairRow.entry_key.in_({e for _, e in wanted})))
            found: dict[tuple[str, str], int] = {}
            for row in rows:
                key = (row.subject_key, row.entry_key)
                if wanted.get(key) == (row.subject_fingerprint, row.entry_fingerprint):
                    found[key] = max(found.get(key, 0), row.case_id)
        return found

    def get(self, case_id: int) -> Case:
        with self.store._sessions() as session:
            row = session.get(CaseRow, case_id)
            if row is None:
                raise LookupError(f"there is no case #{case_id}")
            return _case(row)

    def list(self, status: str | None = None, limit: int = 50, offset: int = 0) -> list[Case]:
        if status is not None and status not in STATUSES:
            raise InputError("status", f"must be one of {', '.join(STATUSES)}, got '{status}'")
        query = select(CaseRow)
        if status:
            query = query.where(CaseRow.status == status)
        query = query.order_by(CaseRow.id.desc()).limit(limit).offset(offset)
        with self.store._sessions() as session:
            return [_case(r) for r in session.scalars(query)]

    def counts(self) -> dict[str, int]:
        with self.store._sessions() as session:
            rows = session.execute(select(CaseRow.status, func.count()).group_by(CaseRow.status))
            found = {status: count for status, count in rows}
        return {status: found.get(status, 0) for status in STATUSES}

    def _transaction(self, work: Any) -> Any:
        """Run `work` in one transaction, again when another writer took the audit head."""
        for _ in range(_RETRIES):
            try:
                with self.store._sessions.begin() as session:
                    return work(session)
            except (ChainContention, OperationalError):
                time.sleep(0.002)
        raise ExportGuardError("could not record the decision after repeated contention")


def _open_case_for(session: Session, kind: str, subject: str, matches: list[dict[str, Any]],
                   request: dict[str, Any]) -> int | None:
    """An undecided case of the same kind for the same subjects and list entries; for a check,
    also the same request (another item or destination is another question)."""
    if not matches:
        return None
    wanted = _pairs(matches)
    key = matches[0]["subject_key"] if matches else ""
    query = select(CaseRow).where(CaseRow.kind == kind, CaseRow.status.in_(_OPEN),
                                  CaseRow.subject_key == key, CaseRow.subject == subject)
    for row in session.scalars(query.order_by(CaseRow.id)):
        if _pairs(row.matches) == wanted and (kind == "screen" or row.request == request):
            return row.id
    return None


def _pairs(matches: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {(m["subject_key"], m["subject_fingerprint"], m["entry_id"], m["entry_fingerprint"])
            for m in matches}


def _brief(match: dict[str, Any]) -> dict[str, Any]:
    return {k: match.get(k) for k in ("subject", "entry_id", "list", "name", "score")}


def _case(row: CaseRow) -> Case:
    return Case(row.id, row.kind, row.status, row.subject, row.request, row.result, row.matches,
                row.opened_at, row.opened_by, row.request_id, row.decided_at, row.decided_by,
                row.note)
