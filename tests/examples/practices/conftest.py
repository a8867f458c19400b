"""Fixtures for the Best Practices notes' tests (docs/best-practices/)."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def empty_cache():
    """The API's throttles count in the cache: every test starts with no requests counted."""
    cache.clear()
    yield
    cache.clear()


# The factory fixture of the test-early note, defined next to its factories in examples/.
from practices.testing.factories import message_factory  # noqa: E402, F401
