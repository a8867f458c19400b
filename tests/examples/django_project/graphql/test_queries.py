"""What schema-and-queries.md claims, checked through the real /graphql/ endpoint."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def names(connection: dict) -> list[str]:
    return [edge["node"]["name"] for edge in connection["edges"]]


def test_hello_answers_through_the_http_endpoint(post_graphql, operation):
    response = post_graphql(operation("queries", "hello"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    # The exact bytes the note shows curl printing: compact JSON, data only.
    assert response.content == b'{"data":{"hello":"Hello, GraphQL!"}}'


def test_a_query_with_variables_returns_only_the_selected_fields(
    seeded, post_graphql, operation, variables, record_json
):
    response = post_graphql(operation("queries", "customer_by_email"), variables("customer_by_email"))
    body = response.json()
    assert response.status_code == 200
    customer = body["data"]["customer"]
    assert set(customer) == {"name", "phone", "orders"}  # no email, no id: not asked for
    assert customer["orders"] == [{"totalAmount": "1018.99", "products": [{"name": "Laptop"}, {"name": "Mouse"}]}]
    assert record_json("customer_by_email", body)


def test_an_unknown_email_gives_null_not_an_error(seeded, post_graphql, operation):
    response = post_graphql(operation("queries", "customer_by_email"), {"email": "nobody@example.com"})
    assert response.json() == {"data": {"customer": None}}


def test_name_filter_is_a_case_insensitive_substring_match(seeded, post_graphql, operation, record_json):
    body = post_graphql(operation("queries", "customers_by_name")).json()
    assert names(body["data"]["allCustomers"]) == ["Ada Lovelace", "Grace Hopper"]
    assert record_json("customers_by_name", body)


def test_email_filter_matches_the_whole_address_ignoring_case(seeded, post_graphql, operation):
    body = post_graphql(operation("queries", "customers_by_email")).json()
    assert names(body["data"]["allCustomers"]) == ["Alan Turing"]


def test_created_date_range_includes_both_ends_and_orders_newest_first(
    seeded, post_graphql, operation, variables, record_json
):
    body = post_graphql(
        operation("queries", "customers_created_between"), variables("customers_created_between")
    ).json()
    assert names(body["data"]["allCustomers"]) == ["Grace Hopper", "Alan Turing"]
    assert record_json("customers_created_between", body)


def test_created_date_range_bounds_are_inclusive(seeded, post_graphql, operation):
    # Alan was created on 2025-02-15 at 14:30 UTC; a range of that one day still finds him.
    one_day = {"after": "2025-02-15", "before": "2025-02-15"}
    body = post_graphql(operation("queries", "customers_created_between"), one_day).json()
    assert names(body["data"]["allCustomers"]) == ["Alan Turing"]


def test_price_range_filter_and_ordering(seeded, post_graphql, operation, record_json):
    body = post_graphql(operation("queries", "products_in_price_range")).json()
    assert [edge["node"] for edge in body["data"]["allProducts"]["edges"]] == [
        {"name": "Mouse", "price": "19.99"},
        {"name": "Keyboard", "price": "49.50"},
        {"name": "Monitor", "price": "189.00"},
    ]
    assert record_json("products_in_price_range", body)


def test_low_stock_filter_lists_products_below_ten(seeded, post_graphql, operation, record_json):
    body = post_graphql(operation("queries", "low_stock")).json()
    assert [edge["node"] for edge in body["data"]["allProducts"]["edges"]] == [
        {"name": "USB cable", "stock": 0},
        {"name": "Laptop", "stock": 3},
        {"name": "Keyboard", "stock": 8},
    ]
    assert record_json("low_stock", body)


def test_low_stock_false_lists_the_others(seeded, post_graphql, operation):
    query = operation("queries", "low_stock").replace("lowStock: true", "lowStock: false")
    body = post_graphql(query).json()
    assert [edge["node"]["name"] for edge in body["data"]["allProducts"]["edges"]] == ["Monitor", "Mouse"]


def test_product_name_filter_returns_each_order_once(seeded, post_graphql, operation, record_json):
    from crm.models import Order

    # The join behind the filter: Ada's and Alan's orders each match two products.
    assert Order.objects.filter(products__name__icontains="o").count() == 5
    body = post_graphql(operation("queries", "orders_with_product")).json()
    customers = [edge["node"]["customer"]["name"] for edge in body["data"]["allOrders"]["edges"]]
    assert customers == ["Ada Lovelace", "Alan Turing", "Grace Hopper"]  # distinct=True: once each
    assert record_json("orders_with_product", body)


def test_cursor_pagination_walks_the_pages(seeded, post_graphql, operation, record_json):
    query = operation("queries", "paging")
    pages, after = [], None
    while True:
        body = post_graphql(query, {"after": after}).json()
        page = body["data"]["allProducts"]
        pages.append(names(page))
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert pages == [["Keyboard", "Laptop"], ["Monitor", "Mouse"], ["USB cable"]]
    first = post_graphql(query, {"after": None}).json()
    assert record_json("paging_first_page", first)


def test_any_object_can_be_fetched_again_by_its_global_id(seeded, post_graphql):
    from graphql_relay import to_global_id

    from crm.models import Customer

    ada = Customer.objects.get(email="ada@example.com")
    global_id = to_global_id("Customer", ada.pk)
    query = "query ($id: ID!) { node(id: $id) { ... on Customer { name } } }"
    body = post_graphql(query, {"id": global_id}).json()
    assert body == {"data": {"node": {"name": "Ada Lovelace"}}}


def test_graphql_schema_command_prints_the_sdl_the_note_shows(tmp_path):
    import io

    from django.core.management import call_command

    from measurements import matches_recorded

    out = tmp_path / "schema.graphql"
    # No --schema: the command reads GRAPHENE["SCHEMA"] from the settings.
    call_command("graphql_schema", out=str(out), stdout=io.StringIO())
    sdl = out.read_text(encoding="utf-8")
    assert "allCustomers(" in sdl and "createdAfter: Date" in sdl and "lowStock: Boolean" in sdl
    assert matches_recorded("examples/django_project/crm/measured/schema.graphql", sdl + "\n")


def test_phone_prefix_filter(seeded, post_graphql):
    body = post_graphql('{ allCustomers(first: 10, phonePrefix: "+44") { edges { node { name } } } }').json()
    assert names(body["data"]["allCustomers"]) == ["Ada Lovelace"]


def test_order_total_range_filter(seeded, post_graphql):
    # Totals: Ada 1018.99, Alan 74.49, Grace 189.00.
    query = (
        '{ allOrders(first: 10, totalMin: "50", totalMax: "200", orderBy: "-totalAmount") '
        "{ edges { node { totalAmount } } } }"
    )
    body = post_graphql(query).json()
    assert [edge["node"]["totalAmount"] for edge in body["data"]["allOrders"]["edges"]] == ["189.00", "74.49"]


def test_customer_name_filter_on_orders_follows_the_foreign_key(seeded, post_graphql):
    body = post_graphql('{ allOrders(first: 10, customerName: "turing") { edges { node { totalAmount } } } }').json()
    assert [edge["node"]["totalAmount"] for edge in body["data"]["allOrders"]["edges"]] == ["74.49"]
