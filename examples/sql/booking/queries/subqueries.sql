-- Subqueries on the seeded booking database (seed.sql).

-- --8<-- [start:uncorrelated]
-- Not correlated: the inner query does not mention the outer row, so it can be
-- run once. Properties whose average rating is above 4.0:
SELECT p.name
FROM properties AS p
WHERE p.property_id IN (
    SELECT r.property_id
    FROM reviews AS r
    GROUP BY r.property_id
    HAVING avg(r.rating) > 4.0
)
ORDER BY p.name;
-- --8<-- [end:uncorrelated]

-- --8<-- [start:correlated]
-- Correlated: the inner query reads u.user_id from the outer row, so it is
-- (logically) evaluated once per user. Users with more than 3 bookings:
SELECT u.first_name, u.last_name
FROM users AS u
WHERE (
    SELECT count(*)
    FROM bookings AS b
    WHERE b.user_id = u.user_id
) > 3
ORDER BY u.last_name;
-- --8<-- [end:correlated]

-- --8<-- [start:not_in]
-- Users who never sent a message, written with NOT IN. One message has a NULL
-- sender (a deleted account), so "user_id NOT IN (..., NULL)" is NULL for every
-- user, never true: the query returns no rows at all.
SELECT u.email
FROM users AS u
WHERE u.user_id NOT IN (SELECT m.sender_id FROM messages AS m)
ORDER BY u.email;
-- --8<-- [end:not_in]

-- --8<-- [start:not_exists]
-- The same question with NOT EXISTS, which compares row by row and is not
-- poisoned by a NULL: the three users who never sent a message.
SELECT u.email
FROM users AS u
WHERE NOT EXISTS (
    SELECT 1 FROM messages AS m WHERE m.sender_id = u.user_id
)
ORDER BY u.email;
-- --8<-- [end:not_exists]
