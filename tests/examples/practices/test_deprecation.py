"""docs/best-practices/backend-and-frontend-together.md: retiring a URL with Deprecation and Sunset.

practices/contract/urls.py serves the messaging API plus its old conversation list at
/api/v1/inbox/, wrapped in the `deprecated` decorator.
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from practices.contract.deprecation import deprecated
from practices.contract.urls import DEPRECATED_SINCE, SUNSET

pytestmark = [pytest.mark.django_db, pytest.mark.urls("practices.contract.urls")]


@pytest.fixture
def alice_api() -> APIClient:
    alice = get_user_model().objects.create_user(username="alice")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(alice)}")
    return client


def test_the_old_url_answers_like_the_new_one_and_announces_its_end(alice_api):
    old, new = alice_api.get("/api/v1/inbox/"), alice_api.get("/api/v1/conversations/")
    assert old.status_code == new.status_code == 200
    assert old.json() == new.json()
    assert old["Deprecation"] == "@1796083200"  # 2026-12-01T00:00:00Z as a Structured Field date
    assert old["Sunset"] == "Tue, 01 Jun 2027 00:00:00 GMT"  # an HTTP date
    assert old["Link"] == '</api/schema/swagger-ui/>; rel="deprecation"'
    assert not {"Deprecation", "Sunset"} & set(new.headers)  # the new URL is not deprecated


def test_the_header_values_mean_the_configured_dates(alice_api):
    response = alice_api.get("/api/v1/inbox/")
    deprecated_at = datetime.fromtimestamp(int(response["Deprecation"].removeprefix("@")), tz=UTC)
    sunset_at = parsedate_to_datetime(response["Sunset"])
    assert (deprecated_at, sunset_at) == (DEPRECATED_SINCE, SUNSET)
    assert sunset_at >= deprecated_at  # RFC 9745: the Sunset must not come before the Deprecation


def test_error_responses_of_the_old_url_carry_the_headers_too():
    response = APIClient().get("/api/v1/inbox/")  # no token
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["Deprecation"] == "@1796083200"


def test_a_sunset_before_the_deprecation_is_refused():
    with pytest.raises(ValueError, match="must not be earlier"):
        deprecated(since=SUNSET, sunset=DEPRECATED_SINCE, link="/docs/")


def test_dates_without_a_time_zone_are_refused():
    with pytest.raises(ValueError, match="aware"):
        deprecated(since=datetime(2026, 12, 1), sunset=SUNSET, link="/docs/")


def test_a_link_header_the_view_already_sets_is_kept():
    def view(request):
        response = HttpResponse()
        response["Link"] = '</api/v1/conversations/?page=2>; rel="next"'
        return response

    response = deprecated(since=DEPRECATED_SINCE, sunset=SUNSET, link="/docs/")(view)(RequestFactory().get("/"))
    assert response["Link"] == '</api/v1/conversations/?page=2>; rel="next", </docs/>; rel="deprecation"'


def test_a_browser_frontend_can_read_the_headers_only_if_cors_exposes_them(settings, alice_api):
    """Browser code reads a cross-origin response's headers only if Access-Control-Expose-Headers
    names them. The project's list does not name Deprecation or Sunset: add them."""
    settings.MIDDLEWARE = ["corsheaders.middleware.CorsMiddleware", *settings.MIDDLEWARE]
    origin = settings.CORS_ALLOWED_ORIGINS[0]
    exposed = alice_api.get("/api/v1/inbox/", HTTP_ORIGIN=origin)["Access-Control-Expose-Headers"]
    assert "Location" in exposed and "Retry-After" in exposed
    assert "Deprecation" not in exposed and "Sunset" not in exposed
    settings.CORS_EXPOSE_HEADERS = [*settings.CORS_EXPOSE_HEADERS, "Deprecation", "Sunset", "Link"]
    exposed = alice_api.get("/api/v1/inbox/", HTTP_ORIGIN=origin)["Access-Control-Expose-Headers"]
    assert {"Deprecation", "Sunset", "Link"} <= {name.strip() for name in exposed.split(",")}
