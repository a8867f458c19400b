"""The anomaly check (ip_tracking/anomalies.py): who is flagged, why, and what it costs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ip_tracking.anomalies import flag_suspicious_ips
from ip_tracking.models import RequestLog, SuspiciousIP

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def requests(ip: str, count: int, path: str = "/security/status/", minutes_ago: int = 30) -> None:
    RequestLog.objects.bulk_create(
        RequestLog(ip_address=ip, method="GET", path=path, status_code=200,
                   timestamp=NOW - timedelta(minutes=minutes_ago, seconds=i))
        for i in range(count)
    )


def flags() -> set[tuple[str, str, str]]:
    return set(SuspiciousIP.objects.values_list("ip_address", "reason", "detail"))


def test_volume_and_sensitive_paths_are_flagged_for_two_queries(django_assert_num_queries):
    requests("198.51.100.1", 101)  # one over the limit of 100 an hour
    requests("198.51.100.2", 100)  # exactly the limit: not flagged
    requests("198.51.100.3", 10, path="/admin/login/")  # ten tries at the admin
    requests("198.51.100.4", 9, path="/security/login/")  # nine: one short
    requests("198.51.100.5", 500, minutes_ago=90)  # busy, but more than an hour ago

    with django_assert_num_queries(2):  # one aggregate over the hour, one upsert of the flags
        flagged = flag_suspicious_ips(NOW)

    assert len(flagged) == 2
    assert flags() == {
        ("198.51.100.1", "volume", "101 requests in the hour to 14:00"),
        ("198.51.100.3", "sensitive_paths", "10 requests to sensitive paths"),
    }


def test_one_ip_can_be_flagged_for_both_reasons():
    requests("198.51.100.1", 95)
    requests("198.51.100.1", 12, path="/admin/")
    flag_suspicious_ips(NOW)
    assert {reason for _, reason, _ in flags()} == {"volume", "sensitive_paths"}


def test_running_again_updates_the_flag_instead_of_adding_one():
    requests("198.51.100.1", 101)
    flag_suspicious_ips(NOW)
    requests("198.51.100.1", 50, minutes_ago=5)
    flag_suspicious_ips(NOW)
    flag = SuspiciousIP.objects.get()
    assert (flag.detail, flag.flagged_at) == ("151 requests in the hour to 14:00", NOW)


def test_a_quiet_hour_flags_nobody_and_costs_one_query(django_assert_num_queries):
    requests("198.51.100.1", 3)
    with django_assert_num_queries(1):  # bulk_create of an empty list sends nothing
        assert flag_suspicious_ips(NOW) == []


def test_the_thresholds_are_settings(settings):
    settings.NEXUS_ANOMALY_REQUESTS_PER_HOUR = 2
    requests("198.51.100.1", 3)
    assert [flag.reason for flag in flag_suspicious_ips(NOW)] == ["volume"]


def test_flagging_blocks_nobody(client, settings, ratelimit_cache):
    settings.NEXUS_ANOMALY_REQUESTS_PER_HOUR = 0
    client.get("/security/status/")
    flag_suspicious_ips()  # now: the request just logged counts
    assert SuspiciousIP.objects.count() == 1
    assert client.get("/security/status/").status_code == 200  # a person decides; block_ip acts
