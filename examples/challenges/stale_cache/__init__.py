"""Challenge case study: stale data after caching, the invalidation race (docs/challenges/stale-data-after-caching.md)."""
