-- The columns of users, properties and bookings from booking/schema.sql, without
-- the foreign keys and the exclusion constraint: the plan examples load 200,000
-- rows in every test run, and checking each row against those constraints would
-- multiply the loading time. No SELECT in the examples reads a constraint.
-- The primary keys come after the load (end of generate.sql): building an index
-- once over sorted keys is much cheaper than inserting 200,000 random UUIDs into it.
CREATE TYPE user_role AS ENUM ('guest', 'host', 'admin');
CREATE TYPE booking_status AS ENUM ('pending', 'confirmed', 'canceled');

CREATE TABLE users (
    user_id       uuid NOT NULL,
    first_name    text NOT NULL,
    last_name     text NOT NULL,
    email         text NOT NULL,
    password_hash text NOT NULL,
    phone_number  text,
    role          user_role NOT NULL DEFAULT 'guest',
    created_at    timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE properties (
    property_id     uuid NOT NULL,
    host_id         uuid NOT NULL,
    name            text NOT NULL,
    description     text NOT NULL,
    location        text NOT NULL,
    price_per_night numeric(10, 2) NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE bookings (
    booking_id  uuid NOT NULL,
    property_id uuid NOT NULL,
    user_id     uuid NOT NULL,
    start_date  date NOT NULL,
    end_date    date NOT NULL,
    total_price numeric(10, 2) NOT NULL,
    status      booking_status NOT NULL DEFAULT 'pending',
    created_at  timestamptz NOT NULL DEFAULT now()
);
