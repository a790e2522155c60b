"""Deemed exports over HTTP: `POST /api/v1/release` answers with what
`exportguard release --json` prints (15 CFR 734.13(b), 772.1); the `/release` page
(`service/pages/release.py`) asks the same question as a form."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import Field

from exportguard.check.release import MAX_NATIONALITIES, ReleaseRequest
from exportguard.service import operations, schemas
from exportguard.service.api import Screener_, Strict, state_of
from exportguard.service.app import request_id
from exportguard.service.schemas import ok

api_router = APIRouter(prefix="/api/v1")


class ReleaseBody(Strict):
    technology: str = Field(max_length=40, description="ECCN of the technology or source code "
                            "(product group D or E), or EAR99.")
    nationalities: list[str] = Field(default_factory=list, max_length=MAX_NATIONALITIES,
                                     description="Citizenship or permanent residency, ISO-2.")
    permanent_resident: bool = False
    protected_individual: bool = False
    for_item: str | None = Field(None, max_length=40,
                                 description="The item the technology is for, e.g. 3A090.a.")
    person: str | None = Field(None, max_length=300, description="Name to screen.")
    date: str | None = Field(None, max_length=10)


@api_router.post("/release", response_model=None, tags=["screening"],
                 responses=ok(schemas.ReleaseAnswer))
def release_check(body: ReleaseBody, request: Request, who: Screener_) -> dict[str, Any]:
    """Is releasing this technology in the U.S. to this person a deemed export, to where, and
    does it need a licence on the date?"""
    result = operations.run_release(state_of(request), who, request_id(request), ReleaseRequest(
        technology=body.technology, nationalities=tuple(body.nationalities),
        permanent_resident=body.permanent_resident,
        protected_individual=body.protected_individual, for_item=body.for_item,
        person=body.person, date=body.date))
    return {**result.to_dict(), "request_id": request_id(request)}
