"""Fixtures of the security note's tests: a frozen rate-limit clock (the counters' Redis
fixture is in tests/examples/conftest.py), fast password hashing where hashing is not the
subject, and people to log in."""

from __future__ import annotations

import types

import pytest

PASSWORD = "correct-horse-battery-staple"



@pytest.fixture
def frozen_clock(monkeypatch):
    """django-ratelimit's windows are fixed: freezing its clock keeps a window boundary from
    resetting the counter in the middle of a test."""
    import django_ratelimit.core

    monkeypatch.setattr(django_ratelimit.core, "time", types.SimpleNamespace(time=lambda: 1_767_225_600.0))


@pytest.fixture
def fast_hashing(settings):
    # PBKDF2 at 1,000,000 iterations takes a noticeable fraction of a second per login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def alice(db, fast_hashing, django_user_model):
    return django_user_model.objects.create_user("alice", password=PASSWORD)
