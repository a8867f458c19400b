"""A mock of the messaging API for frontend work: it answers with recorded responses.

Each recording is one request the real API answered (method, path, with or without a token)
and the response it gave. The recordings are written by a test from the real API, so the mock
says exactly what the backend says; see docs/best-practices/backend-and-frontend-together.md.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED_HOST = "http://testserver"  # the host Django's test client puts into absolute URLs

NOT_RECORDED = {
    "status": 404,
    "code": "not_recorded",
    "message": "The mock has no recording for this request.",
    "errors": [],
}


# --8<-- [start:mock]
class MockAPI:
    """`with MockAPI(recordings) as base_url:` serves the recordings on 127.0.0.1, on a free port."""

    def __init__(self, recordings: list[dict]) -> None:
        self.responses = {
            (item["request"]["method"], item["request"]["path"], item["request"]["token"]): item["response"]
            for item in recordings
        }
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self.handler_class())
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        mock = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the name http.server calls
                has_token = self.headers.get("Authorization", "").startswith("Bearer ")
                response = mock.responses.get(
                    ("GET", self.path, has_token), {"status": 404, "body": NOT_RECORDED}
                )
                # Links in recorded bodies point at the recording host: point them at the mock.
                body = json.dumps(response["body"]).replace(RECORDED_HOST, mock.base_url).encode()
                self.send_response(response["status"])
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # `format`: the base class's name
                pass  # keep test output quiet

        return Handler

    def __enter__(self) -> str:
        self.thread.start()
        return self.base_url

    def __exit__(self, *exc_info) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
        # --8<-- [end:mock]


def load_recordings(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))
