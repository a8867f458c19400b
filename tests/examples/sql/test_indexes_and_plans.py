"""Indexes and query plans on 200,000 generated bookings (docs/concepts/sql-performance/indexes-and-plans.md).

Every claim is read from the plan PostgreSQL chose, as JSON: node types, the index
used, rows read and pages touched (deterministic), and execution times (not: those
are compared as a ratio with a generous bound and rendered as that bound)."""

from __future__ import annotations

import pytest

from measurements import matches_recorded
from sql import db, plans

QUERIES = "perf/queries.sql"
INDEXES = "perf/indexes.sql"
MEASURED = "examples/sql/measured"
SPEEDUP_AT_LEAST = 10  # the claim the note makes; the measured ratio is far above it


@pytest.fixture(scope="module")
def plan_db(module_schema):
    """One load of the 200,000 bookings for the whole module. Tests create indexes
    inside a transaction they roll back, so the table is the same for every test."""
    with module_schema.connect(autocommit=True) as conn:
        plans.load_plan_data(conn)
        plans.steady_planner(conn)
        yield conn


def query(section: str) -> str:
    return db.statement(QUERIES, section)


def index_used(plan: dict) -> list[str]:
    return [node["Index Name"] for node in plans.nodes(plan) if "Index Name" in node]


def test_the_generated_data_has_the_promised_shape(plan_db):
    counts = plan_db.execute(
        "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM properties), count(*),"
        " count(*) FILTER (WHERE status = 'pending'), count(DISTINCT user_id),"
        " min(start_date), max(start_date) FROM bookings").fetchone()
    assert counts[:4] == (20000, 1000, 200000, 4000)
    assert counts[4] == 19900  # every guest books, about ten times each
    assert str(counts[5]) == "2021-01-01" and str(counts[6]) == "2025-05-12"
    # The same data on every run: the visibility map is set and the sample was the whole table.
    all_visible = "SELECT relallvisible = relpages FROM pg_class WHERE oid = 'bookings'::regclass"
    assert plan_db.execute(all_visible).fetchone()[0]
    assert len(plan_db.execute(db.statement(QUERIES, "guest_bookings")).fetchall()) == 10


def test_an_index_on_user_id_replaces_the_seq_scan_and_is_far_faster(plan_db):
    sql = query("guest_bookings")
    before = plans.explain(plan_db, sql)
    before_text = plans.plan_text(plan_db, sql)
    before_ms = plans.best_time_ms(plan_db, sql)
    with plan_db.transaction(force_rollback=True):
        db.run(plan_db, INDEXES, "user_id")
        after = plans.explain(plan_db, sql)
        after_text = plans.plan_text(plan_db, sql)
        after_ms = plans.best_time_ms(plan_db, sql)

    assert plans.node_types(before) == ["Seq Scan"]
    assert plans.rows_read(before, "bookings") == 200000  # every row, to return 10
    assert plans.node_types(after) == ["Bitmap Heap Scan", "Bitmap Index Scan"]
    assert index_used(after) == ["bookings_user_id_idx"]
    assert plans.rows_read(after, "bookings") == 10
    assert plans.buffers(before) == 2667 and plans.buffers(after) == 13
    assert before_ms / after_ms > SPEEDUP_AT_LEAST

    assert matches_recorded(f"{MEASURED}/plan-guest-bookings-before.md", f"``` text\n{before_text}\n```\n")
    assert matches_recorded(f"{MEASURED}/plan-guest-bookings-after.md", f"``` text\n{after_text}\n```\n")
    table = db.markdown_table(
        ["Measure", "No index on user_id", "With bookings_user_id_idx"],
        [["Plan", "Seq Scan", "Bitmap Index Scan, then Bitmap Heap Scan"],
         ["Rows read to return 10",
          f"{plans.rows_read(before, 'bookings'):,}", f"{plans.rows_read(after, 'bookings'):,}"],
         ["Pages touched (8 kB each)", f"{plans.buffers(before):,}", f"{plans.buffers(after):,}"],
         ["Execution time", "baseline", f"more than {SPEEDUP_AT_LEAST}x faster"]])
    assert matches_recorded(f"{MEASURED}/index-before-after.md", table)


def describe(plan: dict) -> str:
    """A table cell: the scan that reached bookings, its index if any, and the pages touched."""
    scan = next(node for node in plans.nodes(plan) if node.get("Relation Name") == "bookings")
    how = scan["Node Type"]
    if how == "Bitmap Heap Scan":
        how = "Bitmap Index Scan"
    used = index_used(plan)
    return f"{how}{' on ' + used[0] if used else ''}, {plans.buffers(plan):,} pages"


def test_composite_index_order_equality_column_first_then_the_range(plan_db):
    both, user_only, range_only = query("guest_bookings_2024"), query("guest_bookings"), query("bookings_2024")
    seen = {}
    for name, ddl in (("user_first", ("booking/indexes.sql", "guest_bookings")),
                      ("date_first", (INDEXES, "start_date_user_id"))):
        with plan_db.transaction(force_rollback=True):
            db.run(plan_db, *ddl)
            seen[name] = {sql: plans.explain(plan_db, sql) for sql in (both, user_only, range_only)}
            # Index Cond lists the columns the index searched on, Filter what was checked after.
            seen[name]["conditions"] = next(node["Index Cond"] for node in plans.nodes(seen[name][both])
                                            if "Index Cond" in node)

    user_first, date_first = seen["user_first"], seen["date_first"]
    # (user_id, start_date): one guest, one year: a few entries side by side in the index.
    assert index_used(user_first[both]) == ["bookings_user_id_start_date_idx"]
    assert "user_id" in user_first["conditions"] and "start_date" in user_first["conditions"]
    assert plans.buffers(user_first[both]) <= 6
    # It also serves user_id alone (its leading column) ...
    assert index_used(user_first[user_only]) == ["bookings_user_id_start_date_idx"]
    # ... but not start_date alone: there is no skip scan in PostgreSQL 15, so it reads the table.
    assert "Seq Scan" in plans.node_types(user_first[range_only])
    # (start_date, user_id): the range comes first, so the scan walks a whole year of
    # entries and checks user_id on each; and user_id alone cannot use it at all.
    assert index_used(date_first[both]) == ["bookings_start_date_user_id_idx"]
    assert plans.buffers(date_first[both]) > 40 * plans.buffers(user_first[both])
    assert plans.node_types(date_first[user_only]) == ["Seq Scan"]

    rows = [["One guest, one year (`guest_bookings_2024`)", describe(user_first[both]), describe(date_first[both])],
            ["One guest, all dates (`guest_bookings`)",
             describe(user_first[user_only]), describe(date_first[user_only])],
            ["Everyone, one year (`bookings_2024`)",
             describe(user_first[range_only]), describe(date_first[range_only])]]
    table = db.markdown_table(["Query", "Index on (user_id, start_date)", "Index on (start_date, user_id)"], rows)
    assert matches_recorded(f"{MEASURED}/composite-index-order.md", table)


def test_a_covering_index_answers_from_the_index_alone(plan_db):
    sql = query("guest_dates")
    with plan_db.transaction(force_rollback=True):
        db.run(plan_db, INDEXES, "covering")
        plan = plans.explain(plan_db, sql)
        text = plans.plan_text(plan_db, sql)
    assert plans.node_types(plan) == ["Index Only Scan"]
    assert plan["Plan"]["Heap Fetches"] == 0  # the visibility map says every page is all-visible
    assert matches_recorded(f"{MEASURED}/plan-covering-index.md", f"``` text\n{text}\n```\n")


def test_the_visibility_map_decides_how_often_an_index_only_scan_visits_the_table(plan_db):
    """A table of its own, because it is changed and vacuumed (committed, not rolled back)."""
    plan_db.execute(db.statement("perf/visibility.sql", "setup"))
    plan_db.execute("VACUUM ANALYZE guest_trips")
    sql = db.statement("perf/visibility.sql", "query")
    fetches = [plans.explain(plan_db, sql)["Plan"]["Heap Fetches"]]
    plan_db.execute(db.statement("perf/visibility.sql", "change"))
    fetches.append(plans.explain(plan_db, sql)["Plan"]["Heap Fetches"])
    plan_db.execute("VACUUM guest_trips")
    fetches.append(plans.explain(plan_db, sql)["Plan"]["Heap Fetches"])
    plan_db.execute("DROP TABLE guest_trips")

    assert fetches[0] == 0 and fetches[1] > 0 and fetches[2] == 0
    table = db.markdown_table(["Moment", "Heap Fetches"],
                              [["After VACUUM", fetches[0]], ["After an UPDATE of the guest's rows", fetches[1]],
                               ["After the next VACUUM", fetches[2]]])
    assert matches_recorded(f"{MEASURED}/visibility-map.md", table)


def test_a_partial_index_is_small_and_serves_only_queries_that_imply_its_predicate(plan_db):
    names = ("bookings_pending_start_date_idx", "bookings_start_date_idx")
    with plan_db.transaction(force_rollback=True):
        db.run(plan_db, INDEXES, "partial")
        db.run(plan_db, INDEXES, "full")
        # CREATE INDEX records in pg_class how many entries it built, and the size on disk.
        built = {name: (int(entries), size) for name, entries, size in plan_db.execute(
            "SELECT relname, reltuples, pg_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
            (list(names),)).fetchall()}
        pending = plans.explain(plan_db, query("pending_queue"))
        confirmed = plans.explain(plan_db, query("confirmed_queue"))
    total, pending_rows = plan_db.execute(
        "SELECT count(*), count(*) FILTER (WHERE status = 'pending') FROM bookings").fetchone()

    (partial_rows, partial), (full_rows, full) = built[names[0]], built[names[1]]
    assert (partial_rows, full_rows) == (pending_rows, total)  # the predicate's rows, and every row
    assert partial * 20 < full  # 2 % of the rows, a few percent of the size
    assert index_used(pending) == ["bookings_pending_start_date_idx"]
    assert "bookings_pending_start_date_idx" not in index_used(confirmed)
    assert pending["Plan"]["Actual Rows"] == 20

    def used_by(plan: dict, name: str) -> str:
        return "yes" if name in index_used(plan) else "no"

    table = db.markdown_table(
        ["Index", "Rows indexed", "Share of the bookings", "Size", "Size compared with the full index",
         "Used by `pending_queue`", "Used by `confirmed_queue`"],
        [[f"{name} ({kind})", f"{rows:,}", f"{100 * rows / total:.0f} %", f"{size // 1024:,} kB",
          "-" if size == full else f"1/{round(full / size)}", used_by(pending, name), used_by(confirmed, name)]
         for (name, kind), (rows, size) in zip(((names[0], "partial"), (names[1], "full")),
                                               (built[names[0]], built[names[1]]), strict=True)])
    assert matches_recorded(f"{MEASURED}/partial-index.md", table)


def test_a_join_plan_to_read_line_by_line(plan_db):
    sql = query("guest_trips")
    with plan_db.transaction(force_rollback=True):
        db.run(plan_db, "booking/indexes.sql", "guest_bookings")
        plan = plans.explain(plan_db, sql)
        text = plans.plan_text(plan_db, sql)
    assert plans.node_types(plan) == ["Nested Loop", "Index Scan", "Index Scan"]
    assert index_used(plan) == ["bookings_user_id_start_date_idx", "properties_pkey"]
    assert plan["Plan"]["Actual Rows"] == len(plan_db.execute(sql).fetchall()) > 0
    assert matches_recorded(f"{MEASURED}/plan-guest-trips.md", f"``` text\n{text}\n```\n")


def test_an_expression_index_serves_only_queries_on_the_same_expression(plan_db):
    """booking/schema.sql indexes lower(email); a query on email itself cannot use it."""
    with plan_db.transaction(force_rollback=True):
        db.run(plan_db, "booking/schema.sql", "email_index")
        as_typed = plans.explain(plan_db, "SELECT user_id FROM users WHERE email = 'user42@example.com'")
        lowered = plans.explain(plan_db, "SELECT user_id FROM users WHERE lower(email) = lower('User42@Example.com')")
    assert plans.node_types(as_typed) == ["Seq Scan"]
    assert index_used(lowered) == ["users_email_key"]
    assert lowered["Plan"]["Actual Rows"] == as_typed["Plan"]["Actual Rows"] == 1


def test_the_seq_scan_cost_is_pages_plus_rows_times_the_default_cost_constants(plan_db):
    """cost = seq_page_cost x pages + (cpu_tuple_cost + cpu_operator_cost) x rows, with one filter."""
    plan = plans.explain(plan_db, query("guest_bookings"))["Plan"]
    settings = dict(plan_db.execute("SELECT name, setting::float FROM pg_settings WHERE name IN"
                                    " ('seq_page_cost', 'cpu_tuple_cost', 'cpu_operator_cost')").fetchall())
    expected = settings["seq_page_cost"] * 2667 + (settings["cpu_tuple_cost"] + settings["cpu_operator_cost"]) * 200000
    assert plan["Total Cost"] == pytest.approx(expected) == 5167.0
