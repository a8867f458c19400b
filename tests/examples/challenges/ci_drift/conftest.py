"""Fixtures of the "Passed locally, failed in CI" case study: the session's PostgreSQL, with a fresh
database of this case's own for each suite run, and the example workflow's text."""

from __future__ import annotations

import psycopg
import pytest

from sitetools import ROOT

DATABASE = "challenges_ci_drift"
WORKFLOW = ROOT / "examples" / "ci" / "github" / "django-ci.yml"


@pytest.fixture
def fresh_postgres(postgres):
    """A function that (re)creates this case's empty database and returns its DATABASES entry."""

    def create() -> dict:
        with psycopg.connect(postgres.dsn, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {DATABASE}")
        return postgres.django_database(DATABASE)

    return create


@pytest.fixture
def workflow_text() -> str:
    return WORKFLOW.read_text(encoding="utf-8")
