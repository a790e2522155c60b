"""Reading ownership data: CSV (`owner,owned,percent,as_of,source`, optionally with
`owner_country`, `owned_country`, `owner_hq`, `owned_hq`) and FollowTheMoney `Ownership` entities
(with the companies they name, in the same file). Bad rows refuse the whole file, listed by line
and column; nothing is stored from it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from exportguard.countries import parse_country
from exportguard.errors import InputError, ListFileError
from exportguard.lists.base import bounded_lines, open_text
from exportguard.lists.bounds import json_line
from exportguard.store.ownership import OwnershipStore
from exportguard.tabular import read_csv_records, refuse_bad_rows

REQUIRED = ("owner", "owned", "percent", "as_of", "source")
OPTIONAL = ("owner_country", "owned_country", "owner_hq", "owned_hq", "until")
_FTM_COMPANIES = {"Company", "Organization", "LegalEntity", "PublicBody", "Person"}


@dataclass(slots=True)
class OwnershipData:
    companies: list[tuple[str, str | None, str | None, str]]  # name, country, hq, source
    edges: list[tuple[int, int, float | None, bool, date | None, date | None, str]]

    def store(self, store: OwnershipStore) -> tuple[int, int]:
        return store.add(self.companies, self.edges)


def read_ownership(path: Path) -> OwnershipData:
    if not path.is_file():
        raise ListFileError(str(path), "no such file")
    with path.open("rb") as handle:
        head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{"):
        return _read_ftm(path)
    return _read_csv(path)


class _Builder:
    def __init__(self) -> None:
        self.data = OwnershipData([], [])
        self.index: dict[tuple[str, str | None], int] = {}

    def company(self, name: str, country: str | None, hq: str | None, source: str) -> int:
        key = (" ".join(name.casefold().split()), country)
        if key not in self.index:
            self.index[key] = len(self.data.companies)
            self.data.companies.append((name, country, hq, source))
        elif hq:
            position = self.index[key]
            old = self.data.companies[position]
            if not old[2]:
                self.data.companies[position] = (old[0], old[1], hq, old[3])
        return self.index[key]


def _read_csv(path: Path) -> OwnershipData:
    builder = _Builder()

    def check_header(header: list[str]) -> None:
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise ListFileError(str(path), f"header lacks column(s) {', '.join(missing)} "
                                f"(expected {','.join(REQUIRED)})", line=1, field=missing[0])

    read_csv_records(path, check_header,
                     lambda _line, values: _csv_row(builder, {k: v.strip()
                                                              for k, v in values.items()}))
    if not builder.data.edges:
        raise ListFileError(str(path), "holds no ownership rows")
    return builder.data


def _csv_row(builder: _Builder, values: dict[str, str]) -> None:
    owner, owned = values["owner"], values["owned"]
    if not owner:
        raise InputError("owner", "is empty")
    if not owned:
        raise InputError("owned", "is empty")
    countries = {}
    for column in ("owner_country", "owned_country", "owner_hq", "owned_hq"):
        text = values.get(column, "")
        countries[column] = parse_country(text, column) if text else None
    if (owner.casefold(), countries["owner_country"]) == (owned.casefold(),
                                                          countries["owned_country"]):
        raise InputError("owned", "a company cannot own itself")
    percent = _percent(values["percent"])
    as_of = _date(values["as_of"], "as_of")
    until = _date(values.get("until", ""), "until")
    source = values["source"]
    if not source:
        raise InputError("source", "is empty: every holding needs its source")
    o = builder.company(owner, countries["owner_country"], countries["owner_hq"], source)
    d = builder.company(owned, countries["owned_country"], countries["owned_hq"], source)
    builder.data.edges.append((o, d, percent, True, as_of, until, source))


def _percent(text: str) -> float | None:
    if not text or text.lower() in ("unknown", "?"):
        return None  # a holding whose size is not known (Red Flag 29 territory)
    try:
        value = float(text.rstrip("%").strip())
    except ValueError:
        raise InputError("percent", f"'{text}' is not a number") from None
    if not 0 < value <= 100:
        raise InputError("percent", f"{value:g} is not in (0, 100]")
    return value


def _date(text: str, field: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(field, f"'{text}' is not a date in the form YYYY-MM-DD") from None


def _read_ftm(path: Path) -> OwnershipData:
    """FollowTheMoney lines: companies (Company, Organization, LegalEntity, PublicBody, Person)
    and `Ownership` entities whose `owner` and `asset` name them by id."""
    from followthemoney import model

    entities: dict[str, tuple[str, str | None, str]] = {}
    holdings: list[tuple[int, str, str, float | None, date | None, date | None, str]] = []
    problems: list[str] = []
    with open_text(path) as handle:
        for number, line in enumerate(bounded_lines(handle, path), start=1):
            if not line.strip():
                continue
            try:
                proxy = model.get_proxy(json_line(line, str(path), number))
            except (ValueError, TypeError, KeyError) as exc:
                problems.append(f"line {number}: not a FollowTheMoney entity ({exc})")
                continue
            source = ", ".join(proxy.get("sourceUrl")) or f"{path.name} line {number}"
            if proxy.schema.name == "Ownership":
                owner, asset = proxy.first("owner"), proxy.first("asset")
                if not owner or not asset:
                    problems.append(f"line {number}: Ownership without owner or asset")
                    continue
                try:
                    percent = _percent(proxy.first("percentage") or "")
                    start = _date((proxy.first("startDate") or "")[:10], "startDate") \
                        if len(proxy.first("startDate") or "") >= 10 else None
                    end = _date((proxy.first("endDate") or "")[:10], "endDate") \
                        if len(proxy.first("endDate") or "") >= 10 else None
                except InputError as exc:
                    problems.append(f"line {number}, property '{exc.field}': {exc.message}")
                    continue
                holdings.append((number, owner, asset, percent, start, end, source))
            elif proxy.schema.name in _FTM_COMPANIES and proxy.id:
                country = next((c.upper() for c in proxy.get("jurisdiction") + proxy.get("country")
                                if len(c) == 2), None)
                entities[proxy.id] = (proxy.caption, country, source)
    builder = _Builder()
    for number, owner, asset, percent, start, end, source in holdings:
        if owner not in entities or asset not in entities:
            problems.append(f"line {number}: Ownership names an entity not in the file "
                            f"({owner if owner not in entities else asset})")
            continue
        o = builder.company(*entities[owner][:2], None, entities[owner][2])
        d = builder.company(*entities[asset][:2], None, entities[asset][2])
        builder.data.edges.append((o, d, percent, True, start, end, source))
    refuse_bad_rows(path, problems)
    if not builder.data.edges:
        raise ListFileError(str(path), "holds no Ownership entities")
    return builder.data
