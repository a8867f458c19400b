"""From a bookings spreadsheet to third normal form (normalization/steps.sql): each
anomaly is produced on the table that has it and is gone from the next form."""

from __future__ import annotations

from decimal import Decimal

import pytest
from psycopg import errors

from measurements import matches_recorded
from sql import db

STEPS = "normalization/steps.sql"


def step(conn, section: str):
    return db.rows(conn, STEPS, section)


def test_each_normal_form_removes_the_anomaly_the_previous_one_has(conn):
    findings = []

    # 0NF: a list of payments in one text cell. The typo is accepted, and fails later, at read time.
    step(conn, "sheet")
    step(conn, "sheet_typo")
    with pytest.raises(errors.InvalidTextRepresentation) as late:
        step(conn, "sheet_stripe_total")
    assert late.value.sqlstate == "22P02"

    # 1NF: one payment per row. The same typo is refused when written, and totals need no parsing.
    step(conn, "first_nf")
    with pytest.raises(errors.InvalidTextRepresentation) as early:
        step(conn, "first_nf_typo")
    assert early.value.sqlstate == "22P02"
    assert step(conn, "first_nf_paid_by_stripe") == [(Decimal("800.00"),)]
    findings.append(["0NF → 1NF", "repeating group: payments typed into one cell",
                     f"typo `4OO.00` stored; the report fails later with {late.value.sqlstate}",
                     f"refused on INSERT with {early.value.sqlstate}"])

    # 1NF, partial dependency: booking facts repeated per payment line.
    step(conn, "first_nf_update_anomaly")
    assert step(conn, "end_dates_per_booking") == [("B3", 2)]
    with pytest.raises(errors.NotNullViolation) as no_payment:
        step(conn, "first_nf_insert_anomaly")
    assert no_payment.value.diag.column_name == "payment_no"  # part of the primary key

    # 2NF: booking facts stored once; the same change is one row, and B5 needs no payment.
    step(conn, "second_nf")
    step(conn, "second_nf_update")
    end_dates = conn.execute("SELECT end_date::text FROM bookings_2nf WHERE booking_ref = 'B3'").fetchall()
    assert end_dates == [("2024-03-06",)]
    assert conn.execute("SELECT count(*) FROM bookings_2nf WHERE booking_ref = 'B5'").fetchone()[0] == 1
    findings.append(["1NF → 2NF", "partial dependency: booking facts depend on `booking_ref` alone",
                     "B3's stay changed on one of its two lines: two end dates; "
                     f"B5 (no payment yet) cannot be stored: {no_payment.value.sqlstate}",
                     "one row per booking: one end date; B5 stored"])

    # 2NF, transitive dependency: host and property facts repeated per booking.
    step(conn, "second_nf_update_anomaly")
    assert step(conn, "names_per_host") == [("kofi@example.com", 2)]
    assert step(conn, "second_nf_delete_anomaly") == []  # Garden Studio's price is gone

    # 3NF: every fact once; the rename is one row and the delete loses nothing else.
    step(conn, "third_nf")
    renamed = step(conn, "third_nf_rename")
    assert [name for ref, name in renamed if ref in ("B1", "B2", "B4")] == ["Kofi A. Mensah"] * 3
    assert step(conn, "third_nf_delete") == [("Garden Studio", Decimal("60.00"))]
    findings.append(["2NF → 3NF", "transitive dependency: booking → property → host → host's name",
                     "Kofi renamed on one booking: two names for one host; deleting B5 deletes Garden Studio's price",
                     "name stored once, every booking sees it; Garden Studio kept at 60.00"])

    table = db.markdown_table(["Step", "What the step removes", "Anomaly before (demonstrated)", "After the step"],
                              findings)
    assert matches_recorded("examples/sql/measured/normalization-anomalies.md", table)
