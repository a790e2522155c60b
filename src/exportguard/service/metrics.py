"""/metrics in the Prometheus text format: requests by route and status, their latency, screens
and checks by decision (counted in `operations`), the transactions of the group commit and the
decisions they recorded, and the age of each list source's snapshot in force (read from the
store at each scrape). Counters are per process: with `serve --workers N`
each worker answers for itself, as Prometheus expects of multi-process servers scraped one by
one."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, MutableMapping
from datetime import date
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from starlette.requests import Request
from starlette.responses import Response

from exportguard.lists.history import snapshots_in_force

REGISTRY = CollectorRegistry()
REQUESTS = Counter("exportguard_http_requests", "HTTP requests answered",
                   ("method", "route", "status"), registry=REGISTRY)
LATENCY = Histogram("exportguard_http_request_seconds", "Time to answer a request",
                    ("method", "route"), registry=REGISTRY,
                    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
                             5, 10))
DECISIONS = Counter("exportguard_decisions", "Screens and checks by decision",
                    ("kind", "decision"), registry=REGISTRY)

Scope = MutableMapping[str, Any]
App = Callable[..., Awaitable[None]]


_DECIDED: dict[tuple[str, str], Any] = {}
_ANSWERED: dict[tuple[str, str, str], tuple[Any, Any]] = {}


def decided(kind: str, decision: str) -> None:
    child = _DECIDED.get((kind, decision))
    if child is None:  # `labels` takes a lock and builds its key each time: keep the children
        child = _DECIDED[(kind, decision)] = DECISIONS.labels(kind, decision)
    child.inc()


def _answered(method: str, route: str, status: str) -> tuple[Any, Any]:
    """The request counter's and the latency histogram's children for these labels."""
    key = (method, route, status)
    found = _ANSWERED.get(key)
    if found is None:
        found = _ANSWERED[key] = (REQUESTS.labels(method, route, status),
                                  LATENCY.labels(method, route))
    return found


class RequestMetrics:
    """Pure ASGI middleware: counts and times every HTTP request under its route's template
    (`/cases/{case_id}`, never the raw path, so the label set stays small)."""

    def __init__(self, app: App) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def record_status(message: MutableMapping[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            count, latency = _answered(scope["method"], route, str(status[0]))
            count.inc()
            latency.observe(time.perf_counter() - started)


def metrics_response(request: Request) -> Response:
    """The process's counters, and each source's snapshot age in days (from the day it speaks
    for) with its entry count."""
    store = request.app.state.service.store
    ages = CollectorRegistry()
    age = Gauge("exportguard_list_age_days", "Days since the day the snapshot in force speaks "
                "for", ("source",), registry=ages)
    entries = Gauge("exportguard_list_entries", "Entries in the snapshot in force",
                    ("source",), registry=ages)
    groups = request.app.state.service.groups
    Gauge("exportguard_audit_group_commits", "Transactions that committed decisions' audit "
          "records (group commit; this process)", registry=ages).set(groups.groups)
    Gauge("exportguard_audit_group_records", "Decisions' audit records they committed (this "
          "process)", registry=ages).set(groups.records)
    today = date.today()
    for found in snapshots_in_force(store):
        snapshot = found.snapshot
        age.labels(snapshot.source).set((today - snapshot.speaks_for).days)
        entries.labels(snapshot.source).set(snapshot.entry_count)
    body = generate_latest(REGISTRY) + generate_latest(ages)
    return Response(body, media_type=CONTENT_TYPE_LATEST)
