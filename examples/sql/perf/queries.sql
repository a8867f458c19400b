-- The queries whose plans indexes-and-plans.md reads, on the generated bookings.
-- md5('user4242')::uuid is one guest's id (generate.sql makes ids that way); the
-- planner folds it to a constant, so plans show the uuid itself.

-- --8<-- [start:guest_bookings]
SELECT booking_id, start_date, end_date, status
FROM bookings
WHERE user_id = md5('user4242')::uuid;
-- --8<-- [end:guest_bookings]

-- --8<-- [start:guest_bookings_2024]
SELECT booking_id, start_date
FROM bookings
WHERE user_id = md5('user4242')::uuid
  AND start_date >= DATE '2024-01-01' AND start_date < DATE '2025-01-01';
-- --8<-- [end:guest_bookings_2024]

-- --8<-- [start:bookings_2024]
SELECT count(*)
FROM bookings
WHERE start_date >= DATE '2024-01-01' AND start_date < DATE '2025-01-01';
-- --8<-- [end:bookings_2024]

-- --8<-- [start:guest_dates]
SELECT start_date, end_date, status
FROM bookings
WHERE user_id = md5('user4242')::uuid;
-- --8<-- [end:guest_dates]

-- --8<-- [start:pending_queue]
-- The host's inbox: the oldest requests still waiting, from 2025 on.
SELECT booking_id, start_date
FROM bookings
WHERE status = 'pending' AND start_date >= DATE '2025-01-01'
ORDER BY start_date
LIMIT 20;
-- --8<-- [end:pending_queue]

-- --8<-- [start:confirmed_queue]
-- The same shape for confirmed bookings: the partial index does not contain them.
SELECT booking_id, start_date
FROM bookings
WHERE status = 'confirmed' AND start_date >= DATE '2025-01-01'
ORDER BY start_date
LIMIT 20;
-- --8<-- [end:confirmed_queue]

-- --8<-- [start:guest_trips]
-- "My trips in 2024": a guest's bookings with the property names, in date order.
SELECT b.start_date, b.end_date, p.name, b.total_price
FROM bookings AS b
JOIN properties AS p ON p.property_id = b.property_id
WHERE b.user_id = md5('user4242')::uuid
  AND b.start_date >= DATE '2024-01-01'
ORDER BY b.start_date;
-- --8<-- [end:guest_trips]
