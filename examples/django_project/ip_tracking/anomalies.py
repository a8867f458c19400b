"""The anomaly check: flag IPs with too many requests, or too many to sensitive paths, in the
last hour. A plain function, so any scheduler can run it (cron with a management command, or a
periodic task of a task queue); it does not block anyone by itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from ip_tracking.models import RequestLog, SuspiciousIP

WINDOW = timedelta(hours=1)


# --8<-- [start:flag]
def flag_suspicious_ips(now: datetime | None = None) -> list[SuspiciousIP]:
    """Two queries whatever the traffic: one aggregate over the last hour, one upsert."""
    now = now or timezone.now()
    volume = settings.NEXUS_ANOMALY_REQUESTS_PER_HOUR
    sensitive_hits = settings.NEXUS_ANOMALY_SENSITIVE_HITS_PER_HOUR
    sensitive = Q()
    for prefix in settings.NEXUS_ANOMALY_SENSITIVE_PATHS:
        sensitive |= Q(path__startswith=prefix)
    per_ip = (
        RequestLog.objects.filter(timestamp__gte=now - WINDOW, timestamp__lt=now)
        .values("ip_address")
        .annotate(total=Count("id"), sensitive=Count("id", filter=sensitive))
        .filter(Q(total__gt=volume) | Q(sensitive__gte=sensitive_hits))
        .order_by("ip_address")
    )
    flags = []
    for row in per_ip:
        if row["total"] > volume:
            flags.append(SuspiciousIP(ip_address=row["ip_address"], reason=SuspiciousIP.Reason.VOLUME,
                                      detail=f"{row['total']} requests in the hour to {now:%H:%M}", flagged_at=now))
        if row["sensitive"] >= sensitive_hits:
            flags.append(SuspiciousIP(ip_address=row["ip_address"], reason=SuspiciousIP.Reason.SENSITIVE_PATHS,
                                      detail=f"{row['sensitive']} requests to sensitive paths", flagged_at=now))
    # An IP flagged again for the same reason updates its row instead of adding another.
    SuspiciousIP.objects.bulk_create(flags, update_conflicts=True, unique_fields=["ip_address", "reason"],
                                     update_fields=["detail", "flagged_at"])
    return flags
# --8<-- [end:flag]
