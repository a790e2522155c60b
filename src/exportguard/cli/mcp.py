"""`mcp`: the engine's tools for AI agents over the Model Context Protocol."""

from __future__ import annotations

from typing import Annotated

import typer

from exportguard.cli._app import _friendly, app, err
from exportguard.errors import InputError


@app.command()
@_friendly
def mcp(
    http: Annotated[bool, typer.Option("--http", help="Serve streamable HTTP at /mcp (every "
                                       "request needs an API key) instead of stdio.")] = False,
    host: Annotated[str, typer.Option(help="With --http: interface to listen on.")
                    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="With --http: TCP port.")] = 8001,
) -> None:
    """Serve the screen, check, classify, invest and list_status tools to an MCP client (an AI
    agent), answering with the documents `--json` prints. stdio by default: configure the
    client to run `exportguard mcp`."""
    from exportguard.mcp_server import http_app, run_stdio
    from exportguard.store import Store

    store = Store()
    if not http:
        run_stdio(store)
        return
    if not 1 <= port <= 65535:
        raise InputError("port", f"must be between 1 and 65535, got {port}")
    import uvicorn

    err.print(f"MCP over streamable HTTP at http://{host}:{port}/mcp (API key required).")
    uvicorn.run(http_app(store), host=host, port=port, log_level="warning")
