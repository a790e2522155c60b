"""Pages for items and decisions: the licence check (an item by catalogue name, ECCN or figures,
foreign-made, up to four parties, a parent), the classification with its working, the NS-CMIC
investment check and the glossary. Each shows the document the CLI prints with `--json`."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from exportguard.check import Party
from exportguard.check.jurisdiction import parse_us_content
from exportguard.check.request import CheckRequest, ItemFigures
from exportguard.errors import InputError
from exportguard.invest import invest
from exportguard.items import classify
from exportguard.regime.dated import parse_as_of
from exportguard.service import glossary, operations
from exportguard.service.app import request_id
from exportguard.service.pages.forms import checkbox, item_from, text, values
from exportguard.service.web import _csrf, _state, _who, page

router = APIRouter(include_in_schema=False)
EXTRA_PARTIES = 3  # besides the end user: consignees, intermediate parties
_ITEM_FIELDS = ("item", "item_eccn", "tpp", "throughput", "sparse", "die_area", "datacenter",
                "interconnect", "memory_bandwidth", "memory_bandwidth_density", "package_area",
                "hbm")
_CHECK_FIELDS = (*_ITEM_FIELDS, "destination", "party", "party_country", "party_hq", "parent",
                 "parent_hq", "end_use", "date", "foreign_made", "origin", "us_content",
                 "direct_product_of", "plant_direct_product_of",
                 *(f"{kind}_{n}" for n in range(2, EXTRA_PARTIES + 2)
                   for kind in ("party", "party_country")))


@router.get("/check", response_class=HTMLResponse)
def check_form(request: Request) -> Response:
    who = _who(request)
    return page(request, "check.html", who, memo=None, form={}, extra=_extra_numbers())


def _extra_numbers() -> range:
    return range(2, EXTRA_PARTIES + 2)


def _parties(form: Any) -> list[Party]:
    name = text(form, "party", 1000)
    if not name:
        raise InputError("party", "a party name is required")
    parties = [Party(name=name, country=text(form, "party_country", 60) or None,
                     hq=text(form, "party_hq", 60) or None,
                     parent=text(form, "parent", 1000) or None,
                     parent_hq=text(form, "parent_hq", 60) or None)]
    for n in _extra_numbers():
        other = text(form, f"party_{n}", 1000)
        country = text(form, f"party_country_{n}", 60)
        if country and not other:
            raise InputError(f"party_{n}", f"party {n} has a country but no name")
        if other:
            parties.append(Party(name=other, role="party", country=country or None))
    return parties


def _ecc_list(form: Any, name: str) -> tuple[str, ...] | None:
    """A comma-separated list of ECCNs, "none" for an empty one, blank for not stated."""
    raw = text(form, name, 400)
    if not raw:
        return None
    if raw.lower() == "none":
        return ()
    return tuple(part.strip() for part in raw.split(",") if part.strip())


def check_request(form: Any) -> CheckRequest:
    """The form as the one CheckRequest the CLI and the API build."""
    item, item_eccn = item_from(form)
    content = text(form, "us_content", 400)
    return CheckRequest(
        destination=text(form, "destination", 60), parties=tuple(_parties(form)),
        item=item if isinstance(item, str) else None, item_eccn=item_eccn,
        figures=item if isinstance(item, ItemFigures) else None,
        date=text(form, "date", 10) or None, end_use=text(form, "end_use") or None,
        foreign_made=checkbox(form, "foreign_made"), origin=text(form, "origin", 60) or None,
        us_content=parse_us_content([p for p in content.split(",") if p.strip()] or ["none"])
        if content else None,
        direct_product_of=_ecc_list(form, "direct_product_of"),
        plant_direct_product_of=_ecc_list(form, "plant_direct_product_of"))


@router.post("/check", response_class=HTMLResponse)
async def check(request: Request) -> Response:
    form = await request.form()
    who = _who(request)
    _csrf(who, text(form, "csrf", 200))
    shown = values(form, _CHECK_FIELDS)
    state = _state(request)
    try:
        memo = await run_in_threadpool(operations.run_check, state, who, request_id(request),
                                       check_request(form))
    except InputError as exc:
        return page(request, "check.html", who, 422, memo=None, form=shown, error=str(exc),
                    error_field=_field(exc.field), extra=_extra_numbers())
    return page(request, "check.html", who, memo=memo, form=shown, extra=_extra_numbers())


def _field(name: str | None) -> str | None:
    """The form field for an engine field name (the engine names some facts differently)."""
    return {"figures.throughput": "throughput", "destination": "destination",
            "parties": "party", "kind": "hbm"}.get(name or "", name)


@router.get("/classify", response_class=HTMLResponse)
def classify_page(request: Request) -> Response:
    """GET so that a classification can be linked to; nothing is recorded."""
    who = _who(request)
    form = request.query_params
    shown = values(form, (*_ITEM_FIELDS, "date"))  # type: ignore[arg-type]
    if not any(shown.values()):
        return page(request, "classify.html", who, result=None, form=shown)
    try:
        day = parse_as_of(text(form, "date", 10) or None, "date")  # type: ignore[arg-type]
        item, eccn = item_from(form)  # type: ignore[arg-type]
        if eccn is not None:
            raise InputError("item_eccn", "classify works from a catalogue name or figures; an "
                             "ECCN is already a classification")
        assert item is not None
        result = classify(item if isinstance(item, str) else item.spec(), day)
    except InputError as exc:
        return page(request, "classify.html", who, 422, result=None, form=shown,
                    error=str(exc), error_field=_field(exc.field))
    return page(request, "classify.html", who, result=result.to_dict(), form=shown)


@router.get("/invest", response_class=HTMLResponse)
def invest_form(request: Request) -> Response:
    who = _who(request)
    return page(request, "invest.html", who, result=None, form={})


@router.post("/invest", response_class=HTMLResponse)
async def invest_page(request: Request) -> Response:
    form = await request.form()
    who = _who(request)
    _csrf(who, text(form, "csrf", 200))
    shown = values(form, ("security", "date"))
    try:
        security = text(form, "security", 200)
        if not security:
            raise InputError("security", "a ticker, ISIN or issuer name is required")
        result = invest(security, text(form, "date", 10) or None).to_dict()
    except InputError as exc:
        return page(request, "invest.html", who, 422, result=None, form=shown, error=str(exc),
                    error_field=exc.field)
    _state(request).audit.append(who.name, "invest", security, request_id(request),
                                 {"date": result.get("as_of"), "decision": result["decision"],
                                  "via": "web"})
    return page(request, "invest.html", who, result=result, form=shown)


@router.get("/glossary", response_class=HTMLResponse)
def glossary_page(request: Request) -> Response:
    who = _who(request)
    return page(request, "glossary.html", who, lists=glossary.lists(), rules=glossary.rules(),
                decisions=glossary.DECISIONS, features=glossary.FEATURES)
