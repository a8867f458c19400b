-- Two tables for the concurrency examples.

-- --8<-- [start:tables]
-- A hostel listing sells several identical beds per night, one booking at a time.
CREATE TABLE room_nights (
    property   text NOT NULL,
    night      date NOT NULL,
    rooms_left integer NOT NULL CHECK (rooms_left >= 0),
    PRIMARY KEY (property, night)
);

-- Stays of a whole-home listing, with NO exclusion constraint: here the
-- application itself checks that the nights are free before it inserts.
CREATE TABLE stays (
    property text NOT NULL,
    guest    text NOT NULL,
    nights   daterange NOT NULL
);
-- --8<-- [end:tables]

-- --8<-- [start:reset]
TRUNCATE room_nights, stays;
INSERT INTO room_nights VALUES ('Harbour Hostel', '2024-07-01', 5);
INSERT INTO stays VALUES ('Lakeside Cabin', 'amina', '[2024-07-01,2024-07-04)');
-- --8<-- [end:reset]
