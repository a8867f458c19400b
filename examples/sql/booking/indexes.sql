-- Indexes for the booking schema, each chosen for a query the application runs
-- (docs/concepts/sql-performance/indexes-and-plans.md shows how each was chosen).

-- --8<-- [start:foreign_keys]
-- PostgreSQL indexes the referenced side of a foreign key (a primary key has an
-- index) but never the referencing side. Without these, a join from the parent,
-- and the check that ON DELETE makes on the child table, read the whole child table.
CREATE INDEX properties_host_id_idx ON properties (host_id);
CREATE INDEX bookings_property_id_idx ON bookings (property_id);
CREATE INDEX payments_booking_id_idx ON payments (booking_id);
CREATE INDEX reviews_user_id_idx ON reviews (user_id);
CREATE INDEX messages_sender_id_idx ON messages (sender_id);
CREATE INDEX messages_recipient_id_idx ON messages (recipient_id);
-- Not needed: reviews.property_id (the index of reviews_one_per_guest starts with it).
-- bookings.property_id does need its own: the GiST index behind bookings_no_overlap
-- starts with it too, but it is a partial index (canceled bookings are not in it),
-- so only queries that also say status <> 'canceled' can use it.
-- --8<-- [end:foreign_keys]

-- --8<-- [start:guest_bookings]
-- "My trips": one guest's bookings in date order. Equality column first, then the
-- column that is ranged over or sorted on; it also serves user_id = ... alone.
CREATE INDEX bookings_user_id_start_date_idx ON bookings (user_id, start_date);
-- --8<-- [end:guest_bookings]
