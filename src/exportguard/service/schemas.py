"""What each /api/v1 route answers, for the OpenAPI document (`responses={200: {"model": ..}}`).

The answers are the documents the CLI prints with `--json` (views.py and the libraries'
`to_dict`), so these models describe them rather than build them: the top-level fields are
typed and required where always present, nested records are objects, and a document may carry
more fields than listed (`extra="allow"`), so adding a field to a `--json` document never breaks
the API. The property tests check every answer against these schemas.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

Record = dict[str, Any]


class Answer(BaseModel):
    model_config = ConfigDict(extra="allow")


class Health(Answer):
    status: Literal["ok"]
    request_id: str


class ScreenAnswer(Answer):
    """`screen --json`, plus the case opened and the matches a reviewer cleared."""

    query: str
    decision: Literal["match", "review", "clear"]
    country: str | None
    threshold: float
    snapshot: Record
    matches: list[Record]
    cleared_matches: list[Record]
    case_id: int | None
    request_id: str


class CheckAnswer(Answer):
    """`check --json`: the decision, every rule's reason and the parties' screening."""

    decision: str
    as_of: str
    destination: str
    reasons: list[Record]
    item: Record | None
    parties: list[Record]
    missing_facts: list[str]
    rules_version: str
    case_id: int | None
    request_id: str


class ClassifyAnswer(Answer):
    """`classify --json`: the 3A090/4A090 paragraph on the date and why."""

    as_of: str
    eccn: str | None
    paragraph: str | None
    controlled: bool | None
    reasons: list[Record]
    missing_facts: list[str]
    rules_version: str
    request_id: str


class InvestAnswer(Answer):
    """`invest --json`: NS-CMIC on the date."""

    security: str
    as_of: str
    decision: str
    may_buy: bool
    may_hold: bool
    reasons: list[Record]
    rules_version: str
    request_id: str


class BatchAccepted(Answer):
    id: str
    status: Literal["queued"]
    total: int
    status_url: str
    request_id: str


class BatchStatus(Answer):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    total: int
    done: int
    submitted_by: str
    submitted_at: str
    finished_at: str | None
    options: Record
    error: str | None
    results: list[Record] | None = None


class ListsAnswer(Answer):
    snapshots: list[Record]
    serving: dict[str, int]


class SnapshotAnswer(Answer):
    id: int
    source: str
    format: str
    checksum: str
    entry_count: int
    lists: list[str]
    loaded_at: str


class HistoryAnswer(Answer):
    query: str
    entries: list[Record]


class DiffAnswer(Answer):
    diffs: list[Record]


class UpdateAnswer(Answer):
    sources: list[Record]
    watchlist: Record | None


class OwnershipAnswer(Answer):
    holdings: list[Record]


class CaseAnswer(Answer):
    id: int
    kind: str
    status: Literal["open", "escalated", "cleared", "confirmed"]
    subject: str
    request: Record
    result: Record
    matches: list[Record]
    opened_at: str
    opened_by: str
    decided_at: str | None
    decided_by: str | None
    note: str | None


class CasesAnswer(Answer):
    counts: dict[str, int]
    cases: list[CaseAnswer]


class AuditRecordAnswer(Answer):
    seq: int
    at: str
    actor: str
    action: str
    subject: str
    request_id: str
    detail: str
    prev_hash: str
    hash: str


class AuditAnswer(Answer):
    records: list[AuditRecordAnswer]
    next_after: int | None


class VerifyAnswer(Answer):
    ok: bool
    records: int
    head_seq: int
    head_hash: str
    head: str
    anchor: str | None
    problems: list[str]


class KeyAnswer(Answer):
    id: int
    name: str
    role: Literal["screener", "reviewer", "admin"]
    prefix: str
    created_at: str
    revoked_at: str | None
    rate_per_second: float | None


class NewKeyAnswer(KeyAnswer):
    secret: str


class KeysAnswer(Answer):
    keys: list[KeyAnswer]


class OutboundAnswer(Answer):
    """`outbound --json`: 31 CFR Part 850 on the transaction."""

    request_id: str


class ActivitiesAnswer(Answer):
    activities: list[Record]


class ReleaseAnswer(Answer):
    """`release --json`: a technology or source-code release to a foreign person."""

    request_id: str


def ok(model: type[BaseModel], status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The `responses` argument of a route that answers `model` (documented, not enforced:
    validating every answer would cost each request)."""
    return {status: {"model": model}}
