"""The GraphQL half of the case study: the depth limit lets a wide query through; the cost
limit rejects it before any SQL runs, and lets the screens' queries through."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from graphene.validation import depth_limit_validator
from graphql import parse, specified_rules, validate

from challenges.api_flexibility.graphql_cost import LIST_GUESS, MAX_COST, cost_limit_validator, query_cost
from codeblocks import included_text
from crm.schema import schema
from crm.views import MAX_QUERY_DEPTH
from measurements import matches_recorded
from sitetools import ROOT

pytestmark = pytest.mark.django_db

MEASURED = "examples/challenges/api_flexibility/measured"
OPERATIONS = "examples/challenges/api_flexibility/operations.graphql"


def operation(section: str) -> str:
    return included_text(f"{OPERATIONS}:{section}", ROOT)


def cost_and_depth(query: str) -> tuple[int, int]:
    """The cost this case's rule computes, and the depth graphene's own depth limit measures."""
    depths = {}
    assert validate(schema.graphql_schema, parse(query),
                    [*specified_rules, depth_limit_validator(MAX_QUERY_DEPTH, callback=depths.update)]) == []
    [depth] = depths.values()
    return query_cost(query), depth


def post(client, url: str, query: str):
    with CaptureQueriesContext(connection) as captured:
        response = client.post(url, {"query": query}, content_type="application/json")
    return response, len(captured)


def test_the_cost_of_a_query_is_the_objects_it_can_load():
    # 20 customers, 10 (guessed) orders each, 10 (guessed) products per order.
    assert cost_and_depth(operation("orders_screen")) == (20 + 20 * LIST_GUESS + 20 * LIST_GUESS**2, 5)
    # Ten aliases of a page of 50 at the same depth: ten times 50 + 500 + 5,000.
    assert cost_and_depth(operation("wide")) == (10 * (50 + 50 * LIST_GUESS + 50 * LIST_GUESS**2), 5)


@pytest.mark.parametrize(("query", "cost"), [
    ("{ hello }", 0),  # scalars are free
    ("{ customer(email: \"a@b.c\") { name orders { totalAmount } } }", LIST_GUESS),  # one object, a list
    ("{ orders { customer { name } } }", 20),  # no `first`: the argument's default, 20
    ("query ($n: Int) { allProducts(first: $n) { edges { node { name } } } }", 50),  # a variable: the max page
    ("{ allProducts { edges { node { name } } } }", 50),  # no page size at all: the max page
    ("{ allOrders(last: 3) { edges { node { products { name } } } } }", 3 + 3 * LIST_GUESS),
    ("{ orders(first: 2) { ... on Order { products { name } } } }", 2 + 2 * LIST_GUESS),  # inline fragment
    ("{ orders(first: 2) { ... { products { name } } } }", 2 + 2 * LIST_GUESS),  # inline, no type condition
    ("{ orders(first: 2) { ...p } } fragment p on Order { products { name } }", 2 + 2 * LIST_GUESS),
])
def test_cost_rules_for_pages_lists_fragments_and_variables(query, cost):
    assert query_cost(query) == cost


def test_unknown_fields_and_fragments_are_left_to_the_standard_rules():
    errors = validate(schema.graphql_schema, parse("{ nope { x } orders(first: 1) { ...missing } }"),
                      [*specified_rules, cost_limit_validator(MAX_COST)])
    messages = sorted(error.message for error in errors)
    assert messages == [
        "Cannot query field 'nope' on type 'Query'. Did you mean 'node'?", "Unknown fragment 'missing'."
    ]


def test_the_depth_limit_lets_the_wide_query_run_and_the_cost_limit_stops_it(client, shop):
    wide, screen = operation("wide"), operation("orders_screen")
    rows = []
    for label, query in (("The orders screen (`OrdersScreen`)", screen), ("Ten aliases (`Wide`)", wide)):
        cost, depth = cost_and_depth(query)
        open_response, open_queries = post(client, "/graphql/", query)  # crm/views.py: depth limit only
        limited_response, limited_queries = post(client, "/challenges/graphql/", query)
        rows.append(f"| {label} | {depth} | {cost:,} | {open_response.status_code}, {open_queries} queries, "
                    f"{len(open_response.content):,} bytes "
                    f"| {limited_response.status_code}, {limited_queries} queries |")
        if query is screen:
            assert open_response.status_code == limited_response.status_code == 200
            assert open_response.json() == limited_response.json()  # the limit changes nothing for it
        else:
            assert open_response.status_code == 200 and "errors" not in open_response.json()
            assert len(open_response.json()["data"]) == 10
            assert open_queries == 10 * 4  # per alias: COUNT, customers, their orders, those orders' products
            assert limited_response.status_code == 400 and limited_queries == 0  # rejected before it ran
            [error] = limited_response.json()["errors"]
            assert error["message"] == (
                f"Query cost {cost:,} exceeds the limit of {MAX_COST:,} objects; ask for smaller pages."
            )
    table = ["| Operation | Depth | Cost | `/graphql/`: depth limit 5 | With the cost limit (5,000) too |",
             "| --- | ---: | ---: | --- | --- |", *rows]
    assert matches_recorded(f"{MEASURED}/graphql-limits.md", "\n".join(table) + "\n")


def test_the_rejection_the_client_receives(client, shop):
    response, _ = post(client, "/challenges/graphql/", operation("wide"))
    text = "``` json\n" + json.dumps(response.json(), indent=2) + "\n```\n"
    assert matches_recorded(f"{MEASURED}/graphql-rejected.md", text)
