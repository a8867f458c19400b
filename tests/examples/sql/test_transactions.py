"""Transactions and isolation levels, with two real connections interleaved step by step
(docs/concepts/sql-performance/transactions.md)."""

from __future__ import annotations

from types import SimpleNamespace

import psycopg
import pytest
from psycopg import errors

from measurements import matches_recorded
from sql import db
from sql.transactions import concurrency as cc

MEASURED = "examples/sql/measured"


@pytest.fixture
def tx(schema):
    """Two connections A and B in transaction mode, and an autocommit observer that
    sets the data up and looks at it from outside both transactions."""
    with schema.connect(autocommit=True) as observer, schema.connect() as a, schema.connect() as b:
        db.run(observer, "transactions/setup.sql", "tables")

        def reset(level: str = "Read Committed") -> None:
            a.rollback()
            b.rollback()
            db.run(observer, "transactions/setup.sql", "reset")
            cc.start(a, level)
            cc.start(b, level)

        reset()
        yield SimpleNamespace(a=a, b=b, observer=observer, reset=reset)
        a.rollback()
        b.rollback()


def test_the_default_level_is_read_committed(tx):
    assert tx.a.execute("SHOW default_transaction_isolation").fetchone()[0] == "read committed"


def test_read_then_write_loses_one_of_two_concurrent_bookings(tx):
    assert cc.lost_update(tx.a, tx.b) == 4  # two rooms sold, one subtracted


def test_select_for_update_makes_the_second_booking_wait_and_see_the_first(tx):
    seen_by_b, left = cc.with_row_lock(tx.a, tx.b, tx.observer)
    assert (seen_by_b, left) == (4, 3)


def test_an_atomic_update_never_loses_a_booking_and_never_oversells(tx):
    assert cc.two_atomic_bookings(tx.a, tx.b, tx.observer, rooms=5) == (True, True, 3)
    tx.reset()
    # The last room: B waited for A, re-checked rooms_left > 0 on A's committed row, updated nothing.
    assert cc.two_atomic_bookings(tx.a, tx.b, tx.observer, rooms=1) == (True, False, 0)
    # And the CHECK constraint is the backstop if a caller forgets the guard.
    with pytest.raises(errors.CheckViolation):
        cc.set_rooms_left(tx.a, -1)


def test_repeatable_read_refuses_the_second_write_with_a_serialization_failure(tx):
    tx.reset("Repeatable Read")
    with pytest.raises(errors.SerializationFailure) as refused:
        cc.lost_update(tx.a, tx.b)
    assert refused.value.sqlstate == "40001"
    assert "concurrent update" in refused.value.diag.message_primary
    tx.b.rollback()
    assert cc.rooms_left(tx.observer) == 4  # A's booking stands; B must retry


def test_check_then_insert_double_books_below_serializable(tx):
    for level in ("Read Committed", "Repeatable Read"):
        tx.reset(level)
        assert cc.double_booking(tx.a, tx.b) == "both booked"
        assert cc.stays_of_cabin(tx.observer) == 3  # amina's stay, then tunde's and zara's on the same nights
    tx.reset("Serializable")
    assert cc.double_booking(tx.a, tx.b) == "B refused: 40001"
    assert cc.stays_of_cabin(tx.observer) == 2


def test_at_serializable_the_second_insert_itself_is_refused(tx):
    tx.reset("Serializable")
    assert cc.is_free(tx.a) and cc.is_free(tx.b)
    cc.add_stay(tx.a, "tunde")
    tx.a.commit()
    with pytest.raises(errors.SerializationFailure) as refused:
        cc.add_stay(tx.b, "zara")
    assert refused.value.diag.message_primary == (
        "could not serialize access due to read/write dependencies among transactions")
    assert refused.value.diag.message_hint == "The transaction might succeed if retried."


def test_the_retried_transaction_sees_the_other_booking_and_declines(tx):
    """B's first attempt interleaves with A's whole booking; the retry runs alone."""
    tx.reset("Serializable")
    attempts = []

    def book_for_zara(conn: psycopg.Connection) -> bool:
        free = cc.is_free(conn)
        if not attempts:                     # first attempt only: A books in between
            assert cc.is_free(tx.a)
            cc.add_stay(tx.a, "tunde")
            tx.a.commit()
        attempts.append(free)
        if free:
            cc.add_stay(conn, "zara")
        return free

    booked, attempt = cc.run_transaction(tx.b, book_for_zara)
    assert (booked, attempt, attempts) == (False, 2, [True, False])
    assert cc.stays_of_cabin(tx.observer) == 2  # amina and tunde; zara was told the nights are taken


def test_the_retry_gives_up_after_the_last_attempt(tx):
    tx.reset("Serializable")

    def always_conflicts(conn: psycopg.Connection) -> None:
        raise errors.SerializationFailure("simulated")

    with pytest.raises(errors.SerializationFailure):
        cc.run_transaction(tx.b, always_conflicts, attempts=2)
    with pytest.raises(ValueError, match="attempts must be at least 1"):
        cc.run_transaction(tx.b, always_conflicts, attempts=0)


def test_what_each_isolation_level_lets_through(tx):
    """Every cell of the table is an experiment on two connections, not a quote."""
    experiments = {
        "Dirty read": lambda: "yes" if cc.dirty_read(tx.a, tx.b) else "no",
        "Non-repeatable read": lambda: "yes" if cc.non_repeatable_read(tx.a, tx.b) else "no",
        "Phantom read": lambda: "yes" if cc.phantom_read(tx.a, tx.b) else "no",
        "Lost update (read, then write)": lambda: cc.lost_update_outcome(tx.a, tx.b),
        "Double booking (check, then insert)": lambda: cc.double_booking(tx.a, tx.b),
    }
    seen = {}
    for level in cc.LEVELS:
        for name, experiment in experiments.items():
            tx.reset(level)
            seen[level, name] = experiment()

    for level in ("Read Uncommitted", "Read Committed"):  # PostgreSQL runs Read Uncommitted as Read Committed
        assert [seen[level, name] for name in experiments] == [
            "no", "yes", "yes", "happened", "both booked"]
    assert [seen["Repeatable Read", name] for name in experiments] == [
        "no", "no", "no", "B refused: 40001", "both booked"]
    assert [seen["Serializable", name] for name in experiments] == [
        "no", "no", "no", "B refused: 40001", "B refused: 40001"]

    table = db.markdown_table(["Level", *experiments],
                              [[level, *(seen[level, name] for name in experiments)] for level in cc.LEVELS])
    assert matches_recorded(f"{MEASURED}/isolation-levels.md", table)


def test_an_exclusion_constraint_stops_the_double_booking_at_read_committed(tx):
    """The same check-then-insert race on booking/schema.sql, whose bookings table has
    the exclusion constraint: the second insert fails, whatever the isolation level."""
    db.load_booking(tx.observer)
    insert = ("INSERT INTO bookings (property_id, user_id, start_date, end_date, total_price)"
              " SELECT p.property_id, u.user_id, '2024-07-10', '2024-07-12', 240"
              " FROM properties p, users u WHERE p.name = 'Lakeside Cabin' AND u.email = %s")
    check = ("SELECT count(*) FROM bookings b JOIN properties p USING (property_id)"
             " WHERE p.name = 'Lakeside Cabin' AND status <> 'canceled'"
             " AND daterange(start_date, end_date) && daterange('2024-07-10', '2024-07-12')")
    assert tx.a.execute(check).fetchone()[0] == 0 and tx.b.execute(check).fetchone()[0] == 0
    tx.a.execute(insert, ("tunde@example.com",))
    tx.a.commit()
    with pytest.raises(errors.ExclusionViolation) as refused:
        tx.b.execute(insert, ("zara@example.com",))
    assert refused.value.sqlstate == "23P01"


def test_the_lost_update_and_its_fixes_side_by_side(tx):
    """The table the note shows: each approach, run on two real connections."""
    rows = []
    tx.reset()
    rows.append(["read, then write (`lost_update`)", 5, "booked", "booked", cc.lost_update(tx.a, tx.b)])
    tx.reset()
    seen_by_b, left = cc.with_row_lock(tx.a, tx.b, tx.observer)
    rows.append(["`SELECT ... FOR UPDATE` (`with_row_lock`)", 5, "booked", f"waited, read {seen_by_b}, booked", left])
    for rooms in (5, 1):
        tx.reset()
        got_a, got_b, left = cc.two_atomic_bookings(tx.a, tx.b, tx.observer, rooms=rooms)
        rows.append(["atomic `UPDATE` (`two_atomic_bookings`)", rooms, "booked" if got_a else "refused",
                     "waited, booked" if got_b else "waited, updated 0 rows", left])
    tx.reset("Repeatable Read")
    outcome = cc.lost_update_outcome(tx.a, tx.b)
    rows.append(["read, then write at Repeatable Read", 5, "booked", outcome, cc.rooms_left(tx.observer)])

    assert [row[-1] for row in rows] == [4, 3, 3, 0, 4]
    table = db.markdown_table(["Approach", "Rooms before", "Guest A", "Guest B", "Rooms after"], rows)
    assert matches_recorded(f"{MEASURED}/lost-update-fixes.md", table)
