-- A small, fixed data set for the booking schema: 7 users, 5 properties,
-- 9 bookings, 7 payments, 6 reviews, 5 messages. Keys are generated; rows refer
-- to each other by e-mail address and property name, so the file reads like data.

-- --8<-- [start:users]
INSERT INTO users (first_name, last_name, email, password_hash, role) VALUES
    ('Kofi',    'Mensah',  'kofi@example.com',    'not-a-real-hash', 'host'),
    ('Wanjiru', 'Kamau',   'wanjiru@example.com', 'not-a-real-hash', 'host'),
    ('Amina',   'Okafor',  'amina@example.com',   'not-a-real-hash', 'guest'),
    ('Tunde',   'Bello',   'tunde@example.com',   'not-a-real-hash', 'guest'),
    ('Zara',    'Ali',     'zara@example.com',    'not-a-real-hash', 'guest'),
    ('Lulu',    'Haile',   'lulu@example.com',    'not-a-real-hash', 'guest'),
    ('Sipho',   'Dlamini', 'sipho@example.com',   'not-a-real-hash', 'admin');
-- --8<-- [end:users]

-- --8<-- [start:properties]
INSERT INTO properties (host_id, name, description, location, price_per_night)
SELECT u.user_id, v.name, v.description, v.location, v.price
FROM (VALUES
    ('kofi@example.com',    'Lakeside Cabin', 'Two rooms by the lake',   'Naivasha', 120.00),
    ('kofi@example.com',    'City Loft',      'Top floor, city centre',  'Nairobi',   85.00),
    ('wanjiru@example.com', 'Beach House',    'Steps from the ocean',    'Mombasa',  200.00),
    ('wanjiru@example.com', 'Garden Studio',  'Quiet studio, garden',    'Kigali',    60.00),
    ('kofi@example.com',    'Desert Camp',    'Tents under the stars',   'Turkana',  150.00)
) AS v (host, name, description, location, price)
JOIN users u ON u.email = v.host;
-- --8<-- [end:properties]

-- --8<-- [start:bookings]
INSERT INTO bookings (property_id, user_id, start_date, end_date, total_price, status)
SELECT p.property_id, u.user_id, v.start_date::date, v.end_date::date,
       p.price_per_night * (v.end_date::date - v.start_date::date), v.status::booking_status
FROM (VALUES
    ('amina@example.com', 'Lakeside Cabin', '2024-01-05', '2024-01-08', 'confirmed'),
    ('amina@example.com', 'City Loft',      '2024-02-10', '2024-02-12', 'confirmed'),
    ('amina@example.com', 'Beach House',    '2024-03-01', '2024-03-05', 'confirmed'),
    ('amina@example.com', 'Garden Studio',  '2024-04-20', '2024-04-21', 'pending'),
    ('tunde@example.com', 'Lakeside Cabin', '2024-01-08', '2024-01-10', 'confirmed'),
    ('tunde@example.com', 'Beach House',    '2024-03-05', '2024-03-07', 'confirmed'),
    ('tunde@example.com', 'Lakeside Cabin', '2024-05-01', '2024-05-04', 'canceled'),
    ('zara@example.com',  'Beach House',    '2024-02-14', '2024-02-16', 'confirmed'),
    ('zara@example.com',  'City Loft',      '2024-05-01', '2024-05-03', 'pending')
) AS v (guest, property, start_date, end_date, status)
JOIN users u ON u.email = v.guest
JOIN properties p ON p.name = v.property;
-- --8<-- [end:bookings]

-- --8<-- [start:payments]
-- One row per payment: Amina paid the Beach House in two halves.
INSERT INTO payments (booking_id, amount, payment_date, payment_method)
SELECT b.booking_id, v.amount, v.paid_at::timestamptz, v.method::payment_method
FROM (VALUES
    ('amina@example.com', 'Lakeside Cabin', '2024-01-05', 360.00, '2023-12-20 09:00+00', 'credit_card'),
    ('amina@example.com', 'City Loft',      '2024-02-10', 170.00, '2024-02-01 09:00+00', 'paypal'),
    ('amina@example.com', 'Beach House',    '2024-03-01', 400.00, '2024-02-01 15:00+00', 'stripe'),
    ('amina@example.com', 'Beach House',    '2024-03-01', 400.00, '2024-03-01 08:00+00', 'stripe'),
    ('tunde@example.com', 'Lakeside Cabin', '2024-01-08', 240.00, '2024-01-07 18:00+00', 'credit_card'),
    ('tunde@example.com', 'Beach House',    '2024-03-05', 400.00, '2024-03-04 12:00+00', 'paypal'),
    ('zara@example.com',  'Beach House',    '2024-02-14', 400.00, '2024-02-10 10:00+00', 'credit_card')
) AS v (guest, property, start_date, amount, paid_at, method)
JOIN users u ON u.email = v.guest
JOIN properties p ON p.name = v.property
JOIN bookings b ON b.user_id = u.user_id AND b.property_id = p.property_id
               AND b.start_date = v.start_date::date;
-- --8<-- [end:payments]

-- --8<-- [start:reviews]
INSERT INTO reviews (property_id, user_id, rating, comment)
SELECT p.property_id, u.user_id, v.rating, v.comment
FROM (VALUES
    ('amina@example.com', 'Lakeside Cabin', 5, 'Woke up to hippos.'),
    ('tunde@example.com', 'Lakeside Cabin', 4, 'Lovely, a bit cold at night.'),
    ('amina@example.com', 'City Loft',      3, 'Noisy street.'),
    ('amina@example.com', 'Beach House',    5, 'Perfect.'),
    ('tunde@example.com', 'Beach House',    4, 'Great host.'),
    ('zara@example.com',  'Beach House',    5, 'Would come back.')
) AS v (guest, property, rating, comment)
JOIN users u ON u.email = v.guest
JOIN properties p ON p.name = v.property;
-- --8<-- [end:reviews]

-- --8<-- [start:messages]
-- The last message's sender deleted their account, so sender_id is NULL
-- (what ON DELETE SET NULL leaves behind).
INSERT INTO messages (sender_id, recipient_id, message_body, sent_at)
SELECT s.user_id, r.user_id, v.body, v.sent_at::timestamptz
FROM (VALUES
    ('amina@example.com', 'kofi@example.com',    'Is early check-in possible?', '2024-01-03 10:00+00'),
    ('kofi@example.com',  'amina@example.com',   'Yes, from 11:00.',            '2024-01-03 10:30+00'),
    ('zara@example.com',  'wanjiru@example.com', 'Is parking included?',        '2024-02-11 08:00+00'),
    ('lulu@example.com',  'kofi@example.com',    'Do you allow pets?',          '2024-02-11 09:00+00'),
    (NULL,                'wanjiru@example.com', 'Please cancel my request.',   '2024-02-12 09:00+00')
) AS v (sender, recipient, body, sent_at)
LEFT JOIN users s ON s.email = v.sender
JOIN users r ON r.email = v.recipient;
-- --8<-- [end:messages]
