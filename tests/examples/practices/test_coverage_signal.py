"""docs/best-practices/test-early-test-often.md: 100% coverage, and a bug all the same.

The example suites in examples/practices/testing/ run in this process with pytest.main(), once
per version of page_count (the first draft and the fix). One run is measured with its own
coverage.py session, restricted to the first draft, to show that full line and branch coverage
did not find the off-by-one that the boundary values and the property find at once.
"""

from __future__ import annotations

import importlib
import json

import coverage
import pytest

from measurements import matches_recorded
from practices.testing import paging, paging_v1
from pytest_outcomes import Outcomes
from sitetools import ROOT

SUITES = ROOT / "examples" / "practices" / "testing"


def run_suite(module: str, tmp_path) -> dict[str, str]:
    config = tmp_path / "pytest.ini"
    config.write_text("[pytest]\n")  # an empty config: not this repository's addopts or plugins
    outcomes = Outcomes()
    pytest.main(
        [str(SUITES / f"{module}.py"), "-c", str(config), "--rootdir", str(SUITES.parent.parent),
         "-q", "-p", "no:cacheprovider", "-p", "no:pytest_cov", "-p", "no:django"],
        plugins=[outcomes],
    )
    return outcomes.by_test


def for_version(outcomes: dict[str, str], version: str) -> dict[str, str]:
    return {test: outcome for test, outcome in outcomes.items() if f"[{version}" in test}


def measured_run(module: str, tmp_path) -> tuple[dict[str, str], dict]:
    """Run a suite under a coverage.py session of its own that measures paging_v1.py only."""
    measurement = coverage.Coverage(data_file=None, config_file=False, branch=True, include=[paging_v1.__file__])
    measurement.start()
    try:
        importlib.reload(paging_v1)  # its module-level lines run (and count) inside the measurement
        outcomes = run_suite(module, tmp_path)
    finally:
        measurement.stop()
    report = tmp_path / "coverage.json"
    measurement.json_report(outfile=str(report))
    (summary,) = (entry["summary"] for entry in json.loads(report.read_text())["files"].values())
    return outcomes, summary


def test_the_three_examples_pass_on_the_first_draft_and_on_the_fix(tmp_path):
    outcomes = run_suite("test_page_count_examples", tmp_path)
    assert len(outcomes) == 6
    assert set(outcomes.values()) == {"passed"}


def test_the_edges_and_the_property_fail_on_the_first_draft_only(tmp_path):
    outcomes = run_suite("test_page_count_boundaries", tmp_path)
    failed = {test for test, outcome in for_version(outcomes, "first-draft").items() if outcome == "failed"}
    assert failed == {
        "test_page_count_at_the_edges_of_a_page[first-draft-10-1]",  # a full page: 10 // 10 + 1 is 2
        "test_page_count_at_the_edges_of_a_page[first-draft-20-2]",
        "test_every_item_fits_and_no_page_is_empty[first-draft]",
    }
    assert set(for_version(outcomes, "fixed").values()) == {"passed"}


def test_full_coverage_of_the_first_draft_did_not_find_its_bug(tmp_path):
    rows = []
    for module, label in [("test_page_count_examples", "Three examples"),
                          ("test_page_count_boundaries", "Edges of a page, and a property")]:
        outcomes, summary = measured_run(module, tmp_path)
        first_draft = for_version(outcomes, "first-draft")
        failed = sum(outcome == "failed" for outcome in first_draft.values())
        lines = 100 * summary["covered_lines"] // summary["num_statements"]
        branches = 100 * summary["covered_branches"] // summary["num_branches"]
        assert (lines, branches) == (100, 100)  # both suites cover everything...
        rows.append(f"| {label} (`{module}.py`) | {len(first_draft)} | {failed} | {lines}% | {branches}% |")
    assert rows[0].split(" | ")[2] == "0"  # ...and only the second one finds the bug
    table = [
        "| Suite, run against the first draft | Tests | Failed | Lines covered | Branches covered |",
        "| --- | --- | --- | --- | --- |",
        *rows,
    ]
    assert matches_recorded("examples/practices/testing/measured/coverage-signal.md", "\n".join(table) + "\n")


def test_the_two_versions_differ_exactly_on_full_pages():
    differing = [total for total in range(0, 101) if paging_v1.page_count(total, 10) != paging.page_count(total, 10)]
    assert differing == [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]


@pytest.mark.parametrize(("total", "page_size"), [(-1, 10), (5, 0)])
def test_the_fix_refuses_impossible_input(total, page_size):
    with pytest.raises(ValueError, match="need total >= 0 and page_size >= 1"):
        paging.page_count(total, page_size)
