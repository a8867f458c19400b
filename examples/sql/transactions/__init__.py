"""Concurrency examples of the transactions note."""
