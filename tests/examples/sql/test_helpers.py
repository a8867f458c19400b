"""The small helpers the SQL examples share (examples/sql/db.py, transactions/concurrency.py)."""

from __future__ import annotations

import pytest

from sql import db
from sql.transactions import concurrency as cc


def test_a_section_is_read_without_its_marker_lines_and_a_missing_one_is_an_error():
    users = db.statement("booking/seed.sql", "users")
    assert users.startswith("INSERT INTO users") and "--8<--" not in users
    assert "--8<--" not in db.statement("booking/seed.sql")
    with pytest.raises(KeyError, match="no section 'nope'"):
        db.statement("booking/seed.sql", "nope")


def test_a_connection_without_a_schema_keeps_the_default_search_path(sql_dsn):
    with db.connect(sql_dsn) as conn:
        assert conn.execute("SHOW search_path").fetchone()[0] == '"$user", public'


def test_tables_render_numbers_right_aligned_and_say_when_there_are_no_rows():
    assert db.markdown_table(["n", "flag"], [[1234, True]]) == "| n | flag |\n| ---: | --- |\n| 1,234 | True |\n"
    assert db.markdown_table(["email"], []).endswith("*(no rows)*\n")


def test_waiting_for_a_lock_that_nobody_holds_times_out(schema):
    with schema.connect(autocommit=True) as observer, schema.connect() as idle:
        idle.execute("SELECT 1")
        with pytest.raises(TimeoutError):
            cc.wait_until_blocked(observer, idle, timeout=0.05)
