"""`exportguard mcp`: the engine's verbs as tools for AI agents (Model Context Protocol, with the
official SDK), so an agent that drafts export paperwork asks instead of guessing.

Tools: `screen`, `check`, `classify`, `invest`, `release` and `list_status`. Each returns the
JSON document the CLI prints with `--json` (the same builders: `views.screen_document`,
`check(...).to_dict()`, `classify(...).to_dict()`, `invest(...).to_dict()`,
`release(...).to_dict()`, `lists_view(...).to_dict()`), and decisions are appended to the audit
log like the CLI's, actor `mcp:NAME` (`audit` in the document says so). Bad
input is a tool error naming the argument (`parties.1.country`, `figures.tpp`), as the API's 422
names the JSON field.

Transports: stdio (for a local agent; it runs as the user, like the CLI) and streamable HTTP at
`/mcp`, where every request must carry an API key of the service (`Authorization: Bearer KEY` or
`X-API-Key`) with at least the screener role, checked against the same key table."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import BaseModel, ConfigDict, Field

from exportguard.access import Access, allows
from exportguard.audit import AuditLog
from exportguard.errors import ExportGuardError, InputError
from exportguard.names.normalize import MAX_NAME_CHARS
from exportguard.service import api_words
from exportguard.store import Store

INSTRUCTIONS = (
    "Export-control answers with citations. Use `screen` for a party name against the "
    "restricted-party lists (on a date with as_of), `check` for whether an item may go to "
    "parties in a country on a date (prohibited, license_required, no_license_required or "
    "review), `classify` for a chip's ECCN 3A090/4A090 paragraph, `invest` for NS-CMIC "
    "securities, `release` for technology released to a foreign person in the U.S. (deemed "
    "exports), `list_status` for which list snapshots answer. Quote the reasons and their "
    "citations; a `review` decision or `missing_facts` means a person must decide or a fact is "
    "missing: ask for it, never assume it.")


class PartyArg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(max_length=MAX_NAME_CHARS, description="The party's name, any script.")
    country: str | None = Field(None, description="Where it is located, ISO-2.")
    hq: str | None = Field(None, description="Where it is headquartered, ISO-2.")
    parent: str | None = Field(None, description="Its ultimate parent's name.")
    parent_hq: str | None = Field(None, description="Where the parent is headquartered.")


class FiguresArg(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tpp: float | None = None
    throughput: dict[str, float] | None = Field(
        None, description="Datasheet TFLOPS/TOPS by precision, e.g. {\"fp8\": 1979}.")
    sparse: bool = False
    die_area: float | None = Field(None, description="Applicable die area, mm^2.")
    datacenter: bool | None = None
    interconnect: float | None = Field(None, description="Aggregate I/O rate, GB/s.")
    memory_bandwidth: float | None = Field(None, description="Total DRAM bandwidth, GB/s.")
    memory_bandwidth_density: float | None = None
    package_area: float | None = None
    hbm: bool = False


def _figures(figures: FiguresArg) -> Any:
    from exportguard.check import ItemFigures

    return ItemFigures.from_fields(figures.model_dump())


def build_server(store: Store, actor: str = "mcp:stdio") -> MCPServer:
    """The tools over `store`; `actor` names who asked in the audit records."""
    from exportguard.check import CheckRequest, Party, check
    from exportguard.check.jurisdiction import parse_us_content
    from exportguard.check.release import ReleaseRequest
    from exportguard.check.release import release as release_of
    from exportguard.invest import invest as invest_in
    from exportguard.items import classify as classify_item
    from exportguard.lists.codes import parse_list_codes
    from exportguard.regime.dated import parse_as_of
    from exportguard.screening.loaded import screener_for
    from exportguard.store.ownership import OwnershipStore
    from exportguard.views import lists_view, screen_document

    server = MCPServer("exportguard", instructions=INSTRUCTIONS)
    log = AuditLog(store)

    def audited(action: str, subject: str, detail: dict[str, Any]) -> dict[str, Any]:
        record = log.append(actor, action, subject[:500], f"mcp-{uuid.uuid4().hex[:16]}",
                            detail)
        return {"recorded": True, "seq": record.seq, "actor": record.actor}

    def answer(work: Callable[[], dict[str, Any]], tool: str) -> dict[str, Any]:
        try:
            return work()
        except InputError as exc:  # names the tool's argument, as the API names its JSON field
            raise ToolError(api_words.input_error(f"/api/v1/{tool}", exc)[1]) from None
        except ExportGuardError as exc:
            raise ToolError(api_words.for_api(exc)) from None

    @server.tool(description="Screen a party name against the restricted-party lists (the "
                 "`exportguard screen --json` document): matches with scores, the features "
                 "that fired, list codes, Federal Register citations and a decision (clear, "
                 "review, match).")
    def screen(name: str, country: str | None = None, lists: str | None = None,
               limit: int = 10, min_score: float | None = None,
               as_of: str | None = None) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            codes = parse_list_codes(lists)
            day = parse_as_of(as_of, "as_of") if as_of is not None else None
            screener = screener_for(store, day)
            result = screener.screen(name, country, codes, limit, min_score)
            data, _finding = screen_document(store, screener, result, day)
            data["audit"] = audited("screen", result.query, {
                "query": result.query, "country": result.country, "as_of": as_of,
                "decision": result.decision, "snapshot_ids": [s.id for s in result.snapshots],
                "via": "mcp"})
            return data
        return answer(work, "screen")

    @server.tool(name="check",
                 description="May this item go to these parties at this destination on this "
                 "date? The `exportguard check --json` memo: decision, review policy, every "
                 "reason with its CFR paragraph, Federal Register source and dates, the parties "
                 "screened, missing facts and assumptions. Give exactly one of item (a catalogue "
                 "name such as H100), item_eccn (e.g. EAR99) and figures.")
    def check_export(destination: str, parties: list[PartyArg], item: str | None = None,
                     item_eccn: str | None = None, figures: FiguresArg | None = None,
                     date: str | None = None, end_use: str | None = None,
                     foreign_made: bool = False, origin: str | None = None,
                     us_content: list[str] | None = None,
                     direct_product_of: list[str] | None = None,
                     plant_direct_product_of: list[str] | None = None) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            item_figures = None if figures is None else _figures(figures)
            request = CheckRequest(
                destination=destination, parties=tuple(Party(**p.model_dump()) for p in parties),
                item=item, item_eccn=item_eccn, figures=item_figures, date=date,
                end_use=end_use, foreign_made=foreign_made, origin=origin,
                us_content=parse_us_content(us_content) if us_content is not None else None,
                direct_product_of=tuple(direct_product_of)
                if direct_product_of is not None else None,
                plant_direct_product_of=tuple(plant_direct_product_of)
                if plant_direct_product_of is not None else None)
            result = check(request, screener_for=lambda day: screener_for(
                store, day, filter_dates=False), ownership=OwnershipStore(store))
            data = result.to_dict()
            data["audit"] = audited("check", "; ".join(p.name for p in parties), {
                "request": request.to_dict(), "decision": result.decision,
                "review_policy": result.review_policy, "via": "mcp"})
            return data
        return answer(work, "check")

    @server.tool(description="Classify a chip under ECCN 3A090/4A090 on a date (the "
                 "`exportguard classify --json` document): TPP, performance density, the "
                 "paragraph, the working, reasons with citations, licence letters naming the "
                 "item, and missing facts. Give item (a catalogue name) or figures.")
    def classify(item: str | None = None, figures: FiguresArg | None = None,
                 date: str | None = None) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            if (item is None) == (figures is None):
                from exportguard.errors import InputError

                raise InputError("item", "give exactly one of item (a catalogue name) and "
                                 "figures")
            day = parse_as_of(date, "date")
            if item is not None:
                return classify_item(item, day).to_dict()
            assert figures is not None
            return classify_item(_figures(figures).spec(), day).to_dict()
        return answer(work, "classify")

    @server.tool(description="May a U.S. person buy or hold this security on the date? The "
                 "NS-CMIC check (`exportguard invest --json`): ticker, ISIN or issuer name.")
    def invest(security: str, date: str | None = None) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            data = invest_in(security, date).to_dict()
            data["audit"] = audited("invest", security, {"date": data.get("as_of"),
                                                         "decision": data["decision"],
                                                         "via": "mcp"})
            return data
        return answer(work, "invest")

    @server.tool(description="Is releasing this technology or source code in the U.S. to this "
                 "person a deemed export (15 CFR 734.13(b)), to where, and does it need a "
                 "licence on the date? The `exportguard release --json` document. technology: "
                 "an ECCN of product group D or E (e.g. 3E001) or EAR99; nationalities: the "
                 "person's citizenships or permanent residencies, ISO-2; for_item: the item the "
                 "technology is for (e.g. 3A090.a); person: a name to screen.")
    def release(technology: str, nationalities: list[str] | None = None,
                permanent_resident: bool = False, protected_individual: bool = False,
                for_item: str | None = None, person: str | None = None,
                date: str | None = None) -> dict[str, Any]:
        def work() -> dict[str, Any]:
            asked = ReleaseRequest(
                technology=technology, nationalities=tuple(nationalities or ()),
                permanent_resident=permanent_resident,
                protected_individual=protected_individual, for_item=for_item, person=person,
                date=date)
            result = release_of(asked, screener_for=lambda day: screener_for(
                store, day, filter_dates=False))
            data = result.to_dict()
            data["audit"] = audited("release", person or "", {
                "date": result.as_of.isoformat(), "decision": result.decision,
                "technology": result.technology, "deemed_to": result.deemed_to, "via": "mcp"})
            return data
        return answer(work, "release")

    @server.tool(description="The list snapshots in force and which one serves each list (the "
                 "`exportguard lists --json` document); all=true for every snapshot kept.")
    def list_status(all: bool = False) -> dict[str, Any]:
        return answer(lambda: lists_view(store, all).to_dict(), "lists")

    return server


Scope = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]


class KeyRequired:
    """ASGI middleware for the HTTP transport: an API key with the screener role or above, from
    the service's key table."""

    def __init__(self, app: ASGIApp, store: Store) -> None:
        self.app = app
        self.access = Access(store)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1")
                   for k, v in scope.get("headers") or []}
        given = headers.get("authorization", "")
        secret = given[7:].strip() if given[:7].lower() == "bearer " else headers.get(
            "x-api-key")
        principal = self.access.authenticate(secret) if secret else None
        if principal is None or not allows(principal.role, "screener"):
            status = 401 if principal is None else 403
            body = (b'{"error": {"code": "unauthorized", "message": "an API key is required: '
                    b'send Authorization: Bearer KEY or X-API-Key"}}' if status == 401 else
                    b'{"error": {"code": "forbidden", "message": "this key may not screen"}}')
            await send({"type": "http.response.start", "status": status,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"www-authenticate", b'Bearer realm="exportguard"')]})
            await send({"type": "http.response.body", "body": body})
            return
        await self.app(scope, receive, send)


def http_app(store: Store) -> ASGIApp:
    """The streamable HTTP transport at /mcp behind the API keys (stateless, JSON answers); the
    audit actor is `mcp:http`."""
    server = build_server(store, actor="mcp:http")
    return KeyRequired(server.streamable_http_app(stateless_http=True, json_response=True),
                       store)


def run_stdio(store: Store) -> None:
    build_server(store).run("stdio")


__all__ = ["KeyRequired", "build_server", "http_app", "run_stdio"]
