"""A stand-in for Chapa's API on 127.0.0.1: the tests' payment provider, with no network.

It answers the two calls the travel app makes, at the paths developer.chapa.co documents and
in the shapes of Chapa's official Node SDK types: initialize returns {"message": "Hosted Link",
"status": "success", "data": {"checkout_url": ...}}; verify returns {"message", "status",
"data": {..., "amount", "currency", "status", "reference", "tx_ref"}}. Its error bodies
(bad key, unknown or reused tx_ref) are assumptions in the same envelope: the client code only
relies on their HTTP status and on "status" not being "success".

The test plays the customer: `pay()`, `decline()`, or `pay(amount=...)` with the wrong amount.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import unquote

INITIALIZE = "/v1/transaction/initialize"
VERIFY = "/v1/transaction/verify/"


@dataclass
class RecordedRequest:
    method: str
    path: str
    authorized: bool  # the Authorization header was "Bearer <the secret key>"
    body: dict | None


@dataclass
class FakeChapa:
    secret_key: str
    transactions: dict[str, dict] = field(default_factory=dict)
    requests: list[RecordedRequest] = field(default_factory=list)
    unavailable: bool = False  # True: every call gets a 503, as if Chapa were down
    maintenance_page: bool = False  # True: an HTML 502, as a proxy in front of an API sends

    # --- the customer's side of the hosted checkout -------------------------------------------
    # --8<-- [start:customer]
    def pay(self, tx_ref: str, *, amount: str | None = None) -> None:
        self.transactions[tx_ref].update(status="success", **({"amount": amount} if amount else {}))

    def decline(self, tx_ref: str) -> None:
        self.transactions[tx_ref]["status"] = "failed"
    # --8<-- [end:customer]

    def webhook_body(self, tx_ref: str) -> bytes:
        """A charge event like the one Chapa posts to the webhook URL. Only tx_ref is relied on."""
        charge = self.transactions[tx_ref]
        return json.dumps({"event": "charge.success", "type": "API", "tx_ref": tx_ref,
                           "status": charge["status"], "amount": charge["amount"],
                           "currency": charge["currency"], "reference": charge["reference"]}).encode()

    def calls(self, method: str, prefix: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and r.path.startswith(prefix)]

    # --- the API ------------------------------------------------------------------------------
    # --8<-- [start:api]
    def handle(self, method: str, path: str, authorization: str, body: dict | None) -> tuple[int, dict]:
        authorized = authorization == f"Bearer {self.secret_key}"
        self.requests.append(RecordedRequest(method, path, authorized, body))
        if self.unavailable:
            return 503, {"message": "Service Unavailable", "status": "failed", "data": None}
        if not authorized:
            return 401, {"message": "Invalid API Key", "status": "failed", "data": None}
        if method == "POST" and path == INITIALIZE:
            return self._initialize(body or {})
        if method == "GET" and path.startswith(VERIFY):
            return self._verify(unquote(path.removeprefix(VERIFY)))
        return 404, {"message": "Not found", "status": "failed", "data": None}

    def _initialize(self, body: dict) -> tuple[int, dict]:
        missing = [name for name in ("amount", "currency", "tx_ref") if not body.get(name)]
        if missing:
            return 400, {"message": {name: ["This field is required."] for name in missing},
                         "status": "failed", "data": None}
        if body["tx_ref"] in self.transactions:
            return 400, {"message": "Transaction reference has been used before", "status": "failed", "data": None}
        self.transactions[body["tx_ref"]] = {
            "amount": str(Decimal(str(body["amount"])).quantize(Decimal("0.01"))), "currency": body["currency"],
            "email": body.get("email"), "first_name": body.get("first_name"), "last_name": body.get("last_name"),
            "status": "pending", "reference": f"AP{secrets.token_hex(5).upper()}",
        }
        checkout = f"https://checkout.chapa.co/checkout/payment/{secrets.token_urlsafe(12)}"
        return 200, {"message": "Hosted Link", "status": "success", "data": {"checkout_url": checkout}}

    def _verify(self, tx_ref: str) -> tuple[int, dict]:
        charge = self.transactions.get(tx_ref)
        if charge is None:
            return 400, {"message": "Invalid transaction or Transaction not found", "status": "failed", "data": None}
        data = {**charge, "tx_ref": tx_ref, "mode": "test", "type": "API", "method": "test", "charge": "0.00"}
        return 200, {"message": "Payment details", "status": "success", "data": data}
    # --8<-- [end:api]

    # --- serving ------------------------------------------------------------------------------
    def __enter__(self) -> str:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def _answer(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                status, payload = fake.handle(self.command, self.path, self.headers.get("Authorization", ""), body)
                raw, content_type = json.dumps(payload).encode(), "application/json"
                if fake.maintenance_page:
                    status, raw, content_type = 502, b"<html><body>Bad Gateway</body></html>", "text/html"
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _answer

            def log_message(self, format, *args):  # quiet: the test reads fake.requests instead
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # poll_interval: how long shutdown() may wait for the loop to notice; the default is 0.5 s.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()
        return f"http://127.0.0.1:{self._server.server_port}"

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
