-- The booking database of the ALX Airbnb project: users, properties, bookings,
-- payments, reviews and messages, with every rule the data must obey written
-- as a constraint. Run it in an empty schema; seed.sql fills it.

-- --8<-- [start:types]
-- btree_gist lets one GiST index compare a uuid with = and a date range with &&,
-- which the no-overlap rule on bookings needs. It ships with PostgreSQL (contrib).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TYPE user_role AS ENUM ('guest', 'host', 'admin');
CREATE TYPE booking_status AS ENUM ('pending', 'confirmed', 'canceled');
CREATE TYPE payment_method AS ENUM ('credit_card', 'paypal', 'stripe');
-- --8<-- [end:types]

-- --8<-- [start:users]
CREATE TABLE users (
    user_id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    first_name    text NOT NULL,
    last_name     text NOT NULL,
    email         text NOT NULL,
    password_hash text NOT NULL,
    phone_number  text,                      -- optional: the only nullable column
    role          user_role NOT NULL DEFAULT 'guest',
    created_at    timestamptz NOT NULL DEFAULT now()
);
-- --8<-- [start:email_index]
-- One account per address, whatever its capitalisation: a UNIQUE constraint on
-- email itself would accept both amina@example.com and Amina@Example.com.
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
-- --8<-- [end:email_index]
-- --8<-- [end:users]

-- --8<-- [start:properties]
CREATE TABLE properties (
    property_id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- A host who still lists properties cannot be deleted.
    host_id         uuid NOT NULL REFERENCES users (user_id) ON DELETE RESTRICT,
    name            text NOT NULL,
    description     text NOT NULL,
    location        text NOT NULL,
    price_per_night numeric(10, 2) NOT NULL CHECK (price_per_night > 0),
    created_at      timestamptz NOT NULL DEFAULT now()
);
-- --8<-- [end:properties]

-- --8<-- [start:bookings]
CREATE TABLE bookings (
    booking_id  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Deleting a property deletes its bookings (and is refused if one was paid:
    -- payments below RESTRICT the deletion of their booking).
    property_id uuid NOT NULL REFERENCES properties (property_id) ON DELETE CASCADE,
    -- A guest with bookings cannot be deleted: the bookings are business records.
    user_id     uuid NOT NULL REFERENCES users (user_id) ON DELETE RESTRICT,
    start_date  date NOT NULL,
    end_date    date NOT NULL,               -- the check-out day, not a night stayed
    total_price numeric(10, 2) NOT NULL CHECK (total_price >= 0),
    status      booking_status NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT bookings_end_after_start CHECK (end_date > start_date),
    -- No two live bookings of one property may share a night. daterange(start, end)
    -- is half-open, [start, end), so a check-out and a check-in on the same day
    -- do not overlap. Canceled bookings no longer hold their dates.
    CONSTRAINT bookings_no_overlap EXCLUDE USING gist (
        property_id WITH =,
        daterange(start_date, end_date) WITH &&
    ) WHERE (status <> 'canceled')
);
-- --8<-- [end:bookings]

-- --8<-- [start:payments]
CREATE TABLE payments (
    payment_id     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- Money records outlive everything: a paid booking cannot be deleted.
    booking_id     uuid NOT NULL REFERENCES bookings (booking_id) ON DELETE RESTRICT,
    amount         numeric(10, 2) NOT NULL CHECK (amount > 0),
    payment_date   timestamptz NOT NULL DEFAULT now(),
    payment_method payment_method NOT NULL
);
-- --8<-- [end:payments]

-- --8<-- [start:reviews]
CREATE TABLE reviews (
    review_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    property_id uuid NOT NULL REFERENCES properties (property_id) ON DELETE CASCADE,
    -- The review stays when its author deletes their account; the author becomes unknown.
    user_id     uuid REFERENCES users (user_id) ON DELETE SET NULL,
    rating      smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
    comment     text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reviews_one_per_guest UNIQUE (property_id, user_id)
);
-- --8<-- [end:reviews]

-- --8<-- [start:messages]
CREATE TABLE messages (
    message_id   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    sender_id    uuid REFERENCES users (user_id) ON DELETE SET NULL,
    recipient_id uuid REFERENCES users (user_id) ON DELETE SET NULL,
    message_body text NOT NULL,
    sent_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT messages_not_to_self CHECK (sender_id <> recipient_id)
);
-- --8<-- [end:messages]
