"""Fixtures for the GraphQL notes' tests.

The operations a note shows live in examples/django_project/crm/operations/*.graphql (by
named section) with their variables in *.variables.json; the tests send exactly those
texts, so a query in a note is always a query that ran.
"""

from __future__ import annotations

import json

import pytest

from codeblocks import included_text
from measurements import matches_recorded
from sitetools import ROOT

OPERATIONS = "examples/django_project/crm/operations"
MEASURED = "examples/django_project/crm/measured"


def load_operation(file: str, section: str) -> str:
    return included_text(f"{OPERATIONS}/{file}.graphql:{section}", ROOT)


def load_variables(name: str) -> dict:
    return json.loads((ROOT / OPERATIONS / f"{name}.variables.json").read_text(encoding="utf-8"))


@pytest.fixture
def operation():
    """operation("queries", "hello") -> the text of that named section."""
    return load_operation


@pytest.fixture
def variables():
    """variables("customer_by_email") -> the JSON object the note shows next to the query."""
    return load_variables


@pytest.fixture
def post_graphql(client):
    """POST a query (and variables) to the real endpoint as JSON, the way any client would."""

    def post(query: str, variables: dict | None = None):
        body = {"query": query}
        if variables is not None:
            body["variables"] = variables
        return client.post("/graphql/", body, content_type="application/json")

    return post


@pytest.fixture
def record_json():
    """Compare a response with the copy a note includes (NEXUS_RECORD=1 rewrites it)."""

    def record(name: str, data) -> bool:
        return matches_recorded(f"{MEASURED}/{name}.json", json.dumps(data, indent=2, ensure_ascii=False) + "\n")

    return record


@pytest.fixture
def seeded(db):
    """The fixed data set of crm/seed.py: 3 customers, 5 products, 3 orders."""
    from crm.seed import seed

    seed()
