"""The ASGI application for `uvicorn exportguard.service.main:app` (what `exportguard serve`
runs in each worker process)."""

from exportguard.service.app import create_app

app = create_app()
