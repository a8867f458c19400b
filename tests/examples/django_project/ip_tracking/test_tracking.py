"""IP tracking: request logs, the blocklist and its management command, and which address counts
as the client's (ip_tracking/middleware.py, network.py, management/commands/block_ip.py)."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings as project_settings
from django.core.management import CommandError, call_command

from ip_tracking.models import BlockedIP, RequestLog

pytestmark = pytest.mark.django_db

STATUS = "/security/status/"


def test_the_middleware_runs_after_authentication_and_before_the_ratelimit_handler():
    order = project_settings.MIDDLEWARE.index
    assert (order("django.contrib.auth.middleware.AuthenticationMiddleware")
            < order("ip_tracking.middleware.IPTrackingMiddleware")
            < order("django_ratelimit.middleware.RatelimitMiddleware"))


def test_outside_the_tracked_prefix_the_middleware_sends_no_query(client, django_assert_num_queries):
    assert project_settings.NEXUS_IP_TRACKING_PREFIXES == ["/security/"]
    with django_assert_num_queries(0):  # other notes' query counts stay what they were
        assert client.get("/api-design/problems/validation-error").status_code == 200
    assert not RequestLog.objects.exists()


def test_each_tracked_request_is_logged_for_two_queries(client, ratelimit_cache, django_assert_num_queries):
    with django_assert_num_queries(2):  # the blocklist lookup and the INSERT
        response = client.get(STATUS)
    assert response.json() == {"ip": "127.0.0.1", "user": None}
    log = RequestLog.objects.get()
    assert (log.ip_address, log.method, log.path, log.status_code) == ("127.0.0.1", "GET", STATUS, 200)


def test_a_blocked_ip_gets_403_before_any_view_runs_and_is_still_logged(client, ratelimit_cache):
    BlockedIP.objects.create(ip_address="127.0.0.1", reason="test")
    response = client.get(STATUS)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["detail"] == "Requests from your address are blocked."
    assert not ratelimit_cache.client.get_client().keys("*")  # the view's rate limit never counted it
    assert RequestLog.objects.get().status_code == 403
    assert client.get(STATUS, REMOTE_ADDR="198.51.100.4").status_code == 200  # other addresses pass


def test_tracking_every_path_is_one_setting_away(client, settings):
    settings.NEXUS_IP_TRACKING_PREFIXES = ["/"]
    client.get("/admin/login/")
    assert list(RequestLog.objects.values_list("path", "status_code")) == [("/admin/login/", 200)]


# --- which address is the client's ------------------------------------------------------------

def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client, ratelimit_cache):
    BlockedIP.objects.create(ip_address="203.0.113.9")
    response = client.get(STATUS, REMOTE_ADDR="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert response.status_code == 403  # a forged header does not get a blocked client through


def test_behind_one_proxy_the_rightmost_forwarded_address_is_the_client(client, settings, ratelimit_cache):
    settings.NEXUS_TRUSTED_PROXIES = 1
    BlockedIP.objects.create(ip_address="203.0.113.9")
    # The client wrote the first entry itself; the proxy appended the address it saw.
    response = client.get(STATUS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.9")
    assert response.status_code == 403
    ok = client.get(STATUS, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert ok.json()["ip"] == "198.51.100.7"
    direct = client.get(STATUS, REMOTE_ADDR="10.0.0.2")  # no header: not through the proxy
    assert direct.json()["ip"] == "10.0.0.2"


# --- the block_ip command ---------------------------------------------------------------------

def run(*args) -> str:
    out = StringIO()
    call_command("block_ip", *args, stdout=out)
    return out.getvalue().strip()


def test_block_ip_blocks_once_and_unblocks():
    assert run("203.0.113.7", "--reason", "credential stuffing") == "blocked 203.0.113.7"
    assert run("203.0.113.7") == "203.0.113.7 was already blocked"
    assert BlockedIP.objects.get().reason == "credential stuffing"
    assert run("203.0.113.7", "--unblock") == "unblocked 203.0.113.7"
    assert run("203.0.113.7", "--unblock") == "203.0.113.7 was not blocked"


def test_block_ip_normalises_ipv6_and_rejects_what_is_not_an_address():
    assert run("0:0::1") == "blocked ::1"
    with pytest.raises(CommandError, match=re.escape("'example.com' is not an IPv4 or IPv6 address")):
        run("example.com")
