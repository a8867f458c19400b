"""A stand-in for a push-notification service, and the blocking client library that calls it.

The service is a real HTTP server on 127.0.0.1 (a free port), in a thread of the test process.
It takes LATENCY seconds to accept a push, like a remote service across a network, and
answers 503 for recipients listed as unreachable. `send_push` is written the way a typical
synchronous HTTP client library is: it blocks the calling thread until the answer arrives.
"""

from __future__ import annotations

import contextlib
import json
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LATENCY = 0.1  # seconds the service takes to accept one push


@dataclass
class Gateway:
    url: str
    unreachable: frozenset[str]
    accepted: list[str] = field(default_factory=list)  # recipients whose push was accepted
    lock: threading.Lock = field(default_factory=threading.Lock)


class PushHandler(BaseHTTPRequestHandler):
    gateway: Gateway  # set on a subclass per server

    def do_POST(self) -> None:  # the name http.server calls
        push = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        time.sleep(LATENCY)  # the service's own processing time, not a synchronisation
        if push["to"] in self.gateway.unreachable:
            self.send_response(503)
        else:
            with self.gateway.lock:
                self.gateway.accepted.append(push["to"])
            self.send_response(202)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args) -> None:
        pass  # no access log on stderr: the case study reads stderr for asyncio's messages


@contextlib.contextmanager
def running_gateway(unreachable: frozenset[str] = frozenset()) -> Iterator[Gateway]:
    """Serve the stand-in on 127.0.0.1, on a port the OS picks, for the duration of the block."""
    gateway = Gateway(url="", unreachable=unreachable)
    handler = type("BoundPushHandler", (PushHandler,), {"gateway": gateway})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    gateway.url = f"http://127.0.0.1:{server.server_address[1]}/push"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield gateway
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


# --8<-- [start:client]
def send_push(url: str, recipient: str, message_id: int) -> None:
    """POST one push; blocks until the service answers; raises HTTPError unless it accepted."""
    body = json.dumps({"to": recipient, "message": message_id}).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=5) as response:
        response.read()
# --8<-- [end:client]
