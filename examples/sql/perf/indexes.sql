-- The indexes the plan examples try, one at a time, on the 200,000 generated bookings.

-- --8<-- [start:user_id]
CREATE INDEX bookings_user_id_idx ON bookings (user_id);
-- --8<-- [end:user_id]

-- --8<-- [start:start_date_user_id]
-- The same two columns as bookings_user_id_start_date_idx (booking/indexes.sql),
-- in the other order: the range column first.
CREATE INDEX bookings_start_date_user_id_idx ON bookings (start_date, user_id);
-- --8<-- [end:start_date_user_id]

-- --8<-- [start:covering]
-- Searchable by user_id; start_date, end_date and status ride along in the leaf
-- pages, so a query that needs only these columns never visits the table.
CREATE INDEX bookings_user_id_covering_idx ON bookings (user_id)
INCLUDE (start_date, end_date, status);
-- --8<-- [end:covering]

-- --8<-- [start:partial]
-- Only the 2 % of bookings that wait for a host's answer are in this index.
CREATE INDEX bookings_pending_start_date_idx ON bookings (start_date)
WHERE status = 'pending';
-- --8<-- [end:partial]

-- --8<-- [start:full]
-- The same column for every booking, to compare sizes.
CREATE INDEX bookings_start_date_idx ON bookings (start_date);
-- --8<-- [end:full]
