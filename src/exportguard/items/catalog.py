"""The built-in catalog of accelerators, systems and memory parts (data/catalog/*.yaml).

Every figure in the catalog carries the URL it was read from; a record without its sources fails
to load. Names resolve through aliases ("h100", "NVIDIA H100 80GB SXM5" and "H100-SXM" are one
record), and an unknown name is answered with the nearest catalogued names.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

import yaml
from rapidfuzz import fuzz, process

from exportguard.errors import InputError
from exportguard.items.metrics import (
    BIT_LENGTH,
    Throughput,
    TppWorking,
    memory_bandwidth_density,
    performance_density,
    total_processing_performance,
)

KINDS = ("accelerator", "system", "memory")
_VENDOR_WORDS = frozenset(
    [
        "nvidia",
        "geforce",
        "rtx",
        "amd",
        "instinct",
        "intel",
        "habana",
        "huawei",
        "hisilicon",
        "google",
        "cloud",
        "jingjia",
        "micro",
        "the",
        "gpu",
        "accelerator",
    ]
)
MAX_QUERY_CHARS = 200


@dataclass(frozen=True, slots=True)
class IoLink:
    link: str
    gbps: float
    source: str


@dataclass(frozen=True, slots=True)
class Contains:
    item: str
    count: int


@dataclass(frozen=True)
class Item:
    """One catalogued part, with the figures the 3A090 metrics need and where each came from."""

    id: str
    name: str
    vendor: str
    kind: str
    aliases: tuple[str, ...] = ()
    released: date | None = None
    datacenter: bool | None = None
    datacenter_basis: str | None = None
    throughput: tuple[Throughput, ...] = ()
    die_area_mm2: float | None = None
    die_area_estimate: bool = False
    die_area_source: str | None = None
    process: str | None = None
    io: tuple[IoLink, ...] = ()
    memory: str | None = None
    memory_bandwidth_gbps: float | None = None
    package_area_mm2: float | None = None
    package_area_source: str | None = None
    sources: tuple[str, ...] = ()
    reference: str | None = None
    notes: str | None = None
    contains: Contains | None = None

    @property
    def tpp_working(self) -> TppWorking | None:
        return total_processing_performance(self.throughput)

    @property
    def tpp(self) -> float | None:
        working = self.tpp_working
        return working.tpp if working else None

    @property
    def pd(self) -> float | None:
        tpp = self.tpp
        return None if tpp is None else performance_density(tpp, self.die_area_mm2)

    @property
    def io_rate(self) -> float | None:
        """Aggregate bidirectional I/O over the listed links (None if the catalog lists none)."""
        return sum(link.gbps for link in self.io) if self.io else None

    @property
    def memory_bandwidth_density(self) -> float | None:
        if self.kind != "memory":
            return None
        return memory_bandwidth_density(self.memory_bandwidth_gbps, self.package_area_mm2)


class Catalog:
    """All catalogued items, looked up by id, name or alias."""

    def __init__(self, items: list[Item]) -> None:
        self.items = items
        self._by_id = {item.id: item for item in items}
        self._keys: dict[str, str] = {}
        for item in items:
            for text in (item.id, item.name, *item.aliases):
                self._register(_key(text), item, text)
        # A vendor-less spelling ("h100 sxm5 80gb") is added only where it stays unambiguous.
        short: dict[str, set[str]] = {}
        for item in items:
            for text in (item.name, *item.aliases):
                short.setdefault(_key(text, strip_vendor=True), set()).add(item.id)
        for key, ids in short.items():
            if key and len(ids) == 1 and key not in self._keys:
                self._keys[key] = next(iter(ids))
        for item in items:
            if item.contains and item.contains.item not in self._by_id:
                raise ValueError(f"catalog {item.id}: contains unknown item '{item.contains.item}'")

    def _register(self, key: str, item: Item, text: str) -> None:
        owner = self._keys.get(key)
        if owner is not None and owner != item.id:
            raise ValueError(f"catalog: '{text}' names both {owner} and {item.id}")
        self._keys[key] = item.id

    def get(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def find(self, query: str, field_name: str = "item") -> Item:
        """The record a name or alias refers to, or an `InputError` suggesting near names."""
        text = (query or "").strip()
        if not text:
            raise InputError(field_name, "an item name is required, e.g. 'H100' or 'MI300X'")
        if len(text) > MAX_QUERY_CHARS:
            raise InputError(field_name, f"item name longer than {MAX_QUERY_CHARS} characters")
        for key in (_key(text), _key(text, strip_vendor=True)):
            if key in self._keys:
                return self._by_id[self._keys[key]]
        raise InputError(field_name, f"'{text}' is not in the catalog{self._suggest(text)}")

    def _suggest(self, text: str) -> str:
        hits = process.extract(
            _key(text, strip_vendor=True),
            list(self._keys),
            scorer=fuzz.WRatio,
            limit=12,
            score_cutoff=60,
        )
        names: list[str] = []
        for key, _score, _ in hits:
            name = self._by_id[self._keys[key]].name
            if name not in names:
                names.append(name)
        if not names:
            return "; `exportguard items` lists what is, or classify from figures with --tpp"
        return "; did you mean: " + ", ".join(names[:5]) + "?"


def _key(text: str, *, strip_vendor: bool = False) -> str:
    folded = unicodedata.normalize("NFKC", text).lower()
    words = re.findall(r"[a-z0-9.]+", folded)
    if strip_vendor:
        words = [w for w in words if w not in _VENDOR_WORDS]
    return re.sub(r"[^a-z0-9]", "", "".join(words))


@cache
def catalog() -> Catalog:
    """The built-in catalog, read once."""
    items: list[Item] = []
    folder = resources.files("exportguard").joinpath("data/catalog")
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.name.endswith(".yaml"):
            data = yaml.safe_load(entry.read_text(encoding="utf-8")) or {}
            for i, record in enumerate(data.get("items") or []):
                items.append(item_from_data(record, f"{entry.name}[{i}]"))
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"catalog: duplicate id {item.id}")
        seen.add(item.id)
    return Catalog(items)


def item_from_data(record: dict[str, Any], where: str) -> Item:
    """A catalog record, checked: every figure must say where it came from."""
    where = f"{where} {record.get('id', '?')}"
    for name in ("id", "name", "vendor", "kind"):
        if not record.get(name):
            raise ValueError(f"{where}: '{name}' is required")
    if record["kind"] not in KINDS:
        raise ValueError(f"{where}: kind must be one of {KINDS}")
    sources = tuple(record.get("sources") or ())
    if not sources:
        raise ValueError(f"{where}: 'sources' is required")
    figures = []
    for row in record.get("throughput") or []:
        if row.get("precision") not in BIT_LENGTH:
            raise ValueError(f"{where}: unknown precision {row.get('precision')!r}")
        if not row.get("source"):
            raise ValueError(f"{where}: {row['precision']} figure has no source")
        value = float(row["value"])
        if value <= 0:
            raise ValueError(f"{where}: {row['precision']} figure must be positive")
        figures.append(
            Throughput(
                row["precision"],
                value,
                str(row.get("unit", "TFLOPS")),
                bool(row.get("sparse", False)),
                row["source"],
            )
        )
    links = []
    for row in record.get("io") or []:
        if row.get("gbps") is None:
            continue
        if not row.get("source"):
            raise ValueError(f"{where}: I/O link {row.get('link')!r} has no source")
        links.append(IoLink(str(row["link"]), float(row["gbps"]), row["source"]))
    die_area = record.get("die_area_mm2")
    if die_area is not None and not record.get("die_area_source"):
        raise ValueError(f"{where}: die_area_mm2 has no die_area_source")
    package_area = record.get("package_area_mm2")
    if package_area is not None and not (record.get("package_area_source") or sources):
        raise ValueError(f"{where}: package_area_mm2 has no source")
    contains = record.get("contains")
    released = record.get("released")
    return Item(
        id=str(record["id"]),
        name=str(record["name"]),
        vendor=str(record["vendor"]),
        kind=str(record["kind"]),
        aliases=tuple(str(a) for a in record.get("aliases") or ()),
        released=date.fromisoformat(str(released)) if released else None,
        datacenter=record.get("datacenter"),
        datacenter_basis=record.get("datacenter_basis"),
        throughput=tuple(figures),
        die_area_mm2=None if die_area is None else float(die_area),
        die_area_estimate=bool(record.get("die_area_estimate", False)),
        die_area_source=record.get("die_area_source"),
        process=record.get("process"),
        io=tuple(links),
        memory=record.get("memory"),
        memory_bandwidth_gbps=_optional_float(record.get("memory_bandwidth_gbps")),
        package_area_mm2=None if package_area is None else float(package_area),
        package_area_source=record.get("package_area_source"),
        sources=sources,
        reference=record.get("reference"),
        notes=record.get("notes"),
        contains=Contains(str(contains["item"]), int(contains["count"])) if contains else None,
    )


def _optional_float(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]
