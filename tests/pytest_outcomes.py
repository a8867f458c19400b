"""A pytest plugin that records the outcome of every test an inner pytest session runs, for the
tests that run example suites with pytest.main()."""

from __future__ import annotations


class Outcomes:
    def __init__(self):
        self.by_test = {}

    def pytest_runtest_logreport(self, report):
        if report.when == "call" or report.outcome != "passed":
            self.by_test[report.nodeid.split("::", 1)[1]] = report.outcome
