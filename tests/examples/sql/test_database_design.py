"""The booking schema, its constraints, its keys and one deliberate denormalization
(docs/concepts/database-design.md), on the real PostgreSQL."""

from __future__ import annotations

import pytest
from psycopg import errors

from measurements import matches_recorded
from sql import db, plans

MEASURED = "examples/sql/measured"


def count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_schema_indexes_and_seed_load_into_an_empty_schema(booking):
    assert {table: count(booking, table) for table in
            ("users", "properties", "bookings", "payments", "reviews", "messages")} == {
        "users": 7, "properties": 5, "bookings": 9, "payments": 7, "reviews": 6, "messages": 5}
    # total_price was computed from the nightly price: 3 nights of Lakeside Cabin.
    assert booking.execute("SELECT total_price FROM bookings WHERE start_date = '2024-01-05'").fetchone()[0] == 360


# Each rule of schema.sql, broken once (violations.sql), and what PostgreSQL answers.
REJECTIONS = [
    ("not_null", "email is required", errors.NotNullViolation, "23502", None),
    ("unique_email", "one account per e-mail, any capitalisation", errors.UniqueViolation, "23505", "users_email_key"),
    ("primary_key", "user_id identifies one row", errors.UniqueViolation, "23505", "users_pkey"),
    ("foreign_key", "a booking's property exists", errors.ForeignKeyViolation, "23503", "bookings_property_id_fkey"),
    ("check_dates", "check-out after check-in", errors.CheckViolation, "23514", "bookings_end_after_start"),
    ("check_rating", "rating from 1 to 5", errors.CheckViolation, "23514", "reviews_rating_check"),
    ("check_price", "a price above zero", errors.CheckViolation, "23514", "properties_price_per_night_check"),
    ("unique_review", "one review per guest and property", errors.UniqueViolation, "23505", "reviews_one_per_guest"),
    ("overlap", "no two live bookings of a property share a night", errors.ExclusionViolation, "23P01",
     "bookings_no_overlap"),
    ("enum_value", "status is one of the enum's values", errors.InvalidTextRepresentation, "22P02", None),
]


def test_every_constraint_rejects_the_row_that_breaks_it(booking):
    rows = []
    for section, rule, error, sqlstate, constraint in REJECTIONS:
        with pytest.raises(error) as refused:
            db.run(booking, "booking/violations.sql", section)
        assert refused.value.sqlstate == sqlstate
        assert refused.value.diag.constraint_name == constraint
        if constraint:
            where = f"`{constraint}`"
        elif error is errors.NotNullViolation:
            where = f"NOT NULL on `{refused.value.diag.column_name}`"
        else:
            where = "the enum type `booking_status`"
        rows.append([f"`{section}`", rule, where, sqlstate, f"`{type(refused.value).__name__}`"])
    # Nothing got in: the refused statements changed no row.
    assert (count(booking, "users"), count(booking, "bookings"), count(booking, "reviews")) == (7, 9, 6)
    table = db.markdown_table(["Statement", "Rule", "Constraint", "SQLSTATE", "psycopg raises"], rows)
    assert matches_recorded(f"{MEASURED}/constraint-rejections.md", table)


def test_every_rejection_of_class_23_is_an_integrity_error():
    """One except clause catches every constraint violation: they share the DB-API class."""
    import psycopg

    for _, _, error, sqlstate, _ in REJECTIONS:
        assert issubclass(error, psycopg.IntegrityError) == sqlstate.startswith("23")


def test_a_plain_unique_on_email_is_case_sensitive(conn):
    conn.execute("CREATE TABLE plain (email text UNIQUE)")
    conn.execute("INSERT INTO plain VALUES ('amina@example.com'), ('AMINA@example.com')")
    assert count(conn, "plain") == 2  # two "different" addresses; users_email_key refuses the second


def test_unique_lets_several_nulls_in_unless_it_says_nulls_not_distinct(booking):
    anonymous = db.statement("booking/violations.sql", "anonymous_reviews")
    with booking.transaction(force_rollback=True):
        assert booking.execute(anonymous).rowcount == 2  # NULL user_ids are not equal to each other
    db.run(booking, "booking/violations.sql", "nulls_not_distinct")  # new in PostgreSQL 15
    with pytest.raises(errors.UniqueViolation) as refused:
        booking.execute(anonymous)
    assert refused.value.diag.constraint_name == "reviews_one_per_guest"
    assert count(booking, "reviews") == 6  # the seed's reviews, and not one anonymous review more


def test_the_exclusion_constraint_allows_adjacent_canceled_and_other_property_dates(booking):
    assert booking.execute(db.statement("booking/violations.sql", "allowed_bookings")).rowcount == 3


def test_a_check_constraint_lets_null_through(booking):
    assert booking.execute(db.statement("booking/violations.sql", "check_passes_null")).rowcount == 1


def test_the_no_overlap_index_is_partial_so_property_lookups_need_their_own_index(booking):
    """The exclusion constraint's GiST index starts with property_id but leaves canceled
    bookings out, so it can serve a lookup only if the query leaves them out too."""
    beach = "(SELECT property_id FROM properties WHERE name = 'Beach House')"
    live_only = f"SELECT * FROM bookings WHERE property_id = {beach} AND status <> 'canceled'"
    every_status = f"SELECT * FROM bookings WHERE property_id = {beach}"
    with booking.transaction(force_rollback=True):
        booking.execute("SET LOCAL enable_seqscan = off")  # the seed is too small for an index to win on cost
        booking.execute("DROP INDEX bookings_property_id_idx")
        live_plan, every_plan = plans.explain(booking, live_only), plans.explain(booking, every_status)
    assert "bookings_no_overlap" in [node.get("Index Name") for node in plans.nodes(live_plan)]
    assert "bookings_no_overlap" not in [node.get("Index Name") for node in plans.nodes(every_plan)]
    assert "Seq Scan" in plans.node_types(every_plan)  # no index left that it could use
    assert live_plan["Plan"]["Actual Rows"] == every_plan["Plan"]["Actual Rows"] == 3


ON_DELETE = [
    ("guest_with_bookings", "`bookings.user_id` RESTRICT"),
    ("host_with_properties", "`properties.host_id` RESTRICT"),
    ("sender", "`messages.sender_id` SET NULL"),
    ("unpaid_property", "`bookings.property_id` CASCADE"),
    ("paid_property", "CASCADE to bookings, then `payments.booking_id` RESTRICT"),
]


def test_on_delete_rules_restrict_cascade_and_set_null(booking):
    outcomes, sqlstates = {}, set()
    for section, rule in ON_DELETE:
        try:
            deleted = booking.execute(db.statement("booking/on_delete.sql", section)).rowcount
            outcomes[section] = (rule, f"deleted {deleted} row")
        except errors.ForeignKeyViolation as refused:
            sqlstates.add(refused.sqlstate)
            outcomes[section] = (rule, f"refused: `ForeignKeyViolation` on `{refused.diag.constraint_name}`")

    assert sqlstates == {"23503"}  # foreign_key_violation, for every refusal
    assert outcomes["guest_with_bookings"][1] == "refused: `ForeignKeyViolation` on `bookings_user_id_fkey`"
    assert outcomes["host_with_properties"][1] == "refused: `ForeignKeyViolation` on `properties_host_id_fkey`"
    assert outcomes["paid_property"][1] == "refused: `ForeignKeyViolation` on `payments_booking_id_fkey`"
    # SET NULL: Lulu's message is still there, from nobody.
    sender = booking.execute("SELECT sender_id FROM messages WHERE message_body = 'Do you allow pets?'").fetchone()
    assert sender == (None,)
    # CASCADE: Garden Studio's pending booking went with it; the refused cascade deleted nothing.
    assert count(booking, "bookings") == 8
    assert booking.execute("SELECT count(*) FROM properties WHERE name = 'Lakeside Cabin'").fetchone()[0] == 1

    table = db.markdown_table(["DELETE (on_delete.sql)", "Decided by", "Outcome"],
                              [[f"`{section}`", *outcomes[section]] for section, _ in ON_DELETE])
    assert matches_recorded(f"{MEASURED}/on-delete.md", table)


def test_random_uuid_keys_make_a_bigger_primary_key_index_than_bigint(conn):
    db.run(conn, "keys/compare.sql", "tables")
    sizes = {name: (kib, pages) for name, kib, pages in db.rows(conn, "keys/compare.sql", "sizes")}
    bigint, ordered, random = (sizes[f"keyed_by_{kind}"][0] for kind in ("bigint", "ordered_uuid", "random_uuid"))
    assert bigint < ordered < random
    # In order, both indexes fill their leaves alike (right-most splits leave pages at the
    # fillfactor), so their sizes follow the size of one leaf entry: an 8-byte tuple header,
    # the key (MAXALIGNed: 8 or 16 bytes) and a 4-byte line pointer.
    assert round(ordered / bigint, 1) == round((8 + 16 + 4) / (8 + 8 + 4), 1)
    assert random > 1.8 * bigint  # twice the key width, and half-empty pages from random inserts
    table = db.markdown_table(
        ["Primary key (50,000 rows)", "Index size", "Pages (8 kB)", "Compared with bigint"],
        [[label, f"{sizes[name][0]:,} kB", sizes[name][1], f"{sizes[name][0] / bigint:.1f}x"]
         for label, name in (("bigint identity", "keyed_by_bigint"),
                             ("uuid, inserted in order", "keyed_by_ordered_uuid"),
                             ("uuid, inserted in random order", "keyed_by_random_uuid"))])
    assert matches_recorded(f"{MEASURED}/key-index-sizes.md", table)


def test_the_review_count_cache_stays_right_through_insert_update_and_delete(booking):
    db.run(booking, "booking/review_stats.sql", "columns")
    db.run(booking, "booking/review_stats.sql", "trigger")
    drift = db.statement("booking/review_stats.sql", "drift")
    assert booking.execute(drift).fetchall() == []  # the backfill matches
    stats = booking.execute("SELECT review_count, rating_sum FROM properties WHERE name = 'Beach House'").fetchone()
    assert stats == (3, 14)

    booking.execute("INSERT INTO reviews (property_id, user_id, rating, comment)"
                    " SELECT property_id, (SELECT user_id FROM users WHERE email = 'zara@example.com'), 2, 'Meh.'"
                    " FROM properties WHERE name = 'City Loft'")
    booking.execute("UPDATE reviews SET rating = 1 WHERE comment = 'Noisy street.'")
    booking.execute("UPDATE reviews SET property_id = (SELECT property_id FROM properties WHERE name = 'Desert Camp')"
                    " WHERE comment = 'Perfect.'")
    booking.execute("DELETE FROM reviews WHERE comment = 'Great host.'")
    assert booking.execute(drift).fetchall() == []
    assert dict((name, (n, s)) for name, n, s in booking.execute(
        "SELECT name, review_count, rating_sum FROM properties")) == {
        "Beach House": (1, 5), "City Loft": (2, 3), "Desert Camp": (1, 5),
        "Garden Studio": (0, 0), "Lakeside Cabin": (2, 9)}

    # The price of the cache: every review written also updates a property row.
    # (Counted inside one transaction: the counter may also hold earlier, unflushed counts.)
    updates = "SELECT n_tup_upd FROM pg_stat_xact_user_tables WHERE relid = 'properties'::regclass"
    with booking.transaction():
        before = booking.execute(updates).fetchone()[0]
        for rating in (3, 4, 5):
            booking.execute("INSERT INTO reviews (property_id, user_id, rating, comment)"
                            " SELECT property_id, NULL, %s, 'Anonymous' FROM properties WHERE name = 'Garden Studio'",
                            (rating,))
        after = booking.execute(updates).fetchone()[0]
    assert after - before == 3
    # UNIQUE (property_id, user_id) let all three in: NULL user_ids are not equal to each other.
    assert booking.execute("SELECT count(*) FROM reviews WHERE user_id IS NULL").fetchone()[0] == 3


def test_the_cached_count_is_read_instead_of_aggregating_every_review(conn):
    db.load_booking(conn, seed=False)
    db.run(conn, "perf/reviews.sql")
    db.run(conn, "booking/review_stats.sql", "columns")
    db.run(conn, "booking/review_stats.sql", "trigger")
    conn.execute("SET synchronous_commit = on")  # see plans.load_plan_data
    conn.execute("VACUUM ANALYZE properties, reviews")
    plans.steady_planner(conn)
    computed_sql = db.statement("booking/review_stats.sql", "top_computed")
    cached_sql = db.statement("booking/review_stats.sql", "top_cached")
    assert [row[:2] for row in conn.execute(computed_sql)] == [row[:2] for row in conn.execute(cached_sql)]

    computed, cached = plans.explain(conn, computed_sql), plans.explain(conn, cached_sql)
    reviews = count(conn, "reviews")
    assert plans.rows_read(computed, "reviews") == reviews
    assert plans.rows_read(cached, "reviews") == 0 and plans.scanned(cached) == ["properties"]
    ratio = plans.best_time_ms(conn, computed_sql) / plans.best_time_ms(conn, cached_sql)
    assert ratio > 10

    properties = count(conn, "properties")
    assert (properties, reviews) == (500, 10_070)  # what perf/reviews.sql generates, every run
    table = db.markdown_table(
        [f"Top 10 of {properties:,} properties by reviews", "Reviews read", "Plan", "Execution time"],
        [["aggregated from `reviews` on every request", f"{plans.rows_read(computed, 'reviews'):,}",
          plans.outline(computed), "baseline"],
         ["read from `properties.review_count`", "0", plans.outline(cached), "more than 10x faster"]])
    assert matches_recorded(f"{MEASURED}/review-count-cache.md", table)
