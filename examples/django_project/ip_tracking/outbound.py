"""Server-side request forgery: check a URL a client gave us before the server fetches it."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UnsafeURL(ValueError):
    pass


# --8<-- [start:outbound]
def check_outbound_url(url: str, resolve=socket.getaddrinfo) -> str:
    """Allow only https:// on port 443 to a host whose every address is public.

    For a webhook target or an image to import: without this check, a client can make the
    server call 127.0.0.1, the private network, or a cloud provider's metadata address.
    """
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        raise UnsafeURL("only https:// URLs with a host name")
    if parts.username or parts.password or (parts.port or 443) != 443:
        raise UnsafeURL("no credentials and no port other than 443")
    addresses = {info[4][0] for info in resolve(parts.hostname, 443, proto=socket.IPPROTO_TCP)}
    for address in sorted(addresses):
        ip = ipaddress.ip_address(address.split("%")[0])  # drop an IPv6 zone such as %eth0
        if not ip.is_global:  # loopback, private, link-local (169.254.169.254), reserved...
            raise UnsafeURL(f"{parts.hostname} resolves to {ip}, which is not a public address")
    return url
# --8<-- [end:outbound]
