"""django-ratelimit on the security note's views (ip_tracking/views.py), counted in the real
Redis: which request is refused, with 429 or 403, and the library's check on the cache."""

from __future__ import annotations

import pytest
from django.core.checks import run_checks

from measurements import matches_recorded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ratelimit_cache", "frozen_clock")]

STATUS, LOGIN = "/security/status/", "/security/login/"
PASSWORD = "correct-horse-battery-staple"  # alice's, from conftest.py


def statuses(send, times: int) -> list[int]:
    return [send().status_code for _ in range(times)]


def test_anonymous_clients_get_5_a_minute_and_signed_in_users_10(client, alice):
    anonymous = statuses(lambda: client.get(STATUS), 7)
    client.force_login(alice)
    signed_in = statuses(lambda: client.get(STATUS), 12)
    assert anonymous == [200] * 5 + [429] * 2
    assert signed_in == [200] * 10 + [429] * 2  # counted per user id, not per IP: a fresh budget

    wrong = {"username": "alice", "password": "wrong"}
    client.logout()
    guesses = statuses(lambda: client.post(LOGIN, wrong), 6)
    # The sixth POST is refused before the password is even checked, right or wrong.
    correct = client.post(LOGIN, {"username": "alice", "password": PASSWORD}).status_code
    assert guesses == [400] * 5 + [429] and correct == 429

    rows = ["| Requests in one minute | Responses |", "| --- | --- |",
            f"| 7 × `GET /security/status/`, anonymous | {summary(anonymous)} |",
            f"| 12 × `GET /security/status/`, signed in | {summary(signed_in)} |",
            f"| 6 wrong passwords, then the right one, `POST /security/login/` | {summary([*guesses, correct])} |"]
    assert matches_recorded("examples/django_project/ip_tracking/measured/rate-limits.md", "\n".join(rows) + "\n")


def summary(codes: list[int]) -> str:
    """[200, 200, 429] -> "2 × 200, then 1 × 429"."""
    runs: list[list[int]] = []
    for code in codes:
        if runs and runs[-1][0] == code:
            runs[-1][1] += 1
        else:
            runs.append([code, 1])
    return ", then ".join(f"{count} × {code}" for code, count in runs)


def test_the_429_is_a_problem_with_retry_after(client):
    statuses(lambda: client.get(STATUS), 5)
    response = client.get(STATUS)
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Too Many Requests"


def test_without_ratelimit_middleware_the_same_request_gets_djangos_403(client, settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "django_ratelimit.middleware.RatelimitMiddleware"]
    assert statuses(lambda: client.get(STATUS), 6) == [200] * 5 + [403]  # Ratelimited is a PermissionDenied


def test_each_ip_has_its_own_login_budget(client, alice):
    statuses(lambda: client.post(LOGIN, {"username": "alice", "password": "wrong"}), 5)
    assert client.post(LOGIN, {"username": "alice", "password": "wrong"}).status_code == 429
    other = client.post(LOGIN, {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="198.51.100.20")
    assert other.status_code == 200 and other.json() == {"username": "alice"}


def test_get_on_the_login_view_is_not_counted(client):
    assert statuses(lambda: client.get(LOGIN), 8) == [200] * 8  # method="POST" in the decorator


# --- the system check on the cache -------------------------------------------------------------

def ratelimit_check_ids() -> list[str]:
    return [message.id for message in run_checks(tags=["django_ratelimit"]) if not message.is_silenced()]


def test_the_library_refuses_a_local_memory_cache(settings):
    settings.CACHES = {**settings.CACHES, "ratelimit": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.SILENCED_SYSTEM_CHECKS = []
    assert ratelimit_check_ids() == ["django_ratelimit.E003", "django_ratelimit.W001"]


def test_redis_passes_the_check_with_nothing_silenced(settings):
    settings.SILENCED_SYSTEM_CHECKS = []  # the ratelimit_cache fixture put Redis behind the alias
    assert ratelimit_check_ids() == []


def test_the_development_default_silences_the_check_only_without_redis():
    from django.conf import settings

    assert settings.RATELIMIT_REDIS_URL == ""  # no NEXUS_RATELIMIT_REDIS_URL in the test environment
    assert settings.SILENCED_SYSTEM_CHECKS == ["django_ratelimit.E003", "django_ratelimit.W001"]
