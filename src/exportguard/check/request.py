"""One check request for the CLI, the API and the web pages: the transaction as the user states
it, and the one place an item described by its figures becomes a `Spec`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from exportguard.check.determination import Party
from exportguard.check.jurisdiction import ItemOrigin, item_origin
from exportguard.errors import InputError
from exportguard.items import Spec, spec
from exportguard.items.metrics import throughput
from exportguard.regime.dated import parse_as_of
from exportguard.screening import Screener

ScreenerFor = Callable[[date], Screener]
"""Gives the screener over the lists as they stood on a day; `check` calls it with its own date
(the CLI: `screener_for(store, day, filter_dates=False)`; the service: its screener cache)."""


@dataclass(frozen=True)
class ItemFigures:
    """An item described by its datasheet figures rather than a catalogue name."""

    tpp: float | None = None
    throughput: tuple[tuple[str, float | str], ...] = ()
    """Datasheet figures by precision as printed, e.g. (("fp8", 1979),)."""
    sparse: bool = False
    die_area: float | None = None
    datacenter: bool | None = None
    interconnect: float | None = None
    memory_bandwidth: float | None = None
    """Total DRAM bandwidth, GB/s: decides the 2026 review-policy band (91 FR 1684)."""
    memory_bandwidth_density: float | None = None
    package_area: float | None = None
    hbm: bool = False

    @classmethod
    def from_fields(cls, fields: dict[str, Any]) -> ItemFigures:
        """From a form or JSON body with the same field names, `throughput` as a mapping
        ({"fp8": 1979}); the API and the MCP server build their figures this way."""
        return cls(**{**fields, "throughput": tuple((fields.get("throughput") or {}).items())})

    def spec(self) -> Spec:
        """The checked `Spec`; bad figures raise InputError naming the field."""
        rows = [throughput(precision, value, sparse=self.sparse, field="throughput")
                for precision, value in self.throughput]
        return spec(
            kind="memory" if self.hbm else "accelerator",
            throughput=rows,
            tpp=self.tpp,
            die_area_mm2=self.die_area,
            datacenter=self.datacenter,
            io_rate=self.interconnect,
            dram_bandwidth=self.memory_bandwidth,
            memory_bandwidth_density=self.memory_bandwidth_density,
            package_area_mm2=self.package_area,
        )


@dataclass(frozen=True)
class CheckRequest:
    """May this item go to these parties at this destination on this date?

    Exactly one of `item` (a catalogue name), `item_eccn` and `figures` describes the item."""

    destination: str
    parties: tuple[Party, ...]
    item: str | None = None
    item_eccn: str | None = None
    figures: ItemFigures | None = None
    date: str | date | None = None
    end_use: str | None = None
    foreign_made: bool = False
    origin: str | None = None
    """Where the item was made (ISO code); default the U.S., or unknown with `foreign_made`."""
    us_content: dict[str, float] | None = None
    """U.S.-origin content of a foreign-made item: ECCN -> per cent of its value ({} = none)."""
    direct_product_of: tuple[str, ...] | None = None
    """U.S. technology or software the item is a direct product of (() = none)."""
    plant_direct_product_of: tuple[str, ...] | None = None
    """U.S. technology or software the plant that made the item is a direct product of."""

    def day(self) -> date:
        return parse_as_of(self.date, "date")

    def item_origin(self) -> ItemOrigin:
        """The origin facts, checked (contradictions and bad values name their field)."""
        return item_origin(origin=self.origin, foreign_made=self.foreign_made,
                           us_content=self.us_content, direct_product_of=self.direct_product_of,
                           plant_direct_product_of=self.plant_direct_product_of)

    def the_item(self) -> str | Spec | None:
        given = [x is not None for x in (self.item, self.item_eccn, self.figures)]
        if sum(given) != 1:
            raise InputError(
                "item",
                "give exactly one of an item (catalog name), figures (--tpp, --throughput ...) "
                "and an ECCN (--item-eccn)",
            )
        if self.figures is not None:
            return self.figures.spec()
        return self.item

    def to_dict(self) -> dict[str, Any]:
        """The request as recorded beside its answer (cases, audit)."""
        data = asdict(self)
        data["date"] = self.date.isoformat() if isinstance(self.date, date) else self.date
        data["parties"] = [{k: v for k, v in p.items() if v is not None} for p in data["parties"]]
        if self.figures is None:
            data.pop("figures")
        return {k: v for k, v in data.items() if v not in (None, False)}
