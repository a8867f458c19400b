"""The four middleware classes, driven through the test client against messaging/demo_urls.py.

Each behaviour is off in the project's settings; each test switches one on with the `settings`
fixture (the middleware read their settings per request) and fixes the clock where time matters.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from django.conf import settings as project_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measurements import matches_recorded
from messaging.middleware import OpeningHoursMiddleware, PostRateLimitMiddleware

pytestmark = [pytest.mark.urls("messaging.demo_urls"), pytest.mark.django_db]

MINE = [
    "messaging.middleware.RequestLoggingMiddleware",
    "messaging.middleware.OpeningHoursMiddleware",
    "messaging.middleware.PostRateLimitMiddleware",
    "messaging.middleware.StaffOnlyPathsMiddleware",
]


def logged(caplog) -> list[logging.LogRecord]:
    """Our lines only: Django's own "django.request" logger also warns about 4xx responses."""
    return [record for record in caplog.records if record.name == "nexus.requests"]


def at(hour: int, minute: int = 0):
    """A clock frozen at hour:minute, for OpeningHoursMiddleware.clock."""
    return staticmethod(lambda: datetime(2025, 3, 14, hour, minute, tzinfo=UTC))


# --- order and defaults -------------------------------------------------------------------------

def test_the_classes_are_listed_in_order_after_authentication_middleware():
    auth = project_settings.MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
    positions = [project_settings.MIDDLEWARE.index(name) for name in MINE]
    assert positions == sorted(positions) and positions[0] > auth


def test_with_the_default_settings_every_behaviour_is_off(client, clean_cache):
    assert project_settings.NEXUS_OPEN_HOURS is None
    assert project_settings.NEXUS_POST_RATE_LIMIT is None
    assert all(client.post("/demo/messages/").status_code == 200 for _ in range(20))


# --- request logging ----------------------------------------------------------------------------------

def test_each_request_is_logged_with_method_path_and_status(client, caplog):
    with caplog.at_level(logging.INFO, logger="nexus.requests"):
        client.get("/demo/messages/")
        client.post("/demo/messages/")
        client.get("/no-such-page/")
    assert [(r.method, r.path, r.status, r.user) for r in logged(caplog)] == [
        ("GET", "/demo/messages/", 200, "-"),
        ("POST", "/demo/messages/", 200, "-"),
        ("GET", "/no-such-page/", 404, "-"),
    ]
    assert logged(caplog)[0].getMessage().startswith("GET /demo/messages/ 200 ")


def test_logging_the_user_costs_two_queries_when_the_view_did_not_need_the_user(
    client, settings, people, caplog, django_assert_num_queries
):
    client.force_login(people.alice)
    with django_assert_num_queries(0):
        client.get("/demo/messages/")  # the view never reads request.user: nothing loaded
    settings.NEXUS_LOG_REQUEST_USER = True
    with caplog.at_level(logging.INFO, logger="nexus.requests"), django_assert_num_queries(2):
        client.get("/demo/messages/")  # the session row, then the user row
    assert logged(caplog)[-1].user == "alice"


def test_logging_the_user_is_free_when_the_view_loaded_the_user_anyway(
    client, settings, people, caplog, django_assert_num_queries
):
    settings.NEXUS_LOG_REQUEST_USER = True
    client.force_login(people.bob)
    with caplog.at_level(logging.INFO, logger="nexus.requests"), django_assert_num_queries(2):
        assert client.get("/demo/whoami/").content == b"bob"
    assert logged(caplog)[-1].user == "bob"
    client.logout()
    with caplog.at_level(logging.INFO, logger="nexus.requests"):
        client.get("/demo/whoami/")
    assert logged(caplog)[-1].user == "anonymous"


# --- opening hours ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("hour", "minute", "status"), [
    (17, 59, 403), (18, 0, 200), (20, 59, 200), (21, 0, 403), (3, 0, 403),
])
def test_requests_outside_the_opening_hours_get_403(client, settings, monkeypatch, hour, minute, status):
    settings.NEXUS_OPEN_HOURS = (18, 21)
    monkeypatch.setattr(OpeningHoursMiddleware, "clock", at(hour, minute))
    response = client.get("/demo/messages/")
    assert response.status_code == status
    if status == 403:
        assert response.content == b"Open from 18:00 to 21:00 only."


@pytest.mark.parametrize(("hour", "status"), [(22, 200), (23, 200), (5, 200), (6, 403), (12, 403)])
def test_an_opening_window_may_span_midnight(client, settings, monkeypatch, hour, status):
    settings.NEXUS_OPEN_HOURS = (22, 6)
    monkeypatch.setattr(OpeningHoursMiddleware, "clock", at(hour))
    assert client.get("/demo/messages/").status_code == status


def test_the_real_clock_is_timezone_aware_local_time():
    assert OpeningHoursMiddleware.clock().tzinfo is not None


# --- rate limit --------------------------------------------------------------------------------------

@pytest.fixture
def frozen_time(monkeypatch):
    """A settable clock for PostRateLimitMiddleware: starts at t=1000 s (window 16 of 60 s)."""
    now = {"t": 1000.0}
    monkeypatch.setattr(PostRateLimitMiddleware, "clock", staticmethod(lambda: now["t"]))
    return now


def test_the_post_after_the_limit_gets_429_with_retry_after(client, settings, clean_cache, frozen_time):
    settings.NEXUS_POST_RATE_LIMIT = (3, 60)
    assert [client.post("/demo/messages/").status_code for _ in range(4)] == [200, 200, 200, 429]
    refused = client.post("/demo/messages/")
    assert refused.status_code == 429
    assert refused["Retry-After"] == "20"  # the window 960-1020 s ends 20 s after t=1000
    assert refused.content == b"Too many messages: 3 per 60 seconds."


def test_get_requests_are_not_counted(client, settings, clean_cache, frozen_time):
    settings.NEXUS_POST_RATE_LIMIT = (1, 60)
    assert [client.get("/demo/messages/").status_code for _ in range(5)] == [200] * 5
    assert client.post("/demo/messages/").status_code == 200


def test_each_client_ip_has_its_own_budget(client, settings, clean_cache, frozen_time):
    settings.NEXUS_POST_RATE_LIMIT = (1, 60)
    assert client.post("/demo/messages/", REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.post("/demo/messages/", REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post("/demo/messages/", REMOTE_ADDR="10.0.0.2").status_code == 200


def test_the_budget_comes_back_when_the_next_window_starts(client, settings, clean_cache, frozen_time):
    settings.NEXUS_POST_RATE_LIMIT = (1, 60)
    client.post("/demo/messages/")
    frozen_time["t"] = 1019.5
    assert client.post("/demo/messages/")["Retry-After"] == "1"  # rounded up, never 0
    frozen_time["t"] = 1020.0
    assert client.post("/demo/messages/").status_code == 200


def test_pitfall_a_fixed_window_lets_twice_the_limit_through_around_its_edge(
    client, settings, clean_cache, frozen_time
):
    settings.NEXUS_POST_RATE_LIMIT = (3, 60)
    frozen_time["t"] = 1019.0  # the last second of the window 960-1020
    end_of_window = [client.post("/demo/messages/").status_code for _ in range(3)]
    frozen_time["t"] = 1020.0  # one second later: a new window, a new budget
    start_of_next = [client.post("/demo/messages/").status_code for _ in range(3)]
    assert end_of_window + start_of_next == [200] * 6  # six POSTs within one second


def test_the_real_clock_is_unix_time():
    assert PostRateLimitMiddleware.clock() > 1_700_000_000


# --- staff-only paths -----------------------------------------------------------------------------------

def test_anonymous_and_ordinary_users_get_403_under_a_staff_only_prefix(client, people):
    assert client.get("/moderation/").status_code == 403
    client.force_login(people.alice)
    assert client.get("/moderation/").content == b"Staff only."


def test_staff_and_superusers_pass(client, people, superuser):
    people.bob.is_staff = True
    people.bob.save()
    client.force_login(people.bob)
    assert client.get("/moderation/").status_code == 200
    client.force_login(superuser)
    assert client.get("/moderation/").status_code == 200


def test_paths_outside_the_prefixes_are_not_checked(client, settings):
    assert client.get("/demo/messages/").status_code == 200
    settings.NEXUS_STAFF_ONLY_PREFIXES = ["/demo/"]
    assert client.get("/demo/messages/").status_code == 403
    settings.NEXUS_STAFF_ONLY_PREFIXES = []
    assert client.get("/moderation/").status_code == 200


def test_pitfall_placed_before_authentication_middleware_there_is_no_request_user(client, settings):
    mine_first = ["messaging.middleware.StaffOnlyPathsMiddleware", *[
        name for name in project_settings.MIDDLEWARE if name != "messaging.middleware.StaffOnlyPathsMiddleware"
    ]]
    settings.MIDDLEWARE = mine_first
    with pytest.raises(AttributeError, match="has no attribute 'user'"):
        client.get("/moderation/")


# --- the order, seen from outside ---------------------------------------------------------------------------

def test_the_outer_logger_records_what_the_inner_middleware_refused(
    client, settings, monkeypatch, caplog, clean_cache, frozen_time
):
    settings.NEXUS_POST_RATE_LIMIT = (1, 60)
    with caplog.at_level(logging.INFO, logger="nexus.requests"):
        client.post("/demo/messages/")
        client.post("/demo/messages/")
        client.get("/moderation/")
    assert [record.status for record in logged(caplog)] == [200, 429, 403]


def test_a_request_refused_by_the_clock_never_reaches_the_rate_limit(
    client, settings, monkeypatch, clean_cache, frozen_time
):
    settings.NEXUS_OPEN_HOURS = (18, 21)
    settings.NEXUS_POST_RATE_LIMIT = (1, 60)
    monkeypatch.setattr(OpeningHoursMiddleware, "clock", at(9))
    assert [client.post("/demo/messages/").status_code for _ in range(3)] == [403] * 3
    monkeypatch.setattr(OpeningHoursMiddleware, "clock", at(19))
    assert client.post("/demo/messages/").status_code == 200  # the closed hours used no budget


# --- the table the middleware note quotes ----------------------------------------------------------

def test_render_what_the_test_client_saw(client, settings, monkeypatch, people, superuser, clean_cache, frozen_time):
    rows = []

    settings.NEXUS_OPEN_HOURS = (18, 21)
    statuses = []
    for hour, minute in [(17, 59), (18, 0), (20, 59), (21, 0)]:
        monkeypatch.setattr(OpeningHoursMiddleware, "clock", at(hour, minute))
        statuses.append(client.get("/demo/messages/").status_code)
    rows.append(("`NEXUS_OPEN_HOURS = (18, 21)`", "GET at 17:59, 18:00, 20:59, 21:00", ", ".join(map(str, statuses))))
    settings.NEXUS_OPEN_HOURS = None

    settings.NEXUS_POST_RATE_LIMIT = (3, 60)
    responses = [client.post("/demo/messages/") for _ in range(4)]
    rows.append((
        "`NEXUS_POST_RATE_LIMIT = (3, 60)`, clock at t = 1000 s",
        "4 POSTs from one IP",
        ", ".join(str(r.status_code) for r in responses) + f" (`Retry-After: {responses[-1]['Retry-After']}`)",
    ))
    other_ip = client.post("/demo/messages/", REMOTE_ADDR="10.0.0.2").status_code
    rows.append(("the same limit", "then 1 POST from another IP", str(other_ip)))
    settings.NEXUS_POST_RATE_LIMIT = None

    people.bob.is_staff = True
    people.bob.save()
    statuses = [client.get("/moderation/").status_code]
    for user in (people.alice, people.bob, superuser):
        client.force_login(user)
        statuses.append(client.get("/moderation/").status_code)
    rows.append(("`NEXUS_STAFF_ONLY_PREFIXES = [\"/moderation/\"]` (the default)",
                 "GET /moderation/ as anonymous, alice, staff bob, a superuser", ", ".join(map(str, statuses))))

    client.force_login(people.alice)
    with CaptureQueriesContext(connection) as without_user:
        client.get("/demo/messages/")
    settings.NEXUS_LOG_REQUEST_USER = True
    with CaptureQueriesContext(connection) as with_user:
        client.get("/demo/messages/")
    rows.append(("`NEXUS_LOG_REQUEST_USER` False, then True; logged in, view ignores the user",
                 "GET /demo/messages/", f"{len(without_user)} queries, then {len(with_user)} queries"))

    assert [row[2] for row in rows] == [
        "403, 200, 200, 403", "200, 200, 200, 429 (`Retry-After: 20`)", "200", "403, 403, 200, 200",
        "0 queries, then 2 queries",
    ]
    table = "| Setting switched on | Requests | Responses |\n| --- | --- | --- |\n" + "".join(
        f"| {setting} | {requests} | {result} |\n" for setting, requests, result in rows
    )
    assert matches_recorded("examples/django_project/measured/django-middleware-observed.md", table)
