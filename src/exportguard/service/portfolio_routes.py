"""The /portfolio page: upload a holdings (or index constituents) file and see every holding
checked against NS-CMIC on a date, with the weight in securities a U.S. person may not buy."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import UploadFile

from exportguard.batch.formats import FORMATS
from exportguard.errors import InputError
from exportguard.portfolio import screen_holdings
from exportguard.regime.dated import parse_as_of
from exportguard.service.api import state_of
from exportguard.service.app import request_id
from exportguard.service.web import _csrf, _who, page

router = APIRouter(include_in_schema=False)
SHOWN_ROWS = 2_000


@router.get("/portfolio", response_class=HTMLResponse)
def portfolio_form(request: Request) -> Response:
    return page(request, "portfolio.html", _who(request), summary=None, rows=None, form={})


@router.post("/portfolio", response_class=HTMLResponse)
async def portfolio(request: Request) -> Response:
    who = _who(request)
    form = await request.form()
    _csrf(who, str(form.get("csrf", "")))
    values = {"date": str(form.get("date", "")).strip()}
    upload = form.get("holdings")
    try:
        summary, rows = await run_in_threadpool(_check, request, upload,
                                                values["date"] or None)
    except InputError as exc:
        return page(request, "portfolio.html", who, 422, summary=None, rows=None, form=values,
                    error=str(exc), error_field=exc.field)
    state_of(request).audit.append(who.name, "portfolio", getattr(upload, "filename", "") or "",
                                   request_id(request), {k: v for k, v in summary.items()
                                                         if k != "prohibited_issuers"})
    return page(request, "portfolio.html", who, summary=summary, rows=rows[:SHOWN_ROWS],
                shown=min(len(rows), SHOWN_ROWS), form=values)


def _check(request: Request, upload: Any, day_text: str | None) -> tuple[dict, list[dict]]:
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise InputError("holdings", "choose a holdings file (.csv, .parquet or .jsonl)")
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in FORMATS:
        raise InputError("holdings", f"'{upload.filename}' is not .csv, .parquet, .jsonl or "
                         ".ndjson")
    day = parse_as_of(day_text, "date")
    with tempfile.TemporaryDirectory(prefix="eg-portfolio-") as folder:
        source, output = Path(folder) / f"holdings{suffix}", Path(folder) / "checked.parquet"
        source.write_bytes(upload.file.read())
        summary = screen_holdings(source, output, day, state_of(request).screener(day))
        rows = pq.read_table(output).to_pylist()
    return summary.to_dict(), rows
