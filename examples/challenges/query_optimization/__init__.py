"""Challenge case study: optimizing database queries at scale (docs/challenges/optimizing-database-queries.md)."""
