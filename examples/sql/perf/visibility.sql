-- Index-only scans and the visibility map, on a copy of one year of bookings.

-- --8<-- [start:setup]
CREATE TABLE guest_trips AS
SELECT user_id, start_date, end_date, status
FROM bookings
WHERE start_date < DATE '2022-01-01';
CREATE INDEX guest_trips_covering_idx ON guest_trips (user_id)
INCLUDE (start_date, end_date, status);
-- --8<-- [end:setup]

-- --8<-- [start:query]
SELECT start_date, end_date, status FROM guest_trips WHERE user_id = md5('user4242')::uuid;
-- --8<-- [end:query]

-- --8<-- [start:change]
-- Any UPDATE writes new row versions, and clears the all-visible bit of each page it touches.
UPDATE guest_trips SET status = status WHERE user_id = md5('user4242')::uuid;
-- --8<-- [end:change]
