"""The query counts performance-and-limits.md quotes, measured at two table sizes.

The counts come from schema.execute(), so they are the resolvers' queries alone; a
request through /graphql/ adds whatever the project's middleware does.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from crm.models import Customer, Order, Product
from crm.n_plus_one import naive_schema, trap_schema
from crm.schema import schema
from measurements import matches_recorded

pytestmark = pytest.mark.django_db

SIZES = (5, 20)


def make_orders(count: int) -> None:
    """`count` customers with one order each, every order holding the same two products."""
    products = [Product.objects.create(name=name, price=Decimal("10.00"), stock=50) for name in ("Pen", "Pad")]
    for number in range(count):
        customer = Customer.objects.create(name=f"Customer {number}", email=f"c{number}@example.com")
        Order.place(customer, products)


def queries_for(graphql_schema, query: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        result = graphql_schema.execute(query)
    assert result.errors is None, result.errors
    return len(captured)


# (label in the table, schema, operation section, expected count for n orders)
IDS = ["naive", "selective", "totals-only", "connection", "nested-connection", "trap"]
CASES = [
    ("`orders`, resolver returns `Order.objects.all()`", naive_schema, "orders_with_details", lambda n: 1 + 2 * n),
    ("`orders`, resolver loads what the query selects", schema, "orders_with_details", lambda n: 2),
    ("`orders { totalAmount }` only, same resolver", schema, "orders_totals_only", lambda n: 1),
    ("`allOrders` connection, `OrderType.get_queryset`", schema, "all_orders_with_details", lambda n: 3),
    ("`allCustomers` with orders and their products", schema, "customers_orders_products", lambda n: 4),
    ("trap: `select_related` undone by a `get_queryset` override", trap_schema, "trap_orders", lambda n: 1 + n),
]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("label", "graphql_schema", "section", "expected"), CASES, ids=IDS)
def test_query_count(size, label, graphql_schema, section, expected, operation):
    make_orders(size)
    assert queries_for(graphql_schema, operation("limits", section)) == expected(size)


def test_the_optimised_resolver_returns_the_same_data_as_the_naive_one(operation):
    make_orders(5)
    query = operation("limits", "orders_with_details")
    assert schema.execute(query).data == naive_schema.execute(query).data


def test_the_trap_schema_does_join_the_customer_and_still_queries_per_order(operation):
    make_orders(3)
    with CaptureQueriesContext(connection) as captured:
        trap_schema.execute(operation("limits", "trap_orders"))
    first, *rest = [query["sql"] for query in captured]
    assert "JOIN" in first  # select_related did its work...
    assert len(rest) == 3 and all('FROM "crm_customer"' in sql for sql in rest)  # ...and was ignored


def test_measured_query_counts_table(operation):
    """Writes examples/django_project/crm/measured/n_plus_one.md, the table the note includes."""
    rows = []
    for label, graphql_schema, section, _ in CASES:
        counts = []
        for size in SIZES:
            make_orders(size)
            counts.append(queries_for(graphql_schema, operation("limits", section)))
            Order.objects.all().delete()
            Customer.objects.all().delete()
            Product.objects.all().delete()
        rows.append(f"| {label} | {counts[0]} | {counts[1]} |")
    header = [f"| Query | SQL queries, {SIZES[0]} orders | SQL queries, {SIZES[1]} orders |", "| --- | ---: | ---: |"]
    assert matches_recorded("examples/django_project/crm/measured/n_plus_one.md", "\n".join(header + rows) + "\n")


@pytest.mark.parametrize(
    "query",
    [
        "{ orders(first: 50) { ... on Order { customer { name } } } }",
        "{ orders(first: 50) { ...Buyer } } fragment Buyer on Order { customer { name } }",
        "{ orders(first: 50) { buyer: customer { name } } }",
    ],
    ids=["inline-fragment", "fragment-spread", "alias"],
)
def test_selected_fields_sees_through_fragments_and_aliases(query):
    make_orders(5)
    assert queries_for(schema, query) == 1  # the customer is joined, not fetched per order


def test_customers_with_orders_but_no_products_prefetch_only_the_orders():
    make_orders(5)
    query = "{ allCustomers(first: 50) { edges { node { name orders { totalAmount } } } } }"
    assert queries_for(schema, query) == 3  # count, customers, their orders
