-- What each ON DELETE rule of schema.sql does, one DELETE at a time, on the seeded data.

-- --8<-- [start:guest_with_bookings]
-- bookings.user_id ... ON DELETE RESTRICT: refused, Amina has bookings.
DELETE FROM users WHERE email = 'amina@example.com';
-- --8<-- [end:guest_with_bookings]

-- --8<-- [start:host_with_properties]
-- properties.host_id ... ON DELETE RESTRICT: refused, Kofi still lists properties.
DELETE FROM users WHERE email = 'kofi@example.com';
-- --8<-- [end:host_with_properties]

-- --8<-- [start:sender]
-- messages.sender_id ... ON DELETE SET NULL: Lulu goes, her message stays.
DELETE FROM users WHERE email = 'lulu@example.com';
-- --8<-- [end:sender]

-- --8<-- [start:unpaid_property]
-- bookings.property_id ... ON DELETE CASCADE: Garden Studio goes, and its one
-- (pending, unpaid) booking goes with it.
DELETE FROM properties WHERE name = 'Garden Studio';
-- --8<-- [end:unpaid_property]

-- --8<-- [start:paid_property]
-- The cascade reaches Lakeside Cabin's bookings, whose payments RESTRICT their
-- deletion: the whole statement is refused and nothing is deleted.
DELETE FROM properties WHERE name = 'Lakeside Cabin';
-- --8<-- [end:paid_property]
