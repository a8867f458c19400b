"""Sort the tests of this repository into the layers of the test pyramid.

The test for docs/best-practices/test-early-test-often.md collects every test under tests/
with pytest and hands each one's fixtures, markers and module to `layer()`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

# --8<-- [start:layers]
END_TO_END = {"page", "browser", "site_url", "live_server"}  # a real browser, or HTTP to a running server
INTEGRATION = {"db", "transactional_db", "client", "admin_client", "postgres", "redis", "site", "site_build"}


def layer(fixtures: Iterable[str], markers: Iterable[str], module_starts_programs: bool) -> str:
    """End-to-end: drives a browser or a running server. Integration: touches a database, a
    server, the built site or another program (git, nginx, a linter). Unit: everything else."""
    fixtures, markers = set(fixtures), set(markers)
    if fixtures & END_TO_END or "browser" in markers:
        return "end-to-end"
    if fixtures & INTEGRATION or "django_db" in markers or module_starts_programs:
        return "integration"
    return "unit"
    # --8<-- [end:layers]


def count_layers(tests: Iterable[dict]) -> Counter:
    """`tests`: {"fixtures": [...], "markers": [...], "starts_programs": bool} per collected test."""
    return Counter(layer(test["fixtures"], test["markers"], test["starts_programs"]) for test in tests)
