"""What protects browser users: CORS (django-cors-headers), CSRF (Django's middleware) and the
session cookie's flags. CorsMiddleware is switched on here only, at the top of MIDDLEWARE where
it belongs, so that the other notes' responses do not gain a `Vary: origin` header."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from measurements import matches_recorded

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("ratelimit_cache")]

APP, EVIL = "https://app.example.com", "https://evil.example"
TRANSFERS, LOGIN = "/api-design/transfers/", "/security/login/"
PASSWORD = "correct-horse-battery-staple"  # alice's, from conftest.py


@pytest.fixture
def cors(settings):
    settings.MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *settings.MIDDLEWARE]
    settings.CORS_ALLOWED_ORIGINS = [APP]


def preflight(client, origin, method="POST", headers="content-type, idempotency-key"):
    return client.options(TRANSFERS, headers={"Origin": origin, "Access-Control-Request-Method": method,
                                              "Access-Control-Request-Headers": headers})


def test_a_preflight_from_an_allowed_origin_is_answered_with_its_origin(client, cors):
    response = preflight(client, APP)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == APP
    assert "POST" in response["Access-Control-Allow-Methods"]
    assert "idempotency-key" in response["Access-Control-Allow-Headers"].split(", ")
    assert response["Access-Control-Max-Age"] == "86400"  # the browser may cache this answer a day


def test_a_preflight_from_another_origin_gets_no_cors_headers(client, cors):
    response = preflight(client, EVIL)
    assert response.status_code == 200  # the server answers; the browser then refuses to send
    assert "Access-Control-Allow-Origin" not in response


def test_cors_is_enforced_by_browsers_not_by_the_server(client, cors):
    body = json.dumps({"amount": 100, "currency": "ETB", "recipient": "Abebe"})
    response = client.post(TRANSFERS, body, content_type="application/json", headers={"Origin": EVIL})
    # A script on evil.example cannot read this response, but the transfer was created: CORS is
    # no substitute for authentication, and cookie-authenticated endpoints still need CSRF.
    assert response.status_code == 201 and "Access-Control-Allow-Origin" not in response


def test_an_allowed_origin_may_read_the_headers_it_needs(client, cors):
    response = client.get("/api-design/limited/", headers={"Origin": APP})
    assert response["Access-Control-Allow-Origin"] == APP
    assert response["Access-Control-Expose-Headers"] == "Location, Retry-After, RateLimit, RateLimit-Policy"
    assert response["Vary"] == "origin"  # caches keep one copy per origin


def test_cors_stays_off_outside_the_api_paths(client, cors):
    response = client.get(LOGIN, headers={"Origin": APP})
    assert "Access-Control-Allow-Origin" not in response
    assert "origin" not in response.get("Vary", "").lower()


def test_the_cors_exchange_in_the_note_is_a_real_one(client, cors):
    allowed, refused = preflight(client, APP), preflight(client, EVIL)
    names = ["Access-Control-Allow-Origin", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
             "Access-Control-Max-Age", "Vary"]
    rows = ["| Response header | Preflight from `https://app.example.com` | Preflight from `https://evil.example` |",
            "| --- | --- | --- |"]
    rows += [f"| `{name}` | {cell(allowed, name)} | {cell(refused, name)} |" for name in names]
    assert matches_recorded("examples/django_project/ip_tracking/measured/cors-preflight.md", "\n".join(rows) + "\n")


def cell(response, name) -> str:
    return f"`{response[name]}`" if name in response else "(absent)"


# --- CSRF ----------------------------------------------------------------------------------

@pytest.fixture
def browser():
    """A test client that enforces CSRF checks, as a browser's requests meet them."""
    return Client(enforce_csrf_checks=True)


def test_a_post_without_a_csrf_token_is_rejected(browser, alice):
    response = browser.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert response.status_code == 403
    assert b"CSRF verification failed" in response.content


def test_the_token_from_the_form_page_lets_the_post_through(browser, alice):
    token = browser.get(LOGIN).json()["csrfToken"]  # also sets the csrftoken cookie
    assert "csrftoken" in browser.cookies
    credentials = {"username": "alice", "password": PASSWORD}
    as_field = browser.post(LOGIN, {**credentials, "csrfmiddlewaretoken": token})  # how an HTML form sends it
    assert as_field.status_code == 200
    # Logging in rotates the CSRF secret, so a token read before the login no longer works...
    stale = browser.post(LOGIN, credentials, headers={"X-CSRFToken": token})
    assert stale.status_code == 403
    fresh = browser.get(LOGIN).json()["csrfToken"]
    as_header = browser.post(LOGIN, credentials, headers={"X-CSRFToken": fresh})  # how JavaScript sends it
    assert as_header.status_code == 200


def test_a_valid_token_from_another_origin_is_still_rejected(browser, alice):
    token = browser.get(LOGIN).json()["csrfToken"]
    response = browser.post(LOGIN, {"username": "alice", "password": PASSWORD, "csrfmiddlewaretoken": token},
                            headers={"Origin": EVIL})
    assert response.status_code == 403  # Django also compares the Origin header with the host


def test_token_authenticated_apis_need_no_csrf_token(browser):
    # The messaging API reads a JWT from the Authorization header, which a browser never adds by
    # itself: DRF's JWT authentication does not enforce CSRF, and no token is needed.
    response = browser.post("/api/v1/auth/token/", {"username": "nobody", "password": "x"},
                            content_type="application/json")
    assert response.status_code == 401  # wrong credentials, not a CSRF failure


# --- the session cookie --------------------------------------------------------------------

def test_the_session_cookie_is_httponly_and_samesite_lax_by_default(client, alice):
    client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    cookie = client.cookies["sessionid"]
    assert cookie["httponly"] is True  # document.cookie cannot read it, so injected JS cannot steal it
    assert cookie["samesite"] == "Lax"  # not sent on cross-site POSTs
    assert cookie["secure"] == ""  # development default: set SESSION_COOKIE_SECURE in production


def test_in_production_the_session_cookie_is_https_only(client, alice, settings):
    settings.SESSION_COOKIE_SECURE = True
    client.post(LOGIN, {"username": "alice", "password": PASSWORD})
    assert client.cookies["sessionid"]["secure"] is True
