"""Server-rendered pages for people: screen a name, run a check (the memo), the review queue and
case page, list history and diffs, the chip chart on a date, and the audit log.

A person signs in with an API key; the page keeps a session cookie (HttpOnly, SameSite=Strict)
whose digest is stored, never the cookie itself. Every form that changes something carries the
session's CSRF token. Templates escape every value (Jinja2 autoescape), so names and notes that
hold HTML are shown as text. Pages work without JavaScript; every control has a label, the main
field of each page has the focus, and `accesskey`s reach the main pages.
"""

from __future__ import annotations

import hmac
import tempfile
import threading
from datetime import date
from importlib import resources
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from exportguard.access import Principal, allows
from exportguard.audit import ChainBroken
from exportguard.errors import InputError
from exportguard.regime.dated import parse_as_of
from exportguard.service import glossary, operations, wording
from exportguard.service.app import request_id
from exportguard.service.state import ServiceState
from exportguard.views import diffs, history_view, lists_view

router = APIRouter(include_in_schema=False)
COOKIE = "eg_session"
_TEMPLATES = Jinja2Templates(directory=str(resources.files("exportguard.service") / "templates"))
_TEMPLATES.env.filters.update(plain=wording.for_web, problem=wording.problem, score=wording.score,
                              question=wording.question, rule_title=glossary.title)
_PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self'; form-action 'self'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
_CHART_LOCK = threading.Lock()  # matplotlib's pyplot state is not thread-safe


class SignIn(Exception):
    """No valid session: send the browser to the sign-in page."""

    def __init__(self, next_url: str) -> None:
        self.next_url = next_url


def _state(request: Request) -> ServiceState:
    return request.app.state.service  # type: ignore[no-any-return]


def _who(request: Request, role: str = "screener") -> Principal:
    principal = _state(request).access.session_principal(request.cookies.get(COOKIE))
    if principal is None:
        raise SignIn(_back(request))
    if not allows(principal.role, role):
        raise PermissionError(f"your key's role ({principal.role}) may not open this page; it "
                              f"needs the {role} role")
    return principal


def _back(request: Request) -> str:
    """Where to return after signing in: the page asked for, or for a form sent after the
    session ended, the page holding that form (the form's own address only answers POST)."""
    path = request.url.path
    if request.method in ("GET", "HEAD"):
        return path + (f"?{request.url.query}" if request.url.query else "")
    if path == "/screen":
        return "/"
    if path.startswith("/cases/") and path.endswith("/decision"):
        return path.removesuffix("/decision")
    return path


def _csrf(who: Principal, token: str) -> None:
    if not who.csrf or not hmac.compare_digest(who.csrf, token or ""):
        raise PermissionError("the form is stale or was not sent by this site; reload the page")


def page(request: Request, template: str, who: Principal | None, status_code: int = 200,
         **context: Any) -> HTMLResponse:
    response = _TEMPLATES.TemplateResponse(
        request, template, {"who": who, "request_id": request_id(request), **context},
        status_code=status_code)
    response.headers.update(_PAGE_HEADERS)
    return response


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    """An error as a page; a signed-in person keeps the navigation (and the sign-out button)."""
    try:
        who = _state(request).access.session_principal(request.cookies.get(COOKIE))
    except Exception:  # the store may be what failed: the error page must still render
        who = None
    return page(request, "error.html", who, status, status=status, message=message)


def _signin_redirect(request: Request, exc: SignIn) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(exc.next_url, safe='')}", 303)


def _safe_next(target: str | None) -> str:
    """Only a local path: an open redirect would let a link send a signed-in user elsewhere."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


# The browser asks for an icon on every page: one small SVG, so no page logs a 404.
_ICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" '
         'height="16" rx="3" fill="#17324d"/><path d="M4 8l3 3 5-6" stroke="#fff" '
         'stroke-width="2" fill="none"/></svg>')


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(_ICON, media_type="image/svg+xml",
                    headers={"Cache-Control": "max-age=86400"})


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    return page(request, "login.html", None, next=_safe_next(next), error=None)


@router.post("/login", response_class=HTMLResponse)
def login(request: Request, key: str = Form(""), next: str = Form("/")) -> Response:
    state = _state(request)
    principal = state.access.authenticate(key.strip())
    if principal is None:
        return page(request, "login.html", None, 401, next=_safe_next(next),
                    error="That key is not valid.")
    token = state.access.open_session(principal)
    response = RedirectResponse(_safe_next(next), 303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", max_age=8 * 3600)
    return response


@router.post("/logout")
def logout(request: Request) -> Response:
    _state(request).access.close_session(request.cookies.get(COOKIE))
    response = RedirectResponse("/login", 303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> Response:
    who = _who(request)
    return page(request, "screen.html", who, result=None, form={}, counts=_counts(request, who))


def _counts(request: Request, who: Principal) -> dict[str, int] | None:
    """The review queue's counts, for the roles that may open it."""
    return _state(request).cases.counts() if allows(who.role, "reviewer") else None


@router.get("/screen", include_in_schema=False)
def screen_address(request: Request) -> Response:
    """The screen form is the home page; /screen typed or bookmarked goes there (it answered
    405 before: the address only took the form's POST)."""
    return RedirectResponse("/", 303)


@router.post("/screen", response_class=HTMLResponse)
def screen(request: Request, name: str = Form(""), country: str = Form(""),
           as_of: str = Form(""), customer_id: str = Form(""), limit: str = Form(""),
           csrf: str = Form("")) -> Response:
    who = _who(request)
    _csrf(who, csrf)
    form = {"name": name, "country": country, "as_of": as_of, "customer_id": customer_id,
            "limit": limit}
    try:
        if limit.strip() and not (limit.strip().isdigit() and len(limit.strip()) <= 3):
            raise InputError("limit", f"'{limit[:20]}' is not a whole number of matches")
        result = operations.screen(
            _state(request), who, request_id(request),
            operations.ScreenInput(name=name, country=country or None, as_of=as_of or None,
                                   customer_id=customer_id or None,
                                   limit=int(limit) if limit.strip() else 10))
    except InputError as exc:
        return page(request, "screen.html", who, 422, result=None, form=form, error=str(exc),
                    error_field=exc.field, counts=_counts(request, who))
    return page(request, "screen.html", who, result=result, form=form,
                counts=_counts(request, who))


@router.get("/cases", response_class=HTMLResponse)
def cases(request: Request, status: str = "open") -> Response:
    who = _who(request, "reviewer")
    state = _state(request)
    try:
        shown = state.cases.list(status or None, 200)
    except InputError as exc:
        return page(request, "cases.html", who, 422, cases=[], status=status,
                    counts=state.cases.counts(), error=str(exc))
    return page(request, "cases.html", who, cases=shown, status=status,
                counts=state.cases.counts(), error=None)


def _case_id(text: str) -> int:
    """A case number from the path; anything else is a missing page, not a JSON error."""
    if not text.isdigit() or len(text) > 10 or not 1 <= int(text) <= 2_147_483_647:
        raise LookupError(f"there is no case #{text[:20]}")
    return int(text)


@router.get("/cases/{case_id}", response_class=HTMLResponse)
def case(request: Request, case_id: str) -> Response:
    who = _who(request, "reviewer")
    found = _state(request).cases.get(_case_id(case_id))
    return page(request, "case.html", who, case=found, error=None, form={})


@router.post("/cases/{case_id}/decision", response_class=HTMLResponse)
def decide(request: Request, case_id: str, action: str = Form(""), note: str = Form(""),
           csrf: str = Form("")) -> Response:
    who = _who(request, "reviewer")
    _csrf(who, csrf)
    number = _case_id(case_id)
    state = _state(request)
    try:
        state.cases.decide(number, action, note, who, request_id(request))
    except InputError as exc:
        return page(request, "case.html", who, 422, case=state.cases.get(number),
                    error=str(exc), error_field=exc.field,
                    form={"action": action, "note": note})
    return RedirectResponse(f"/cases/{number}", 303)


@router.get("/lists", response_class=HTMLResponse)
def lists(request: Request, name: str = "", from_: str = "", to: str = "",
          diff: str = "") -> Response:
    who = _who(request)
    store = _state(request).store
    view = lists_view(store, True)
    history = None
    changes = None
    history_error = diff_error = None
    if name.strip():
        try:
            history = history_view(store, name, 10, _state(request).history_screener())
        except InputError as exc:
            history_error = str(exc)
    if from_ or to or diff:  # both blank: the latest change of each source
        try:
            changes = [d.to_dict() for d in diffs(store, _int(from_, "from"), _int(to, "to"))]
        except InputError as exc:
            if from_.strip() or to.strip():
                diff_error = str(exc)
            else:  # no source has two snapshots yet: nothing to compare, not a mistake
                changes = []
    return page(request, "lists.html", who, 422 if history_error or diff_error else 200,
                view=view, history=history, changes=changes, name=name, from_=from_, to=to,
                history_error=history_error, diff_error=diff_error)


@router.get("/chart", response_class=HTMLResponse)
def chart(request: Request, date: str = "") -> Response:
    who = _who(request)
    try:
        day = parse_as_of(date or None, "date")
    except InputError as exc:
        return page(request, "chart.html", who, 422, day=None, error=str(exc), date=date)
    return page(request, "chart.html", who, day=day, error=None, date=day.isoformat(),
                rows=_chart_rows(day))


def _chart_rows(day: date) -> list[dict[str, Any]]:
    """The chart as a table (what each point is), for reading without the picture."""
    from exportguard.items import catalog, classify

    rows = [classify(item, day).to_dict() for item in catalog().items
            if item.kind == "accelerator"]
    return sorted(rows, key=lambda r: -(r["tpp"] or 0))


@router.get("/chart.svg")
def chart_svg(request: Request, date: str = "") -> Response:
    _who(request)
    from exportguard.items.chart import draw_chart

    day = parse_as_of(date or None, "date")
    with tempfile.TemporaryDirectory() as folder, _CHART_LOCK:
        path = Path(folder) / "chart.svg"
        draw_chart(day, path)
        svg = path.read_bytes()
    return Response(svg, media_type="image/svg+xml",
                    headers={"Content-Security-Policy": "default-src 'none'; style-src "
                             "'unsafe-inline'"})


@router.get("/audit", response_class=HTMLResponse)
def audit(request: Request, before: str = "", verify: str = "") -> Response:
    who = _who(request, "reviewer")
    check = None
    if verify.strip().lower() in ("1", "true", "yes", "on"):
        if not allows(who.role, "admin"):
            raise PermissionError("verifying the chain needs the admin role")
        from exportguard.audit_anchor import verify_anchored

        check = verify_anchored(_state(request).audit)  # against the anchor file too
    older_than = int(before) if before.isdigit() and len(before) < 12 else 0
    return _audit_page(request, who, before=older_than, check=check)


def _audit_page(request: Request, who: Principal, *, before: int = 0, check: Any = None,
                status_code: int = 200, error: str | None = None,
                export: dict[str, str] | None = None) -> HTMLResponse:
    log = _state(request).audit
    newest = log.records(newest_first=True, limit=100 if not before else None)
    records = list(islice((r for r in newest if not before or r.seq < before), 100))
    today = date.today().isoformat()
    return page(request, "audit.html", who, status_code, records=records, check=check,
                today=today, error=error, export=export or {"from": today, "to": today},
                older=records[-1].seq if len(records) == 100 else None)


@router.get("/audit/export")
def audit_export(request: Request, from_: str = Query("", alias="from"),
                 to: str = "") -> Response:
    """The records of [from, to] as CSV for an admin's browser (the API wants a key): the same
    cells as `exportguard audit export`, refused when the chain is broken, and itself audited."""
    who = _who(request, "admin")
    log = _state(request).audit
    asked = {"from": from_, "to": to}
    try:
        start, end = _day(from_, "from"), _day(to, "to")
        if end < start:
            raise InputError("to", f"{end} is before from {start}")
    except InputError as exc:
        return _audit_page(request, who, status_code=422, error=str(exc), export=asked)
    try:
        found = log.extract(start, end, "csv")
    except ChainBroken as exc:
        return _audit_page(request, who, status_code=409, check=exc.check, export=asked,
                           error="the audit chain is broken; refusing to export")
    log.record_export(who.name, request_id(request), found, via="web")
    return Response(found.text, media_type=found.media_type,
                    headers={**found.headers(), "X-Content-Type-Options": "nosniff"})


def _day(text: str, field: str) -> date:
    if not text.strip():
        raise InputError(field, "a date (YYYY-MM-DD) is required")
    return parse_as_of(text.strip(), field)


def _int(text: str, field: str) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or len(text.strip()) > 9:
        raise InputError(field, f"'{text}' is not a snapshot id")
    return int(text)


def install(app: Any) -> None:
    """Pages: a missing session goes to sign-in (never an error page)."""

    @app.exception_handler(SignIn)
    async def sign_in(request: Request, exc: SignIn) -> Response:
        return _signin_redirect(request, exc)


__all__ = ["error_page", "install", "router"]
