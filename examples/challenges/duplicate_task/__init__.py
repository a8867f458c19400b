"""Challenge case study: a background task that ran twice (docs/challenges/task-ran-twice.md)."""
