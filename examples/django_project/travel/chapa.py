"""A small client for the two Chapa calls the payment flow needs, and the webhook signature check.

The endpoints are the ones developer.chapa.co documents ("Accept Payments", "Verify Payments"):
POST {base}/v1/transaction/initialize and GET {base}/v1/transaction/verify/<tx_ref>, with the
secret key as a bearer token; the response fields read here are those of Chapa's official Node
SDK types (Chapa-Et/chapa-nodejs). Only the standard library: urllib, json, hmac.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from urllib.error import HTTPError, URLError
from urllib.parse import quote
from urllib.request import Request, urlopen

from django.conf import settings

logger = logging.getLogger(__name__)


class ChapaError(Exception):
    """Chapa could not be reached, or refused the request: nothing is known about the payment."""


@dataclass(frozen=True)
class Verification:
    """What Chapa's verify endpoint said about one transaction."""

    tx_ref: str
    status: str  # data.status: "success" when the customer paid; anything else is not a payment
    amount: Decimal | None
    currency: str
    reference: str  # Chapa's own reference for the charge

    @property
    def paid(self) -> bool:
        return self.status == "success"


# --8<-- [start:client]
class ChapaClient:
    def __init__(self, *, base_url: str | None = None, secret_key: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or settings.CHAPA_BASE_URL).rstrip("/")
        self._secret_key = secret_key if secret_key is not None else settings.CHAPA_SECRET_KEY
        self.timeout = timeout or settings.CHAPA_TIMEOUT_SECONDS

    def __repr__(self) -> str:  # never the key, not even in a traceback's locals
        return f"ChapaClient(base_url={self.base_url!r})"

    def _call(self, method: str, path: str, payload: dict | None = None) -> tuple[int, dict]:
        request = Request(
            f"{self.base_url}{path}", method=method,
            data=None if payload is None else json.dumps(payload).encode(),
            headers={"Authorization": f"Bearer {self._secret_key}", "Content-Type": "application/json",
                     "Accept": "application/json"},
        )
        try:
            with urlopen(request, timeout=self.timeout) as response:  # https, or a test's http
                status, raw = response.status, response.read()
        except HTTPError as error:  # 4xx and 5xx still carry Chapa's JSON body
            status, raw = error.code, error.read()
        except (URLError, TimeoutError) as error:
            raise ChapaError(f"{method} {path}: {error}") from None
        try:
            return status, json.loads(raw)
        except ValueError:
            raise ChapaError(f"{method} {path}: HTTP {status}, not JSON") from None

    def initialize(self, *, tx_ref: str, amount: Decimal, currency: str, email: str, first_name: str,
                   last_name: str, callback_url: str, return_url: str, title: str) -> str:
        """Open a hosted checkout; return its checkout_url, where the customer pays."""
        status, body = self._call("POST", "/v1/transaction/initialize", {
            "amount": str(amount), "currency": currency, "email": email,
            "first_name": first_name, "last_name": last_name, "tx_ref": tx_ref,
            "callback_url": callback_url, "return_url": return_url,
            "customization": {"title": title},  # shown on Chapa's checkout page
        })
        if status != 200 or body.get("status") != "success":
            raise ChapaError(f"initialize {tx_ref}: HTTP {status}: {body.get('message')}")
        return body["data"]["checkout_url"]

    def verify(self, tx_ref: str) -> Verification:
        """Ask Chapa what happened to `tx_ref`. Raises ChapaError when Chapa is unreachable,
        failing (5xx) or refuses our key (401, 403), so the caller can try again later; any other
        answer is about the payment, and only data.status "success" means paid."""
        status, body = self._call("GET", f"/v1/transaction/verify/{quote(tx_ref, safe='')}")
        if status >= 500 or status in (401, 403):
            raise ChapaError(f"verify {tx_ref}: HTTP {status}")
        data = body.get("data")
        if status != 200 or body.get("status") != "success" or not isinstance(data, dict):
            # An answer, but not about a charge Chapa knows: not paid, and not known to have failed.
            return Verification(tx_ref=tx_ref, status="unknown", amount=None, currency="", reference="")
        try:
            amount = Decimal(str(data.get("amount")))
        except InvalidOperation:
            amount = None
        return Verification(
            tx_ref=tx_ref, status=str(data.get("status", "unknown")), amount=amount,
            currency=str(data.get("currency", "")), reference=str(data.get("reference", "")),
        )
# --8<-- [end:client]


# --8<-- [start:signature]
def webhook_signature(raw_body: bytes, secret: str) -> str:
    """HMAC-SHA256 of the request body exactly as received, keyed with the webhook secret, in hex."""
    return hmac.new(secret.encode(), raw_body, hashlib.sha256).hexdigest()


def signature_is_valid(raw_body: bytes, received: str, secret: str) -> bool:
    if not secret or not received:
        return False  # no secret configured: reject everything rather than accept everything
    # compare_digest takes as long for a near miss as for a wild guess, so response times
    # do not reveal how many leading characters an attacker got right.
    return hmac.compare_digest(webhook_signature(raw_body, secret), received.strip().lower())
# --8<-- [end:signature]
