-- Joins on the seeded booking database (seed.sql).

-- --8<-- [start:inner_join]
-- Every booking with the guest who made it. INNER JOIN keeps only pairs that
-- match, and bookings.user_id is NOT NULL with a foreign key, so every booking
-- has exactly one guest: 9 rows, one per booking.
SELECT u.first_name AS guest, p.name AS property, b.start_date, b.status
FROM bookings AS b
JOIN users AS u ON u.user_id = b.user_id
JOIN properties AS p ON p.property_id = b.property_id
ORDER BY b.start_date, guest;
-- --8<-- [end:inner_join]

-- --8<-- [start:left_join]
-- Every property with its reviews, and properties without a review too:
-- LEFT JOIN keeps each left row, with NULLs where no right row matches.
SELECT p.name AS property, r.rating, r.comment
FROM properties AS p
LEFT JOIN reviews AS r ON r.property_id = p.property_id
ORDER BY p.name, r.rating DESC NULLS LAST, r.comment;
-- --8<-- [end:left_join]

-- --8<-- [start:left_join_where]
-- The classic mistake: a condition on the right table in WHERE. The NULL rows
-- of unreviewed properties fail "r.rating >= 4", so this is an inner join again.
SELECT p.name AS property, r.rating
FROM properties AS p
LEFT JOIN reviews AS r ON r.property_id = p.property_id
WHERE r.rating >= 4
ORDER BY p.name, r.rating DESC;
-- --8<-- [end:left_join_where]

-- --8<-- [start:left_join_on]
-- The condition in ON filters which reviews join; every property stays.
SELECT p.name AS property, r.rating
FROM properties AS p
LEFT JOIN reviews AS r ON r.property_id = p.property_id AND r.rating >= 4
ORDER BY p.name, r.rating DESC;
-- --8<-- [end:left_join_on]

-- --8<-- [start:full_outer_join]
-- Money booked (by check-in month, canceled bookings left out) against money
-- received (by payment month). Some months have only one of the two, and a
-- FULL OUTER JOIN keeps the unmatched rows of both sides.
WITH booked AS (
    SELECT date_trunc('month', start_date)::date AS month, sum(total_price) AS booked
    FROM bookings
    WHERE status <> 'canceled'
    GROUP BY 1
), paid AS (
    SELECT date_trunc('month', payment_date AT TIME ZONE 'UTC')::date AS month,
           sum(amount) AS paid
    FROM payments
    GROUP BY 1
)
SELECT to_char(coalesce(booked.month, paid.month), 'YYYY-MM') AS month,
       booked.booked, paid.paid
FROM booked
FULL OUTER JOIN paid ON paid.month = booked.month
ORDER BY 1;
-- --8<-- [end:full_outer_join]

-- --8<-- [start:full_outer_users_bookings]
-- The exercise "all users and all bookings, even a booking without a user":
-- the foreign key and NOT NULL on bookings.user_id make such a booking impossible,
-- so on this schema FULL OUTER JOIN returns exactly what LEFT JOIN returns.
SELECT u.email, b.start_date
FROM users AS u
FULL OUTER JOIN bookings AS b ON b.user_id = u.user_id
ORDER BY u.email, b.start_date;
-- --8<-- [end:full_outer_users_bookings]

-- --8<-- [start:left_users_bookings]
SELECT u.email, b.start_date
FROM users AS u
LEFT JOIN bookings AS b ON b.user_id = u.user_id
ORDER BY u.email, b.start_date;
-- --8<-- [end:left_users_bookings]
