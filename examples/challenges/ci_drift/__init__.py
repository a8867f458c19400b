"""Challenge case study: passed locally, failed in CI (docs/challenges/passed-locally-failed-in-ci.md)."""
