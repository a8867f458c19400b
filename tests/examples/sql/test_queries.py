"""Joins, subqueries and window functions on the seeded booking database
(docs/concepts/sql-performance/queries.md). Each result is asserted here, then
rendered into the table the note shows."""

from __future__ import annotations

from decimal import Decimal

import pytest

from measurements import matches_recorded
from sql import db

MEASURED = "examples/sql/measured"


def result(conn, path: str, section: str) -> list[tuple]:
    return db.rows(conn, f"booking/queries/{path}", section)


def record(conn, path: str, section: str) -> None:
    text = db.result_table(conn, f"booking/queries/{path}", section)
    assert matches_recorded(f"{MEASURED}/query-{section.replace('_', '-')}.md", text)


def test_inner_join_returns_one_row_per_booking(booking):
    rows = result(booking, "joins.sql", "inner_join")
    assert len(rows) == 9
    assert [guest for guest, *_ in rows].count("Amina") == 4
    record(booking, "joins.sql", "inner_join")


def test_left_join_keeps_properties_without_reviews(booking):
    rows = result(booking, "joins.sql", "left_join")
    assert len(rows) == 8  # 6 reviews, plus one NULL row for each of the 2 unreviewed properties
    unreviewed = [(name, rating) for name, rating, _ in rows if rating is None]
    assert unreviewed == [("Desert Camp", None), ("Garden Studio", None)]
    record(booking, "joins.sql", "left_join")


def test_a_right_table_condition_in_where_undoes_the_left_join(booking):
    in_where = result(booking, "joins.sql", "left_join_where")
    in_on = result(booking, "joins.sql", "left_join_on")
    assert {name for name, _ in in_where} == {"Beach House", "Lakeside Cabin"}
    assert {name for name, _ in in_on} == {"Beach House", "City Loft", "Desert Camp", "Garden Studio", "Lakeside Cabin"}
    assert ("City Loft", None) in in_on  # its only review (3) did not match ON, the property stayed
    record(booking, "joins.sql", "left_join_where")
    record(booking, "joins.sql", "left_join_on")


def test_full_outer_join_keeps_the_unmatched_months_of_both_sides(booking):
    rows = result(booking, "joins.sql", "full_outer_join")
    assert rows[0] == ("2023-12", None, Decimal("360.00"))   # paid, nothing checked in
    assert rows[-1] == ("2024-05", Decimal("170.00"), None)  # booked, nothing paid yet
    assert sum(paid for _, _, paid in rows if paid) == Decimal("2370.00")  # every payment counted once
    record(booking, "joins.sql", "full_outer_join")


def test_full_outer_join_of_users_and_bookings_equals_the_left_join_here(booking):
    full = result(booking, "joins.sql", "full_outer_users_bookings")
    assert full == result(booking, "joins.sql", "left_users_bookings")
    assert len(full) == 13  # 9 bookings, plus the 4 users who have none


def test_uncorrelated_subquery_finds_properties_rated_above_four(booking):
    assert result(booking, "subqueries.sql", "uncorrelated") == [("Beach House",), ("Lakeside Cabin",)]
    record(booking, "subqueries.sql", "uncorrelated")


def test_correlated_subquery_finds_users_with_more_than_three_bookings(booking):
    assert result(booking, "subqueries.sql", "correlated") == [("Amina", "Okafor")]
    record(booking, "subqueries.sql", "correlated")


def test_not_in_returns_nothing_when_the_subquery_has_a_null(booking):
    assert booking.execute("SELECT count(*) FROM messages WHERE sender_id IS NULL").fetchone()[0] == 1
    assert result(booking, "subqueries.sql", "not_in") == []
    assert result(booking, "subqueries.sql", "not_exists") == [
        ("sipho@example.com",), ("tunde@example.com",), ("wanjiru@example.com",)]
    record(booking, "subqueries.sql", "not_in")
    record(booking, "subqueries.sql", "not_exists")


def test_row_number_rank_and_dense_rank_differ_only_on_ties(booking):
    rows = result(booking, "windows.sql", "ranking")
    assert [(name, n) for name, n, *_ in rows] == [
        ("Beach House", 3), ("Lakeside Cabin", 3), ("City Loft", 2), ("Garden Studio", 1), ("Desert Camp", 0)]
    assert [row[2] for row in rows] == [1, 2, 3, 4, 5]  # row_number: always distinct
    assert [row[3] for row in rows] == [1, 1, 3, 4, 5]  # rank: ties share, then a gap
    assert [row[4] for row in rows] == [1, 1, 2, 3, 4]  # dense_rank: ties share, no gap
    record(booking, "windows.sql", "ranking")


def test_count_star_would_count_the_null_row_of_a_property_without_bookings(booking):
    star = booking.execute("SELECT count(*) FROM properties p LEFT JOIN bookings b USING (property_id)"
                           " WHERE p.name = 'Desert Camp'").fetchone()[0]
    assert star == 1  # the NULL-extended row; count(b.booking_id) in the ranking gives 0


def test_running_total_range_frame_adds_peers_rows_frame_does_not(booking):
    rows = result(booking, "windows.sql", "running_total")
    feb_first = [row for row in rows if str(row[0]) == "2024-02-01"]
    assert [row[2] for row in feb_first] == [Decimal("1170.00")] * 2   # RANGE: both peers at once
    assert [row[3] for row in feb_first] == [Decimal("770.00"), Decimal("1170.00")]  # ROWS: one at a time
    assert rows[-1][2] == rows[-1][3] == Decimal("2370.00")
    record(booking, "windows.sql", "running_total")


def test_partition_by_restarts_the_window_per_property(booking):
    rows = result(booking, "windows.sql", "per_property")
    assert [(name, n) for name, _, n, _ in rows if n == 1] == [
        ("Beach House", 1), ("City Loft", 1), ("Garden Studio", 1), ("Lakeside Cabin", 1)]
    assert rows[2] == (*rows[2][:2], 3, Decimal("1600.00"))  # Beach House's third booking
    record(booking, "windows.sql", "per_property")


@pytest.mark.parametrize("path", ["joins.sql", "subqueries.sql", "windows.sql"])
def test_every_query_file_runs_from_top_to_bottom(booking, path):
    """The files are also meant for psql -f: every section, in order, runs."""
    db.run(booking, f"booking/queries/{path}")


def test_how_postgresql_runs_each_subquery(booking):
    """The plans say what "correlated" costs: the inner query runs once per outer row."""
    from sql import plans

    booking.execute("ANALYZE")  # fresh statistics, so the small seed gets the same plans every run
    inner_table = {"uncorrelated": "reviews", "correlated": "bookings", "not_in": "messages", "not_exists": "messages"}
    rows, loops = [], {}
    for section, table in inner_table.items():
        plan = plans.explain(booking, db.statement("booking/queries/subqueries.sql", section))
        loops[section] = next(node["Actual Loops"] for node in plans.nodes(plan) if node.get("Relation Name") == table)
        rows.append([f"`{section}`", plans.outline(plan), f"{loops[section]} time{'s' if loops[section] > 1 else ''}"])
        if section == "not_exists":
            assert "Hash Anti Join" in plans.outline(plan)
        if section == "not_in":
            assert "Anti Join" not in plans.outline(plan)  # NOT IN's NULL rules rule the anti-join out
    assert loops == {"uncorrelated": 1, "correlated": 7, "not_in": 1, "not_exists": 1}  # 7 users
    table = db.markdown_table(["Query", "Plan nodes, top first", "Inner table scanned"], rows)
    assert matches_recorded(f"{MEASURED}/subquery-plans.md", table)
