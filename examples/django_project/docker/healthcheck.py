"""The image's HEALTHCHECK: ask the web server in this container whether it is alive.

Docker runs `python /app/docker/healthcheck.py` inside the container (see the Dockerfile);
exit status 0 means healthy, 1 unhealthy. The standard library makes the request, so the slim
image needs no curl.
"""

from __future__ import annotations

import os
import sys
import urllib.error
import urllib.request


# --8<-- [start:probe]
def probe(url: str, timeout: float = 3.0) -> tuple[bool, str]:
    """(healthy, what happened): healthy only for a 200 from the liveness endpoint."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # a fixed http URL
            return response.status == 200, f"{response.status} from {url}"
    except urllib.error.HTTPError as error:  # 4xx and 5xx answers
        return False, f"{error.code} from {url}"
    except OSError as error:  # refused, timed out, reset: nobody answered
        return False, f"no answer from {url}: {error}"


def main() -> int:
    port = os.environ.get("PORT", "8000")
    url = os.environ.get("HEALTHCHECK_URL") or f"http://127.0.0.1:{port}/health/live/"
    healthy, message = probe(url)
    print(message)  # Docker keeps the output of the last checks: `docker inspect` shows it
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
# --8<-- [end:probe]
