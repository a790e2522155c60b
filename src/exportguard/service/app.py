"""The FastAPI application: the JSON API under /api/v1 and the web pages, in one process.

Every response carries `X-Request-ID` (the caller's, when it is a plain token of up to 64
characters, else a new one); every error is one JSON object naming the field at fault and the
request id, never a traceback. Bodies larger than the limit are refused with 413 before they are
parsed.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from exportguard.audit_anchor import Anchoring
from exportguard.errors import ExportGuardError, InputError, ListFileError, StoreError
from exportguard.service import api_words
from exportguard.service.checkpoint import Checkpointer
from exportguard.service.docs import install_docs
from exportguard.service.metrics import RequestMetrics, metrics_response
from exportguard.service.state import Limits, ServiceState
from exportguard.store import Store

log = logging.getLogger("exportguard.service")
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_WITH_BODY = {"POST", "PUT", "PATCH", "DELETE"}


class Json(JSONResponse):
    """JSON in UTF-8 as the CLI prints it (dates as ISO text)."""

    def render(self, content: Any) -> bytes:
        return _encode(content).encode("utf-8")


# json.dumps with these options, without making an encoder for each answer
_encode = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",", ":")).encode


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, field: str | None = None,
                 headers: dict[str, str] | None = None,
                 limit: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.field = status, code, message, field
        self.headers = headers or {}
        self.limit = limit


def error_body(request_id: str, code: str, message: str, field: str | None,
               limit: dict[str, Any] | None = None) -> dict[str, Any]:
    """The one error object; `limit` (413, 429) names the limit hit: {"name", "value", ...}."""
    error: dict[str, Any] = {"code": code, "message": message, "field": field,
                             "request_id": request_id}
    if limit is not None:
        error["limit"] = limit
    return {"error": error}


class RequestGuard:
    """Pure ASGI middleware (cheaper than Starlette's BaseHTTPMiddleware on every request):
    assigns the request id and enforces the body limit, and refuses NUL characters, which no
    name, note or field needs and PostgreSQL cannot store."""

    def __init__(self, app: Callable[..., Awaitable[None]], limits: Limits) -> None:
        self.app = app
        self.limits = limits

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        given = headers.get(b"x-request-id", b"").decode("latin-1")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"],
                                      (b"x-request-id", request_id.encode("latin-1"))]
            await send(message)

        query = scope.get("query_string", b"")
        if b"%00" in query or b"\x00" in query:
            await _refuse(send_with_id, 422, request_id, "invalid_input",
                          "NUL characters are not accepted", "query")
            return
        if scope["method"] not in _WITH_BODY:
            await self.app(scope, receive, send_with_id)
            return
        limit = self.limits.max_body_bytes
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _refuse(send_with_id, 413, request_id, "body_too_large",
                          f"the request body is over the limit of {limit:,} bytes", "body",
                          {"name": "max_body_bytes", "value": limit})
            return
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                async with asyncio.timeout(self.limits.body_seconds):  # wait_for made a task
                    message = await receive()
            except TimeoutError:
                await _refuse(send_with_id, 408, request_id, "body_timeout",
                              f"the request body did not arrive within "
                              f"{self.limits.body_seconds:g} s (is Content-Length right?)",
                              "body")
                return
            if message["type"] == "http.disconnect":
                return
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _refuse(send_with_id, 413, request_id, "body_too_large",
                              f"the request body is over the limit of {limit:,} bytes",
                              "body", {"name": "max_body_bytes", "value": limit})
                return
            chunks.append(chunk)
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        scope["state"]["body"] = body  # for the message if FastAPI cannot parse it
        if b"\\u0000" in body or b"\x00" in body:
            await _refuse(send_with_id, 422, request_id, "invalid_input",
                          "NUL characters are not accepted", "body")
            return
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send_with_id)


async def _refuse(send: Send, status: int, request_id: str, code: str, message: str,
                  field: str, limit: dict[str, Any] | None = None) -> None:
    body = json.dumps(error_body(request_id, code, message, field, limit)).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def body_problem(body: bytes) -> str:
    """What makes a JSON body unreadable, in one line (only asked after parsing failed)."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"the body is not UTF-8 text (byte {exc.start:,}: {exc.reason})"
    try:
        json.loads(text)
    except RecursionError:
        return "the body's JSON is nested too deeply"
    except json.JSONDecodeError as exc:
        return f"the body is not valid JSON ({exc.msg} at character {exc.pos:,})"
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return f"the body's JSON holds an unreadable value ({str(exc).split(';')[0]})"
    return "the body could not be read as JSON"


def request_id(request: Request) -> str:
    return str(request.scope.get("state", {}).get("request_id") or uuid.uuid4().hex)


def _version() -> str:
    try:
        return version("exportguard")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0"


def create_app(store: Store | None = None, limits: Limits | None = None, *,
               freeze_heap: bool = False, hot_routes: bool = True) -> FastAPI:
    """The service over `store` (default: EXPORTGUARD_DB or the local SQLite file).

    `freeze_heap` (the served app, `service/main.py`): once the screener is built, move every
    object then alive out of the garbage collector's reach (`gc.freeze`). A full collection
    otherwise walks the screener's whole heap, and on a loaded 2-core machine that stopped the
    event loop for 0.4-0.7 s whenever the collector chose to run: the intermittent p99 tail of
    /check at one worker (bench/service_trace.py; bench/RESULTS.md). Objects made later are
    collected as usual. A test process that makes many apps leaves it off: frozen objects are
    never collected.

    `hot_routes`: POST /api/v1/screen and /check are answered by `service/hot.py` without
    FastAPI's per-request machinery (same answers; off only to compare the two)."""
    store = store or Store()
    state = ServiceState(store, limits, freeze_heap=freeze_heap)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):  # type: ignore[no-untyped-def]
        from exportguard.service.batches import fail_orphans

        fail_orphans(store)  # jobs left unfinished by a process that died
        state.screener()  # build (or read the cached) index before the first request (and
        # freeze the heap, with freeze_heap)
        anchoring = Anchoring(state.audit.head, store.url, seconds=state.limits.anchor_seconds)
        anchoring.start()
        checkpointer = Checkpointer.for_store(store)  # SQLite's WAL copied back off the loop
        _app.state.checkpointer = checkpointer
        if checkpointer is not None:
            checkpointer.start()
        yield
        anchoring.stop()
        if checkpointer is not None:
            checkpointer.stop()

    app = FastAPI(
        title="exportguard",
        version=_version(),
        summary="Export-control screening, classification and licence checks, with review "
                "cases and a tamper-evident audit trail.",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,  # served from the installed swagger-ui-bundle (service/docs.py)
        redoc_url=None,
        default_response_class=Json,
        lifespan=lifespan,
    )
    app.state.service = state
    _handlers(app)
    install_docs(app, "/api/v1/openapi.json")
    app.add_api_route("/metrics", metrics_response, include_in_schema=False)

    from exportguard.service.api import router as api_router
    from exportguard.service.openapi import install_openapi
    from exportguard.service.outbound_routes import api_router as outbound_api
    from exportguard.service.outbound_routes import web_router as outbound_web
    from exportguard.service.pages import router as pages_router
    from exportguard.service.portfolio_routes import router as portfolio_web
    from exportguard.service.release_routes import api_router as release_api
    from exportguard.service.web import install
    from exportguard.service.web import router as web_router

    app.include_router(api_router)
    app.include_router(web_router)
    app.include_router(outbound_api)
    app.include_router(outbound_web)
    app.include_router(release_api)
    app.include_router(portfolio_web)
    app.include_router(pages_router)
    install(app)
    install_openapi(app)
    if hot_routes:
        from exportguard.service.hot import HotRoutes

        app.add_middleware(HotRoutes, service=app, state=state)  # inside RequestGuard
    app.add_middleware(RequestGuard, limits=state.limits)
    app.add_middleware(RequestMetrics)
    return app


def _handlers(app: FastAPI) -> None:
    def reply(request: Request, status: int, code: str, message: str, field: str | None,
              headers: dict[str, str] | None = None,
              limit: dict[str, Any] | None = None) -> Any:
        """JSON for the API; a page, with the same message, for a person's browser."""
        if request.url.path.startswith("/api/"):
            return Json(error_body(request_id(request), code, message, field, limit), status,
                        headers=headers)
        from exportguard.service.web import error_page

        page = error_page(request, status, message)
        page.headers.update(headers or {})
        return page

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Any:
        return reply(request, exc.status, exc.code, exc.message, exc.field, exc.headers,
                     exc.limit)

    @app.exception_handler(InputError)
    async def input_error(request: Request, exc: InputError) -> Any:
        if request.url.path.startswith("/api/"):  # the JSON field sent, not the CLI's flag
            field, message = api_words.input_error(request.url.path, exc)
            return reply(request, 422, "invalid_input", message, field)
        return reply(request, 422, "invalid_input", str(exc), exc.field)

    @app.exception_handler(ListFileError)
    async def list_file_error(request: Request, exc: ListFileError) -> Any:
        return reply(request, 422, "invalid_list_file", str(exc), exc.field)

    @app.exception_handler(LookupError)
    async def not_found(request: Request, exc: LookupError) -> Any:
        return reply(request, 404, "not_found", str(exc).strip("'\""), None)

    @app.exception_handler(PermissionError)
    async def forbidden(request: Request, exc: PermissionError) -> Any:
        return reply(request, 403, "forbidden", str(exc), None)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, exc: StoreError) -> Any:
        log.error("store error (request %s): %s", request_id(request), exc)
        return reply(request, 503, "store_unavailable", "the database is unavailable", None)

    @app.exception_handler(ExportGuardError)
    async def other_error(request: Request, exc: ExportGuardError) -> Any:
        message = str(exc)
        if request.url.path.startswith("/api/"):
            message = api_words.for_api(message)
        return reply(request, 422, "refused", message, None)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Any:
        first = exc.errors()[0] if exc.errors() else {}
        # the field as the caller sent it: `parties.0.name`, `from` (not `query.from`)
        location = list(first.get("loc", ()))
        if location and location[0] in ("body", "query", "path"):
            location = location[1:]
        field = ".".join(str(part) for part in location) or "body"
        if first.get("type") == "json_invalid":
            field, message = "body", "the body is not valid JSON"
        else:
            why = str(first.get("msg", "invalid")).removeprefix("Value error, ")
            message = f"{field}: {why}"
        return reply(request, 422, "invalid_input", message, field)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Any:
        if exc.status_code == 400 and request.method in _WITH_BODY:
            # FastAPI's own parse failure (not UTF-8, too deep, an oversized number): a 422
            # that says what is wrong with the body.
            body = request.scope.get("state", {}).get("body", b"")
            return reply(request, 422, "invalid_input", body_problem(body), "body")
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return reply(request, exc.status_code, code, str(exc.detail), None)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Any:
        log.exception("unexpected error (request %s)", request_id(request))
        return reply(request, 500, "internal_error", "an unexpected error; quote the request id",
                     None)
