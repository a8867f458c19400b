"""Testing: a small HTTP API client and its tests, written with unittest and with pytest (docs/technologies/python/testing.md)."""
