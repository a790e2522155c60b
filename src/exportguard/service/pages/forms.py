"""Reading the pages' forms: text fields, numbers and the item described by its figures, each
error naming the form field (its `name`, which the page marks as invalid)."""

from __future__ import annotations

import math

from starlette.datastructures import FormData

from exportguard.check.request import ItemFigures
from exportguard.errors import InputError

FIGURE_FIELDS = ("tpp", "throughput", "die_area", "interconnect", "memory_bandwidth",
                 "memory_bandwidth_density", "package_area")
_MAX_FIELD = 2000


def text(form: FormData, name: str, limit: int = _MAX_FIELD) -> str:
    """A text field, stripped; an upload or an over-long value is refused."""
    value = form.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(name, "expected text, not a file")
    if len(value) > limit:
        raise InputError(name, f"longer than {limit:,} characters")
    return value.strip()


def values(form: FormData, names: tuple[str, ...]) -> dict[str, str]:
    """The named text fields as typed (for showing the form again)."""
    found: dict[str, str] = {}
    for name in names:
        value = form.get(name)
        found[name] = value if isinstance(value, str) else ""
    return found


def number(form: FormData, name: str) -> float | None:
    raw = text(form, name, 40).replace(",", "")
    if not raw:
        return None
    try:
        value = float(raw)
    except ValueError:
        raise InputError(name, f"'{raw}' is not a number") from None
    if not math.isfinite(value):
        raise InputError(name, f"'{raw}' is not a finite number")
    return value


def has_figures(form: FormData) -> bool:
    return any(text(form, name) for name in FIGURE_FIELDS)


def figures(form: FormData) -> ItemFigures:
    """The item the figure fields describe: `throughput` holds PRECISION=TFLOPS pairs, one per
    line or comma (e.g. "fp8=1979"); `datacenter` is yes, no or blank (unknown)."""
    rows = []
    for part in text(form, "throughput").replace(",", "\n").splitlines():
        if not part.strip():
            continue
        precision, sep, value = part.partition("=")
        if not sep:
            raise InputError("throughput", f"'{part.strip()}' is not PRECISION=TFLOPS, "
                             "e.g. fp8=1979")
        rows.append((precision.strip(), value.strip()))
    return ItemFigures(tpp=number(form, "tpp"), throughput=tuple(rows),
                       sparse=checkbox(form, "sparse"), die_area=number(form, "die_area"),
                       datacenter=datacenter(form), interconnect=number(form, "interconnect"),
                       memory_bandwidth=number(form, "memory_bandwidth"),
                       memory_bandwidth_density=number(form, "memory_bandwidth_density"),
                       package_area=number(form, "package_area"), hbm=checkbox(form, "hbm"))


def datacenter(form: FormData) -> bool | None:
    choice = text(form, "datacenter", 10).lower()
    if choice not in ("", "yes", "no"):
        raise InputError("datacenter", f"'{choice}' is not yes, no or blank")
    return {"yes": True, "no": False}.get(choice)


def item_from(form: FormData) -> tuple[str | ItemFigures | None, str | None]:
    """(catalogue name or figures, ECCN): exactly one of the three ways must be given."""
    name, eccn, by_figures = text(form, "item", 200), text(form, "item_eccn", 40), has_figures(form)
    given = [way for way, present in (("item", name), ("item_eccn", eccn),
                                      ("tpp", by_figures)) if present]
    if len(given) != 1:
        raise InputError(given[1] if given else "item",
                         "give the item one way: a catalogue name, an ECCN (e.g. EAR99) or "
                         "its figures (TPP or datasheet figures)")
    if by_figures:
        return figures(form), None
    return (name, None) if name else (None, eccn)


def checkbox(form: FormData, name: str) -> bool:
    return form.get(name) not in (None, "", "0", "off", "false")

