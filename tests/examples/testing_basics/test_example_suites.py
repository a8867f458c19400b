"""Run the example test modules in examples/testing_basics/ with their own runners and check the results.

The unittest modules run through unittest's loader; the pytest modules run through pytest.main()
in this process, so coverage counts the lines they execute like any other example code.
"""

import unittest
from pathlib import Path

import pytest

from measurements import matches_recorded
from pytest_outcomes import Outcomes

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"


class CountingResult(unittest.TestResult):
    """A TestResult that also counts sub-tests that passed (the base class records only failures)."""

    def __init__(self):
        super().__init__()
        self.subtests_passed = 0

    def addSubTest(self, test, subtest, outcome):
        super().addSubTest(test, subtest, outcome)
        if outcome is None:
            self.subtests_passed += 1


def run_unittest(module):
    suite = unittest.defaultTestLoader.loadTestsFromName(f"testing_basics.{module}")
    result = CountingResult()
    suite.run(result)
    return result


def run_pytest(module, tmp_path):
    config = tmp_path / "pytest.ini"
    config.write_text("[pytest]\n")  # an empty config: not this repository's addopts, markers or plugins
    outcomes = Outcomes()
    exit_code = pytest.main(
        [
            str(EXAMPLES / "testing_basics" / f"{module}.py"),
            "-c", str(config),
            "--rootdir", str(EXAMPLES),
            "-q", "-p", "no:cacheprovider", "-p", "no:pytest_cov", "-p", "no:django",
        ],
        plugins=[outcomes],
    )
    return exit_code, outcomes.by_test


def test_unittest_utils_module_passes_with_its_sub_tests():
    result = run_unittest("test_utils_unittest")
    assert (result.testsRun, result.failures, result.errors) == (4, [], [])
    assert result.subtests_passed == 7


def test_pytest_utils_module_passes_one_test_per_parameter_set(tmp_path):
    exit_code, outcomes = run_pytest("test_utils_pytest", tmp_path)
    assert exit_code == pytest.ExitCode.OK
    assert set(outcomes.values()) == {"passed"}
    assert sorted(outcomes) == [
        "test_access_nested_map_raises_key_error_naming_the_missing_key[nested_map0-path0-a]",
        "test_access_nested_map_raises_key_error_naming_the_missing_key[nested_map1-path1-b]",
        "test_access_nested_map_returns_the_value_at_the_end_of_the_path[nested_map0-path0-1]",
        "test_access_nested_map_returns_the_value_at_the_end_of_the_path[nested_map1-path1-expected1]",
        "test_access_nested_map_returns_the_value_at_the_end_of_the_path[nested_map2-path2-2]",
        "test_get_json_returns_the_decoded_body[http://example.com-payload0]",
        "test_get_json_returns_the_decoded_body[http://holberton.io-payload1]",
        "test_memoize_computes_once_per_instance",
    ]


def test_unittest_client_module_passes_unit_and_integration_tests():
    result = run_unittest("test_client_unittest")
    assert (result.testsRun, result.failures, result.errors) == (6, [], [])
    assert result.subtests_passed == 6


def test_pytest_client_module_passes_unit_and_integration_tests(tmp_path):
    exit_code, outcomes = run_pytest("test_client_pytest", tmp_path)
    assert exit_code == pytest.ExitCode.OK
    assert len(outcomes) == 9
    assert set(outcomes.values()) == {"passed"}
    assert outcomes["test_public_repos_against_a_real_server"] == "passed"


def test_patching_the_wrong_name_fails_and_the_right_name_works():
    result = run_unittest("test_where_to_patch")
    assert (result.testsRun, result.failures, result.errors, result.unexpectedSuccesses) == (2, [], [], [])
    [(test, traceback)] = result.expectedFailures
    assert test._testMethodName == "test_patch_where_the_function_is_defined"
    assert "Expected 'get_json' to have been called once. Called 0 times." in traceback


def test_render_what_each_runner_reported(tmp_path):
    rows = []
    for module in ("test_utils_unittest", "test_client_unittest", "test_where_to_patch"):
        result = run_unittest(module)
        passed = result.testsRun - len(result.failures) - len(result.errors) - len(result.expectedFailures)
        expected = f", {len(result.expectedFailures)} expected failure" if result.expectedFailures else ""
        subtests = f" ({result.subtests_passed} sub-tests)" if result.subtests_passed else ""
        rows.append(f"| `{module}.py` | unittest | {result.testsRun}{subtests} | {passed} passed{expected} |")
    for module in ("test_utils_pytest", "test_client_pytest"):
        _, outcomes = run_pytest(module, tmp_path)
        passed = sum(outcome == "passed" for outcome in outcomes.values())
        rows.append(f"| `{module}.py` | pytest | {len(outcomes)} | {passed} passed |")
    table = "| Example module | Runner | Tests run | Result |\n| --- | --- | --- | --- |\n" + "\n".join(rows) + "\n"
    assert matches_recorded("examples/testing_basics/measured/runs.md", table)
