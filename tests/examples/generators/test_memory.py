"""Peak memory of the list pipeline and the generator pipeline, measured with tracemalloc."""

import math
import tracemalloc

from generators.memory import csv_lines, total_adult_age_eager, total_adult_age_lazy
from measurements import matches_recorded

ROWS = 50_000
KIB = 1024
MIB = 1024 * 1024


def peak_bytes(pipeline, rows):
    """Peak traced allocation while `pipeline` runs over `rows` generated CSV lines."""
    pipeline(csv_lines(100))  # warm-up: imports, caches and coverage's own bookkeeping happen here
    tracemalloc.start()
    try:
        result = pipeline(csv_lines(rows))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_both_pipelines_compute_the_same_total():
    assert total_adult_age_eager(csv_lines(1_000)) == total_adult_age_lazy(csv_lines(1_000))


def test_generator_pipeline_peak_does_not_grow_with_the_input():
    _, small = peak_bytes(total_adult_age_lazy, 5_000)
    _, large = peak_bytes(total_adult_age_lazy, ROWS)
    assert abs(large - small) < KIB  # ten times the rows, the same few KiB


def test_list_pipeline_peak_grows_with_the_input():
    _, small = peak_bytes(total_adult_age_eager, ROWS // 2)
    _, large = peak_bytes(total_adult_age_eager, ROWS)
    assert 1.8 < large / small < 2.2  # twice the rows, about twice the memory


def test_peak_memory_of_lists_versus_generators():
    eager_total, eager = peak_bytes(total_adult_age_eager, ROWS)
    lazy_total, lazy = peak_bytes(total_adult_age_lazy, ROWS)
    assert eager_total == lazy_total
    assert eager > 1_000 * lazy
    # Coarse on purpose: coverage's tracer adds about 1 KiB to the small figure, so the lazy peak is
    # shown as a power-of-two bound and the ratio as its order of magnitude.
    lazy_bound = 2 ** math.ceil(math.log2(lazy / KIB))
    magnitude = 10 ** math.floor(math.log10(eager / lazy))
    table = (
        f"| Pipeline over {ROWS:,} CSV lines | Peak traced memory |\n"
        "| --- | --- |\n"
        f"| Lists at every step | {eager / MIB:.0f} MiB |\n"
        f"| Generators at every step | under {lazy_bound} KiB |\n"
        "\n"
        f"The list version needed more than {magnitude:,} times the memory of the generator version\n"
        "(CPython 3.11, peak from `tracemalloc.get_traced_memory()`, rounded).\n"
    )
    assert matches_recorded("examples/generators/measured/pipeline-memory.md", table)
