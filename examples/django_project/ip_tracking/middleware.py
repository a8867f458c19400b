"""Log every tracked request with its client IP, and refuse blocked IPs with 403."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api_demo.problems import Problem
from ip_tracking.models import BlockedIP, RequestLog
from ip_tracking.network import client_ip, is_tracked


# --8<-- [start:middleware]
class IPTrackingMiddleware:
    """Under NEXUS_IP_TRACKING_PREFIXES only: 403 for a BlockedIP, a RequestLog row for everyone.

    Costs two queries per tracked request (the blocklist lookup and the INSERT) and none for
    any other request, so it stays out of the way of the rest of the project.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not is_tracked(request.path):
            return self.get_response(request)
        ip = client_ip(request)
        if BlockedIP.objects.filter(ip_address=ip).exists():
            response = Problem(403, "Requests from your address are blocked.").response(request)
        else:
            response = self.get_response(request)
        RequestLog.objects.create(ip_address=ip, method=request.method, path=request.path[:500],
                                  status_code=response.status_code, timestamp=timezone.now())
        return response
# --8<-- [end:middleware]
