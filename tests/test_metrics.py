"""The 3A090 Technical Notes as arithmetic, on datasheet figures."""

from __future__ import annotations

import pytest

from exportguard.errors import InputError
from exportguard.items import (
    memory_bandwidth_density,
    performance_density,
    throughput,
    total_processing_performance,
)


def test_tpp_is_the_highest_dense_rate_times_bit_length():
    # A100 datasheet: FP16 tensor 312 TFLOPS, INT8 624 TOPS, TF32 156, FP64 19.5 (all dense)
    figures = [throughput("fp16", 312), throughput("int8", 624, "TOPS"),
               throughput("tf32", 156), throughput("fp64", 19.5)]
    working = total_processing_performance(figures)
    assert working.tpp == 4992
    assert working.steps[-1] == "TPP = highest = 4,992 (FP16)"
    assert round(performance_density(working.tpp, 826), 2) == 6.04


def test_sparse_figures_are_halved_and_the_working_says_so():
    h100 = total_processing_performance([throughput("fp8", 3958, sparse=True)])
    assert h100.tpp == 15832
    assert "3,958 TFLOPS with sparsity -> 1,979 dense x 8 bits = 15,832" in h100.steps[0]


def test_low_precision_at_a_high_rate_can_set_tpp():
    # an FP6 rate equal to the FP4 rate gives 6 bits x rate, more than FP8 at half the rate
    figures = [throughput("fp8", 5000), throughput("fp6", 10000), throughput("fp4", 10000)]
    assert total_processing_performance(figures).tpp == 60000


def test_units_scale_and_no_figures_gives_none():
    assert throughput("fp8", 2.5, "PFLOPS").tpp() == 20000
    assert total_processing_performance([]) is None


def test_memory_bandwidth_density_and_unknowns():
    assert round(memory_bandwidth_density(1229, 121), 2) == 10.16
    assert memory_bandwidth_density(None, 121) is None
    assert performance_density(5000, None) is None
    assert performance_density(5000, 0) is None  # planar-only part: no applicable die area


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("fp8", -1), "positive"),
        (("fp8", 0), "positive"),
        (("fp8", "abc"), "not a number"),
        (("fp8", float("nan")), "finite"),
        (("fp7", 10), "unknown precision"),
        (("fp8", 10, "MIPS"), "unknown unit"),
        (("fp8", 5e6, "PFLOPS"), "TPP above"),
    ],
)
def test_bad_figures_are_refused_naming_the_field(args, message):
    with pytest.raises(InputError, match=message) as caught:
        throughput(*args)
    assert caught.value.field == "throughput"
