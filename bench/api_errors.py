"""How many /api/v1 errors name what the caller sent: 55 bad requests over every route family
(screen, batches, check, classify, invest, release, outbound, lists, cases, audit), each
answered 422; counted are the errors whose `field` is not a path into the body or the query the
caller could send (`party_country` where the body says `parties.0.country`) and those whose
message names a command-line flag (`--tpp`). Run it on a tree before and after a change:

    PYTHONPATH=/path/to/old/src python bench/api_errors.py
    PYTHONPATH=src python bench/api_errors.py
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

H100 = {"destination": "CN", "parties": [{"name": "Acme"}], "item": "H100"}
FIGS = {"destination": "CN", "parties": [{"name": "Acme"}]}
BODIES: list[tuple[str, dict[str, Any]]] = [
    ("/screen", {"name": "x", "country": "ZZ"}), ("/screen", {"name": "x", "as_of": "2020-13-01"}),
    ("/screen", {"name": "x", "lists": "FOO"}), ("/screen", {"name": "  "}),
    ("/batches", {"rows": [{"name": "a"}], "as_of": "x"}),
    ("/batches", {"rows": [{"name": "a"}], "lists": "FOO"}),
    ("/batches", {"rows": [{"name": "a", "colour": 1}]}),
    ("/check", {**H100, "destination": "ZZ"}),
    ("/check", {**H100, "parties": [{"name": "a"}, {"name": "b", "country": "ZZ"}]}),
    ("/check", {**H100, "parties": [{"name": "a", "parent_hq": "CN"}]}),
    ("/check", {**H100, "parties": [{"name": "a", "hq": "ZZ"}]}),
    ("/check", {**H100, "parties": [{"name": " "}]}),
    ("/check", FIGS), ("/check", {**H100, "item_eccn": "3A090.a"}),
    ("/check", {**H100, "item": "Nope9"}), ("/check", {**FIGS, "item_eccn": "ZZZ"}),
    ("/check", {**H100, "foreign_made": True, "origin": "US"}),
    ("/check", {**H100, "origin": "US", "us_content": {"3A090.a": 20}}),
    ("/check", {**H100, "origin": "TW", "us_content": {"3A090.a": 200}}),
    ("/check", {**H100, "origin": "TW", "direct_product_of": ["zz"]}),
    ("/check", {**FIGS, "figures": {"tpp": 5000, "throughput": {"fp8": 1}}}),
    ("/check", {**FIGS, "figures": {"sparse": True}}),
    ("/check", {**FIGS, "figures": {"throughput": {"fp99": 1}}}),
    ("/check", {**FIGS, "figures": {"tpp": -1}}), ("/check", {**FIGS, "figures": {"hbm": True}}),
    ("/check", {**H100, "date": "1999-01"}),
    ("/classify", {"item": "H100", "figures": {"tpp": 1}}), ("/classify", {}),
    ("/classify", {"figures": {"tpp": 5000, "throughput": {"fp8": 1}}}),
    ("/classify", {"figures": {}}), ("/classify", {"figures": {"hbm": True}}),
    ("/classify", {"figures": {"tpp": 5000, "die_area": -3}}),
    ("/classify", {"item": "H100", "date": "x"}), ("/classify", {"item": "Nope9"}),
    ("/invest", {"security": ""}), ("/invest", {"security": "Hikvision", "date": "2020-02-30"}),
    ("/release", {"technology": "3E001"}), ("/release", {"technology": "ZZZ"}),
    ("/release", {"technology": "3E001", "nationalities": ["CN", "ZZ"]}),
    ("/release", {"technology": "3E001", "nationalities": ["CN"], "for_item": "zz"}),
    ("/release", {"technology": "3E001", "nationalities": ["CN"], "date": "x"}),
    ("/outbound", {"date": "x"}), ("/outbound", {"activities": ["no-such"]}),
    ("/outbound", {"end_uses": ["cooking"]}), ("/outbound", {"coc_ownership": 150}),
]
QUERIES = ["/diff?from={s}&to={s}", "/diff?from={s}&to=99", "/history?name=",
           "/ownership?name=x&country=ZZ", "/ownership?name=x&date=x", "/audit?from=x",
           "/audit?from=2024-1-1", "/cases?status=foo", "/snapshots/99",
           "/cases/99999999999"]
_FLAG = re.compile(r"(?<![\w-])--[a-z]")


def _paths(value: Any, prefix: str = "") -> set[str]:
    """Every dotted path into a JSON value (list items by index)."""
    found = {prefix} if prefix else set()
    items = value.items() if isinstance(value, dict) else (
        enumerate(value) if isinstance(value, list) else ())
    for key, inner in items:
        found |= _paths(inner, f"{prefix}.{key}" if prefix else str(key))
    return found


def _sendable(openapi: dict[str, Any], route: str, body: dict[str, Any]) -> set[str]:
    """The fields a caller of `route` could send: the body's paths, the model's fields, and
    the fields of the objects it holds (`figures.tpp`, `parties.1.parent`)."""
    schemas = openapi["components"]["schemas"]
    operation = openapi["paths"][f"/api/v1{route}"]["post"]
    ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    schema = schemas[ref.rsplit("/", 1)[1]]
    found = _paths(body) | set(schema["properties"])
    for name, spec in schema["properties"].items():
        refs = [s.get("$ref") or s.get("items", {}).get("$ref")
                for s in (spec, *spec.get("anyOf", []))]
        for inner in filter(None, refs):
            fields = schemas[inner.rsplit("/", 1)[1]].get("properties", {})
            given = body.get(name)
            heads = [f"{name}.{i}" for i in range(len(given))] if isinstance(given, list) \
                else [name]
            found |= {f"{head}.{field}" for head in heads for field in fields}
    return found


def main() -> None:
    from tests.test_service import Service

    from exportguard.store import Store

    home = tempfile.mkdtemp(prefix="api-errors-")
    import os

    os.environ["EXPORTGUARD_HOME"] = home
    service = Service(Store(f"sqlite:///{home}/eg.db"))
    openapi = service.client.get("/api/v1/openapi.json").json()
    snapshot = max(s["id"] for s in service.get("/lists").json()["snapshots"])
    rows = []
    for route, body in BODIES:
        error = service.post(route, body, role="admin").json().get("error") or {}
        rows.append((route, error, _sendable(openapi, route, body)))
    for template in QUERIES:
        path = template.format(s=snapshot)
        error = service.get(path, role="admin").json().get("error") or {}
        route = path.split("?")[0]
        params = {p["name"] for op in openapi["paths"].get(f"/api/v1{route}", {}).values()
                  for p in op.get("parameters", [])} if "/cases/" not in route else {"case_id"}
        if route.startswith("/snapshots/"):
            params = {"snapshot_id"}
        rows.append((route, error, params))
    service.close()
    refused = [r for r in rows if r[1]]
    wrong_field = [(route, e["field"]) for route, e, sendable in refused
                   if e.get("field") not in sendable]
    flags = [(route, e["message"]) for route, e, _ in refused if _FLAG.search(e["message"])]
    print(f"{'requests':<34}{len(rows):>6}")
    print(f"{'refused (4xx with an error body)':<34}{len(refused):>6}")
    print(f"{'field not what the caller sent':<34}{len(wrong_field):>6}")
    print(f"{'message names a CLI flag':<34}{len(flags):>6}")
    for route, field in wrong_field:
        print(f"  field  {route}: {field}")
    for route, message in flags:
        print(f"  flag   {route}: {message[:100]}")


if __name__ == "__main__":
    main()
