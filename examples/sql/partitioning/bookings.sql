-- Bookings partitioned by check-in month: one partition per month of 2024, and a
-- default partition for everything else.

-- --8<-- [start:table]
CREATE TYPE booking_status AS ENUM ('pending', 'confirmed', 'canceled');

CREATE TABLE bookings_by_month (
    booking_id  uuid NOT NULL DEFAULT gen_random_uuid(),
    property_id uuid NOT NULL,
    user_id     uuid NOT NULL,
    start_date  date NOT NULL,
    end_date    date NOT NULL CHECK (end_date > start_date),
    total_price numeric(10, 2) NOT NULL,
    status      booking_status NOT NULL DEFAULT 'pending',
    -- A unique key must contain the partition key: each partition checks its own
    -- rows only, so uniqueness across partitions is guaranteed by start_date itself.
    PRIMARY KEY (booking_id, start_date)
) PARTITION BY RANGE (start_date);
-- --8<-- [end:table]

-- --8<-- [start:partitions]
-- Twelve monthly partitions; each range includes its lower bound, excludes its upper.
DO $$
BEGIN
    FOR month IN 1..12 LOOP
        EXECUTE format(
            'CREATE TABLE %I PARTITION OF bookings_by_month FOR VALUES FROM (%L) TO (%L)',
            'bookings_2024_' || lpad(month::text, 2, '0'),
            make_date(2024, month, 1),
            (make_date(2024, month, 1) + interval '1 month')::date);
    END LOOP;
END;
$$;
-- Rows that fit no range land here instead of being refused.
CREATE TABLE bookings_other PARTITION OF bookings_by_month DEFAULT;

-- An index declared on the parent is created on every partition, present and future.
CREATE INDEX bookings_by_month_user_id_idx ON bookings_by_month (user_id);
-- --8<-- [end:partitions]

-- --8<-- [start:load]
-- 50 check-ins a day from 2023-12-01 to 2025-01-31: 428 days, 21,400 rows.
-- 300 properties, each with a check-in every 6 days and stays of 1 to 5 nights,
-- so no two bookings of a property overlap.
INSERT INTO bookings_by_month (property_id, user_id, start_date, end_date, total_price, status)
SELECT md5('property' || (i % 50 + 50 * (i / 50 % 6)))::uuid,
       md5('user' || (1 + i % 2000))::uuid,
       DATE '2023-12-01' + i / 50,
       DATE '2023-12-01' + i / 50 + 1 + i % 5,
       100 * (1 + i % 5),
       'confirmed'
FROM generate_series(0, 50 * 428 - 1) AS i;
-- --8<-- [end:load]

-- --8<-- [start:where_rows_went]
SELECT tableoid::regclass AS partition, count(*) AS rows,
       min(start_date) AS first_check_in, max(start_date) AS last_check_in
FROM bookings_by_month
GROUP BY tableoid
ORDER BY min(start_date);
-- --8<-- [end:where_rows_went]

-- --8<-- [start:one_month]
SELECT count(*) FROM bookings_by_month
WHERE start_date >= DATE '2024-03-01' AND start_date < DATE '2024-04-01';
-- --8<-- [end:one_month]

-- --8<-- [start:outside_2024]
SELECT count(*) FROM bookings_by_month WHERE start_date = DATE '2025-01-15';
-- --8<-- [end:outside_2024]

-- --8<-- [start:no_partition_key]
SELECT count(*) FROM bookings_by_month WHERE user_id = md5('user42')::uuid;
-- --8<-- [end:no_partition_key]

-- --8<-- [start:prepared_week]
-- A prepared statement: with a generic plan the dates are unknown when the plan
-- is made, so pruning happens when it runs ("Subplans Removed").
PREPARE week_from(date) AS
SELECT count(*) FROM bookings_by_month
WHERE start_date >= $1 AND start_date < $1 + 7;
-- --8<-- [end:prepared_week]

-- --8<-- [start:new_month_blocked]
-- January 2025 rows already sit in the default partition, so a partition for
-- January 2025 would take rows the default partition holds: refused.
CREATE TABLE bookings_2025_01 PARTITION OF bookings_by_month
FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
-- --8<-- [end:new_month_blocked]

-- --8<-- [start:new_month]
-- The way round it: take the default partition out, add the month, move its rows.
BEGIN;
ALTER TABLE bookings_by_month DETACH PARTITION bookings_other;
CREATE TABLE bookings_2025_01 PARTITION OF bookings_by_month
FOR VALUES FROM ('2025-01-01') TO ('2025-02-01');
WITH moved AS (
    DELETE FROM bookings_other
    WHERE start_date >= DATE '2025-01-01' AND start_date < DATE '2025-02-01'
    RETURNING *
)
INSERT INTO bookings_by_month SELECT * FROM moved;
ALTER TABLE bookings_by_month ATTACH PARTITION bookings_other DEFAULT;
COMMIT;
-- --8<-- [end:new_month]

-- --8<-- [start:retire_month]
-- Retention: a month leaves with a catalog change, not a DELETE of every row.
ALTER TABLE bookings_by_month DETACH PARTITION bookings_2024_01;
DROP TABLE bookings_2024_01;
-- --8<-- [end:retire_month]

-- --8<-- [start:key_without_partition_column]
CREATE TABLE payments_by_month (
    payment_id   uuid PRIMARY KEY,            -- does not contain paid_on
    paid_on      date NOT NULL,
    amount       numeric(10, 2) NOT NULL
) PARTITION BY RANGE (paid_on);
-- --8<-- [end:key_without_partition_column]

-- --8<-- [start:exclusion_on_parent]
-- The no-overlap rule of booking/schema.sql, on the partitioned table.
ALTER TABLE bookings_by_month ADD CONSTRAINT bookings_by_month_no_overlap
EXCLUDE USING gist (property_id WITH =, daterange(start_date, end_date) WITH &&);
-- --8<-- [end:exclusion_on_parent]

-- --8<-- [start:exclusion_per_partition]
-- What PostgreSQL 15 allows instead: the rule on each partition, for its own rows.
ALTER TABLE bookings_2024_03 ADD EXCLUDE USING gist
    (property_id WITH =, daterange(start_date, end_date) WITH &&);
ALTER TABLE bookings_2024_04 ADD EXCLUDE USING gist
    (property_id WITH =, daterange(start_date, end_date) WITH &&);
-- --8<-- [end:exclusion_per_partition]

-- --8<-- [start:overlap_across_months]
-- Two bookings of one (new) property that share the nights of April 1 and 2.
-- The first goes to the March partition, the second to April's; neither
-- partition's constraint sees the other row, so both are accepted.
INSERT INTO bookings_by_month (property_id, user_id, start_date, end_date, total_price)
VALUES (md5('new property')::uuid, md5('guest a')::uuid, '2024-03-30', '2024-04-03', 400),
       (md5('new property')::uuid, md5('guest b')::uuid, '2024-04-01', '2024-04-03', 200);
-- --8<-- [end:overlap_across_months]

-- --8<-- [start:find_overlaps]
SELECT a.start_date AS first_check_in, b.start_date AS second_check_in
FROM bookings_by_month AS a
JOIN bookings_by_month AS b
  ON a.property_id = b.property_id AND a.start_date < b.start_date
 AND daterange(a.start_date, a.end_date) && daterange(b.start_date, b.end_date)
WHERE a.property_id = md5('new property')::uuid;
-- --8<-- [end:find_overlaps]
