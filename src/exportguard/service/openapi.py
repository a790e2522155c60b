"""The OpenAPI document, complete: every status an /api/v1 route can answer and the error body
it then carries (the routes declare their own answers' schemas and the key schemes).

The error statuses follow from what a route is, not from a list kept by hand, so a new route is
documented the moment it is added: every route can be refused with 422 (a field) and 503 (the
database); a route that takes a key adds 401, 403 and 429; a route that takes a body adds 408
and 413; a route with a path id, or that names a snapshot, case or batch, adds 404. Every route that
takes a key states its cost in units of the key's rate (`x-cost-units`).
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from pydantic import BaseModel, Field

from exportguard.service.costs import COSTS

_PREFIX = "/api/v1"


class ErrorLimit(BaseModel):
    name: str = Field(description="The limit hit: rate_per_second, max_body_bytes, "
                                  "max_batch_rows, max_running_batches, max_export_records.")
    value: float = Field(description="Its value (units a second for rate_per_second).")
    burst: float | None = Field(None, description="rate_per_second: units saved at most.")
    cost: int | None = Field(None, description="rate_per_second: what this request costs.")


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable code: invalid_input, unauthorized, forbidden, "
                                  "not_found, rate_limited, body_too_large, body_timeout, ...")
    message: str = Field(description="What is wrong and what to do, in one line.")
    field: str | None = Field(description="The field at fault (body, query.name, rows, ...).")
    request_id: str = Field(description="The X-Request-ID of the answer.")
    limit: ErrorLimit | None = Field(None, description="413 and 429: the limit hit.")


class ErrorBody(BaseModel):
    """Every error of the API: one object naming the field at fault."""

    error: ErrorDetail


_ERRORS: dict[int, str] = {
    401: "No key, or a key that is not valid (the same answer for unknown and revoked keys).",
    403: "The key's role may not do this.",
    404: "The case, batch, snapshot or key named does not exist (or is not this key's).",
    408: "The body did not arrive in time (EXPORTGUARD_BODY_SECONDS).",
    409: "The audit chain is broken; nothing is exported.",
    413: "Over a size limit (the body, a batch's rows, an audit export's records); "
         "`error.limit` names it.",
    422: "A field is invalid: the answer names it.",
    429: "Over the key's rate (counted in cost units, see x-cost-units) or its running "
         "batches; retry after the Retry-After seconds. `error.limit` names the limit.",
    503: "The database is unavailable.",
}


def _statuses(path: str, operation: dict[str, Any]) -> list[int]:
    statuses = [422, 503]
    if operation.get("security"):  # the key dependencies (HTTPBearer, X-API-Key) put it there
        statuses += [401, 403, 429]
    if "requestBody" in operation:
        statuses += [408, 413]
    if "{" in path or path.endswith("/diff"):
        statuses.append(404)
    if path.endswith("/audit/export"):
        statuses.append(409)
    return sorted(set(statuses))


def install_openapi(app: FastAPI) -> None:
    """Replace the app's OpenAPI builder with one that documents every error status."""

    def build() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = get_openapi(title=app.title, version=app.version, summary=app.summary,
                               routes=app.routes)
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        schemas.update(_schemas())
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        for path, operations in document["paths"].items():
            if not path.startswith(_PREFIX):
                continue
            for method, operation in operations.items():
                if operation.get("security"):
                    _cost(operation, method.upper(), path)
                responses = operation.setdefault("responses", {})
                for status in _statuses(path, operation):
                    responses[str(status)] = {
                        "description": _ERRORS[status],
                        "content": {"application/json": {
                            "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
        app.openapi_schema = document
        return document

    app.openapi = build  # type: ignore[method-assign]


def _cost(operation: dict[str, Any], method: str, path: str) -> None:
    """State what the route costs a key's rate (service/costs.py)."""
    units, why = COSTS.get((method, path), (1, ""))
    operation["x-cost-units"] = units
    line = f"Cost: {units} unit{'s' if units != 1 else ''} of the key's rate" + \
        (f" ({why})." if why else ".")
    operation["description"] = (operation.get("description", "") + "\n\n" + line).strip()


def _schemas() -> dict[str, Any]:
    schema = ErrorBody.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return {"ErrorBody": schema, **definitions}
