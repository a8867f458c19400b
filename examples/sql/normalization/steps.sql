-- Normalizing a bookings spreadsheet to third normal form, one step at a time,
-- with the anomaly each step removes. Natural keys (e-mail, property name,
-- booking reference) keep the example readable; booking/schema.sql uses UUIDs.

-- ---------------------------------------------------------------- 0NF
-- --8<-- [start:sheet]
-- The spreadsheet as it was kept: one row per booking, and all its payments
-- typed into one cell.
CREATE TABLE booking_sheet (
    booking_ref     text PRIMARY KEY,
    guest_email     text,
    guest_name      text,
    property_name   text,
    property_city   text,
    host_email      text,
    host_name       text,
    price_per_night numeric(10, 2),
    start_date      date,
    end_date        date,
    payments        text        -- 'date method amount; date method amount; ...'
);
INSERT INTO booking_sheet VALUES
    ('B1', 'amina@example.com', 'Amina Okafor', 'Lakeside Cabin', 'Naivasha', 'kofi@example.com',    'Kofi Mensah',   120.00, '2024-01-05', '2024-01-08', '2023-12-20 credit_card 360.00'),
    ('B2', 'amina@example.com', 'Amina Okafor', 'City Loft',      'Nairobi',  'kofi@example.com',    'Kofi Mensah',    85.00, '2024-02-10', '2024-02-12', '2024-02-01 paypal 170.00'),
    ('B3', 'amina@example.com', 'Amina Okafor', 'Beach House',    'Mombasa',  'wanjiru@example.com', 'Wanjiru Kamau', 200.00, '2024-03-01', '2024-03-05', '2024-02-01 stripe 400.00; 2024-03-01 stripe 400.00'),
    ('B4', 'tunde@example.com', 'Tunde Bello',  'Lakeside Cabin', 'Naivasha', 'kofi@example.com',    'Kofi Mensah',   120.00, '2024-01-08', '2024-01-10', '2024-01-07 credit_card 240.00'),
    ('B5', 'amina@example.com', 'Amina Okafor', 'Garden Studio',  'Kigali',   'wanjiru@example.com', 'Wanjiru Kamau',  60.00, '2024-04-20', '2024-04-21', '');
-- --8<-- [end:sheet]

-- --8<-- [start:sheet_typo]
-- A third payment for B3, typed with the letter O instead of zeros. The cell is
-- text, so the database has nothing to check it against: accepted.
UPDATE booking_sheet
SET payments = payments || '; 2024-03-02 stripe 4OO.00'
WHERE booking_ref = 'B3';
-- --8<-- [end:sheet_typo]

-- --8<-- [start:sheet_stripe_total]
-- Every question about payments has to take the cell apart first, and the typo
-- surfaces only now, when a report reads it: invalid input syntax for numeric.
SELECT sum(split_part(payment, ' ', 3)::numeric) AS paid_by_stripe
FROM booking_sheet,
     regexp_split_to_table(payments, ';\s*') AS payment
WHERE split_part(payment, ' ', 2) = 'stripe';
-- --8<-- [end:sheet_stripe_total]

-- ---------------------------------------------------------------- 1NF
-- --8<-- [start:first_nf]
-- First normal form: one value per cell and no repeating groups, so one row per
-- payment. The key becomes (booking_ref, payment_no), and every booking fact is
-- repeated on each of its payment lines.
CREATE TABLE booking_lines (
    booking_ref     text,
    payment_no      integer,
    guest_email     text,
    guest_name      text,
    property_name   text,
    property_city   text,
    host_email      text,
    host_name       text,
    price_per_night numeric(10, 2),
    start_date      date,
    end_date        date,
    paid_on         date,
    method          text,
    amount          numeric(10, 2) CHECK (amount > 0),
    PRIMARY KEY (booking_ref, payment_no)
);
INSERT INTO booking_lines VALUES
    ('B1', 1, 'amina@example.com', 'Amina Okafor', 'Lakeside Cabin', 'Naivasha', 'kofi@example.com',    'Kofi Mensah',   120.00, '2024-01-05', '2024-01-08', '2023-12-20', 'credit_card', 360.00),
    ('B2', 1, 'amina@example.com', 'Amina Okafor', 'City Loft',      'Nairobi',  'kofi@example.com',    'Kofi Mensah',    85.00, '2024-02-10', '2024-02-12', '2024-02-01', 'paypal',      170.00),
    ('B3', 1, 'amina@example.com', 'Amina Okafor', 'Beach House',    'Mombasa',  'wanjiru@example.com', 'Wanjiru Kamau', 200.00, '2024-03-01', '2024-03-05', '2024-02-01', 'stripe',      400.00),
    ('B3', 2, 'amina@example.com', 'Amina Okafor', 'Beach House',    'Mombasa',  'wanjiru@example.com', 'Wanjiru Kamau', 200.00, '2024-03-01', '2024-03-05', '2024-03-01', 'stripe',      400.00),
    ('B4', 1, 'tunde@example.com', 'Tunde Bello',  'Lakeside Cabin', 'Naivasha', 'kofi@example.com',    'Kofi Mensah',   120.00, '2024-01-08', '2024-01-10', '2024-01-07', 'credit_card', 240.00);
-- --8<-- [end:first_nf]

-- --8<-- [start:first_nf_typo]
-- The same typo is now refused when it is written, not when a report reads it.
INSERT INTO booking_lines (booking_ref, payment_no, paid_on, method, amount)
VALUES ('B3', 3, '2024-03-02', 'stripe', '4OO.00');
-- --8<-- [end:first_nf_typo]

-- --8<-- [start:first_nf_paid_by_stripe]
SELECT sum(amount) AS paid_by_stripe FROM booking_lines WHERE method = 'stripe';
-- --8<-- [end:first_nf_paid_by_stripe]

-- --8<-- [start:first_nf_update_anomaly]
-- Update anomaly. The guest stays one more night; the change reaches one of B3's
-- two lines, and the table now gives two answers to "when does B3 end?".
UPDATE booking_lines SET end_date = '2024-03-06'
WHERE booking_ref = 'B3' AND payment_no = 1;
-- --8<-- [end:first_nf_update_anomaly]

-- --8<-- [start:first_nf_insert_anomaly]
-- Insertion anomaly. B5 has no payment yet, and payment_no is part of the key,
-- so the booking cannot be recorded at all.
INSERT INTO booking_lines (booking_ref, guest_email, property_name, start_date, end_date)
VALUES ('B5', 'amina@example.com', 'Garden Studio', '2024-04-20', '2024-04-21');
-- --8<-- [end:first_nf_insert_anomaly]

-- --8<-- [start:end_dates_per_booking]
SELECT booking_ref, count(DISTINCT end_date) AS end_dates
FROM booking_lines
GROUP BY booking_ref
HAVING count(DISTINCT end_date) > 1;
-- --8<-- [end:end_dates_per_booking]

-- ---------------------------------------------------------------- 2NF
-- --8<-- [start:second_nf]
-- Second normal form: no column may depend on part of the key. Everything except
-- the payment columns depends on booking_ref alone (a partial dependency), so the
-- booking facts move to a table keyed by booking_ref, stored once per booking.
CREATE TABLE bookings_2nf (
    booking_ref     text PRIMARY KEY,
    guest_email     text NOT NULL,
    guest_name      text NOT NULL,
    property_name   text NOT NULL,
    property_city   text NOT NULL,
    host_email      text NOT NULL,
    host_name       text NOT NULL,
    price_per_night numeric(10, 2) NOT NULL,
    start_date      date NOT NULL,
    end_date        date NOT NULL
);
CREATE TABLE payments_2nf (
    booking_ref text REFERENCES bookings_2nf,
    payment_no  integer,
    paid_on     date NOT NULL,
    method      text NOT NULL,
    amount      numeric(10, 2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (booking_ref, payment_no)
);
INSERT INTO bookings_2nf VALUES
    ('B1', 'amina@example.com', 'Amina Okafor', 'Lakeside Cabin', 'Naivasha', 'kofi@example.com',    'Kofi Mensah',   120.00, '2024-01-05', '2024-01-08'),
    ('B2', 'amina@example.com', 'Amina Okafor', 'City Loft',      'Nairobi',  'kofi@example.com',    'Kofi Mensah',    85.00, '2024-02-10', '2024-02-12'),
    ('B3', 'amina@example.com', 'Amina Okafor', 'Beach House',    'Mombasa',  'wanjiru@example.com', 'Wanjiru Kamau', 200.00, '2024-03-01', '2024-03-05'),
    ('B4', 'tunde@example.com', 'Tunde Bello',  'Lakeside Cabin', 'Naivasha', 'kofi@example.com',    'Kofi Mensah',   120.00, '2024-01-08', '2024-01-10'),
    ('B5', 'amina@example.com', 'Amina Okafor', 'Garden Studio',  'Kigali',   'wanjiru@example.com', 'Wanjiru Kamau',  60.00, '2024-04-20', '2024-04-21');
INSERT INTO payments_2nf VALUES
    ('B1', 1, '2023-12-20', 'credit_card', 360.00),
    ('B2', 1, '2024-02-01', 'paypal',      170.00),
    ('B3', 1, '2024-02-01', 'stripe',      400.00),
    ('B3', 2, '2024-03-01', 'stripe',      400.00),
    ('B4', 1, '2024-01-07', 'credit_card', 240.00);
-- --8<-- [end:second_nf]

-- --8<-- [start:second_nf_update]
-- The longer stay is now one row to change, and B5 exists without a payment.
UPDATE bookings_2nf SET end_date = '2024-03-06' WHERE booking_ref = 'B3';
-- --8<-- [end:second_nf_update]

-- --8<-- [start:second_nf_update_anomaly]
-- Update anomaly left in 2NF: the host's name depends on the host, not on the
-- booking (booking -> property -> host -> name, a transitive dependency). Kofi
-- changes his display name; the change reaches one of his three bookings.
UPDATE bookings_2nf SET host_name = 'Kofi A. Mensah' WHERE booking_ref = 'B1';
-- --8<-- [end:second_nf_update_anomaly]

-- --8<-- [start:names_per_host]
SELECT host_email, count(DISTINCT host_name) AS names
FROM bookings_2nf
GROUP BY host_email
HAVING count(DISTINCT host_name) > 1;
-- --8<-- [end:names_per_host]

-- --8<-- [start:second_nf_delete_anomaly]
-- Deletion anomaly: B5 is Garden Studio's only booking. Canceling it also
-- deletes the only record of the studio's city and nightly price.
DELETE FROM bookings_2nf WHERE booking_ref = 'B5';
SELECT property_name, price_per_night FROM bookings_2nf WHERE property_name = 'Garden Studio';
-- --8<-- [end:second_nf_delete_anomaly]

-- ---------------------------------------------------------------- 3NF
-- --8<-- [start:third_nf]
-- Third normal form: every non-key column depends on the key, the whole key and
-- nothing but the key. People, properties, bookings and payments each get a table,
-- and each fact is stored once.
CREATE TABLE people_3nf (
    email     text PRIMARY KEY,
    full_name text NOT NULL
);
CREATE TABLE properties_3nf (
    name            text PRIMARY KEY,
    city            text NOT NULL,
    host_email      text NOT NULL REFERENCES people_3nf,
    price_per_night numeric(10, 2) NOT NULL
);
CREATE TABLE bookings_3nf (
    booking_ref   text PRIMARY KEY,
    guest_email   text NOT NULL REFERENCES people_3nf,
    property_name text NOT NULL REFERENCES properties_3nf,
    start_date    date NOT NULL,
    end_date      date NOT NULL
);
CREATE TABLE payments_3nf (
    booking_ref text REFERENCES bookings_3nf,
    payment_no  integer,
    paid_on     date NOT NULL,
    method      text NOT NULL,
    amount      numeric(10, 2) NOT NULL CHECK (amount > 0),
    PRIMARY KEY (booking_ref, payment_no)
);
INSERT INTO people_3nf VALUES
    ('amina@example.com', 'Amina Okafor'), ('tunde@example.com', 'Tunde Bello'),
    ('kofi@example.com', 'Kofi Mensah'), ('wanjiru@example.com', 'Wanjiru Kamau');
INSERT INTO properties_3nf VALUES
    ('Lakeside Cabin', 'Naivasha', 'kofi@example.com',    120.00),
    ('City Loft',      'Nairobi',  'kofi@example.com',     85.00),
    ('Beach House',    'Mombasa',  'wanjiru@example.com', 200.00),
    ('Garden Studio',  'Kigali',   'wanjiru@example.com',  60.00);
INSERT INTO bookings_3nf VALUES
    ('B1', 'amina@example.com', 'Lakeside Cabin', '2024-01-05', '2024-01-08'),
    ('B2', 'amina@example.com', 'City Loft',      '2024-02-10', '2024-02-12'),
    ('B3', 'amina@example.com', 'Beach House',    '2024-03-01', '2024-03-05'),
    ('B4', 'tunde@example.com', 'Lakeside Cabin', '2024-01-08', '2024-01-10'),
    ('B5', 'amina@example.com', 'Garden Studio',  '2024-04-20', '2024-04-21');
INSERT INTO payments_3nf VALUES
    ('B1', 1, '2023-12-20', 'credit_card', 360.00),
    ('B2', 1, '2024-02-01', 'paypal',      170.00),
    ('B3', 1, '2024-02-01', 'stripe',      400.00),
    ('B3', 2, '2024-03-01', 'stripe',      400.00),
    ('B4', 1, '2024-01-07', 'credit_card', 240.00);
-- --8<-- [end:third_nf]

-- --8<-- [start:third_nf_rename]
-- The rename is one row, and every booking sees it through the join.
UPDATE people_3nf SET full_name = 'Kofi A. Mensah' WHERE email = 'kofi@example.com';
SELECT b.booking_ref, host.full_name AS host_name
FROM bookings_3nf AS b
JOIN properties_3nf AS p ON p.name = b.property_name
JOIN people_3nf AS host ON host.email = p.host_email
ORDER BY b.booking_ref;
-- --8<-- [end:third_nf_rename]

-- --8<-- [start:third_nf_delete]
-- Canceling B5 leaves Garden Studio and its price in place.
DELETE FROM bookings_3nf WHERE booking_ref = 'B5';
SELECT name, price_per_night FROM properties_3nf WHERE name = 'Garden Studio';
-- --8<-- [end:third_nf_delete]
