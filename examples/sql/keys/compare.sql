-- The same 50,000 rows keyed three ways, to compare the size of the primary-key
-- index. md5(n)::uuid gives random-looking UUIDs that are the same on every run.

-- --8<-- [start:tables]
CREATE TABLE keyed_by_bigint (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,   -- 8 bytes, increasing
    note text NOT NULL
);
CREATE TABLE keyed_by_random_uuid (
    id   uuid PRIMARY KEY,                                  -- 16 bytes, random order
    note text NOT NULL
);
CREATE TABLE keyed_by_ordered_uuid (
    id   uuid PRIMARY KEY,                                  -- 16 bytes, increasing
    note text NOT NULL
);

INSERT INTO keyed_by_bigint (note)
SELECT 'row ' || n FROM generate_series(1, 50000) AS n;
-- Random UUIDs, like gen_random_uuid(): each insert lands on a random leaf page.
INSERT INTO keyed_by_random_uuid (id, note)
SELECT md5(n::text)::uuid, 'row ' || n FROM generate_series(1, 50000) AS n;
-- The same UUIDs in increasing order, as time-ordered UUIDs would arrive.
INSERT INTO keyed_by_ordered_uuid (id, note)
SELECT md5(n::text)::uuid, 'row ' || n FROM generate_series(1, 50000) AS n
ORDER BY 1;
-- --8<-- [end:tables]

-- --8<-- [start:sizes]
SELECT t.relname AS table_name,
       pg_relation_size(i.indexrelid) / 1024 AS pk_index_kib,
       pg_relation_size(i.indexrelid) / 8192 AS index_pages
FROM pg_index AS i
JOIN pg_class AS t ON t.oid = i.indrelid
WHERE i.indisprimary AND t.relname LIKE 'keyed_by_%'
  AND t.relnamespace = current_schema()::regnamespace
ORDER BY pk_index_kib;
-- --8<-- [end:sizes]
