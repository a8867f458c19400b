-- About 10,000 reviews for the review-count example, loaded through the booking
-- schema and its constraints: 10 hosts, 40 guests, 500 properties; property
-- number n gets reviews from the first 1 + n % 40 guests, so counts run from 1 to 40.
INSERT INTO users (first_name, last_name, email, password_hash, role)
SELECT 'User', 'No. ' || n, 'user' || lpad(n::text, 2, '0') || '@example.com', 'not-a-real-hash',
       CASE WHEN n <= 10 THEN 'host' ELSE 'guest' END::user_role
FROM generate_series(1, 50) AS n;

INSERT INTO properties (host_id, name, description, location, price_per_night)
SELECT host.user_id, 'Property ' || lpad(n::text, 3, '0'), 'Generated', 'City ' || n % 20, 50 + n % 200
FROM generate_series(1, 500) AS n
JOIN users AS host ON host.email = 'user' || lpad((1 + n % 10)::text, 2, '0') || '@example.com';

INSERT INTO reviews (property_id, user_id, rating, comment)
SELECT p.property_id, g.user_id, 1 + abs(hashtext(p.n || '-' || g.k)) % 5, 'Generated'
FROM (SELECT property_id, row_number() OVER (ORDER BY name) AS n FROM properties) AS p
JOIN (SELECT user_id, row_number() OVER (ORDER BY email) AS k FROM users WHERE role = 'guest') AS g
  ON g.k <= 1 + p.n % 40;
