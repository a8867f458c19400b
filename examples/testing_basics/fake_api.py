"""A real HTTP server on 127.0.0.1 that serves canned JSON, for integration tests."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


# --8<-- [start:fake_api]
class _JSONHandler(BaseHTTPRequestHandler):
    server: FakeAPI

    def do_GET(self) -> None:
        self.server.requests.append(self.path)
        if self.path not in self.server.routes:
            self.send_error(404, "Not Found")
            return
        body = json.dumps(self.server.routes[self.path]).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet


class FakeAPI(ThreadingHTTPServer):
    """`with FakeAPI() as api:` serves `api.routes` at `api.url` until the block ends."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _JSONHandler)  # port 0: the OS picks a free port
        self.routes: dict[str, Any] = {}
        self.requests: list[str] = []  # every path asked for, in order
        self.url = f"http://127.0.0.1:{self.server_port}"
        # A short poll interval makes shutdown() return quickly (the default waits up to 0.5 s).
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)

    def __enter__(self) -> FakeAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.shutdown()  # stop serve_forever() and wait for it
        self._thread.join()
        self.server_close()
# --8<-- [end:fake_api]
