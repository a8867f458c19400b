"""Challenge case study: APIs that balance flexibility and performance.

The note: docs/challenges/api-flexibility-vs-performance.md.
"""
