"""Announce the end of an endpoint in its responses: Deprecation (RFC 9745) and Sunset (RFC 8594).

`Deprecation` carries a Structured Field date, "@" and seconds since the Unix epoch; `Sunset`
carries an HTTP date; a `Link` with rel="deprecation" points at the explanation. RFC 9745 adds
that the Sunset date must not be earlier than the Deprecation date.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from functools import wraps

from django.utils.http import http_date


# --8<-- [start:deprecated]
def deprecation_headers(since: datetime, sunset: datetime, link: str) -> dict[str, str]:
    if since.tzinfo is None or sunset.tzinfo is None:
        raise ValueError("since and sunset must be aware datetimes")
    if sunset < since:
        raise ValueError("the Sunset date must not be earlier than the Deprecation date (RFC 9745)")
    return {
        "Deprecation": f"@{int(since.timestamp())}",  # RFC 9745: a Structured Field date
        "Sunset": http_date(sunset.timestamp()),  # RFC 8594: an HTTP date, "Tue, 01 Jun 2027 00:00:00 GMT"
        "Link": f'<{link}>; rel="deprecation"',  # where to read what replaces it
    }


def deprecated(*, since: datetime, sunset: datetime, link: str) -> Callable:
    """View decorator: every response of the view says when it was deprecated and when it goes."""
    headers = deprecation_headers(since, sunset, link)

    def decorator(view: Callable) -> Callable:
        @wraps(view)  # keeps csrf_exempt and the other flags Django and DRF put on views
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            for name, value in headers.items():
                existing = response.headers.get(name) if name == "Link" else None
                response.headers[name] = f"{existing}, {value}" if existing else value
            return response

        return wrapped

    return decorator
    # --8<-- [end:deprecated]
