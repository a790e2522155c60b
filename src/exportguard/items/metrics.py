"""The 3A090 metrics from datasheet figures, with the working shown.

Technical Notes to ECCN 3A090 (15 CFR Part 774, Supp. No. 1):
- 'TPP' = 2 x 'MacTOPS' x 'bit length of the operation', aggregated over all processing units; the
  highest value over the bit lengths the IC supports; dense figures, not sparse (Note 3). A
  datasheet's TOPS or TFLOPS already counts one multiply-accumulate as two operations (Note 1.b),
  so TPP = printed dense TOPS x bit length.
- 'Performance density' = TPP / 'applicable die area' (mm^2 of the logic dies made on a process
  node with a non-planar transistor architecture).
- 'Memory bandwidth density' = memory bandwidth in GB/s / package or stack area in mm^2.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

from exportguard.errors import InputError

BIT_LENGTH: dict[str, int] = {
    "fp4": 4,
    "int4": 4,
    "fp6": 6,
    "fp8": 8,
    "int8": 8,
    "fp16": 16,
    "bf16": 16,
    # TF32 operands are 19-bit values (sign, 8-bit exponent, 10-bit mantissa) taken from FP32
    # registers; the Technical Note counts "the largest bit-length of the inputs to the multiply
    # operation", which is 19. It never sets a catalogued part's TPP (TF32 runs at half the FP16
    # rate); reading it as 32 would let a rounded figure (B100's "1.8 PF") inflate the TPP.
    "tf32": 19,
    "fp32": 32,
    "fp64": 64,
}
_UNIT_SCALE = {
    "tflops": 1.0,
    "tops": 1.0,
    "pflops": 1000.0,
    "pops": 1000.0,
    "gflops": 0.001,
    "gops": 0.001,
}
SPARSITY_FACTOR = 2.0
"""2:4 structured sparsity, the scheme behind every 'with sparsity' figure in the catalog, doubles
the printed rate; the dense rate is half of it."""

MAX_TPP = 10_000_000.0
MAX_AREA_MM2 = 100_000.0
MAX_BANDWIDTH_GBPS = 10_000_000.0


@dataclass(frozen=True, slots=True)
class Throughput:
    """One datasheet figure: peak rate at one precision, as printed."""

    precision: str
    value: float
    unit: str = "TFLOPS"
    sparse: bool = False
    source: str | None = None

    def dense_tera(self) -> float:
        rate = self.value * _UNIT_SCALE[self.unit.lower()]
        return rate / SPARSITY_FACTOR if self.sparse else rate

    def tpp(self) -> float:
        return self.dense_tera() * BIT_LENGTH[self.precision]

    def working(self) -> str:
        printed = f"{_fmt(self.value)} {self.unit}"
        if self.sparse:
            printed += f" with sparsity -> {_fmt(self.dense_tera())} dense"
        bits = BIT_LENGTH[self.precision]
        return f"{self.precision.upper()}: {printed} x {bits} bits = {_fmt(self.tpp())}"


def throughput(
    precision: str,
    value: float,
    unit: str = "TFLOPS",
    sparse: bool = False,
    source: str | None = None,
    field: str = "throughput",
) -> Throughput:
    """A checked datasheet figure; a bad precision, unit or value is an `InputError`."""
    key = precision.strip().lower()
    if key not in BIT_LENGTH:
        raise InputError(
            field, f"unknown precision '{precision}'; use one of {', '.join(BIT_LENGTH)}"
        )
    if unit.lower() not in _UNIT_SCALE:
        raise InputError(field, f"unknown unit '{unit}'; use TFLOPS, TOPS, PFLOPS or GFLOPS")
    number = positive(value, field, allow_zero=False)
    result = Throughput(key, number, unit, sparse, source)
    if result.tpp() > MAX_TPP:
        raise InputError(
            field, f"{_fmt(value)} {unit} gives a TPP above {_fmt(MAX_TPP)}; check the unit"
        )
    return result


@dataclass(frozen=True, slots=True)
class TppWorking:
    tpp: float
    basis: Throughput | None
    steps: tuple[str, ...]


def total_processing_performance(figures: Iterable[Throughput]) -> TppWorking | None:
    """TPP: the highest dense rate x bit length over the printed precisions (None if none)."""
    rows = list(figures)
    if not rows:
        return None
    best = max(rows, key=lambda row: row.tpp())
    steps = [row.working() for row in sorted(rows, key=lambda row: -row.tpp())]
    steps.append(f"TPP = highest = {_fmt(best.tpp())} ({best.precision.upper()})")
    return TppWorking(best.tpp(), best, tuple(steps))


def performance_density(tpp: float, applicable_die_area_mm2: float | None) -> float | None:
    """TPP per mm^2 of non-planar logic die; None when the area is unknown or zero.

    A part whose logic is all on planar nodes has no applicable die area. The Technical Note gives
    no performance density for it, so none is invented; see `classify` for how that is reported.
    """
    if applicable_die_area_mm2 is None or applicable_die_area_mm2 == 0:
        return None
    return tpp / applicable_die_area_mm2


def memory_bandwidth_density(bandwidth_gbps: float | None, area_mm2: float | None) -> float | None:
    """GB/s per mm^2 of package or stack; None when either figure is unknown."""
    if bandwidth_gbps is None or not area_mm2:
        return None
    return bandwidth_gbps / area_mm2


def positive(
    value: object, field: str, *, allow_zero: bool = True, limit: float | None = None
) -> float:
    """A finite, non-negative number, or an `InputError` naming `field`."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise InputError(field, f"'{value}' is not a number") from None
    if not math.isfinite(number):
        raise InputError(field, f"'{value}' is not a finite number")
    if number < 0 or (number == 0 and not allow_zero):
        raise InputError(
            field, f"must be {'zero or ' if allow_zero else ''}positive, got {_fmt(number)}"
        )
    if limit is not None and number > limit:
        raise InputError(field, f"{_fmt(number)} is implausibly large (limit {_fmt(limit)})")
    return number


def _fmt(value: float) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
