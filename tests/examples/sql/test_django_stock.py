"""The lost update through Django's ORM (examples/sql/django_stock.py).

The interleaving of two requests is sequential here (load, load, save, save), which is
all a lost update needs, so SQLite, the example project's database, shows it as well
as PostgreSQL would; the PostgreSQL side (row locks, waiting) is in test_transactions.py.
The FOR UPDATE clause is checked by compiling the query for PostgreSQL."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.db.backends.postgresql.base import DatabaseWrapper
from django.db.models import F
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from crm.models import Product
from sql import django_stock

pytestmark = pytest.mark.django_db


@pytest.fixture
def lamp():
    return Product.objects.create(name="Lamp", price=Decimal("25.00"), stock=5)


def stock(product: Product) -> int:
    return Product.objects.values_list("stock", flat=True).get(pk=product.pk)


def test_two_requests_that_read_then_save_lose_a_sale(lamp):
    first, second = Product.objects.get(pk=lamp.pk), Product.objects.get(pk=lamp.pk)  # both read 5
    django_stock.sell_naive(first)
    django_stock.sell_naive(second)
    assert stock(lamp) == 4  # two sales, one subtracted


def test_an_f_expression_is_one_update_statement_and_loses_nothing(lamp):
    with CaptureQueriesContext(connection) as queries:
        assert django_stock.sell(lamp.pk)
    assert len(queries) == 1
    sql = queries[0]["sql"]
    assert sql.startswith('UPDATE "crm_product" SET "stock" = ("crm_product"."stock" - 1)')
    assert '"crm_product"."stock" > 0' in sql
    assert django_stock.sell(lamp.pk)
    assert stock(lamp) == 3


def test_the_guard_in_the_where_clause_stops_at_zero(lamp):
    Product.objects.filter(pk=lamp.pk).update(stock=1)
    assert [django_stock.sell(lamp.pk) for _ in range(2)] == [True, False]
    assert stock(lamp) == 0


def test_an_instance_keeps_the_expression_until_refreshed(lamp):
    """F() on an instance: after save() the attribute is an expression, not a number."""
    lamp.stock = F("stock") - 1
    lamp.save(update_fields=["stock"])
    assert not isinstance(lamp.stock, int)
    lamp.refresh_from_db()
    assert lamp.stock == 4


def test_select_for_update_reads_under_a_row_lock(lamp):
    assert django_stock.sell_locked(lamp.pk)
    Product.objects.filter(pk=lamp.pk).update(stock=0)
    assert not django_stock.sell_locked(lamp.pk)


def test_select_for_update_compiles_to_for_update_on_postgresql(postgres, sql_dsn):
    """SQLite has no row locks and Django leaves the clause out there; compiled for
    PostgreSQL, the same queryset ends in FOR UPDATE."""
    settings = {**connections["default"].settings_dict, **postgres.django_database("nexus_sql")}
    pg = DatabaseWrapper(settings, alias="sql_notes_postgres")
    query = Product.objects.select_for_update().filter(pk=1).query
    try:
        with pytest.raises(TransactionManagementError, match="outside of a transaction"):
            query.get_compiler(connection=pg).as_sql()  # in autocommit mode the lock would end at once
        pg.set_autocommit(False)  # what transaction.atomic() does
        compiled, params = query.get_compiler(connection=pg).as_sql()
    finally:
        pg.close()
    assert compiled.endswith("FOR UPDATE")
    assert params == (1,)
    with transaction.atomic():
        sqlite_sql = str(Product.objects.select_for_update().filter(pk=1).query)
    assert "FOR UPDATE" not in sqlite_sql
