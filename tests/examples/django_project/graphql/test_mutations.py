"""What mutations.md claims, checked through the real /graphql/ endpoint."""

from __future__ import annotations

import contextlib
from decimal import Decimal

import pytest
from graphql_relay import from_global_id

from crm.models import Customer, Order, Product

pytestmark = pytest.mark.django_db


# --- createCustomer -------------------------------------------------------------------------------


def test_create_customer_saves_and_lowercases_the_email(post_graphql, operation, variables, record_json):
    response = post_graphql(operation("mutations", "create_customer"), variables("create_customer"))
    body = response.json()
    assert response.status_code == 200
    assert body["data"]["createCustomer"]["errors"] == []
    assert body["data"]["createCustomer"]["customer"]["email"] == "katherine@example.com"
    assert Customer.objects.filter(email="katherine@example.com", phone="+15550100").exists()
    assert record_json("create_customer", body)


def test_create_customer_reports_duplicate_email_and_bad_phone_in_the_payload(
    seeded, post_graphql, operation, variables, record_json
):
    response = post_graphql(operation("mutations", "create_customer"), variables("create_customer_invalid"))
    body = response.json()
    # An expected failure is data, not a GraphQL error: HTTP 200, no top-level "errors".
    assert response.status_code == 200
    assert "errors" not in body
    payload = body["data"]["createCustomer"]
    assert payload["customer"] is None
    assert payload["errors"] == [
        {"field": "phone", "message": "Enter a phone number like +1234567890 or 123-456-7890."},
        {"field": "email", "message": "Customer with this Email already exists."},
    ]
    assert Customer.objects.count() == 3  # nothing saved
    assert record_json("create_customer_invalid", body)


@pytest.mark.parametrize("phone", ["+1234567890", "123-456-7890", ""])
def test_phone_formats_the_rule_accepts(post_graphql, operation, phone):
    query = operation("mutations", "create_customer")
    body = post_graphql(query, {"input": {"name": "P", "email": "p@example.com", "phone": phone}}).json()
    assert body["data"]["createCustomer"]["errors"] == []


@pytest.mark.parametrize("phone", ["1234567890", "+12 345", "123-4567-890", "+1234567890123456"])
def test_phone_formats_the_rule_rejects(post_graphql, operation, phone):
    query = operation("mutations", "create_customer")
    body = post_graphql(query, {"input": {"name": "P", "email": "p@example.com", "phone": phone}}).json()
    assert [error["field"] for error in body["data"]["createCustomer"]["errors"]] == ["phone"]


def test_a_missing_required_input_field_is_a_graphql_error_with_http_400(post_graphql, operation):
    # `email: String!` is checked by GraphQL itself before the resolver runs.
    response = post_graphql(operation("mutations", "create_customer"), {"input": {"name": "No email"}})
    assert response.status_code == 400
    assert "data" not in response.json()
    assert "email" in response.json()["errors"][0]["message"]


def test_a_duplicate_insert_that_slips_past_full_clean_becomes_a_payload_error(
    monkeypatch, seeded, post_graphql, operation
):
    # Simulate the race: another request saves the same email between the unique check
    # and the INSERT. Skipping validate_unique() lets the database's UNIQUE constraint fire.
    monkeypatch.setattr(Customer, "validate_unique", lambda self, exclude=None: None)
    data = {"input": {"name": "Ada", "email": "ada@example.com"}}
    body = post_graphql(operation("mutations", "create_customer"), data).json()
    assert body["data"]["createCustomer"]["errors"] == [
        {"field": "email", "message": "Customer with this Email already exists."}
    ]


# --- bulkCreateCustomers --------------------------------------------------------------------------


def test_bulk_create_saves_the_valid_items_and_reports_each_invalid_one(
    seeded, post_graphql, operation, variables, record_json
):
    body = post_graphql(operation("mutations", "bulk_create_customers"), variables("bulk_create_customers")).json()
    payload = body["data"]["bulkCreateCustomers"]
    assert [customer["email"] for customer in payload["customers"]] == ["katherine@example.com", "mary@example.com"]
    assert [(error["index"], error["field"]) for error in payload["errors"]] == [
        (1, "email"),  # ADA@example.com: already a customer (emails compare lowercased)
        (2, "phone"),  # "call me"
        (4, "email"),  # duplicates item 0 of the same batch, saved a moment before
        (5, "name"),   # blank
        (5, "email"),  # not an address
    ]
    assert Customer.objects.count() == 3 + 2
    assert record_json("bulk_create_customers", body)


def test_bulk_create_survives_a_database_error_in_one_item(monkeypatch, seeded, post_graphql, operation):
    # With validate_unique() skipped, item 1's INSERT fails inside the batch's transaction.
    # Its savepoint rolls back only that item; without it, Django would refuse every later
    # query in the block (TransactionManagementError) and the whole batch would be lost.
    monkeypatch.setattr(Customer, "validate_unique", lambda self, exclude=None: None)
    batch = [
        {"name": "One", "email": "one@example.com"},
        {"name": "Ada", "email": "ada@example.com"},
        {"name": "Two", "email": "two@example.com"},
    ]
    body = post_graphql(operation("mutations", "bulk_create_customers"), {"input": batch}).json()
    payload = body["data"]["bulkCreateCustomers"]
    assert [customer["email"] for customer in payload["customers"]] == ["one@example.com", "two@example.com"]
    assert payload["errors"] == [{"index": 1, "field": "email", "message": "Customer with this Email already exists."}]
    assert set(Customer.objects.values_list("email", flat=True)) >= {"one@example.com", "two@example.com"}


def test_bulk_create_refuses_an_oversized_batch_with_a_top_level_error(post_graphql, operation):
    from crm.mutations import MAX_BATCH

    batch = [{"name": f"C{i}", "email": f"c{i}@example.com"} for i in range(MAX_BATCH + 1)]
    response = post_graphql(operation("mutations", "bulk_create_customers"), {"input": batch})
    body = response.json()
    # An error raised in a resolver has a path: HTTP 200, data null for that field.
    assert response.status_code == 200
    assert body["data"] == {"bulkCreateCustomers": None}
    assert body["errors"][0]["message"] == f"Send at most {MAX_BATCH} customers per call, not {MAX_BATCH + 1}."
    assert body["errors"][0]["path"] == ["bulkCreateCustomers"]
    assert Customer.objects.count() == 0


# --- createProduct --------------------------------------------------------------------------------


def test_create_product_saves_a_valid_product(post_graphql, operation, variables, record_json):
    body = post_graphql(operation("mutations", "create_product"), variables("create_product")).json()
    assert body["data"]["createProduct"] == {"product": {"name": "Webcam", "price": "59.90", "stock": 25}, "errors": []}
    assert Product.objects.get(name="Webcam").price == Decimal("59.90")
    assert record_json("create_product", body)


def test_create_product_rejects_zero_price_and_negative_stock(post_graphql, operation, variables, record_json):
    body = post_graphql(operation("mutations", "create_product"), variables("create_product_invalid")).json()
    assert body["data"]["createProduct"] == {
        "product": None,
        "errors": [
            {"field": "price", "message": "Ensure this value is greater than or equal to 0.01."},
            {"field": "stock", "message": "Ensure this value is greater than or equal to 0."},
        ],
    }
    assert not Product.objects.exists()
    assert record_json("create_product_invalid", body)


def test_stock_defaults_to_zero(post_graphql, operation):
    body = post_graphql(operation("mutations", "create_product"), {"input": {"name": "Pen", "price": "1.50"}}).json()
    assert body["data"]["createProduct"]["product"]["stock"] == 0


def test_a_price_sent_as_a_json_number_arrives_as_a_binary_float(post_graphql, operation):
    # 19.99 in JSON becomes the float 19.99, and Decimal() of that float is its exact binary value.
    exact = Decimal("19.989999999999998436805981327779591083526611328125")
    assert Decimal(19.99) == exact  # noqa: RUF032 (a Decimal made from a float is the point)
    body = post_graphql(operation("mutations", "create_product"), {"input": {"name": "Mouse", "price": 19.99}}).json()
    assert body["data"]["createProduct"]["product"] is None
    assert body["data"]["createProduct"]["errors"] == [
        {"field": "price", "message": "Ensure that there are no more than 10 digits in total."}
    ]
    assert not Product.objects.exists()


def test_a_float_literal_for_a_decimal_is_rejected_before_anything_runs(post_graphql):
    response = post_graphql('mutation { createProduct(input: {name: "Mouse", price: 19.99}) { errors { field } } }')
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"].startswith("Expected value of type 'Decimal!', found 19.99")


def test_the_database_enforces_the_rules_when_full_clean_is_skipped(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(name="Free", price=Decimal("0"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Product.objects.create(name="Oversold", price=Decimal("1"), stock=-1)


# --- createOrder ----------------------------------------------------------------------------------


def test_the_note_s_ids_are_grace_keyboard_and_usb_cable(seeded, variables):
    # The variables file holds real global IDs; check they name the rows the note says.
    data = variables("create_order")["input"]
    assert from_global_id(data["customerId"]) == ("Customer", str(Customer.objects.get(name="Grace Hopper").pk))
    assert [from_global_id(gid) for gid in data["productIds"]] == [
        ("Product", str(Product.objects.get(name="Keyboard").pk)),
        ("Product", str(Product.objects.get(name="USB cable").pk)),
    ]


def test_create_order_links_products_and_computes_the_total(seeded, post_graphql, operation, variables, record_json):
    body = post_graphql(operation("mutations", "create_order"), variables("create_order")).json()
    payload = body["data"]["createOrder"]
    assert payload["errors"] == []
    assert payload["order"]["totalAmount"] == "54.50"  # 49.50 + 5.00
    order = Order.objects.get(customer__name="Grace Hopper", total_amount=Decimal("54.50"))
    assert sorted(order.products.values_list("name", flat=True)) == ["Keyboard", "USB cable"]
    assert record_json("create_order", body)


def test_create_order_reports_unknown_customer_and_each_unknown_product(
    seeded, post_graphql, operation, variables, record_json
):
    body = post_graphql(operation("mutations", "create_order"), variables("create_order_invalid")).json()
    assert body["data"]["createOrder"] == {
        "order": None,
        "errors": [
            {"field": "customerId", "message": "No customer has the ID Q3VzdG9tZXI6OTk5."},
            {"field": "productIds", "message": "No product has the ID UHJvZHVjdDo5OTk=."},
            # A valid customer ID in the product list is still not a product ID.
            {"field": "productIds", "message": "No product has the ID Q3VzdG9tZXI6MQ==."},
        ],
    }
    assert Order.objects.count() == 3
    assert record_json("create_order_invalid", body)


def test_create_order_needs_at_least_one_product(seeded, post_graphql, operation):
    customer_id = "Q3VzdG9tZXI6MQ=="
    data = {"input": {"customerId": customer_id, "productIds": []}}
    body = post_graphql(operation("mutations", "create_order"), data).json()
    assert body["data"]["createOrder"]["errors"] == [{"field": "productIds", "message": "Choose at least one product."}]


def test_an_id_that_is_not_base64_is_just_an_unknown_id(seeded, post_graphql, operation):
    data = {"input": {"customerId": "42", "productIds": ["UHJvZHVjdDoz"]}}
    body = post_graphql(operation("mutations", "create_order"), data).json()
    assert body["data"]["createOrder"]["errors"] == [{"field": "customerId", "message": "No customer has the ID 42."}]


def test_a_product_listed_twice_is_ordered_and_charged_once(seeded, post_graphql, operation):
    keyboard = "UHJvZHVjdDoz"
    body = post_graphql(
        operation("mutations", "create_order"),
        {"input": {"customerId": "Q3VzdG9tZXI6MQ==", "productIds": [keyboard, keyboard]}},
    ).json()
    assert body["data"]["createOrder"]["order"]["totalAmount"] == "49.50"
    assert [product["name"] for product in body["data"]["createOrder"]["order"]["products"]] == ["Keyboard"]


def test_the_total_is_what_was_charged_even_after_a_price_change(seeded):
    order = Order.objects.get(customer__name="Grace Hopper")
    Product.objects.filter(name="Monitor").update(price=Decimal("250.00"))
    order.refresh_from_db()
    assert order.total_amount == Decimal("189.00")


def test_order_date_defaults_to_now(seeded, post_graphql, operation):
    from django.utils import timezone

    before = timezone.now()
    body = post_graphql(
        operation("mutations", "create_order"),
        {"input": {"customerId": "Q3VzdG9tZXI6MQ==", "productIds": ["UHJvZHVjdDoz"]}},
    ).json()
    ordered = Order.objects.get(total_amount=Decimal("49.50")).order_date
    assert before <= ordered <= timezone.now()
    assert body["data"]["createOrder"]["order"]["orderDate"] == ordered.isoformat()


def test_without_a_savepoint_a_failed_insert_breaks_the_whole_transaction(seeded):
    # The pitfall the note describes: catching IntegrityError inside an atomic block
    # without an inner atomic() leaves the block unusable for any further query.
    from django.db import IntegrityError, transaction
    from django.db.transaction import TransactionManagementError

    with transaction.atomic():
        with contextlib.suppress(IntegrityError):
            Customer.objects.create(name="Ada again", email="ada@example.com")
        with pytest.raises(TransactionManagementError):
            Customer.objects.count()
