"""Words for the JSON API. The engine's messages name command-line flags (`--parent-hq`) and
some facts by the command line's names (`party_country`); a caller of /api/v1 sent JSON fields,
so each error names those: `field` is the path into the body or the query (`parties.1.country`,
`figures.tpp`, `from`), and the message says `parent_hq`, never `--parent-hq`."""

from __future__ import annotations

import re

from exportguard.errors import InputError

_FIGURES = ("tpp", "throughput", "sparse", "die_area", "datacenter", "interconnect",
            "memory_bandwidth", "memory_bandwidth_density", "package_area", "hbm")

# Each flag the engine's messages may name, and the JSON field that gives the same fact.
FLAG_JSON: dict[str, str] = {
    **{f"--{name.replace('_', '-')}": f"figures.{name}" for name in _FIGURES},
    "--consumer": "figures.datacenter",
    "--party": "parties",
    "--party-country": "country",
    "--party-hq": "hq",
    "--nationality": "nationalities",
    "--list-activities": "activities",
}
_FLAG = re.compile(r"--[a-z][a-z-]*")
_COMMANDS = {
    "`exportguard items` lists what is": "the catalogue lists what is (`exportguard items`, or "
                                         "the Classify page)",
    "exportguard outbound --list-activities prints them":
        "GET /api/v1/outbound/activities lists them",
    "`exportguard lists --all`": "GET /api/v1/lists?all=true",
}

# The engine's field names that differ from the JSON body's, by route; `{index}` is the
# element of a list the error is about (InputError.index).
_PARTY = {"party": "parties.{index}.name", "party_country": "parties.{index}.country",
          "party_hq": "parties.{index}.hq", "parent": "parties.{index}.parent",
          "parent_hq": "parties.{index}.parent_hq"}
_ROUTE_FIELDS: dict[str, dict[str, str]] = {
    "/api/v1/check": {**{name: f"figures.{name}" for name in _FIGURES}, **_PARTY},
    "/api/v1/classify": {name: f"figures.{name}" for name in _FIGURES},
    "/api/v1/release": {"nationality": "nationalities.{index}"},
    "/api/v1/outbound": {"activity": "activities", "end_use": "end_uses"},
}
_CASE_DECISION = re.compile(r"/api/v1/cases/\d+/decision")


def for_api(text: object) -> str:
    """`text` with each command-line flag replaced by the JSON field that gives it."""
    words = "" if text is None else str(text)
    for command, instead in _COMMANDS.items():
        words = words.replace(command, instead)
    return _FLAG.sub(lambda found: FLAG_JSON.get(found.group(0),
                                                 found.group(0)[2:].replace("-", "_")), words)


def api_field(path: str, field: str | None, index: int | None = None) -> str | None:
    """The JSON field (a dotted path) that the engine's `field` is on the route at `path`."""
    if field is None:
        return None
    if _CASE_DECISION.fullmatch(path) and field == "case":
        return "case_id"
    named = _ROUTE_FIELDS.get(path, {}).get(field, field)
    if "{index}" in named:
        named = named.format(index=index) if index is not None else named.split(".{index}")[0]
    return named


def input_error(path: str, exc: InputError) -> tuple[str, str]:
    """(field, message) of an InputError raised on the API route at `path`."""
    field = api_field(path, exc.field, exc.index)
    return field or "body", f"{field}: {for_api(exc.message)}"
