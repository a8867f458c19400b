"""One test suite, two database engines: the tools of the "passed locally, failed in CI" case.

- `default_database(settings)`: a fresh database, migrated, as Django's default connection for
  the block (in this thread), which is what a test run does when DATABASES points elsewhere;
- `run_suite(module)`: the module's TestCase classes, run through unittest, as
  {test name: "pass" | "fail" | "error"};
- `where_clause(queryset, connection)`: the WHERE clause a queryset compiles to on a connection;
- `job_environment(workflow, ...)`: the env: block of the example workflow's test job, pointed at
  a local PostgreSQL, to run the job's own test command outside GitHub.
"""

from __future__ import annotations

import contextlib
import re
import unittest
from collections.abc import Iterator
from types import ModuleType

from django.core.management import call_command
from django.db import connections
from django.db.models import QuerySet
from django.db.utils import ConnectionHandler

from ci import workflow_policy

SQLITE = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}  # a new, empty database per connection


@contextlib.contextmanager
def default_database(settings: dict, apps: tuple[str, ...] = ("properties",)) -> Iterator:
    """Django's default connection is a new connection to `settings` while the block runs, with
    `apps` migrated into it first."""
    connection = ConnectionHandler({"default": settings})["default"]
    previous = connections["default"]
    connections["default"] = connection
    try:
        for app in apps:
            call_command("migrate", app, verbosity=0)
        yield connection
    finally:
        connections["default"] = previous
        connection.close()


def _tests(suite: unittest.TestSuite) -> Iterator[unittest.TestCase]:
    for item in suite:
        if isinstance(item, unittest.TestSuite):
            yield from _tests(item)
        else:
            yield item


def run_suite(module: ModuleType) -> dict[str, str]:
    """Every test of `module`, in unittest's order, with its outcome."""
    suite = unittest.defaultTestLoader.loadTestsFromModule(module)
    outcomes = {test.id().rsplit(".", 1)[-1]: "pass" for test in _tests(suite)}  # before: run() drops them
    result = unittest.TestResult()
    suite.run(result)
    for outcome, problems in (("fail", result.failures), ("error", result.errors)):
        for test, _ in problems:
            outcomes[test.id().rsplit(".", 1)[-1]] = outcome
    return outcomes


# --8<-- [start:where]
def where_clause(queryset: QuerySet, connection) -> str:
    """The WHERE clause `queryset` compiles to on `connection`, with its parameters filled in."""
    sql, params = queryset.query.get_compiler(connection=connection).as_sql()
    where = re.search(r" WHERE (.*?)(?: ORDER BY |$)", sql).group(1)
    return where % tuple(repr(param) for param in params)
# --8<-- [end:where]


def job_environment(workflow_text: str, *, host: str, port: int, name: str, user: str) -> dict[str, str]:
    """The example workflow's test job env:, with the PostgreSQL service's address replaced by a
    local server's (the service container is reachable as localhost:5432 only on the runner)."""
    job = workflow_policy.load(workflow_text)["jobs"]["test"]
    return {**job["env"], "DJANGO_DB_HOST": host, "DJANGO_DB_PORT": str(port), "DJANGO_DB_NAME": name,
            "DJANGO_DB_USER": user, "DJANGO_DB_PASSWORD": ""}


def ci_test_command(workflow_text: str, suite_path: str) -> list[str]:
    """The job's "Run the Django tests" step, aimed at `suite_path` instead of the project's tests."""
    steps = workflow_policy.load(workflow_text)["jobs"]["test"]["steps"]
    [step] = [step for step in steps if step.get("name", "").startswith("Run the Django tests")]
    command = step["run"].split()
    return [suite_path if word == "tests/examples/django_project" else word for word in command]
