"""The built-in catalog: coverage, sources, aliases, and agreement with the reference specs."""

from __future__ import annotations

import json
import re

import pytest

from exportguard.items import catalog
from exportguard.items.catalog import Catalog, item_from_data
from tests.conftest import REFERENCE

CHIP_SPECS = REFERENCE / "chips" / "chips-public-specs.json"
REQUIRED = [
    "A100", "A800", "H100 SXM", "H100 PCIe", "H100 NVL", "H800", "H20", "H200", "L40", "L40S",
    "L20", "L4", "L2", "B100", "B200", "B300", "RTX 4090", "RTX 4090D", "RTX 4080", "RTX 5090",
    "RTX 5090D", "MI210", "MI250", "MI250X", "MI300X", "MI300A", "MI308", "MI325X", "MI350X",
    "MI355X", "Gaudi 2", "Gaudi 3", "Ascend 910B", "Ascend 910C", "TPU v5e", "TPU v5p", "JM7200",
    "JM9271", "HBM2E", "HBM3", "HBM3E",
]


def test_catalog_covers_the_required_parts_with_distinct_records():
    cat = catalog()
    assert len(cat.items) >= 40
    ids = [cat.find(name).id for name in REQUIRED]
    assert len(set(ids)) == len(REQUIRED)


def test_every_figure_has_a_source():
    for item in catalog().items:
        assert item.sources, item.id
        for row in item.throughput:
            assert row.source and row.source.startswith("http"), (item.id, row.precision)
        if item.die_area_mm2:
            assert item.die_area_source, item.id
        for link in item.io:
            assert link.source, (item.id, link.link)
        if item.kind == "memory":
            assert item.memory_bandwidth_density and item.package_area_source, item.id


def test_catalog_agrees_with_the_reference_specs_or_says_why_not():
    rows = {row["name"]: row for row in json.loads(CHIP_SPECS.read_text())["chips"]}
    checked = set()
    for item in catalog().items:
        for name in re.findall(r"'([^']+)'", item.reference or ""):
            if name not in rows or not item.reference.startswith("chips-public-specs.json"):
                continue
            checked.add(name)
            expected = rows[name]["tpp"]
            if item.tpp is not None and abs(item.tpp - expected) <= 0.01 * expected:
                continue
            # a disagreement must be stated in the record, with the reference's figure
            assert "DISAGREES" in item.reference, item.id
            assert f"{expected}" in item.reference or f"{expected:,}" in item.reference, item.id
    # every reference row of a catalogued part was compared; the rest are unreleased estimates
    assert set(rows) - checked == {
        "NVIDIA Groq LP30 (estimate)", "NVIDIA Rubin (estimate)", "NVIDIA B30A"}


def test_reference_disagreements_found_by_the_review_are_recorded():
    cat = catalog()
    # FP6 runs at the FP4 rate on CDNA 4: the highest TPP is FP6 x 6, not FP8 x 8
    assert cat.find("MI355X").tpp == pytest.approx(60397.8, abs=0.1)
    assert cat.find("MI308").tpp is None  # the reference row is a copy of the H20's
    assert cat.find("H20").tpp == 2368


def _record(**overrides):
    record = {
        "id": "x-1", "name": "X 1", "vendor": "X", "kind": "accelerator", "aliases": ["X1"],
        "sources": ["https://example.org/x1"],
        "throughput": [{"precision": "fp8", "value": 100, "source": "https://example.org/x1"}],
    }
    record.update(overrides)
    return record


def test_a_record_without_sources_is_refused():
    with pytest.raises(ValueError, match="no source"):
        item_from_data(_record(throughput=[{"precision": "fp8", "value": 100}]), "t")
    with pytest.raises(ValueError, match="'sources' is required"):
        item_from_data(_record(sources=[]), "t")
    with pytest.raises(ValueError, match="die_area_source"):
        item_from_data(_record(die_area_mm2=100), "t")


def test_an_alias_naming_two_records_is_refused():
    one = item_from_data(_record(), "t")
    two = item_from_data(_record(id="x-2", name="X 2", aliases=["x-1"]), "t")
    with pytest.raises(ValueError, match="names both"):
        Catalog([one, two])
