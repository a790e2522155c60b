"""The ASGI application for `uvicorn exportguard.service.main:app` (what `exportguard serve`
runs in each worker process), its heap frozen once the screener is built (see `create_app`)."""

from exportguard.service.app import create_app

app = create_app(freeze_heap=True)
