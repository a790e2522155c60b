"""`exportguard mcp` end to end with the official MCP SDK's client: over stdio (the command run
as a subprocess, as an agent's client runs it) and over streamable HTTP behind the API keys.
The seed story answers exactly as the CLI's `--json` documents do."""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
import uvicorn
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from typer.testing import CliRunner

from exportguard.access import Access
from exportguard.cli import app as cli_app
from exportguard.mcp_server import http_app
from exportguard.store import Store

SRC = str(Path(__file__).resolve().parents[1] / "src")

MEGVII = {"destination": "CN", "parties": [{"name": "Megvii Technology"}], "item_eccn": "EAR99"}
H20 = {"destination": "CN", "parties": [{"name": "Example Co", "country": "CN"}], "item": "H20"}
# (tool, arguments, the same question on the command line)
SEED_STORY = [
    ("check", {**MEGVII, "date": "2019-10-08"},
     ["check", "--item-eccn", "EAR99", "--party", "Megvii Technology", "--destination", "CN",
      "--date", "2019-10-08"]),
    ("check", {**MEGVII, "date": "2019-10-10"},
     ["check", "--item-eccn", "EAR99", "--party", "Megvii Technology", "--destination", "CN",
      "--date", "2019-10-10"]),
    ("classify", {"item": "H20", "date": "2024-06-01"}, ["classify", "H20", "--date",
                                                          "2024-06-01"]),
    ("classify", {"item": "H20", "date": "2025-06-01"}, ["classify", "H20", "--date",
                                                          "2025-06-01"]),
    ("check", {**H20, "date": "2024-06-01"},
     ["check", "--item", "H20", "--party", "Example Co", "--party-country", "CN",
      "--destination", "CN", "--date", "2024-06-01"]),
    ("check", {**H20, "date": "2025-06-01"},
     ["check", "--item", "H20", "--party", "Example Co", "--party-country", "CN",
      "--destination", "CN", "--date", "2025-06-01"]),
    ("screen", {"name": "Megvii", "as_of": "2019-10-08"},
     ["screen", "Megvii", "--as-of", "2019-10-08"]),
    ("invest", {"security": "002415.SZ", "date": "2021-08-02"},
     ["invest", "002415.SZ", "--date", "2021-08-02"]),
    ("list_status", {}, ["lists"]),
    ("release", {"technology": "3E001", "for_item": "3A090.a", "nationalities": ["CN"],
                 "date": "2024-06-01"},
     ["release", "--technology", "3E001", "--for-item", "3A090.a", "--nationality", "CN",
      "--date", "2024-06-01"]),
]


def _cli(args: list[str]) -> dict[str, Any]:
    result = CliRunner().invoke(cli_app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    data.pop("audit", None)
    return data


def _document(result: Any) -> dict[str, Any]:
    assert not result.is_error, result.content
    data = dict(result.structured_content)
    text = json.loads(result.content[0].text)  # the same document as text, for any client
    assert text == data
    data.pop("audit", None)
    return data


async def _ask_all(client: Client) -> list[dict[str, Any]]:
    tools = {t.name for t in (await client.list_tools()).tools}
    assert {"screen", "check", "classify", "invest", "release", "list_status"} <= tools
    return [_document(await client.call_tool(name, args)) for name, args, _cli_args in SEED_STORY]


def test_stdio_tools_answer_the_seed_story_as_the_cli_does(tmp_path: Path) -> None:
    params = StdioServerParameters(
        command=sys.executable, args=["-m", "exportguard", "mcp"],
        env={**os.environ, "PYTHONPATH": SRC, "EXPORTGUARD_HOME": os.environ["EXPORTGUARD_HOME"]})

    async def ask() -> tuple[list[dict[str, Any]], Any]:
        async with Client(params, read_timeout_seconds=120) as client:
            answers = await _ask_all(client)
            bad = await client.call_tool("check", {**MEGVII, "date": "2019-02-30"})
            # Errors name the tool's argument as sent, never a command-line flag.
            party = await client.call_tool("check", {**MEGVII, "parties": [
                {"name": "Megvii Technology"}, {"name": "Example Co", "country": "ZZ"}]})
            both = await client.call_tool("classify", {"figures": {"tpp": 4800,
                                                                   "throughput": {"fp8": 1}}})
            nationality = await client.call_tool("release", {"technology": "3E001",
                                                             "nationalities": ["CN", "ZZ"]})
            return answers, bad, [party.content[0].text, both.content[0].text,
                                  nationality.content[0].text]

    answers, bad, argued = anyio.run(ask)
    assert "parties.1.country: 'ZZ' is not an ISO 3166-1 country code" in argued[0]
    assert "figures.tpp: give either figures.tpp or datasheet figures (figures.throughput)" \
        in argued[1] and "--" not in argued[1]
    assert "nationalities.1: 'ZZ' is not an ISO 3166-1 country code" in argued[2]
    assert answers[0]["decision"] == "no_license_required"
    assert answers[1]["decision"] == "license_required"
    assert answers[2]["controlled"] is False and answers[2]["measures"] == []
    assert answers[3]["measures"][0]["id"] == "is-informed-2025-04-09-h20"
    assert answers[4]["decision"] == "no_license_required"
    assert answers[5]["decision"] == "license_required"
    assert answers[7]["decision"] == "purchase_prohibited_divest_window"
    assert answers[9]["decision"] == "review" and answers[9]["deemed_to"] == ["CN"]
    for (_name, _args, cli_args), answer in zip(SEED_STORY, answers, strict=True):
        assert answer == _cli(cli_args), cli_args
    # Bad input is a tool error naming the field, never a traceback.
    assert bad.is_error and "date" in bad.content[0].text
    assert "Traceback" not in bad.content[0].text
    # Decisions are in the audit log as the MCP's.
    from exportguard.audit import AuditLog

    actors = {r.actor for r in AuditLog(Store()).records()}
    assert "mcp:stdio" in actors


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def http_server(tmp_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    store = Store()
    access = Access(store)
    keys = {"screener": access.create_key("agent", "screener")[1]}
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(http_app(store), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}/mcp", keys
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_http_tools_need_a_key_and_answer_as_stdio(http_server) -> None:
    url, keys = http_server

    async def ask(headers: dict[str, str]) -> dict[str, Any]:
        async with httpx2.AsyncClient(headers=headers, timeout=120) as http, \
                Client(streamable_http_client(url, http_client=http)) as client:
            return _document(await client.call_tool("check", {**MEGVII, "date": "2019-10-10"}))

    answer = anyio.run(ask, {"Authorization": f"Bearer {keys['screener']}"})
    assert answer == _cli(SEED_STORY[1][2])
    for headers in ({}, {"X-API-Key": "eg_" + "A" * 43}):
        refused = httpx2.post(url, headers={**headers, "Content-Type": "application/json",
                                            "Accept": "application/json, text/event-stream"},
                              json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"})
        assert refused.status_code == 401
