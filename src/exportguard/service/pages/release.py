"""The deemed-export page: is releasing this technology in the U.S. to this person an export,
to where, and does it need a licence on the date (15 CFR 734.13(b), 772.1)? The form's fields
are named as `POST /api/v1/release`'s and it builds the same `ReleaseRequest`."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from exportguard.check.release import MAX_NATIONALITIES, RELEASE_QUESTIONS, ReleaseRequest
from exportguard.errors import InputError
from exportguard.service import operations
from exportguard.service.app import request_id
from exportguard.service.pages.forms import checkbox, text, values
from exportguard.service.web import _csrf, _state, _who, page

router = APIRouter(include_in_schema=False)
_FIELDS = ("technology", "nationalities", "permanent_resident", "protected_individual",
           "for_item", "person", "date")
# The engine's field names where the form's differ.
_FORM_FIELD = {"nationality": "nationalities"}


@router.get("/release", response_class=HTMLResponse)
def release_form(request: Request) -> Response:
    who = _who(request)
    return page(request, "release.html", who, result=None, form={}, questions=RELEASE_QUESTIONS)


@router.post("/release", response_class=HTMLResponse)
async def release_page(request: Request) -> Response:
    form = await request.form()
    who = _who(request)
    _csrf(who, text(form, "csrf", 200))
    shown = values(form, _FIELDS)
    try:
        result = await run_in_threadpool(operations.run_release, _state(request), who,
                                          request_id(request), release_request(form), "web")
    except InputError as exc:
        return page(request, "release.html", who, 422, result=None, form=shown,
                    error=str(exc), error_field=_FORM_FIELD.get(exc.field, exc.field),
                    questions=RELEASE_QUESTIONS)
    return page(request, "release.html", who, result=result.to_dict(), form=shown,
                questions=RELEASE_QUESTIONS)


def release_request(form: FormData) -> ReleaseRequest:
    """The form as the request the CLI and the API build; `nationalities` holds ISO codes
    separated by commas or spaces."""
    raw = text(form, "nationalities", 200).replace(",", " ").split()
    if len(raw) > MAX_NATIONALITIES:
        raise InputError("nationalities", f"at most {MAX_NATIONALITIES} nationalities")
    return ReleaseRequest(
        technology=text(form, "technology", 40), nationalities=tuple(raw),
        permanent_resident=checkbox(form, "permanent_resident"),
        protected_individual=checkbox(form, "protected_individual"),
        for_item=text(form, "for_item", 40) or None, person=text(form, "person", 300) or None,
        date=text(form, "date", 10) or None)
