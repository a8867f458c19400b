"""What the security note tracks about client IP addresses (the program's alx-backend-security)."""

from django.db import models


# --8<-- [start:models]
class RequestLog(models.Model):
    """One row per tracked request: who (IP), what (method, path), when, and the answer."""

    ip_address = models.GenericIPAddressField()
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    status_code = models.PositiveSmallIntegerField()
    timestamp = models.DateTimeField(db_index=True)

    class Meta:
        indexes = [models.Index(fields=["ip_address", "timestamp"])]  # "this IP, last hour"


class BlockedIP(models.Model):
    """Requests from these addresses get 403 before any view runs."""

    ip_address = models.GenericIPAddressField(unique=True)
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class SuspiciousIP(models.Model):
    """Flagged by the anomaly check for a person to review; flagging blocks nothing by itself."""

    class Reason(models.TextChoices):
        VOLUME = "volume", "too many requests in an hour"
        SENSITIVE_PATHS = "sensitive_paths", "repeated requests to sensitive paths"

    ip_address = models.GenericIPAddressField()
    reason = models.CharField(max_length=20, choices=Reason.choices)
    detail = models.CharField(max_length=300)
    flagged_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ip_address", "reason"], name="one_flag_per_ip_and_reason")]
# --8<-- [end:models]
