"""Admin pages: API keys (create, shown once; revoke) and the lists (load a file, download the
official sources). Every change is appended to the audit log, as the API's are."""

from __future__ import annotations

import tempfile

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from exportguard.access import ROLES
from exportguard.errors import InputError, ListFileError
from exportguard.lists import update as updating
from exportguard.lists.detect import PARSERS
from exportguard.lists.loader import load_file
from exportguard.service.app import request_id
from exportguard.service.pages.forms import checkbox, number, text, values
from exportguard.service.pages.parties import upload
from exportguard.service.web import _csrf, _state, _who, page
from exportguard.watch import rescreen

router = APIRouter(include_in_schema=False)


def _keys_page(request: Request, who: object, status_code: int = 200, **context: object
               ) -> Response:
    return page(request, "keys.html", who, status_code,  # type: ignore[arg-type]
                keys=_state(request).access.list_keys(), roles=ROLES, **context)


@router.get("/keys", response_class=HTMLResponse)
def keys(request: Request) -> Response:
    return _keys_page(request, _who(request, "admin"), form={})


@router.post("/keys", response_class=HTMLResponse)
async def create_key(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "admin")
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    shown = values(form, ("name", "role", "rate"))
    try:
        info, secret = state.access.create_key(text(form, "name", 100), text(form, "role", 20),
                                               number(form, "rate"))
    except InputError as exc:
        field = {"rate_per_second": "rate"}.get(exc.field or "", exc.field)
        return _keys_page(request, who, 422, form=shown, error=str(exc), error_field=field)
    state.audit.append(who.name, "key.create", info.name, request_id(request),
                       {"key_id": info.id, "role": info.role, "prefix": info.prefix,
                        "via": "web"})
    return _keys_page(request, who, form={}, created=info, secret=secret)


@router.post("/keys/{key_id}/revoke", response_class=HTMLResponse)
async def revoke_key(request: Request, key_id: str) -> Response:
    form = await request.form()
    who = _who(request, "admin")
    _csrf(who, text(form, "csrf", 200))
    if not key_id.isdigit() or len(key_id) > 10:
        raise LookupError(f"there is no key #{key_id[:20]}")
    state = _state(request)
    info = state.access.revoke(int(key_id))
    state.forget_keys()
    state.audit.append(who.name, "key.revoke", info.name, request_id(request),
                       {"key_id": info.id, "via": "web"})
    return _keys_page(request, who, form={}, notice=f"Key '{info.name}' is revoked; its "
                      "browser sessions have ended.")


# --- lists: load and update ---------------------------------------------------------------------


def _load_page(request: Request, who: object, status_code: int = 200, **context: object
               ) -> Response:
    configs = updating.source_configs()
    return page(request, "lists_load.html", who, status_code,  # type: ignore[arg-type]
                sources=list(configs.values()), formats=sorted(PARSERS), **context)


@router.get("/lists/load", response_class=HTMLResponse)
def load_form(request: Request) -> Response:
    return _load_page(request, _who(request, "admin"), form={})


@router.post("/lists/load", response_class=HTMLResponse)
async def load(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "admin")
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    shown = values(form, ("format",))
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = await upload(form, "file", folder)
            chosen = text(form, "format", 40) or None
            if chosen is not None and chosen not in PARSERS:
                raise InputError("format", f"unknown format '{chosen}'")
            result = await run_in_threadpool(load_file, state.store, path, chosen,
                                             force=checkbox(form, "force"), origin="web upload")
        except (InputError, ListFileError) as exc:
            field = exc.field if exc.field in ("format",) else "file"
            return _load_page(request, who, 422, form=shown, error_field=field,
                              error=str(exc).replace(folder, "upload"))
    snapshot = result.snapshot
    run = None if result.unchanged else await run_in_threadpool(rescreen, state.store)
    state.audit.append(who.name, "lists.load", snapshot.source, request_id(request),
                       {"snapshot": snapshot.id, "unchanged": result.unchanged,
                        "entries": snapshot.entry_count, "via": "web"})
    notice = (f"The file equals snapshot #{snapshot.id} of {snapshot.source}: nothing new." if
              result.unchanged else
              f"Loaded snapshot #{snapshot.id} of {snapshot.source}: "
              f"{snapshot.entry_count:,} entries.")
    if run is not None:
        notice += (f" Watchlist re-screened: {run.new_hits} new, {run.changed_hits} changed, "
                   f"{run.cleared_hits} cleared hits.")
    return _load_page(request, who, form={}, notice=notice, loaded=snapshot)


@router.post("/lists/update", response_class=HTMLResponse)
async def update(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "admin")
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    names = [n for n in form.getlist("source") if isinstance(n, str)]
    try:
        chosen = updating.select_sources(updating.source_configs(), names or None)
    except InputError as exc:
        return _load_page(request, who, 422, form={}, error=str(exc), error_field="source")
    outcomes = await run_in_threadpool(updating.update, state.store, chosen,
                                       force=checkbox(form, "force"))
    run = (await run_in_threadpool(rescreen, state.store)
           if any(o.status == "loaded" for o in outcomes) else None)
    state.audit.append(who.name, "lists.update", ", ".join(o.name for o in outcomes),
                       request_id(request),
                       {"sources": [{k: o.to_dict()[k] for k in ("source", "status", "message")}
                                    for o in outcomes], "via": "web"})
    return _load_page(request, who, form={}, outcomes=[o.to_dict() for o in outcomes], run=run)
