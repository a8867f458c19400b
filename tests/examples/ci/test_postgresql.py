"""The workflow's database settings against a real PostgreSQL, and why CI wants one at all.

The GitHub runner cannot run here, but its test job's environment can: these tests give the
project the job's DJANGO_DB_* variables, with host and port of the throw-away PostgreSQL from
tests/services.py, and run the workflow's own "Check the project" step with them.
"""

from __future__ import annotations

import importlib.util
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from django.contrib.auth.models import Group
from django.db.utils import ConnectionHandler, OperationalError

import nexus.settings as project_settings
from ci import workflow_policy
from ci.rollback_ids import ids_around_a_rollback
from measurements import matches_recorded
from sitetools import ROOT, free_port

WORKFLOW = ROOT / "examples" / "ci" / "github" / "django-ci.yml"
DATABASE = "ci_cd_workflow"  # this topic's own database in the shared server


def fresh_settings():
    """settings.py executed again as a new module, so Django's loaded settings stay untouched."""
    spec = importlib.util.spec_from_file_location("settings_under_test", project_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def database(postgres):
    """An empty database of our own in the shared server, created once for this module."""
    with psycopg.connect(postgres.dsn, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE {DATABASE}")
    return postgres


def job_environment(postgres) -> dict[str, str]:
    """The test job's env: block, pointed at the local server instead of the service container."""
    job = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]
    variables = {**job["env"], "DJANGO_DB_HOST": postgres.host, "DJANGO_DB_PORT": str(postgres.port),
                 "DJANGO_DB_NAME": DATABASE, "DJANGO_DB_USER": postgres.user}
    # `python` in the workflow is the one setup-python installed; here it is this virtualenv's.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    return {**os.environ, **variables, "PATH": path}


def test_without_the_variables_the_project_keeps_sqlite(monkeypatch):
    monkeypatch.delenv("DJANGO_DB_HOST", raising=False)
    assert fresh_settings().DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def test_the_workflows_variables_switch_the_project_to_postgresql(monkeypatch):
    job = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]
    for name, value in job["env"].items():
        monkeypatch.setenv(name, value)
    assert fresh_settings().DATABASES["default"] == {
        "ENGINE": "django.db.backends.postgresql", "HOST": "localhost", "PORT": "5432",
        "NAME": "nexus", "USER": "nexus", "PASSWORD": "ci-only-password"}


def test_the_check_step_passes_with_the_jobs_environment(postgres):
    steps = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]["steps"]
    [check] = [step for step in steps if step.get("name", "").startswith("Check the project")]
    # GitHub runs a multi-line run: with `bash -e`: the first failing command fails the step.
    result = subprocess.run(["bash", "-e", "-c", check["run"]], cwd=ROOT, env=job_environment(postgres),
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "No changes detected" in result.stdout


def test_the_ci_database_is_the_major_version_these_tests_run_on(postgres):
    # The pipelines, Compose and the throw-away server of tests/services.py run one PostgreSQL
    # major version, so what passes here passes there for the same reasons.
    image = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]["services"]["postgres"]["image"]
    image_major = int(image.split(":", 1)[1].split(".", 1)[0])
    with psycopg.connect(postgres.dsn) as connection:
        server_major = connection.info.server_version // 10000
    assert image_major == server_major == 15


def connect_like_the_job(postgres, monkeypatch, **changes):
    """Django's default connection as settings.py builds it from the job's environment."""
    for name, value in {**job_environment(postgres), **changes}.items():
        monkeypatch.setenv(name, value)
    return ConnectionHandler({"default": fresh_settings().DATABASES["default"]})


def test_the_jobs_environment_connects_django_to_postgresql(database, monkeypatch, django_db_blocker):
    connections = connect_like_the_job(database, monkeypatch)
    with django_db_blocker.unblock():
        try:
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT current_database(), current_user")
                assert cursor.fetchone() == (DATABASE, database.user)
            assert connections["default"].vendor == "postgresql"
        finally:
            connections.close_all()


def test_a_wrong_port_fails_at_the_first_query_not_silently(postgres, monkeypatch, django_db_blocker):
    connections = connect_like_the_job(postgres, monkeypatch, DJANGO_DB_PORT=str(free_port()))
    with django_db_blocker.unblock():
        try:
            with pytest.raises(OperationalError, match="Connection refused"):
                connections["default"].ensure_connection()
        finally:
            connections.close_all()


def create_table_sql(database: dict) -> str:
    """The CREATE TABLE Django writes for auth.Group on a database described like a DATABASES entry."""
    connections = ConnectionHandler({"default": database})
    try:
        with connections["default"].schema_editor(collect_sql=True, atomic=False) as editor:
            editor.create_model(Group)
    finally:
        connections.close_all()
    [statement] = [sql for sql in editor.collected_sql if sql.startswith('CREATE TABLE "auth_group" (')]
    return statement.rstrip(";")


def test_a_rolled_back_insert_spends_an_id_in_postgresql_but_not_in_sqlite(database, django_db_blocker):
    # Connections of their own, not the test database: one in-memory SQLite, one PostgreSQL.
    with django_db_blocker.unblock():
        sqlite_sql = create_table_sql({"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"})
        postgres_sql = create_table_sql(database.django_database(DATABASE))
    assert "AUTOINCREMENT" in sqlite_sql
    assert "GENERATED BY DEFAULT AS IDENTITY" in postgres_sql

    with sqlite3.connect(":memory:") as lite:
        sqlite_ids = ids_around_a_rollback(lite, sqlite_sql, "?")
    with psycopg.connect(f"{database.dsn.rsplit('dbname=', 1)[0]}dbname={DATABASE}") as pg:
        postgres_ids = ids_around_a_rollback(pg, postgres_sql, "%s")

    # SQLite keeps the AUTOINCREMENT counter in a table the rollback restores; a PostgreSQL
    # sequence is never rolled back, so the id handed to the lost row stays spent.
    assert sqlite_ids == [1, 2, 2]
    assert postgres_ids == [1, 2, 3]
    rows = ["| Database | First insert (committed) | Second insert (rolled back) | Third insert (committed) |",
            "| --- | --- | --- | --- |",
            "| SQLite | {} | {} | {} |".format(*sqlite_ids),
            "| PostgreSQL | {} | {} | {} |".format(*postgres_ids)]
    assert matches_recorded("examples/ci/measured/ids-after-rollback.md", "\n".join(rows) + "\n")
