"""The service's two hot routes, POST /api/v1/screen and /api/v1/check, answered without
FastAPI's per-request machinery.

A screen is about a millisecond of CPU; routing, FastAPI's request handler and its dependency
solving (the two key schemes, the key, the body) added a fifth to it. `HotRoutes` is a pure ASGI
middleware, inside `RequestGuard` (so the request id, the body limit and the NUL check apply as
before, and the body is already read), that takes a request only when the full path would answer
it with the route's own work:

- the body is declared `application/json`, parses (`json.loads`, as Starlette's
  `Request.json`) and the route's model accepts it (`model_validate`, strict, as FastAPI
  validates a body);
- the key (`Authorization: Bearer`, else `X-API-Key`, read as FastAPI's `HTTPBearer` and
  `APIKeyHeader` read them) is valid (`ServiceState.principal`: the same cached lookup, so a key
  revoked through the API or a page is refused at once, one revoked elsewhere within
  `KEY_CACHE_SECONDS`) and its role may screen.

Those checks change nothing (no rate is charged, nothing is written), so anything else (no or an
invalid key, a refused body, another content type, a path with a trailing slash, dependency
overrides, FastAPI's OpenTelemetry support configured) goes on to FastAPI untouched and is
answered exactly as before, by the one code path that names the field at fault. A request taken
here is charged its route's cost and answered by the same function the FastAPI endpoint calls
(`api.screen_answer`, `api.check_answer`); an error raised from then on is answered by the app's
own exception handler for it (an unexpected one propagates to the server-error handler, as from
a route). The routes stay registered in FastAPI: the OpenAPI document, the validation messages
and every other route are unchanged.
`tests/test_service_hot.py` sends the same requests to an app with and without this middleware
and compares status, headers and bodies byte for byte.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from fastapi.security.utils import get_authorization_scheme_param
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import Response

from exportguard.access import Principal, allows
from exportguard.service.state import ServiceState

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Answer = Callable[[ServiceState, Principal, str, Any], Awaitable[Response]]


class _Hot:
    __slots__ = ("answer", "cost", "model", "role", "route")

    def __init__(self, route: Any, model: type[BaseModel], role: str, answer: Answer,
                 cost: int) -> None:
        self.route, self.model, self.role, self.answer, self.cost = (
            route, model, role, answer, cost)


class HotRoutes:
    """Pure ASGI middleware answering POST /api/v1/screen and /check (see the module)."""

    def __init__(self, app: Callable[..., Awaitable[None]], service: FastAPI,
                 state: ServiceState) -> None:
        self.app = app
        self.service = service
        self.state = state
        self._routes: dict[str, _Hot] | None = None
        self._charge: Callable[..., None] = _unbound
        self._handlers: dict[type[BaseException], Callable[..., Any]] | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope.get("root_path"):
            await self.app(scope, receive, send)
            return
        routes = self._routes if self._routes is not None else self._bind()
        hot = routes.get(scope["path"])
        taken = None if hot is None else self._take(scope, hot)
        if taken is None:
            await self.app(scope, receive, send)
            return
        principal, body = taken
        assert hot is not None
        state = self.state
        scope["route"] = hot.route  # what FastAPI's router sets (the metrics' label)
        request_id: str = scope["state"]["request_id"]
        try:
            self._charge(state, principal, hot.cost, "this request")
            response = await hot.answer(state, principal, request_id, body)
        except Exception as exc:
            handler = self._handler(exc)
            if handler is None:
                raise
            response = handler(Request(scope, receive), exc)
            if inspect.isawaitable(response):
                response = await response
        await response(scope, receive, send)

    def _take(self, scope: Scope, hot: _Hot) -> tuple[Principal, Any] | None:
        """The key's principal and the validated body, or None to leave the request to
        FastAPI."""
        if self.service.dependency_overrides or scope.get("fastapi.telemetry") is not None:
            return None  # overridden dependencies, or FastAPI's own spans wanted
        body = scope.get("state", {}).get("body")
        if not body:
            return None
        content_type = authorization = api_key = None
        for name, value in scope["headers"]:  # the first of each, as Starlette's Headers.get
            if name == b"content-type":
                if content_type is None:
                    content_type = value
            elif name == b"authorization":
                if authorization is None:
                    authorization = value
            elif name == b"x-api-key" and api_key is None:
                api_key = value
        if content_type is None or \
                content_type.split(b";", 1)[0].strip().lower() != b"application/json":
            return None
        secret = _secret(authorization, api_key)
        if not secret:
            return None
        try:
            principal = self.state.principal(secret)
        except Exception:  # e.g. the store unavailable: FastAPI's path answers it (503)
            return None
        if principal is None or not allows(principal.role, hot.role):
            return None
        try:
            document = json.loads(body)
            return principal, hot.model.model_validate(document)
        except (ValueError, ValidationError, RecursionError):  # JSONDecodeError is a ValueError
            return None

    def _bind(self) -> dict[str, _Hot]:
        from exportguard.service import api
        from exportguard.service.costs import route_cost

        answers: dict[str, tuple[type[BaseModel], Answer]] = {
            "/api/v1/screen": (api.ScreenRequest, api.screen_answer),
            "/api/v1/check": (api.CheckRequest, api.check_answer),
        }
        routes = {}
        for route in api.router.routes:
            path = getattr(route, "path", None)
            if path in answers and "POST" in getattr(route, "methods", ()):
                model, answer = answers[path]
                routes[path] = _Hot(route, model, "screener", answer, route_cost("POST", path))
        self._charge = api.charge
        self._routes = routes
        return routes

    def _handler(self, exc: Exception) -> Callable[..., Any] | None:
        """The app's handler for `exc`, as Starlette's ExceptionMiddleware finds it (by the
        exception's classes in order); None for the server-error handler's."""
        if self._handlers is None:
            self._handlers = {kind: handler
                              for kind, handler in self.service.exception_handlers.items()
                              if isinstance(kind, type) and kind is not Exception}
        for kind in type(exc).__mro__:
            found = self._handlers.get(kind)
            if found is not None:
                return found
        return None


def _unbound(*_args: Any) -> None:  # pragma: no cover - replaced before the first request
    raise RuntimeError("HotRoutes used before its routes were bound")


def _secret(authorization: bytes | None, api_key: bytes | None) -> str | None:
    """The key as the API's dependency reads it: `Authorization: Bearer KEY` (FastAPI's
    `HTTPBearer`), else `X-API-Key` (`APIKeyHeader`)."""
    if authorization:
        scheme, credentials = get_authorization_scheme_param(authorization.decode("latin-1"))
        if scheme and credentials and scheme.lower() == "bearer":
            return credentials.strip()
    return api_key.decode("latin-1") if api_key else None
