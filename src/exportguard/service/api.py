"""The JSON API, versioned under /api/v1. Each answer has the shape the CLI prints with `--json`,
plus `request_id` (and `case_id` where a case may open).

Roles: `screener` may screen, check, classify, look up and submit batches; `reviewer` may also
read and decide cases and read the audit log; `admin` may do everything, including keys, list
updates and audit export. Send the key as `Authorization: Bearer KEY` or `X-API-Key: KEY`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from exportguard.access import Principal, allows
from exportguard.audit import ChainBroken
from exportguard.audit_anchor import verify_anchored
from exportguard.check import CheckRequest as Transaction
from exportguard.check import ItemFigures, Party
from exportguard.errors import InputError
from exportguard.invest import invest
from exportguard.items import classify
from exportguard.lists import update as updating
from exportguard.names.normalize import MAX_NAME_CHARS
from exportguard.regime.dated import parse_as_of
from exportguard.screening.screener import MAX_LIMIT
from exportguard.service import batches, operations, schemas
from exportguard.service.app import ApiError, Json, request_id
from exportguard.service.costs import batch_cost, check_cost, route_cost
from exportguard.service.schemas import ok
from exportguard.service.state import ServiceState
from exportguard.views import diffs, history_view, lists_view, owners_view
from exportguard.watch import rescreen

router = APIRouter(prefix="/api/v1")
_ID = Annotated[int, Path(ge=1, le=2_147_483_647)]
_TEXT = 200


def state_of(request: Request) -> ServiceState:
    return request.app.state.service  # type: ignore[no-any-return]


_BEARER = HTTPBearer(auto_error=False, description="Authorization: Bearer KEY")
_API_KEY = APIKeyHeader(name="X-API-Key", auto_error=False, description="X-API-Key: KEY")


def require(role: str) -> Any:
    """A dependency: the caller's key must be valid (401), allow `role` (403) and be within its
    rate (429). The messages say what is wrong, never whether a given key exists. The two key
    schemes are dependencies so the OpenAPI document declares them on every route that takes a
    key."""

    async def dependency(
        request: Request,
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_BEARER)],
        api_key: Annotated[str | None, Depends(_API_KEY)],
    ) -> Principal:
        state = state_of(request)
        secret = bearer.credentials.strip() if bearer is not None else api_key
        principal = state.principal(secret)
        if principal is None:
            message = ("an API key is required: send Authorization: Bearer KEY or X-API-Key"
                       if not secret else "the API key is not valid")
            raise ApiError(401, "unauthorized", message,
                           headers={"WWW-Authenticate": 'Bearer realm="exportguard"'})
        if not allows(principal.role, role):
            raise ApiError(403, "forbidden",
                           f"this key's role ({principal.role}) may not do this; it needs "
                           f"the {role} role")
        route = request.scope.get("route")
        charge(state, principal, route_cost(request.method, getattr(route, "path", "")),
               "this request")
        return principal

    return Depends(dependency)


def charge(state: ServiceState, principal: Principal, cost: int, what: str) -> None:
    """Take `cost` units from the key's rate (service/costs.py); 429 naming the limit when the
    bucket does not hold them yet."""
    wait = state.rate.take(principal, cost)
    if wait is None:
        return
    rate, burst = state.rate.rate_of(principal)
    charged = state.rate.charged(principal, cost)
    retry = max(1, round(wait + 0.5))
    raise ApiError(
        429, "rate_limited",
        f"over this key's rate of {rate:g} units a second ({burst:g} of burst): {what} costs "
        f"{charged:,} unit{'s' if charged != 1 else ''}; retry after {retry} s",
        headers={"Retry-After": str(retry)},
        limit={"name": "rate_per_second", "value": rate, "burst": burst, "cost": charged})


Screener_ = Annotated[Principal, require("screener")]
Reviewer = Annotated[Principal, require("reviewer")]
Admin = Annotated[Principal, require("admin")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class ScreenRequest(Strict):
    name: str = Field(max_length=MAX_NAME_CHARS, description="Party name, in any script.")
    country: str | None = Field(None, max_length=60, description="ISO-2 country of the party.")
    lists: str | None = Field(None, max_length=_TEXT, description="Only these lists: EL,SDN")
    limit: int = Field(10, ge=1, le=MAX_LIMIT)
    min_score: float | None = Field(None, ge=0.0, le=1.0)
    as_of: str | None = Field(None, max_length=10, description="YYYY-MM-DD")
    customer_id: str | None = Field(
        None, max_length=_TEXT, description="Your id for the party: a cleared false positive "
        "stays cleared for this id until its name or country changes.")


class PartyModel(Strict):
    name: str = Field(max_length=MAX_NAME_CHARS)
    role: str = Field("end_user", max_length=40)
    country: str | None = Field(None, max_length=60)
    hq: str | None = Field(None, max_length=60)
    parent: str | None = Field(None, max_length=MAX_NAME_CHARS)
    parent_hq: str | None = Field(None, max_length=60)


class Figures(Strict):
    tpp: float | None = None
    throughput: dict[str, float] | None = Field(
        None, description="Datasheet figures by precision, TFLOPS: {\"fp8\": 1979}")
    sparse: bool = False
    die_area: float | None = None
    datacenter: bool | None = None
    interconnect: float | None = None
    memory_bandwidth: float | None = None
    memory_bandwidth_density: float | None = None
    package_area: float | None = None
    hbm: bool = False


class CheckRequest(Strict):
    destination: str = Field(max_length=60)
    parties: list[PartyModel] = Field(min_length=1, max_length=20)
    item: str | None = Field(None, max_length=_TEXT)
    item_eccn: str | None = Field(None, max_length=40)
    figures: Figures | None = None
    end_use: str | None = Field(None, max_length=2000)
    foreign_made: bool = False
    origin: str | None = Field(None, max_length=60,
                               description="Where the item was made (ISO-2); default US.")
    us_content: dict[str, float] | None = Field(
        None, max_length=50, description="U.S.-origin content by ECCN, per cent of the item's "
        "value: {\"3A090.a\": 20}; {} for none.")
    direct_product_of: list[str] | None = Field(
        None, max_length=50, description="U.S. technology or software (ECCNs) the item is a "
        "direct product of; [] for none.")
    plant_direct_product_of: list[str] | None = Field(
        None, max_length=50, description="U.S. technology or software (ECCNs) the plant that "
        "made the item is a direct product of; [] for none.")
    date: str | None = Field(None, max_length=10)


class ClassifyRequest(Strict):
    item: str | None = Field(None, max_length=_TEXT)
    figures: Figures | None = None
    date: str | None = Field(None, max_length=10)


class InvestRequest(Strict):
    security: str = Field(max_length=_TEXT)
    date: str | None = Field(None, max_length=10)


class BatchRow(Strict):
    id: str | None = Field(None, max_length=_TEXT)
    name: str = Field(max_length=MAX_NAME_CHARS)
    country: str | None = Field(None, max_length=60)


class BatchRequest(Strict):
    rows: list[BatchRow]
    lists: str | None = Field(None, max_length=_TEXT)
    min_score: float | None = Field(None, ge=0.0, le=1.0)
    as_of: str | None = Field(None, max_length=10)


class DecisionRequest(Strict):
    action: Literal["clear", "escalate", "confirm"]
    note: str = Field(max_length=5000, description="Why: mandatory.")


class KeyRequest(Strict):
    name: str = Field(max_length=100)
    role: Literal["screener", "reviewer", "admin"]
    rate_per_second: float | None = Field(None, gt=0, le=100_000)


class UpdateRequest(Strict):
    sources: list[str] | None = Field(None, max_length=20)
    force: bool = False


# --- screening and decisions -------------------------------------------------------------------


@router.get("/health", response_model=None, tags=["service"], responses=ok(schemas.Health))
def health(request: Request) -> dict[str, Any]:
    """Liveness, without a key: the service answers and its database is reachable."""
    state = state_of(request)
    state.audit.head()
    return {"status": "ok", "request_id": request_id(request)}


async def _hot(state: ServiceState, day_text: str | None, field: str, filter_dates: bool,
               work: Callable[[], operations.Decided]) -> Json:
    """Screen and check are a millisecond or two of CPU once their screener is built: run them
    on the event loop (a thread hop costs about a tenth of that). The first request for a new
    date builds a screener for seconds, so that one goes to a thread and the loop keeps serving
    the others. The decision's case and audit record are committed by the group commit
    (`audit_group.LoopGroups`) with those of the other requests in flight; the answer goes out
    once its record is committed. It goes out as a response, so FastAPI does not walk the
    document with `jsonable_encoder` first (0.1 ms a screen, 0.3 ms a check): the documents
    hold only JSON types, so `Json` writes the same bytes either way."""
    # A check always has a date (today by default); a screen without one uses today's lists.
    day = parse_as_of(day_text, field) if day_text or not filter_dates else None
    if state.ready(day, filter_dates=filter_dates):
        decided = work()
    else:
        decided = await run_in_threadpool(work)
    return Json(await decided.commit_async(state))


@router.post("/screen", response_model=None, tags=["screening"], responses=ok(schemas.ScreenAnswer))
async def screen(body: ScreenRequest, request: Request, who: Screener_) -> Json:
    """Screen a name against the lists (as they stood on `as_of`); a `review` opens a case."""
    return await screen_answer(state_of(request), who, request_id(request), body)


async def screen_answer(state: ServiceState, who: Principal, request_id: str,
                        body: ScreenRequest) -> Json:
    """/screen's work once the key is charged: what the route and `service/hot.py` answer."""
    query = operations.ScreenInput(body.name, body.country, body.lists, body.limit,
                                   body.min_score, body.as_of, body.customer_id)
    return await _hot(state, body.as_of, "as_of", True,
                      lambda: operations.prepare_screen(state, who, request_id, query))


@router.post("/check", response_model=None, tags=["screening"], responses=ok(schemas.CheckAnswer))
async def check(body: CheckRequest, request: Request, who: Screener_) -> Json:
    """May this item go to these parties at this destination on this date? A `review` opens a
    case."""
    return await check_answer(state_of(request), who, request_id(request), body)


async def check_answer(state: ServiceState, who: Principal, request_id: str,
                       body: CheckRequest) -> Json:
    """/check's work once the key is charged its route's unit: what the route and
    `service/hot.py` answer."""
    if len(body.parties) > 1:
        charge(state, who, check_cost(len(body.parties)) - 1,
               f"a check of {len(body.parties)} parties")
    check_request = Transaction(
        destination=body.destination, parties=tuple(Party(**p.model_dump()) for p in body.parties),
        item=body.item, item_eccn=body.item_eccn,
        figures=_figures(body.figures) if body.figures is not None else None,
        date=body.date, end_use=body.end_use, foreign_made=body.foreign_made,
        origin=body.origin, us_content=body.us_content,
        direct_product_of=_eccns(body.direct_product_of),
        plant_direct_product_of=_eccns(body.plant_direct_product_of))
    return await _hot(state, body.date, "date", False, lambda: operations.prepare_check(
        state, who, request_id, check_request))


def _eccns(values: list[str] | None) -> tuple[str, ...] | None:
    return None if values is None else tuple(values)


@router.post("/classify", response_model=None, tags=["items"],
             responses=ok(schemas.ClassifyAnswer))
def classify_item(body: ClassifyRequest, request: Request, _who: Screener_) -> dict[str, Any]:
    """ECCN 3A090/4A090 classification of a catalogued item or of datasheet figures."""
    day = parse_as_of(body.date, "date")
    if (body.item is None) == (body.figures is None):
        raise InputError("item", "give exactly one of item (a catalog name) and figures")
    if body.item is not None:
        result = classify(body.item, day)
    else:
        assert body.figures is not None
        result = classify(_figures(body.figures).spec(), day)
    return {**result.to_dict(), "request_id": request_id(request)}


@router.post("/invest", response_model=None, tags=["items"], responses=ok(schemas.InvestAnswer))
def invest_in(body: InvestRequest, request: Request, who: Screener_) -> dict[str, Any]:
    """May a U.S. person buy or hold this security (NS-CMIC, 31 CFR Part 586) on the date?"""
    result = invest(body.security, body.date)
    state_of(request).audit.append(who.name, "invest", body.security, request_id(request),
                                   {"date": result.to_dict().get("as_of"),
                                    "decision": result.decision})
    return {**result.to_dict(), "request_id": request_id(request)}


@router.post("/batches", response_model=None, status_code=202, tags=["screening"],
             responses=ok(schemas.BatchAccepted, 202))
def submit_batch(body: BatchRequest, request: Request, who: Screener_) -> dict[str, Any]:
    """Screen up to the batch limit of rows in the background; poll the status."""
    state = state_of(request)
    if len(body.rows) > state.limits.max_batch_rows:
        raise ApiError(413, "batch_too_large", f"{len(body.rows):,} rows; the limit is "
                       f"{state.limits.max_batch_rows:,} per batch (the `exportguard batch` "
                       "command takes files of any size)", "rows",
                       limit={"name": "max_batch_rows", "value": state.limits.max_batch_rows})
    running = batches.running_of(state, who)
    if running >= state.limits.max_running_batches:
        raise ApiError(429, "batches_running",
                       f"this key has {running} batch{'es' if running != 1 else ''} not yet "
                       f"finished; the limit is {state.limits.max_running_batches} at a time: "
                       "poll their status and submit when one is done", "rows",
                       headers={"Retry-After": "5"},
                       limit={"name": "max_running_batches",
                              "value": state.limits.max_running_batches})
    charge(state, who, batch_cost(len(body.rows)) - route_cost("POST", "/api/v1/batches"),
           f"a batch of {len(body.rows):,} rows")
    options = {"lists": body.lists, "min_score": body.min_score, "as_of": body.as_of}
    job = batches.submit_batch(state, who, request_id(request),
                                  [r.model_dump() for r in body.rows], options)
    return {"id": job, "status": "queued", "total": len(body.rows),
            "status_url": f"/api/v1/batches/{job}", "request_id": request_id(request)}


@router.get("/batches/{batch_id}", response_model=None, tags=["screening"],
            responses=ok(schemas.BatchStatus))
def batch(batch_id: Annotated[str, Path(pattern=r"^[A-Za-z0-9_-]{16,32}$")], request: Request,
          who: Screener_, results: bool = True) -> dict[str, Any]:
    """A batch's status and, once done, one result per row in input order. Only the key that
    submitted it (or an admin) may read it."""
    return batches.batch_status(state_of(request), batch_id, who, with_results=results)


# --- lists ---------------------------------------------------------------------------------------


@router.get("/lists", response_model=None, tags=["lists"], responses=ok(schemas.ListsAnswer))
def lists(request: Request, _who: Screener_, all: bool = False) -> dict[str, Any]:
    """The snapshots in force (or every one kept) and which snapshot serves each list."""
    return lists_view(state_of(request).store, all).to_dict()


@router.get("/snapshots/{snapshot_id}", response_model=None, tags=["lists"],
            responses=ok(schemas.SnapshotAnswer))
def snapshot(snapshot_id: _ID, request: Request, _who: Screener_) -> dict[str, Any]:
    found = state_of(request).store.snapshot(snapshot_id, "snapshot_id")
    return found.to_dict()


@router.get("/history", response_model=None, tags=["lists"], responses=ok(schemas.HistoryAnswer))
def history(request: Request, _who: Screener_,
            name: Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS)],
            limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 5) -> dict[str, Any]:
    """When entries matching the name were listed, changed and removed."""
    state = state_of(request)
    return history_view(state.store, name, limit, state.history_screener()).to_dict()


@router.get("/diff", response_model=None, tags=["lists"], responses=ok(schemas.DiffAnswer))
def diff(request: Request, _who: Screener_,
         from_id: Annotated[int | None, Query(alias="from", ge=1, le=2_147_483_647)] = None,
         to_id: Annotated[int | None, Query(alias="to", ge=1, le=2_147_483_647)] = None,
         ) -> dict[str, Any]:
    """Entries added, removed and changed between two snapshots of a source."""
    return {"diffs": [d.to_dict() for d in diffs(state_of(request).store, from_id, to_id)]}


@router.post("/lists/update", response_model=None, tags=["lists"],
             responses=ok(schemas.UpdateAnswer))
def update_lists(body: UpdateRequest, request: Request, who: Admin) -> dict[str, Any]:
    """Download, verify and load the official lists (all enabled sources, or those named)."""
    state = state_of(request)
    chosen = updating.select_sources(updating.source_configs(), body.sources)
    outcomes = updating.update(state.store, chosen, force=body.force)
    run = rescreen(state.store) if any(o.status == "loaded" for o in outcomes) else None
    data = {"sources": [o.to_dict() for o in outcomes],
            "watchlist": run.to_dict() if run else None}
    state.audit.append(who.name, "lists.update", ", ".join(o.name for o in outcomes),
                       request_id(request),
                       {"sources": [{k: o.to_dict()[k] for k in ("source", "status", "message")}
                                    for o in outcomes]})
    return data


@router.get("/ownership", response_model=None, tags=["lists"],
            responses=ok(schemas.OwnershipAnswer))
def ownership(request: Request, _who: Screener_,
              name: Annotated[str, Query(min_length=1, max_length=MAX_NAME_CHARS)],
              country: Annotated[str | None, Query(max_length=60)] = None,
              date: Annotated[str | None, Query(max_length=10)] = None) -> dict[str, Any]:
    """A company's owners (listed ones marked) and holdings, and the ownership rules' outcomes."""
    state = state_of(request)
    return owners_view(state.store, name, country, date, state.screener).to_dict()


# --- cases -------------------------------------------------------------------------------------


@router.get("/cases", response_model=None, tags=["cases"], responses=ok(schemas.CasesAnswer))
def cases(request: Request, _who: Reviewer,
          status: Annotated[str | None, Query(max_length=16)] = None,
          limit: Annotated[int, Query(ge=1, le=500)] = 50,
          offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0) -> dict[str, Any]:
    """The review queue, newest first (status: open, escalated, cleared, confirmed)."""
    state = state_of(request)
    return {"counts": state.cases.counts(),
            "cases": [c.to_dict() for c in state.cases.list(status, limit, offset)]}


@router.get("/cases/{case_id}", response_model=None, tags=["cases"],
            responses=ok(schemas.CaseAnswer))
def case(case_id: _ID, request: Request, _who: Reviewer) -> dict[str, Any]:
    return state_of(request).cases.get(case_id).to_dict()


@router.post("/cases/{case_id}/decision", response_model=None, tags=["cases"],
             responses=ok(schemas.CaseAnswer))
def decide(case_id: _ID, body: DecisionRequest, request: Request,
           who: Reviewer) -> dict[str, Any]:
    """Clear (a false positive: the pair is remembered), escalate or confirm, with a note."""
    found = state_of(request).cases.decide(case_id, body.action, body.note, who,
                                           request_id(request))
    return {**found.to_dict(), "request_id": request_id(request)}


# --- audit ---------------------------------------------------------------------------------------


def _calendar_day(value: object) -> object:
    """A query date is written YYYY-MM-DD and nothing else: Pydantic alone would also take '0'
    (1970-01-01, as a Unix time) or a date and time, and answer for a day nobody asked for."""
    if isinstance(value, str) and not _ISO_DAY.fullmatch(value):
        raise ValueError(f"'{value[:40]}' is not a date in the form YYYY-MM-DD")
    return value


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CalendarDay = Annotated[date, BeforeValidator(_calendar_day)]


@router.get("/audit", response_model=None, tags=["audit"], responses=ok(schemas.AuditAnswer))
def audit(request: Request, _who: Reviewer,
          from_: Annotated[CalendarDay | None, Query(alias="from")] = None,
          to: Annotated[CalendarDay | None, Query()] = None,
          after: Annotated[int, Query(ge=0, le=2_147_483_647)] = 0,
          limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> dict[str, Any]:
    """Audit records in chain order (page with `after`, the last `seq` seen)."""
    records = list(state_of(request).audit.records(from_, to, after_seq=after, limit=limit))
    return {"records": [r.to_dict() for r in records],
            "next_after": records[-1].seq if len(records) == limit else None}


@router.get("/audit/verify", response_model=None, tags=["audit"],
            responses=ok(schemas.VerifyAnswer))
def audit_verify(request: Request, _who: Admin) -> dict[str, Any]:
    """Walk the whole chain: every edit or deletion is reported, and records removed from the
    end are reported against the highest anchor in the anchor file."""
    return verify_anchored(state_of(request).audit).to_dict()


@router.get("/audit/export", response_class=Response, tags=["audit"], responses={200: {
    "description": "The records as CSV (cells neutralised) or JSON Lines, with the chain "
                   "anchors in X-Audit-* headers.",
    "content": {"text/csv": {"schema": {"type": "string"}},
                "application/x-ndjson": {"schema": {"type": "string"}}}}})
def audit_export(request: Request, who: Admin,
                 from_: Annotated[CalendarDay, Query(alias="from")],
                 to: Annotated[CalendarDay, Query()],
                 format: Literal["csv", "jsonl"] = "csv") -> Response:
    """The records of [from, to] as CSV (cells neutralised against formula injection) or JSON
    Lines, with the chain anchors in headers. `exportguard audit export` also writes the
    sign-off file."""
    state = state_of(request)
    log = state.audit
    if to >= from_:
        records = log.count_between(from_, to)
        if records > state.limits.max_export_records:
            raise ApiError(413, "export_too_large",
                           f"{records:,} audit records from {from_} to {to}; the limit is "
                           f"{state.limits.max_export_records:,} per export: ask for a shorter "
                           "range (or use `exportguard audit export`)", "to",
                           limit={"name": "max_export_records",
                                  "value": state.limits.max_export_records})
    try:
        found = log.extract(from_, to, format)
    except ChainBroken as exc:
        raise ApiError(409, "chain_broken", str(exc)) from None
    log.record_export(who.name, request_id(request), found)
    return Response(found.text, media_type=found.media_type, headers=found.headers())


# --- keys ----------------------------------------------------------------------------------------


@router.get("/keys", response_model=None, tags=["keys"], responses=ok(schemas.KeysAnswer))
def keys(request: Request, _who: Admin) -> dict[str, Any]:
    return {"keys": [k.to_dict() for k in state_of(request).access.list_keys()]}


@router.post("/keys", response_model=None, status_code=201, tags=["keys"],
             responses=ok(schemas.NewKeyAnswer, 201))
def create_key(body: KeyRequest, request: Request, who: Admin) -> dict[str, Any]:
    """A new key; its secret is in this answer only."""
    state = state_of(request)
    info, secret = state.access.create_key(body.name, body.role, body.rate_per_second)
    state.audit.append(who.name, "key.create", body.name, request_id(request),
                       {"key_id": info.id, "role": info.role, "prefix": info.prefix})
    return {**info.to_dict(), "secret": secret}


@router.delete("/keys/{key_id}", response_model=None, tags=["keys"],
               responses=ok(schemas.KeyAnswer))
def revoke_key(key_id: _ID, request: Request, who: Admin) -> dict[str, Any]:
    state = state_of(request)
    try:
        info = state.access.revoke(key_id)
    except InputError as exc:
        raise ApiError(404, "not_found", exc.message, "key_id") from None
    state.forget_keys()
    state.audit.append(who.name, "key.revoke", info.name, request_id(request),
                       {"key_id": info.id})
    return info.to_dict()


def _figures(figures: Figures) -> ItemFigures:
    return ItemFigures.from_fields(figures.model_dump())


__all__ = ["Json", "router"]
