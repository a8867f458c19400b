"""Password hashing in Django 5.2: the stored format, checking, and the upgrade of old hashes at
the next login (ip_tracking/passwords.py). Real hashers; the slow ones run once each."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.hashers import (
    MD5PasswordHasher,
    PBKDF2PasswordHasher,
    ScryptPasswordHasher,
    check_password,
    make_password,
)

from ip_tracking.passwords import PREFER_SCRYPT, describe
from measurements import matches_recorded

PASSWORD = "correct-horse-battery-staple"
PBKDF2 = "django.contrib.auth.hashers.PBKDF2PasswordHasher"
MD5 = "django.contrib.auth.hashers.MD5PasswordHasher"


def test_the_stored_formats_of_the_default_and_the_scrypt_hasher(settings):
    settings.PASSWORD_HASHERS = PREFER_SCRYPT
    scrypt = make_password(PASSWORD)
    scrypt_format = describe(scrypt)  # identify_hasher() knows only the hashers in the setting
    settings.PASSWORD_HASHERS = [PBKDF2]
    default = make_password(PASSWORD)

    assert default.startswith("pbkdf2_sha256$1000000$")  # Django 5.2's default work factor
    assert scrypt.startswith("scrypt$16384$")
    assert check_password(PASSWORD, default)  # hashes the candidate with the stored salt and count

    rows = ["| Hasher | What `user.password` holds |", "| --- | --- |",
            f"| `PBKDF2PasswordHasher` (the default) | `{describe(default)}` |",
            f"| `ScryptPasswordHasher` | `{scrypt_format}` |"]
    assert matches_recorded("examples/django_project/ip_tracking/measured/password-hashes.md", "\n".join(rows) + "\n")


@pytest.mark.django_db
def test_a_higher_iteration_count_upgrades_the_hash_at_the_next_login(settings, monkeypatch, django_user_model):
    settings.PASSWORD_HASHERS = [PBKDF2]
    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 1_000)  # small numbers keep the test fast
    user = django_user_model.objects.create_user("alice", password=PASSWORD)
    assert user.password.startswith("pbkdf2_sha256$1000$")

    monkeypatch.setattr(PBKDF2PasswordHasher, "iterations", 2_000)  # what a Django upgrade does
    assert authenticate(username="alice", password="wrong") is None
    assert django_user_model.objects.get().password.startswith("pbkdf2_sha256$1000$")  # no login, no upgrade
    assert authenticate(username="alice", password=PASSWORD) == user
    assert django_user_model.objects.get().password.startswith("pbkdf2_sha256$2000$")  # re-hashed and saved


@pytest.mark.django_db
def test_moving_to_scrypt_rehashes_old_hashes_one_login_at_a_time(settings, monkeypatch, django_user_model):
    settings.PASSWORD_HASHERS = [MD5]  # "legacy": only in tests, never for real passwords
    django_user_model.objects.create_user("alice", password=PASSWORD)
    django_user_model.objects.create_user("bob", password=PASSWORD)

    monkeypatch.setattr(ScryptPasswordHasher, "work_factor", 2**10)  # fast; the format is the point here
    settings.PASSWORD_HASHERS = [*PREFER_SCRYPT, MD5]  # the old hasher stays listed, to verify old hashes
    assert authenticate(username="alice", password=PASSWORD) is not None
    hashes = dict(django_user_model.objects.values_list("username", "password"))
    assert hashes["alice"].startswith("scrypt$1024$")
    assert hashes["bob"].startswith("md5$")  # not logged in yet: still the old hash


def test_describe_masks_salt_and_digest_of_any_format(settings):
    settings.PASSWORD_HASHERS = [MD5]
    encoded = MD5PasswordHasher().encode(PASSWORD, "abc123")
    assert describe(encoded) == "md5$<salt: 6 chars>$<hash: 32 chars>"


def test_every_hash_gets_its_own_random_salt(settings):
    settings.PASSWORD_HASHERS = [MD5]  # fast; every hasher draws a new salt the same way
    first, second = make_password(PASSWORD), make_password(PASSWORD)
    assert first != second  # equal passwords, different hashes: one precomputed table fits no two users
    assert check_password(PASSWORD, first) and check_password(PASSWORD, second)
    assert not check_password("Correct-horse-battery-staple", first)  # one letter's case is enough
