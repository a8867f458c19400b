"""Views of the caching notes: each one shows one way to cache, or one HTTP caching header."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_cache_control
from django.utils.html import format_html, format_html_join
from django.views.decorators.cache import cache_control, cache_page, never_cache
from django.views.decorators.http import condition, conditional_page

from properties.models import Property
from properties.utils import get_all_properties, get_redis_cache_metrics, listing_version


# --8<-- [start:property_list]
@cache_page(60 * 15)
def property_list(request: HttpRequest) -> JsonResponse:
    """The program's view: the whole response cached for 15 minutes, the data behind it for an hour."""
    return JsonResponse({"data": get_all_properties()})
# --8<-- [end:property_list]


# --8<-- [start:property_list_latest]
@conditional_page  # ConditionalGetMiddleware as a decorator: an ETag from the body, then 304s
@cache_control(public=True, no_cache=True)  # any cache may store it, but must ask before reuse
def property_list_latest(request: HttpRequest) -> JsonResponse:
    """Only the data cache: correct right after every committed write, and cheap to revalidate."""
    return JsonResponse({"data": get_all_properties()})
# --8<-- [end:property_list_latest]


# --8<-- [start:property_table]
def property_table(request: HttpRequest) -> HttpResponse:
    """An HTML table whose rows are a cached template fragment (see properties/table.html)."""
    location = request.GET.get("location", "")
    properties = Property.objects.all()  # lazy: no query unless the fragment is rendered
    if location:
        properties = properties.filter(location=location)
    context = {"properties": properties, "location": location, "listing_version": listing_version()}
    return render(request, "properties/table.html", context)
# --8<-- [end:property_table]


# --8<-- [start:catalogue]
@cache_control(public=True, s_maxage=600)  # shared caches (a CDN) may keep it for 10 minutes
def catalogue(request: HttpRequest) -> HttpResponse:
    """One URL, two representations: HTML for a browser, JSON for everyone else."""
    rows = list(Property.objects.values_list("title", "location"))
    if "text/html" in request.headers.get("Accept", ""):
        items = format_html_join("", "<li>{} ({})</li>", rows)
        return HttpResponse(format_html("<ul>{}</ul>", items))
    return JsonResponse({"data": [{"title": title, "location": location} for title, location in rows]})
# --8<-- [end:catalogue]


# --8<-- [start:property_detail]
def property_changed_at(request: HttpRequest, pk: int):
    """When the row last changed, or None if there is no such row. condition() asks for both the
    ETag and the Last-Modified time; the answer is kept on the request so that one query serves both."""
    if not hasattr(request, "_property_changed_at"):
        request._property_changed_at = Property.objects.filter(pk=pk).values_list("updated_at", flat=True).first()
    return request._property_changed_at


def property_etag(request: HttpRequest, pk: int) -> str | None:
    changed_at = property_changed_at(request, pk)
    return None if changed_at is None else f"{pk}-{changed_at:%Y%m%d%H%M%S%f}"


@cache_control(public=True, no_cache=True)  # outermost, so the 304 gets the header too
@condition(etag_func=property_etag, last_modified_func=property_changed_at)
def property_detail(request: HttpRequest, pk: int) -> JsonResponse:
    """Runs only when the client's copy is out of date; otherwise condition() answers 304."""
    prop = get_object_or_404(Property, pk=pk)
    return JsonResponse({"id": prop.pk, "title": prop.title, "price": prop.price, "location": prop.location})
# --8<-- [end:property_detail]


# --8<-- [start:export]
ONE_YEAR = 365 * 24 * 60 * 60


def export_fingerprint() -> str:
    """A short hash of the listing: a new address whenever the content changes."""
    body = json.dumps(get_all_properties(), cls=DjangoJSONEncoder, sort_keys=True)
    return hashlib.sha256(body.encode()).hexdigest()[:12]


@cache_control(no_cache=True)  # where the current export lives changes with every write
def property_export(request: HttpRequest) -> HttpResponse:
    return redirect("properties:export-file", fingerprint=export_fingerprint())


def property_export_file(request: HttpRequest, fingerprint: str) -> HttpResponse:
    current = export_fingerprint()
    if fingerprint != current:  # an old address: send the client to the current one
        return redirect("properties:export-file", fingerprint=current)
    response = JsonResponse({"data": get_all_properties()})
    # The content at this address can never change, so any cache may keep it for a year.
    patch_cache_control(response, public=True, max_age=ONE_YEAR, immutable=True)
    return response
# --8<-- [end:export]


# --8<-- [start:cache_stats]
@never_cache  # live numbers: no browser or proxy may store them
def cache_stats(request: HttpRequest) -> JsonResponse:
    return JsonResponse(get_redis_cache_metrics())
# --8<-- [end:cache_stats]
