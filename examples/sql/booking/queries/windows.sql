-- Window functions on the seeded booking database (seed.sql).

-- --8<-- [start:ranking]
-- Rank properties by their number of bookings (all statuses). count(b.booking_id)
-- counts matches only, so Desert Camp, with no booking, gets 0 (count(*) would
-- count its one NULL-extended row and give it 1).
SELECT p.name AS property,
       count(b.booking_id) AS bookings,
       row_number() OVER (ORDER BY count(b.booking_id) DESC, p.name) AS row_number,
       rank()       OVER (ORDER BY count(b.booking_id) DESC) AS rank,
       dense_rank() OVER (ORDER BY count(b.booking_id) DESC) AS dense_rank
FROM properties AS p
LEFT JOIN bookings AS b ON b.property_id = p.property_id
GROUP BY p.property_id, p.name
ORDER BY row_number;
-- --8<-- [end:ranking]

-- --8<-- [start:running_total]
-- Money received so far, payment by payment. With ORDER BY and no frame clause,
-- the frame is RANGE BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW, which includes
-- the current row's peers: both payments of 2024-02-01 show that day's total.
-- ROWS counts physical rows instead, so it moves one payment at a time.
SELECT (payment_date AT TIME ZONE 'UTC')::date AS paid_on,
       amount,
       sum(amount) OVER (ORDER BY (payment_date AT TIME ZONE 'UTC')::date) AS total_by_day,
       sum(amount) OVER (ORDER BY (payment_date AT TIME ZONE 'UTC')::date, payment_date
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_total
FROM payments
ORDER BY payment_date;
-- --8<-- [end:running_total]

-- --8<-- [start:per_property]
-- PARTITION BY restarts the window for each property: every booking with its
-- number within the property's history and the property's running revenue.
SELECT p.name AS property, b.start_date,
       row_number() OVER w AS nth_booking,
       sum(b.total_price) OVER w AS revenue_so_far
FROM bookings AS b
JOIN properties AS p ON p.property_id = b.property_id
WHERE b.status <> 'canceled'
WINDOW w AS (PARTITION BY p.property_id ORDER BY b.start_date)
ORDER BY p.name, b.start_date;
-- --8<-- [end:per_property]
