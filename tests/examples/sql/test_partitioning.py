"""Range partitioning of bookings by check-in month (docs/concepts/sql-performance/partitioning.md)."""

from __future__ import annotations

import pytest
from psycopg import errors

from measurements import matches_recorded
from sql import db, plans

FILE = "partitioning/bookings.sql"
MEASURED = "examples/sql/measured"
MONTHS = [f"bookings_2024_{month:02d}" for month in range(1, 13)]


def load(conn):
    for section in ("table", "partitions", "load"):
        db.run(conn, FILE, section)
    conn.execute("VACUUM ANALYZE bookings_by_month")
    plans.steady_planner(conn)
    return conn


@pytest.fixture(scope="module")
def partitioned(module_schema):
    """Loaded once for the tests that only read; test_what_partitioning_costs changes
    the table and loads its own."""
    with module_schema.connect(autocommit=True) as conn:
        yield load(conn)


def test_rows_are_routed_to_their_month_or_to_the_default_partition(partitioned):
    rows = db.rows(partitioned, FILE, "where_rows_went")
    by_partition = {partition: n for partition, n, _, _ in rows}
    assert sum(by_partition.values()) == 21400
    assert by_partition["bookings_other"] == 3100  # December 2023 and January 2025: 62 days x 50
    assert by_partition["bookings_2024_02"] == 1450  # 29 days: 2024 is a leap year
    assert matches_recorded(f"{MEASURED}/partition-rows.md", db.result_table(partitioned, FILE, "where_rows_went"))


def test_the_planner_scans_only_the_partitions_the_where_clause_can_match(partitioned):
    seen, explained = {}, {}
    for section in ("one_month", "outside_2024", "no_partition_key"):
        explained[section] = plans.explain(partitioned, db.statement(FILE, section))
        seen[section] = plans.scanned(explained[section])
    # Without the partition key, every partition is searched, each through its own copy of the index.
    assert {node["Node Type"] for node in plans.nodes(explained["no_partition_key"]) if "Relation Name" in node} <= {
        "Index Scan", "Index Only Scan", "Bitmap Heap Scan"}
    assert seen["one_month"] == ["bookings_2024_03"]
    assert seen["outside_2024"] == ["bookings_other"]
    assert seen["no_partition_key"] == [*MONTHS, "bookings_other"]  # user_id says nothing about months

    text = plans.plan_text(partitioned, db.statement(FILE, "one_month"))
    assert "Append" not in text  # one partition left: no Append node at all
    assert matches_recorded(f"{MEASURED}/partition-plan-one-month.md", f"``` text\n{text}\n```\n")
    table = db.markdown_table(
        ["Query (bookings.sql)", "Partitions scanned"],
        [["`one_month`: March 2024", ", ".join(seen["one_month"])],
         ["`outside_2024`: 2025-01-15", ", ".join(seen["outside_2024"])],
         ["`no_partition_key`: one guest", f"all {len(seen['no_partition_key'])}"]])
    assert matches_recorded(f"{MEASURED}/partition-pruning.md", table)


def test_a_generic_plan_prunes_when_it_runs(partitioned):
    db.run(partitioned, FILE, "prepared_week")
    partitioned.execute("SET plan_cache_mode = force_generic_plan")  # as after five executions
    try:
        text = plans.plan_text(partitioned, "EXECUTE week_from('2024-06-10')")
    finally:
        partitioned.execute("RESET plan_cache_mode")
        partitioned.execute("DEALLOCATE week_from")
    assert "Subplans Removed: 12" in text and "bookings_2024_06" in text
    assert matches_recorded(f"{MEASURED}/partition-plan-generic.md", f"``` text\n{text}\n```\n")


def test_what_partitioning_costs(conn):
    partitioned = load(conn)
    outcomes = []
    with pytest.raises(errors.FeatureNotSupported) as no_key:
        db.run(partitioned, FILE, "key_without_partition_column")
    outcomes.append(["`key_without_partition_column`: PRIMARY KEY without the partition key",
                     f"`{type(no_key.value).__name__}` ({no_key.value.sqlstate}): {no_key.value.diag.message_primary}"])
    with pytest.raises(errors.FeatureNotSupported) as no_exclusion:
        db.run(partitioned, FILE, "exclusion_on_parent")
    outcomes.append(["`exclusion_on_parent`: the no-overlap rule on the partitioned table",
                     f"`{type(no_exclusion.value).__name__}` ({no_exclusion.value.sqlstate}): "
                     f"{no_exclusion.value.diag.message_primary}"])

    db.run(partitioned, FILE, "exclusion_per_partition")
    db.run(partitioned, FILE, "overlap_across_months")
    overlaps = db.rows(partitioned, FILE, "find_overlaps")
    assert [(str(a), str(b)) for a, b in overlaps] == [("2024-03-30", "2024-04-01")]
    outcomes.append(["`exclusion_per_partition`, then `overlap_across_months`",
                     "both rows accepted: a double booking across the March/April boundary"])

    with pytest.raises(errors.CheckViolation) as blocked:
        db.run(partitioned, FILE, "new_month_blocked")
    outcomes.append(["`new_month_blocked`: a January 2025 partition while January rows sit in the default",
                     f"`{type(blocked.value).__name__}` ({blocked.value.sqlstate}): "
                     f"{blocked.value.diag.message_primary}"])
    db.run(partitioned, FILE, "new_month")
    moved = dict((p, n) for p, n, _, _ in db.rows(partitioned, FILE, "where_rows_went"))
    assert moved["bookings_2025_01"] == 1550 and moved["bookings_other"] == 1550

    # Changing the partition key moves the row to the partition of its new value.
    moved_row = partitioned.execute(
        "UPDATE bookings_by_month SET start_date = '2024-05-20', end_date = '2024-05-22'"
        " WHERE property_id = md5('new property')::uuid AND start_date = '2024-04-01'"
        " RETURNING tableoid::regclass::text").fetchall()
    assert moved_row == [("bookings_2024_05",)]

    db.run(partitioned, FILE, "retire_month")
    assert partitioned.execute("SELECT count(*) FROM bookings_by_month").fetchone()[0] == 21400 + 2 - 1550
    assert matches_recorded(f"{MEASURED}/partition-costs.md",
                            db.markdown_table(["Statement (bookings.sql)", "What PostgreSQL 15 does"], outcomes))
