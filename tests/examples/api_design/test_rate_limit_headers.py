"""Rate-limit headers on every response and Retry-After on the 429 (api_demo/ratelimit_headers.py),
counted by django-ratelimit in the real Redis with its clock frozen."""

from __future__ import annotations

import pytest

from api_demo.ratelimit_headers import LIMIT, WINDOW, rate_limit_headers
from measurements import matches_recorded

pytestmark = pytest.mark.django_db

URL = "/api-design/limited/"


def test_the_header_formats_for_one_policy():
    assert rate_limit_headers(policy="default", limit=100, window=60, remaining=50, reset=30, now=1_000) == {
        "RateLimit-Policy": '"default";q=100;w=60',
        "RateLimit": '"default";r=50;t=30',
        "X-RateLimit-Limit": "100",
        "X-RateLimit-Remaining": "50",
        "X-RateLimit-Reset": "1030",
    }


def test_each_response_counts_down_and_the_sixth_is_429_with_retry_after(
    client, ratelimit_cache, frozen_ratelimit_clock
):
    lines = ["| Request | Status | `RateLimit` | `X-RateLimit-Remaining` | `X-RateLimit-Reset` | `Retry-After` |",
             "| ---: | ---: | --- | ---: | ---: | ---: |"]
    responses = [client.get(URL) for _ in range(LIMIT + 2)]
    for number, response in enumerate(responses, start=1):
        lines.append(f"| {number} | {response.status_code} | `{response['RateLimit']}` | "
                     f"{response['X-RateLimit-Remaining']} | {response['X-RateLimit-Reset']} | "
                     f"{response.get('Retry-After', '-')} |")
    assert [r.status_code for r in responses] == [200] * LIMIT + [429, 429]
    assert [int(r["X-RateLimit-Remaining"]) for r in responses] == [4, 3, 2, 1, 0, 0, 0]
    assert {r["RateLimit-Policy"] for r in responses} == {f'"default";q={LIMIT};w={WINDOW}'}
    reset = int(responses[0]["RateLimit"].rsplit("t=", 1)[1])
    assert 1 <= reset <= WINDOW
    # The 429 says when to come back, and no earlier than the RateLimit reset.
    limited = responses[LIMIT]
    assert int(limited["Retry-After"]) == reset
    assert limited["Content-Type"] == "application/problem+json"
    assert limited.json()["detail"] == "At most 5 requests per 60 seconds."
    assert int(limited["X-RateLimit-Reset"]) == int(frozen_ratelimit_clock.time()) + reset
    # Refused requests count too: the counter in Redis holds all seven.
    redis_client = ratelimit_cache.client.get_client()
    assert [redis_client.get(key) for key in redis_client.keys("*")] == [b"7"]
    assert matches_recorded("examples/api_design/measured/rate-limit-headers.md", "\n".join(lines) + "\n")


def test_the_counter_lives_in_redis_so_every_worker_sees_it(client, ratelimit_cache, frozen_ratelimit_clock):
    client.get(URL)
    keys = ratelimit_cache.client.get_client().keys("*")  # django-redis: the raw Redis connection
    assert len(keys) == 1 and keys[0].startswith(b":1:rl:")  # Django's key prefix and version, then rl:


def test_with_rate_limiting_switched_off_no_headers_are_sent(client, settings, ratelimit_cache):
    settings.RATELIMIT_ENABLE = False
    response = client.get(URL)
    assert response.status_code == 200 and "RateLimit" not in response
