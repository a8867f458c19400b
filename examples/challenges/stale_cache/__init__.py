"""Challenge case study: stale data after caching, the invalidation race.

The note: docs/challenges/stale-data-after-caching.md.
"""
