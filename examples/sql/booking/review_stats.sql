-- Denormalization on purpose: each property carries its number of reviews and the
-- sum of their ratings, so a listing page can sort and show averages without
-- aggregating the reviews table on every request. A trigger keeps both columns
-- right on every INSERT, UPDATE and DELETE of a review.

-- --8<-- [start:columns]
ALTER TABLE properties
    ADD COLUMN review_count integer NOT NULL DEFAULT 0 CHECK (review_count >= 0),
    ADD COLUMN rating_sum   integer NOT NULL DEFAULT 0 CHECK (rating_sum >= 0);

-- Fill them once from the reviews that already exist.
UPDATE properties AS p
SET review_count = s.reviews, rating_sum = s.ratings
FROM (SELECT property_id, count(*) AS reviews, sum(rating) AS ratings
      FROM reviews GROUP BY property_id) AS s
WHERE s.property_id = p.property_id;

CREATE INDEX properties_review_count_idx ON properties (review_count DESC, name);
-- --8<-- [end:columns]

-- --8<-- [start:trigger]
CREATE FUNCTION reviews_keep_property_stats() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN          -- take the old row out
        UPDATE properties
        SET review_count = review_count - 1, rating_sum = rating_sum - OLD.rating
        WHERE property_id = OLD.property_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN          -- put the new row in
        UPDATE properties
        SET review_count = review_count + 1, rating_sum = rating_sum + NEW.rating
        WHERE property_id = NEW.property_id;
    END IF;
    RETURN NULL;                                   -- ignored for AFTER triggers
END;
$$;

CREATE TRIGGER reviews_keep_property_stats
AFTER INSERT OR DELETE OR UPDATE OF property_id, rating ON reviews
FOR EACH ROW EXECUTE FUNCTION reviews_keep_property_stats();
-- --8<-- [end:trigger]

-- --8<-- [start:top_computed]
-- Without the cache: aggregate every review on every request.
SELECT p.name, count(r.review_id) AS reviews, round(avg(r.rating), 2) AS average
FROM properties AS p
LEFT JOIN reviews AS r ON r.property_id = p.property_id
GROUP BY p.property_id, p.name
ORDER BY reviews DESC, p.name
LIMIT 10;
-- --8<-- [end:top_computed]

-- --8<-- [start:top_cached]
-- With the cache: read ten rows of properties, in index order.
SELECT name, review_count AS reviews,
       round(rating_sum::numeric / nullif(review_count, 0), 2) AS average
FROM properties
ORDER BY review_count DESC, name
LIMIT 10;
-- --8<-- [end:top_cached]

-- --8<-- [start:drift]
-- The check a cache needs: properties whose cached figures disagree with the reviews.
SELECT p.name
FROM properties AS p
LEFT JOIN (SELECT property_id, count(*) AS reviews, sum(rating) AS ratings
           FROM reviews GROUP BY property_id) AS s ON s.property_id = p.property_id
WHERE p.review_count <> coalesce(s.reviews, 0) OR p.rating_sum <> coalesce(s.ratings, 0);
-- --8<-- [end:drift]
