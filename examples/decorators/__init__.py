"""Decorators: wrapping functions with logging, retries, caching and database handling (docs/technologies/python/decorators.md)."""
