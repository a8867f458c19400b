"""docs/concepts/caching/http-caching.md: Cache-Control, ETag, Last-Modified, 304s, Vary and immutable URLs."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.utils.http import http_date

from measurements import matches_recorded
from properties.models import Property

pytestmark = pytest.mark.django_db


# --- ETag from the body: ConditionalGetMiddleware as a decorator ---------------------------------------

def test_a_matching_etag_gets_a_304_with_no_body(client, listings):
    first = client.get("/properties/latest/")
    assert first.status_code == 200
    assert first["Cache-Control"] == "public, no-cache"
    etag = first["ETag"]
    assert etag.startswith('"') and etag.endswith('"')  # a strong ETag: a hash of the body

    again = client.get("/properties/latest/", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag


def test_after_a_change_the_old_etag_gets_the_new_body(client, listings, django_capture_on_commit_callbacks):
    etag = client.get("/properties/latest/")["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        listings.flat.title = "Harbour flat, sea view"
        listings.flat.save()
    response = client.get("/properties/latest/", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Harbour flat, sea view" in response.content.decode()


# --- ETag and Last-Modified before the view runs: @condition --------------------------------------------

def test_detail_sends_an_etag_and_a_last_modified_date(client, listings, django_assert_num_queries):
    with django_assert_num_queries(2):  # the version lookup, then the row itself
        response = client.get(f"/properties/{listings.loft.pk}/")
    assert response.status_code == 200
    assert response.json()["title"] == "Riverside loft"
    assert response["ETag"].startswith(f'"{listings.loft.pk}-')
    assert response["Last-Modified"] == http_date(listings.loft.updated_at.timestamp())
    assert response["Cache-Control"] == "public, no-cache"


def test_a_matching_etag_skips_the_view_and_its_query(client, listings, django_assert_num_queries):
    etag = client.get(f"/properties/{listings.loft.pk}/")["ETag"]
    with django_assert_num_queries(1):  # only the version lookup: the view body never ran
        response = client.get(f"/properties/{listings.loft.pk}/", headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["Cache-Control"] == "public, no-cache"  # the 304 carries the policy too


def test_if_modified_since_gets_a_304_while_nothing_changed(client, listings):
    last_modified = client.get(f"/properties/{listings.loft.pk}/")["Last-Modified"]
    response = client.get(f"/properties/{listings.loft.pk}/", headers={"If-Modified-Since": last_modified})
    assert response.status_code == 304


def test_an_unknown_property_is_still_a_404(client, db):
    assert client.get("/properties/999/").status_code == 404


def test_last_modified_misses_a_change_within_the_same_second_and_the_etag_does_not(client, listings):
    """HTTP dates have one-second resolution; the ETag here includes the microseconds."""
    pk = listings.loft.pk
    Property.objects.filter(pk=pk).update(updated_at=datetime(2026, 1, 5, 12, 0, 0, 200_000, tzinfo=UTC))
    first = client.get(f"/properties/{pk}/")
    # An edit 0.5 s later (update() bypasses auto_now, so the test picks the time).
    Property.objects.filter(pk=pk).update(
        title="Riverside loft, repainted", updated_at=datetime(2026, 1, 5, 12, 0, 0, 700_000, tzinfo=UTC))

    by_date = client.get(f"/properties/{pk}/", headers={"If-Modified-Since": first["Last-Modified"]})
    by_etag = client.get(f"/properties/{pk}/", headers={"If-None-Match": first["ETag"]})
    assert by_date.status_code == 304  # wrong: the client keeps the old title
    assert by_etag.status_code == 200 and by_etag.json()["title"] == "Riverside loft, repainted"
    # With both headers, If-None-Match wins (RFC 9110), so clients that send both are safe.
    both = client.get(
        f"/properties/{pk}/", headers={"If-None-Match": first["ETag"], "If-Modified-Since": first["Last-Modified"]}
    )
    assert both.status_code == 200
    table = (
        "| Client revalidates with | Answer after an edit 0.5 s later, in the same second |\n"
        "| --- | --- |\n"
        f"| `If-Modified-Since: {first['Last-Modified']}` | {by_date.status_code} (the old copy is kept: wrong) |\n"
        f"| `If-None-Match: {first['ETag'].replace(str(pk), '<pk>', 1)}` | {by_etag.status_code} with the new title |\n"
    )
    assert matches_recorded("examples/django_project/properties/measured/same-second-edit.md", table)


# --- Vary ---------------------------------------------------------------------------------------------

def test_with_vary_accept_each_representation_is_cached_separately(client, listings, django_assert_num_queries):
    html = client.get("/properties/catalogue/", headers={"Accept": "text/html"})
    with django_assert_num_queries(1):  # another Accept value: another cache entry, so a miss
        as_json = client.get("/properties/catalogue/", headers={"Accept": "application/json"})
    with django_assert_num_queries(0):
        again = client.get("/properties/catalogue/", headers={"Accept": "application/json"})
    assert html["Content-Type"].startswith("text/html") and html.content.startswith(b"<ul>")
    assert as_json["Content-Type"] == again["Content-Type"] == "application/json"
    assert html["Vary"] == "Accept"
    assert html["Cache-Control"] == "public, s-maxage=600, max-age=300"


def test_without_vary_the_first_representation_is_served_to_everyone(client, listings):
    client.get("/properties/catalogue-no-vary/", headers={"Accept": "text/html"})
    as_json = client.get("/properties/catalogue-no-vary/", headers={"Accept": "application/json"})
    assert as_json["Content-Type"].startswith("text/html")  # the JSON client got the cached HTML
    assert "Vary" not in as_json


def test_cache_page_stores_nothing_marked_private(listings, redis_client):
    """A response with Cache-Control: private is personal: cache_page must not share it."""
    from django.test import RequestFactory
    from django.views.decorators.cache import cache_control, cache_page

    from properties.views import catalogue

    private_view = cache_page(60)(cache_control(private=True)(catalogue))
    response = private_view(RequestFactory().get("/private/"))
    assert "private" in response["Cache-Control"].split(", ")
    assert not [key for key in redis_client.keys("*") if "cache_page" in key]


# --- immutable, fingerprinted URLs ---------------------------------------------------------------------

def test_the_export_redirects_to_an_address_that_changes_with_the_content(
    client, listings, django_capture_on_commit_callbacks
):
    redirect = client.get("/properties/export/")
    assert redirect.status_code == 302
    assert redirect["Cache-Control"] == "no-cache"
    address = redirect["Location"]
    assert address.startswith("/properties/export/") and address.endswith(".json")

    file = client.get(address)
    assert file.status_code == 200
    assert file["Cache-Control"] == "public, max-age=31536000, immutable"

    with django_capture_on_commit_callbacks(execute=True):
        Property.objects.create(title="Garden cottage", description="Small", price="50000.00", location="Kisumu")
    new_address = client.get("/properties/export/")["Location"]
    assert new_address != address
    stale = client.get(address)  # the old address now redirects to the current one
    assert stale.status_code == 302 and stale["Location"] == new_address
