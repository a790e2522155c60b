"""The API's browsable documentation at /api/v1/docs, served whole from this machine: Swagger
UI 5's files (5 reads the OpenAPI 3.1 document FastAPI writes) come from the `fastapi-offline`
package the install brings, so the page works without internet (FastAPI's default loads them from
a CDN)."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

DOCS_URL = "/api/v1/docs"
ASSETS_URL = "/api/v1/docs/assets"


def install_docs(app: FastAPI, openapi_url: str) -> None:
    import fastapi_offline

    static = Path(fastapi_offline.__file__).parent / "static"
    app.mount(ASSETS_URL, StaticFiles(directory=str(static)), name="swagger-ui")

    @app.get(DOCS_URL, include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png")
