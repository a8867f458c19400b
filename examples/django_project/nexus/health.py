"""Health endpoints for container probes (docs/technologies/docker/ and kubernetes.md).

Two questions, two URLs:

- /health/live/: is this process able to answer HTTP at all? Nothing outside the process is
  consulted, so a database outage never makes an orchestrator restart healthy web processes.
- /health/ready/: can this process serve real requests right now? It runs one query on the
  default database; a 503 takes the process out of the load balancer until the query works again.
"""

from __future__ import annotations

from django.db import DatabaseError, connections
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


# --8<-- [start:views]
@never_cache  # a cached "ok" would hide the moment the answer changes
@require_safe  # GET and HEAD only: a probe never changes anything
def live(request):
    """Liveness: the request reached a worker and a response came back. No I/O at all."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_safe
def ready(request):
    """Readiness: one round trip to the default database, the dependency almost every page needs."""
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The class name only: a probe's answer ends up in logs, a connection error's text can
        # name hosts and users.
        return JsonResponse({"status": "unavailable", "database": type(error).__name__}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
# --8<-- [end:views]
