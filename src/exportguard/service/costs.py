"""What each API route costs a key: its rate limit counts work, not requests.

A key's bucket holds `rate_per_second` units a second (`burst_seconds` of them saved). A screen
costs 1 unit; a route that does more work per request costs more, so one key cannot starve the
screens of others by sending cheap-looking requests that each take seconds: the history and
ownership indexes, a diff of two snapshots, walking the whole audit chain (verify, export), a
batch (by its rows), a check (by its parties). A request whose cost is over the key's whole burst
is charged the burst (it waits for a full bucket rather than never passing).

The OpenAPI document states each route's cost (`x-cost-units` and a line in its description),
from the same table, so the two cannot drift.
"""

from __future__ import annotations

from math import ceil

BATCH_ROWS_PER_UNIT = 100  # a batch costs its base plus one unit per this many rows

# (method, route template) -> (units, what makes it cost them). Routes not named cost 1.
COSTS: dict[tuple[str, str], tuple[int, str]] = {
    ("POST", "/api/v1/check"): (1, "one unit per party"),
    ("POST", "/api/v1/batches"): (10, f"10 units plus one per {BATCH_ROWS_PER_UNIT} rows"),
    ("GET", "/api/v1/history"): (10, "searches every entry ever loaded"),
    ("GET", "/api/v1/ownership"): (5, "walks the ownership graph and screens each owner"),
    ("GET", "/api/v1/diff"): (20, "compares two whole snapshots"),
    ("GET", "/api/v1/audit"): (5, "reads up to 1,000 audit records"),
    ("GET", "/api/v1/audit/verify"): (50, "walks the whole audit chain"),
    ("GET", "/api/v1/audit/export"): (50, "walks the whole audit chain and renders the range"),
    ("POST", "/api/v1/lists/update"): (100, "downloads and loads lists"),
    ("GET", "/api/v1/cases"): (2, "reads up to 500 cases"),
}


def route_cost(method: str, path: str) -> int:
    """The fixed units of a route (1 when not named)."""
    return COSTS.get((method, path), (1, ""))[0]


def batch_cost(rows: int) -> int:
    return COSTS[("POST", "/api/v1/batches")][0] + ceil(rows / BATCH_ROWS_PER_UNIT)


def check_cost(parties: int) -> int:
    return max(1, parties)
