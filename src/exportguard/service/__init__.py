"""The HTTP service: the JSON API under /api/v1 and the web pages, with keys, roles, review cases
and the audit trail. `create_app()` builds it; `exportguard serve` runs it."""
