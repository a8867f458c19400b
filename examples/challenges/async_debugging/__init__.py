"""Challenge case study: debugging asynchronous code (docs/challenges/debugging-async-code.md)."""
