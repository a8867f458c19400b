"""Challenge case study: an export that ran out of memory (docs/challenges/export-ran-out-of-memory.md)."""
