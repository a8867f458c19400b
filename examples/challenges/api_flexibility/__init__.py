"""Challenge case study: APIs that balance flexibility and performance (docs/challenges/api-flexibility-vs-performance.md)."""
