"""Pages for parties in numbers: a batch of names uploaded as CSV (progress while it runs, the
results and a CSV download), the watchlist (customers, alerts, the re-screen after a list
update) and the ownership graph (a drawing of the chain of owners and their shares)."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.datastructures import UploadFile

from exportguard.audit import neutralise
from exportguard.errors import InputError, ListFileError
from exportguard.ownership import read_ownership
from exportguard.service import batches
from exportguard.service.app import request_id
from exportguard.service.pages.drawing import ownership_svg
from exportguard.service.pages.forms import text, values
from exportguard.service.web import _csrf, _state, _who, page
from exportguard.store.ownership import OwnershipStore
from exportguard.store.watchlist import WatchlistStore
from exportguard.views import owners_view
from exportguard.watch import import_customers, read_customers, rescreen

router = APIRouter(include_in_schema=False)
_RESULT_COLUMNS = ("match_count", "best_match_name", "best_match_list", "best_match_id",
                   "best_score", "decision", "error")


async def upload(form: Any, field: str, folder: str) -> Path:
    """The uploaded file of `field`, written to `folder` under a safe name with its extension
    (formats are told by it). The body limit of the service bounds its size."""
    found = form.get(field)
    if not isinstance(found, UploadFile) or not found.filename:
        raise InputError(field, "choose a file to upload")
    suffix = "".join(Path(found.filename).suffixes[-2:])[:16]
    safe = "".join(c for c in suffix if c.isalnum() or c == ".")
    path = Path(folder) / f"upload{safe}"
    path.write_bytes(await found.read())
    return path


def _batch_rows(data: bytes) -> list[dict[str, Any]]:
    """The rows of an uploaded CSV: a `name` column, optional `country` and `id`."""
    try:
        lines = data.decode("utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InputError("file", "the file is not UTF-8 text") from None
    reader = csv.DictReader(lines)
    header = reader.fieldnames or []
    if "name" not in header:
        raise InputError("file", f"the CSV has no 'name' column (columns: {', '.join(header)})")
    rows = []
    for number, row in enumerate(reader, 2):
        if None in row:
            raise InputError("file", f"line {number} has more fields than the header")
        rows.append({"id": (row.get("id") or "").strip() or str(number - 1),
                     "name": (row.get("name") or "").strip(),
                     "country": (row.get("country") or "").strip() or None})
    return rows


@router.get("/batch", response_class=HTMLResponse)
def batch_form(request: Request) -> Response:
    who = _who(request)
    return page(request, "batch.html", who, job=None, form={},
                limit=_state(request).limits.max_batch_rows)


@router.post("/batch", response_class=HTMLResponse)
async def batch_submit(request: Request) -> Response:
    form = await request.form()
    who = _who(request)
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    shown = values(form, ("lists", "min_score", "as_of"))
    try:
        found = form.get("file")
        if not isinstance(found, UploadFile) or not found.filename:
            raise InputError("file", "choose a CSV file with a 'name' column")
        rows = _batch_rows(await found.read())
        min_score = text(form, "min_score", 10)
        try:
            score = float(min_score) if min_score else None
        except ValueError:
            raise InputError("min_score", f"'{min_score}' is not a number") from None
        if score is not None and not 0 <= score <= 1:
            raise InputError("min_score", "must be between 0 and 1")
        options = {"lists": text(form, "lists", 200) or None, "min_score": score,
                   "as_of": text(form, "as_of", 10) or None}
        job = batches.submit_batch(state, who, request_id(request), rows, options)
    except InputError as exc:
        return page(request, "batch.html", who, 422, job=None, form=shown, error=str(exc),
                    error_field=exc.field if exc.field != "rows" else "file",
                    limit=state.limits.max_batch_rows)
    return RedirectResponse(f"/batch/{job}", 303)


def _token(text_id: str) -> str:
    """A batch's token from the path (only the key that submitted it, or an admin, reads it)."""
    if not 16 <= len(text_id) <= 32 or not all(c.isalnum() or c in "_-" for c in text_id):
        raise LookupError(f"there is no batch {text_id[:40]}")
    return text_id


@router.get("/batch/{job_id}", response_class=HTMLResponse)
def batch_view(request: Request, job_id: str) -> Response:
    who = _who(request)
    job = batches.batch_status(_state(request), _token(job_id), who, with_results=True)
    counts: dict[str, int] = {}
    for row in job.get("results") or []:
        counts[row["decision"]] = counts.get(row["decision"], 0) + 1
    response = page(request, "batch.html", who, job=job, counts=counts, form={},
                    limit=_state(request).limits.max_batch_rows)
    if job["status"] in ("queued", "running"):
        response.headers["Refresh"] = "2"  # the progress view updates itself, no script
    return response


@router.get("/batch/{job_id}/results.csv")
def batch_download(request: Request, job_id: str) -> Response:
    who = _who(request)
    job = batches.batch_status(_state(request), _token(job_id), who, with_results=True)
    if job["status"] != "done":
        raise InputError("batch", f"batch {job['id']} is {job['status']}; download it when "
                         "it is done")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(("id", "name", "country", *_RESULT_COLUMNS))
    for row in job["results"]:
        writer.writerow([neutralise(row.get(c)) for c in ("id", "name", "country",
                                                         *_RESULT_COLUMNS)])
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition":
                             f'attachment; filename="batch-{job["id"]}.csv"',
                             "X-Content-Type-Options": "nosniff"})


# --- watchlist -----------------------------------------------------------------------------------


def _watch_page(request: Request, who: Any, status_code: int = 200, **context: Any) -> Response:
    watch = WatchlistStore(_state(request).store)
    show_all = request.query_params.get("all") == "1"
    return page(request, "watchlist.html", who, status_code, customers=watch.customer_count(),
                alerts=watch.alerts(unacknowledged=not show_all)[:500], runs=watch.runs(10),
                show_all=show_all, **context)


@router.get("/watchlist", response_class=HTMLResponse)
def watchlist(request: Request) -> Response:
    return _watch_page(request, _who(request))


@router.post("/watchlist/import", response_class=HTMLResponse)
async def watchlist_import(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "reviewer")
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = await upload(form, "file", folder)
            records = read_customers(path)
        except (InputError, ListFileError) as exc:
            return _watch_page(request, who, 422, error=str(exc).replace(str(folder), "upload"),
                               error_field="file")
    run, _removed = await run_in_threadpool(import_customers, state.store, records)
    state.audit.append(who.name, "watchlist.import", f"{len(records)} customers",
                       request_id(request), {"customers": len(records), "run": run.id,
                                             "new_hits": run.new_hits, "via": "web"})
    return _watch_page(request, who, notice=f"Imported {len(records):,} customers; run "
                       f"#{run.id} found {run.new_hits} new hits.")


@router.post("/watchlist/rescreen", response_class=HTMLResponse)
async def watchlist_rescreen(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "reviewer")
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    run = await run_in_threadpool(lambda: rescreen(state.store, full=True,
                                                   cause=f"full re-screen by {who.name}"))
    state.audit.append(who.name, "watchlist.rescreen", "full", request_id(request),
                       {"run": run.id if run else None, "via": "web"})
    notice = (f"Re-screened {run.customers_screened:,} customers: {run.new_hits} new, "
              f"{run.changed_hits} changed, {run.cleared_hits} cleared hits." if run else
              "The watchlist is empty: nothing to re-screen.")
    return _watch_page(request, who, notice=notice)


@router.post("/watchlist/acknowledge", response_class=HTMLResponse)
async def watchlist_acknowledge(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "reviewer")
    _csrf(who, text(form, "csrf", 200))
    watch = WatchlistStore(_state(request).store)
    ids = [a.id for a in watch.alerts(unacknowledged=True) if a.id is not None]
    done = watch.acknowledge(ids) if ids else 0
    _state(request).audit.append(who.name, "watchlist.acknowledge", f"{done} alerts",
                                 request_id(request), {"alerts": ids[:1000], "via": "web"})
    return RedirectResponse("/watchlist", 303)


# --- ownership -----------------------------------------------------------------------------------


@router.get("/ownership", response_class=HTMLResponse)
def ownership(request: Request) -> Response:
    who = _who(request)
    form = values(request.query_params, ("name", "country", "date"))  # type: ignore[arg-type]
    if not form["name"].strip():
        return page(request, "ownership.html", who, view=None, form=form, drawing=None)
    try:
        view = owners_view(_state(request).store, form["name"].strip(),
                           form["country"].strip() or None, form["date"].strip() or None)
    except InputError as exc:
        return page(request, "ownership.html", who, 422, view=None, form=form, drawing=None,
                    error=str(exc), error_field=exc.field)
    return page(request, "ownership.html", who, view=view.to_dict(), form=form,
                drawing=ownership_svg(view.finding))


@router.post("/ownership/import", response_class=HTMLResponse)
async def ownership_import(request: Request) -> Response:
    form = await request.form()
    who = _who(request, "reviewer")
    _csrf(who, text(form, "csrf", 200))
    state = _state(request)
    with tempfile.TemporaryDirectory() as folder:
        try:
            path = await upload(form, "file", folder)
            data = read_ownership(path)
        except (InputError, ListFileError) as exc:
            return page(request, "ownership.html", who, 422, view=None, drawing=None,
                        form={"name": "", "country": "", "date": ""}, error_field="file",
                        error=str(exc).replace(str(folder), "upload"))
    companies, edges = data.store(OwnershipStore(state.store))
    state.audit.append(who.name, "ownership.import", f"{edges} edges", request_id(request),
                       {"companies_added": companies, "edges_added": edges, "via": "web"})
    return page(request, "ownership.html", who, view=None, drawing=None,
                form={"name": "", "country": "", "date": ""},
                notice=f"Imported {edges:,} ownership edge{'' if edges == 1 else 's'} "
                       f"({companies:,} new compan{'y' if companies == 1 else 'ies'}).")
