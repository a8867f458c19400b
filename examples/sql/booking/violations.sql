-- One statement per rule of schema.sql, each breaking it on the seeded data.
-- Every one of them is refused; tests/examples/sql/test_database_design.py
-- asserts the error class and the constraint named in the error.

-- --8<-- [start:not_null]
INSERT INTO users (first_name, last_name, email, password_hash)
VALUES ('No', 'Address', NULL, 'not-a-real-hash');
-- --8<-- [end:not_null]

-- --8<-- [start:unique_email]
INSERT INTO users (first_name, last_name, email, password_hash)
VALUES ('Amina', 'Again', 'AMINA@example.com', 'not-a-real-hash');
-- --8<-- [end:unique_email]

-- --8<-- [start:primary_key]
INSERT INTO users (user_id, first_name, last_name, email, password_hash)
SELECT user_id, 'Copy', 'Of Kofi', 'kofi.copy@example.com', 'not-a-real-hash'
FROM users WHERE email = 'kofi@example.com';
-- --8<-- [end:primary_key]

-- --8<-- [start:foreign_key]
INSERT INTO bookings (property_id, user_id, start_date, end_date, total_price)
SELECT gen_random_uuid(), user_id, '2024-06-01', '2024-06-02', 100
FROM users WHERE email = 'amina@example.com';
-- --8<-- [end:foreign_key]

-- --8<-- [start:check_dates]
INSERT INTO bookings (property_id, user_id, start_date, end_date, total_price)
SELECT p.property_id, u.user_id, '2024-06-02', '2024-06-02', 0
FROM properties p, users u
WHERE p.name = 'Desert Camp' AND u.email = 'amina@example.com';
-- --8<-- [end:check_dates]

-- --8<-- [start:check_rating]
INSERT INTO reviews (property_id, user_id, rating, comment)
SELECT p.property_id, u.user_id, 6, 'Better than perfect!'
FROM properties p, users u
WHERE p.name = 'Garden Studio' AND u.email = 'amina@example.com';
-- --8<-- [end:check_rating]

-- --8<-- [start:check_price]
UPDATE properties SET price_per_night = 0 WHERE name = 'City Loft';
-- --8<-- [end:check_price]

-- --8<-- [start:unique_review]
INSERT INTO reviews (property_id, user_id, rating, comment)
SELECT p.property_id, u.user_id, 1, 'Changed my mind.'
FROM properties p, users u
WHERE p.name = 'Lakeside Cabin' AND u.email = 'amina@example.com';
-- --8<-- [end:unique_review]

-- --8<-- [start:enum_value]
UPDATE bookings SET status = 'cancelled' WHERE start_date = '2024-04-20';
-- --8<-- [end:enum_value]

-- --8<-- [start:overlap]
-- Lakeside Cabin is booked 2024-01-05 to 2024-01-08 (Amina) and 2024-01-08 to
-- 2024-01-10 (Tunde); Zara asks for the nights of the 6th and the 7th.
INSERT INTO bookings (property_id, user_id, start_date, end_date, total_price)
SELECT p.property_id, u.user_id, '2024-01-06', '2024-01-08', 240
FROM properties p, users u
WHERE p.name = 'Lakeside Cabin' AND u.email = 'zara@example.com';
-- --8<-- [end:overlap]

-- --8<-- [start:allowed_bookings]
-- Accepted: check-in on another guest's check-out day (ranges are [start, end)),
-- the dates of a canceled booking (Lakeside Cabin, May 1 to 4), and dates that
-- are taken at one property but free at another.
INSERT INTO bookings (property_id, user_id, start_date, end_date, total_price, status)
SELECT p.property_id, u.user_id, v.start_date::date, v.end_date::date, 0, 'confirmed'
FROM (VALUES
    ('Lakeside Cabin', '2024-01-10', '2024-01-12'),
    ('Lakeside Cabin', '2024-05-02', '2024-05-03'),
    ('Desert Camp',    '2024-01-05', '2024-01-08')
) AS v (property, start_date, end_date)
JOIN properties p ON p.name = v.property
JOIN users u ON u.email = 'zara@example.com';
-- --8<-- [end:allowed_bookings]

-- --8<-- [start:check_passes_null]
-- A CHECK constraint rejects only a FALSE result. With a NULL sender,
-- "sender_id <> recipient_id" is NULL, not FALSE, so the row is accepted.
INSERT INTO messages (sender_id, recipient_id, message_body)
SELECT NULL, user_id, 'Who sent this?' FROM users WHERE email = 'kofi@example.com';
-- --8<-- [end:check_passes_null]

-- --8<-- [start:anonymous_reviews]
-- Two reviews of one property whose authors deleted their accounts: user_id is
-- NULL in both. A plain UNIQUE (property_id, user_id) accepts them.
INSERT INTO reviews (property_id, user_id, rating, comment)
SELECT property_id, NULL, v.rating, 'Anonymous'
FROM properties, (VALUES (4), (5)) AS v (rating)
WHERE name = 'Garden Studio';
-- --8<-- [end:anonymous_reviews]

-- --8<-- [start:nulls_not_distinct]
-- PostgreSQL 15 and later: NULLS NOT DISTINCT treats NULLs as equal to each
-- other, so the same two anonymous reviews are one review too many.
ALTER TABLE reviews
    DROP CONSTRAINT reviews_one_per_guest,
    ADD CONSTRAINT reviews_one_per_guest UNIQUE NULLS NOT DISTINCT (property_id, user_id);
-- --8<-- [end:nulls_not_distinct]
