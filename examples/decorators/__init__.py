"""Decorators: wrapping functions with logging, retries, caching and database handling.

The note: docs/technologies/python/decorators.md.
"""
