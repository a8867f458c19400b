"""Which address a request came from, and which requests are tracked."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


# --8<-- [start:client_ip]
def client_ip(request: HttpRequest) -> str:
    """The client's IP address, as far as this server can trust it.

    With no proxy in front (NEXUS_TRUSTED_PROXIES = 0) that is REMOTE_ADDR, and X-Forwarded-For
    is ignored: any client can send that header with any address in it. Behind n proxies that
    each append the address they received from, the nth entry from the right is the last one a
    trusted machine wrote; everything left of it came from the client and may be forged.
    """
    proxies = getattr(settings, "NEXUS_TRUSTED_PROXIES", 0)
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META["REMOTE_ADDR"]
# --8<-- [end:client_ip]


def is_tracked(path: str) -> bool:
    """True under the prefixes in NEXUS_IP_TRACKING_PREFIXES (["/"] tracks every request)."""
    return path.startswith(tuple(getattr(settings, "NEXUS_IP_TRACKING_PREFIXES", ())))
