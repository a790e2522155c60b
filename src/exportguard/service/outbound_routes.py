"""The outbound investment check (31 CFR Part 850) over HTTP: `POST /api/v1/outbound` answers
with what `exportguard outbound --json` prints; `/outbound` is the same question as a web form."""

from __future__ import annotations

import math
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import Field

from exportguard.errors import InputError
from exportguard.outbound import OutboundQuestion, outbound, outbound_rules
from exportguard.outbound.decide import END_USES, MAX_ACTIVITIES, MAX_TARGET_CHARS, NO_END_USE
from exportguard.regime.dated import parse_as_of
from exportguard.service import schemas, wording
from exportguard.service.api import Screener_, Strict, state_of
from exportguard.service.app import request_id
from exportguard.service.schemas import ok
from exportguard.service.web import _csrf, _who, page

api_router = APIRouter(prefix="/api/v1")
web_router = APIRouter(include_in_schema=False)
_YES_NO = ("us_person", "controlled_by_us_person", "bio_sequence_data", "ic_3a090a",
           "ic_advanced_node", "ic_advanced_packaging", "exclusive_end_use",
           "ai_cyber_or_robotics", "lp_passive_rights", "lp_contractual_assurance",
           "public_rights_beyond_minority")
_NUMBERS = ("training_compute", "coc_ownership", "revenue_share", "net_income_share",
            "capex_share", "opex_share", "lp_committed_capital")


class OutboundRequest(Strict):
    date: str | None = Field(None, max_length=10)
    us_person: bool | None = None
    controlled_by_us_person: bool | None = None
    transaction: str | None = Field(None, max_length=40)
    target: str | None = Field(None, max_length=MAX_TARGET_CHARS)
    target_country: str | None = Field(None, max_length=60)
    activities: list[str] = Field(default_factory=list, max_length=MAX_ACTIVITIES)
    end_uses: list[str] = Field(default_factory=list, max_length=len(END_USES) + 1)
    coc_ownership: float | None = None
    revenue_share: float | None = None
    net_income_share: float | None = None
    capex_share: float | None = None
    opex_share: float | None = None
    training_compute: float | None = None
    bio_sequence_data: bool | None = None
    ic_3a090a: bool | None = None
    ic_advanced_node: bool | None = None
    ic_advanced_packaging: bool | None = None
    exclusive_end_use: bool | None = None
    ai_cyber_or_robotics: bool | None = None
    lp_committed_capital: float | None = None
    lp_passive_rights: bool | None = None
    lp_contractual_assurance: bool | None = None
    public_rights_beyond_minority: bool | None = None

    def question(self) -> OutboundQuestion:
        data = self.model_dump()
        data["activities"] = tuple(data["activities"])
        data["end_uses"] = tuple(data["end_uses"])
        return OutboundQuestion(**data)


@api_router.post("/outbound", response_model=None, tags=["investment"],
                 responses=ok(schemas.OutboundAnswer))
def outbound_check(body: OutboundRequest, request: Request, who: Screener_) -> dict[str, Any]:
    """Is this transaction prohibited, notifiable, excepted or not covered (31 CFR Part 850)?"""
    result = _answer(request, body.question())
    _audit(request, who.name, result)
    return {**result.to_dict(), "request_id": request_id(request)}


@api_router.get("/outbound/activities", response_model=None, tags=["investment"],
                responses=ok(schemas.ActivitiesAnswer))
def outbound_activities(_who: Screener_) -> dict[str, Any]:
    """Every covered-activity code with the paragraph of 31 CFR Part 850 it stands for."""
    return {"activities": _activities()}


@web_router.get("/outbound", response_class=HTMLResponse)
def outbound_form(request: Request) -> Response:
    who = _who(request)
    return page(request, "outbound.html", who, result=None, form={}, **_choices())


@web_router.post("/outbound", response_class=HTMLResponse)
async def outbound_page(request: Request) -> Response:
    who = _who(request)
    form = await request.form()
    _csrf(who, str(form.get("csrf", "")))
    values = {key: str(value) for key, value in form.items() if key != "csrf"}
    values["activities"] = form.getlist("activity")  # type: ignore[assignment]
    values["end_uses"] = form.getlist("end_use")  # type: ignore[assignment]
    try:
        result = _answer(request, _form_question(values))
    except InputError as exc:
        choices = _choices()
        label = choices["labels"].get(exc.field)  # a fact's field: its question on the form
        return page(request, "outbound.html", who, 422, result=None, form=values,
                    error=f"{label.rstrip('.')}: {exc.message}" if label
                    else wording.problem(exc),
                    error_field=exc.field, **choices)
    _audit(request, who.name, result)
    return page(request, "outbound.html", who, result=result, form=values, **_choices())


def _answer(request: Request, question: OutboundQuestion) -> Any:
    screener = None
    if question.target and question.target.strip():
        screener = state_of(request).screener(parse_as_of(question.date, "date"))
    return outbound(question, screener)


def _audit(request: Request, name: str, result: Any) -> None:
    state_of(request).audit.append(name, "outbound", result.target or "", request_id(request),
                                   {"date": result.as_of.isoformat(),
                                    "classification": result.classification})


def _form_question(values: dict[str, Any]) -> OutboundQuestion:
    """The form's text as a question: yes/no/blank selects, numbers parsed, blanks unknown."""
    facts: dict[str, Any] = {}
    for name in _YES_NO:
        raw = values.get(name, "")
        if raw not in ("", "yes", "no"):
            raise InputError(name, f"'{raw}' is not yes, no or blank")
        facts[name] = None if raw == "" else raw == "yes"
    for name in _NUMBERS:
        raw = values.get(name, "").strip().replace(",", "")
        try:
            facts[name] = float(raw) if raw else None
        except ValueError:
            raise InputError(name, f"'{raw[:40]}' is not a number") from None
        if facts[name] is not None and not math.isfinite(facts[name]):
            raise InputError(name, f"'{raw[:40]}' is not a finite number")
    return OutboundQuestion(
        date=values.get("date") or None, transaction=values.get("transaction") or None,
        target=values.get("target") or None, target_country=values.get("target_country") or None,
        activities=tuple(values.get("activities") or ()),
        end_uses=tuple(values.get("end_uses") or ()), **facts)


def _activities() -> list[dict[str, str]]:
    return [{"code": a.code, "paragraph": a.paragraph, "summary": a.summary}
            for a in outbound_rules().activities.values()]


def _choices() -> dict[str, Any]:
    rules = outbound_rules()
    labels = {name: rules.facts[name].label for name in (*_YES_NO, *_NUMBERS)}
    return {"activities": _activities(), "transactions": list(rules.transactions),
            "end_uses": (*END_USES, NO_END_USE), "yes_no": _YES_NO, "numbers": _NUMBERS,
            "labels": labels}
