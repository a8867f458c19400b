"""The endpoint's limits and HTTP behaviour that performance-and-limits.md and
schema-and-queries.md describe: depth, page size, GET, GraphiQL, CSRF, status codes."""

from __future__ import annotations

import pytest
from django.test import Client, RequestFactory
from graphene.validation import depth_limit_validator
from graphene_django.views import GraphQLView

from crm.schema import schema
from crm.views import MAX_QUERY_DEPTH

pytestmark = pytest.mark.django_db

DEEPEST_ALLOWED = """
{ allCustomers(first: 5) { edges { node { orders { products { name } } } } } }
"""


# --- depth ----------------------------------------------------------------------------------------


def test_a_query_deeper_than_the_limit_is_rejected_before_it_runs(
    seeded, post_graphql, operation, record_json, django_assert_num_queries
):
    with django_assert_num_queries(0):  # validation fails, so no resolver touches the database
        response = post_graphql(operation("limits", "too_deep"))
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["message"] == f"'anonymous' exceeds maximum operation depth of {MAX_QUERY_DEPTH}."
    assert record_json("too_deep", body)


def test_a_query_at_the_limit_runs(seeded, post_graphql):
    response = post_graphql(DEEPEST_ALLOWED)
    assert response.status_code == 200
    assert "errors" not in response.json()


def test_fragments_do_not_hide_depth(seeded, post_graphql):
    query = """
    query Deep { allCustomers(first: 5) { edges { node { ...CustomerOrders } } } }
    fragment CustomerOrders on Customer { orders { customer { orders { totalAmount } } } }
    """
    response = post_graphql(query)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == f"'Deep' exceeds maximum operation depth of {MAX_QUERY_DEPTH}."


def test_the_endpoint_still_applies_the_standard_validation_rules(post_graphql):
    response = post_graphql("{ hello nothing }")
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Cannot query field 'nothing' on type 'Query'."


def test_validation_rules_without_the_standard_ones_let_unknown_fields_through(db):
    # The trap the note warns about: validation_rules replaces graphql-core's rules.
    view = GraphQLView.as_view(schema=schema, validation_rules=(depth_limit_validator(max_depth=5),))
    request = RequestFactory().post("/graphql/", {"query": "{ hello nothing }"}, content_type="application/json")
    response = view(request)
    assert response.status_code == 200
    assert response.content == b'{"data":{"hello":"Hello, GraphQL!"}}'


# --- page size and other resolver errors: HTTP 200 with "errors" ---------------------------------


def test_a_page_larger_than_the_limit_is_an_error_beside_partial_data(post_graphql, operation, record_json):
    response = post_graphql(operation("limits", "too_big_page"))
    body = response.json()
    assert response.status_code == 200  # the error has a path: it happened while executing
    assert body["data"] == {"hello": "Hello, GraphQL!", "allCustomers": None}
    assert body["errors"][0]["message"] == (
        "Requesting 500 records on the `allCustomers` connection exceeds the `first` limit of 50 records."
    )
    assert record_json("too_big_page", body)


def test_a_connection_without_first_or_last_is_refused(post_graphql):
    body = post_graphql("{ allProducts { edges { node { name } } } }").json()
    assert body["errors"][0]["message"] == (
        "You must provide a `first` or `last` value to properly paginate the `allProducts` connection."
    )


def test_an_error_in_a_non_null_field_nulls_the_whole_response(post_graphql):
    # orders is [Order!]!: it cannot be null, so the null moves up to `data` itself.
    response = post_graphql("{ hello orders(first: 0) { totalAmount } }")
    assert response.status_code == 200
    assert response.json()["data"] is None
    assert response.json()["errors"][0]["message"] == "`first` must be between 1 and 100."


# --- HTTP: GET, GraphiQL, CSRF --------------------------------------------------------------------


def test_a_query_can_be_sent_with_get(client):
    response = client.get("/graphql/", {"query": "{ hello }"})
    assert response.status_code == 200
    assert response.json() == {"data": {"hello": "Hello, GraphQL!"}}


def test_a_mutation_sent_with_get_is_refused(client):
    mutation = 'mutation { createProduct(input: {name: "X", price: "1"}) { errors { field } } }'
    response = client.get("/graphql/", {"query": mutation})
    assert response.status_code == 405
    assert response.json()["errors"][0]["message"] == "Can only perform a mutation operation from a POST request."


def test_a_browser_gets_json_not_graphiql(client):
    response = client.get("/graphql/", headers={"Accept": "text/html"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"errors": [{"message": "Must provide query string."}]}
    assert b"cdn" not in response.content


def test_graphene_django_graphiql_page_would_load_scripts_from_a_cdn(db):
    # Why the example keeps graphiql=False: the page graphene-django renders with it on.
    view = GraphQLView.as_view(schema=schema, graphiql=True)
    request = RequestFactory().get("/graphql/", headers={"Accept": "text/html"})
    html = view(request).content.decode()
    assert '<script src="https://cdn.jsdelivr.net/npm/graphiql@' in html
    assert '<script src="https://cdn.jsdelivr.net/npm/react@' in html


def test_the_endpoint_is_exempt_from_csrf_checks(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/graphql/", {"query": "{ hello }"}, content_type="application/json")
    assert response.status_code == 200


def test_graphene_django_enforces_page_limits_with_assert_statements():
    # Why the note warns against `python -O`: it strips assert statements, and these with them.
    import inspect

    from graphene_django.fields import DjangoConnectionField

    source = inspect.getsource(DjangoConnectionField.connection_resolver)
    assert "assert first <= max_limit" in source
    assert "assert first or last" in source


def test_ignoring_edges_switches_the_depth_limit_off_below_every_connection(operation):
    # depth_limit_validator's `ignore` stops counting at the ignored field: nothing under a
    # connection's `edges` is measured any more, however deep it goes.
    from graphql import parse, specified_rules, validate

    document = parse(operation("limits", "too_deep"))
    strict = (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH))
    lenient = (*specified_rules, depth_limit_validator(max_depth=MAX_QUERY_DEPTH, ignore=["edges"]))
    assert len(validate(schema.graphql_schema, document, strict)) == 1
    assert validate(schema.graphql_schema, document, lenient) == []
