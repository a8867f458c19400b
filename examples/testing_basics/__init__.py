"""Testing: a small HTTP API client and its tests, written with unittest and with pytest.

The note: docs/technologies/python/testing.md.
"""
