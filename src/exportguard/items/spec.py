"""An item described by its figures (a datasheet) rather than by a catalog name, checked."""

from __future__ import annotations

from dataclasses import dataclass

from exportguard.errors import InputError
from exportguard.items.metrics import (
    MAX_AREA_MM2,
    MAX_BANDWIDTH_GBPS,
    MAX_TPP,
    Throughput,
    positive,
)


@dataclass(frozen=True)
class Spec:
    """An item described by its figures rather than by a catalog name."""

    name: str = "item from figures"
    kind: str = "accelerator"
    throughput: tuple[Throughput, ...] = ()
    tpp: float | None = None
    die_area_mm2: float | None = None
    datacenter: bool | None = None
    io_rate: float | None = None
    dram_bandwidth: float | None = None
    memory_bandwidth_density: float | None = None
    package_area_mm2: float | None = None


def spec(
    *,
    name: str = "item from figures",
    kind: str = "accelerator",
    throughput: list[Throughput] | None = None,
    tpp: float | None = None,
    die_area_mm2: float | None = None,
    datacenter: bool | None = None,
    io_rate: float | None = None,
    dram_bandwidth: float | None = None,
    memory_bandwidth_density: float | None = None,
    package_area_mm2: float | None = None,
) -> Spec:
    """A checked `Spec`: negative, non-finite or absurd figures are refused, naming the field."""
    if kind not in ("accelerator", "memory"):
        raise InputError("kind", f"'{kind}' is not accelerator or memory")
    if tpp is not None and throughput:
        raise InputError("tpp", "give either --tpp or datasheet figures (--throughput), not both")
    if kind == "accelerator" and tpp is None and not throughput:
        raise InputError("tpp", "a TPP (--tpp) or datasheet figures (--throughput) are required")
    if (
        kind == "memory"
        and memory_bandwidth_density is None
        and not (dram_bandwidth is not None and package_area_mm2 is not None)
    ):
        raise InputError(
            "memory_bandwidth_density",
            "a memory part needs --memory-bandwidth-density, "
            "or --memory-bandwidth and --package-area",
        )
    return Spec(
        name=name,
        kind=kind,
        throughput=tuple(throughput or ()),
        tpp=checked(tpp, "tpp", MAX_TPP),
        die_area_mm2=checked(die_area_mm2, "die_area", MAX_AREA_MM2),
        datacenter=datacenter,
        io_rate=checked(io_rate, "interconnect", MAX_BANDWIDTH_GBPS),
        dram_bandwidth=checked(dram_bandwidth, "memory_bandwidth", MAX_BANDWIDTH_GBPS),
        memory_bandwidth_density=checked(
            memory_bandwidth_density, "memory_bandwidth_density", MAX_BANDWIDTH_GBPS
        ),
        package_area_mm2=checked(package_area_mm2, "package_area", MAX_AREA_MM2, zero=False),
    )


def checked(value: float | None, name: str, limit: float, zero: bool = True) -> float | None:
    return None if value is None else positive(value, name, allow_zero=zero, limit=limit)


