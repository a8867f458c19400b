"""docs/challenges/passed-locally-failed-in-ci.md: the same tests on SQLite (a laptop) and on
PostgreSQL (the CI job's service), before and after the fix.

In this process, each suite runs against a fresh database of each engine, made Django's default
connection for the run (engines.default_database). A subprocess then runs the example
workflow's own test command twice, once as on a laptop and once with the test job's env: block.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import types
import unittest
from pathlib import Path

import pytest

from challenges.ci_drift import after, before, engines, probe, suite_after, suite_before
from measurements import matches_recorded
from sitetools import ROOT

SUITE = "examples/challenges/ci_drift/suite_before.py"
TESTS = ["test_a_listing_can_be_renamed", "test_search_ignores_case", "test_the_new_listing_is_served_at_its_url"]


@pytest.fixture
def engine_settings(fresh_postgres):
    """Each engine's DATABASES entry; PostgreSQL's database is created anew at each call."""
    return {"SQLite": lambda: engines.SQLITE, "PostgreSQL": fresh_postgres}


def test_the_suite_passes_on_sqlite_and_fails_on_postgresql_until_the_fix(engine_settings, django_db_blocker):
    outcomes = {}
    with django_db_blocker.unblock():
        for version, module in (("before", suite_before), ("after", suite_after)):
            for engine, settings in engine_settings.items():
                with engines.default_database(settings()) as connection:
                    assert connection.vendor == engine.lower()
                    outcomes[engine, version] = engines.run_suite(module)

    assert outcomes["SQLite", "before"] == dict.fromkeys(TESTS, "pass")  # "it works on my machine"
    assert outcomes["PostgreSQL", "before"] == {TESTS[0]: "pass", TESTS[1]: "fail", TESTS[2]: "fail"}
    assert outcomes["SQLite", "after"] == outcomes["PostgreSQL", "after"] == dict.fromkeys(TESTS, "pass")
    columns = [("SQLite", "before"), ("PostgreSQL", "before"), ("SQLite", "after"), ("PostgreSQL", "after")]
    rows = ["| Test | " + " | ".join(f"{engine}, {version}" for engine, version in columns) + " |",
            "| --- | --- | --- | --- | --- |"]
    for test in TESTS:
        cells = [outcomes[column][test] for column in columns]
        rows.append(f"| `{test}` | " + " | ".join(cell if cell == "pass" else f"**{cell}**" for cell in cells) + " |")
    assert matches_recorded("examples/challenges/ci_drift/measured/pass-fail.md", "\n".join(rows) + "\n")


def test_contains_and_icontains_are_the_same_sql_on_sqlite_only(engine_settings, django_db_blocker):
    clauses = {}
    with django_db_blocker.unblock():
        for engine, settings in engine_settings.items():
            with engines.default_database(settings()) as connection:
                clauses[engine] = [engines.where_clause(version.search_listings("nairobi"), connection)
                                   for version in (before, after)]

    assert clauses["SQLite"][0] == clauses["SQLite"][1]  # SQLite's LIKE ignores case either way
    assert clauses["PostgreSQL"][0] != clauses["PostgreSQL"][1]
    assert "UPPER(" in clauses["PostgreSQL"][1]
    rows = ["| Lookup | SQL on SQLite | SQL on PostgreSQL |", "| --- | --- | --- |"]
    for index, lookup in enumerate(("location__contains", "location__icontains")):
        rows.append(f'| `{lookup}="nairobi"` | `{clauses["SQLite"][index]}` | `{clauses["PostgreSQL"][index]}` |')
    assert matches_recorded("examples/challenges/ci_drift/measured/search-sql.md", "\n".join(rows) + "\n")


def test_a_rolled_back_test_gives_its_id_back_on_sqlite_only(engine_settings, django_db_blocker):
    ids = {}
    with django_db_blocker.unblock():
        for engine, settings in engine_settings.items():
            probe.NextIdProbe.ids = []
            with engines.default_database(settings()):
                assert set(engines.run_suite(probe).values()) == {"pass"}
            ids[engine] = probe.NextIdProbe.ids

    # Two listings from setUpTestData take 1 and 2. Each test's row is rolled back afterwards:
    # SQLite's AUTOINCREMENT counter with it, PostgreSQL's sequence not.
    assert ids == {"SQLite": [3, 3, 3], "PostgreSQL": [3, 4, 5]}
    rows = ["| Test, in the order they ran | Id of its new listing on SQLite | ... on PostgreSQL |",
            "| --- | ---: | ---: |"]
    rows += [f"| `{name}` | {lite} | {pg} |" for name, lite, pg in zip(("test_1", "test_2", "test_3"), ids["SQLite"],
                                                                        ids["PostgreSQL"], strict=True)]
    assert matches_recorded("examples/challenges/ci_drift/measured/ids-per-test.md", "\n".join(rows) + "\n")


def test_the_workflows_test_command_is_the_one_run_here(workflow_text):
    assert engines.ci_test_command(workflow_text, SUITE) == ["python", "-m", "pytest", SUITE, "--no-cov", "-q"]


def summary(output: str) -> str:
    """What a reader of a CI log looks at: the progress line, the first line of each assertion
    error, the short summary; durations and source lines left out."""
    keep = [line for line in output.splitlines()
            if re.match(r"^[.FE]+ +\[100%\]$", line) or line.startswith(("E       AssertionError", "FAILED"))
            or re.match(r"^\d+ (passed|failed)", line)]
    return "\n".join(re.sub(r" in [0-9.]+s$", "", re.sub(r"\s+\[100%\]$", "", line)) for line in keep)


def test_the_ci_jobs_environment_reproduces_the_failure_on_this_machine(postgres, workflow_text):
    command = [*engines.ci_test_command(workflow_text, SUITE), "-p", "no:cacheprovider"]
    # pytest shortens its summary lines to the terminal's width, except when CI or BUILD_NUMBER is set:
    # a fixed width and neither variable make the recorded output the same on every machine.
    laptop = {name: value for name, value in os.environ.items()
              if not name.startswith("DJANGO_DB_") and name not in {"CI", "BUILD_NUMBER"}}
    laptop["COLUMNS"] = "200"
    laptop["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"  # `python` = this venv's
    job = engines.job_environment(workflow_text, host=postgres.host, port=postgres.port, name="challenges_ci_job",
                                  user=postgres.user)
    runs = {where: subprocess.run(command, cwd=ROOT, env={**laptop, **extra}, capture_output=True, text=True,
                                  check=False)
            for where, extra in (("laptop", {}), ("ci", job))}

    assert runs["laptop"].returncode == 0, runs["laptop"].stdout[-2000:]
    assert runs["ci"].returncode == 1, runs["ci"].stdout[-2000:]
    local, ci = summary(runs["laptop"].stdout), summary(runs["ci"].stdout)
    assert local.splitlines() == ["...", "3 passed"]
    assert ci.splitlines()[-1] == "2 failed, 1 passed"
    assert "AssertionError: 404 != 200" in ci
    shown = " ".join(command[:6])  # without the -p option, which only keeps .pytest_cache out of the tree
    text = (f"On the laptop, no `DJANGO_DB_*` variable set, so SQLite:\n\n``` text\n$ {shown}\n{local}\n```\n\n"
            f"With the test job's `env:` block, so PostgreSQL:\n\n``` text\n$ {shown}\n{ci}\n```\n")
    assert matches_recorded("examples/challenges/ci_drift/measured/pytest-runs.md", text)


def test_run_suite_reports_errors_apart_from_failures():
    module = types.ModuleType("broken_suite")

    class Broken(unittest.TestCase):
        def test_error(self):
            raise KeyError("boom")

        def test_fail(self):
            self.fail("no")

    module.Broken = Broken
    assert engines.run_suite(module) == {"test_error": "error", "test_fail": "fail"}


def test_the_id_test_passes_on_postgresql_when_it_runs_alone(fresh_postgres, django_db_blocker):
    """Alone, it is the first test to insert a listing, so the sequence gives it the id it expects."""
    alone = unittest.TestSuite([suite_before.ListingTests("test_the_new_listing_is_served_at_its_url")])
    result = unittest.TestResult()
    with django_db_blocker.unblock(), engines.default_database(fresh_postgres()):
        alone.run(result)
    assert (result.testsRun, result.failures, result.errors) == (1, [], [])
