"""SQL examples of the database design and SQL performance notes, run on a real PostgreSQL."""
