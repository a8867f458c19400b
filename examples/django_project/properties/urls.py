"""URLs of the properties app, under /properties/."""

from django.urls import path
from django.views.decorators.cache import cache_page
from django.views.decorators.vary import vary_on_headers

from properties import async_views, views

app_name = "properties"

# --8<-- [start:urls]
urlpatterns = [
    path("", views.property_list, name="list"),
    path("latest/", views.property_list_latest, name="latest"),
    path("table/", views.property_table, name="table"),
    # Per-view caching in the URLconf: the same view, cached with and without Vary: Accept.
    path("catalogue/", cache_page(60 * 5)(vary_on_headers("Accept")(views.catalogue)), name="catalogue"),
    path("catalogue-no-vary/", cache_page(60 * 5)(views.catalogue), name="catalogue-no-vary"),
    path("<int:pk>/", views.property_detail, name="detail"),
    path("export/", views.property_export, name="export"),
    path("export/<str:fingerprint>.json", views.property_export_file, name="export-file"),
    path("cache-stats/", views.cache_stats, name="cache-stats"),
    path("stats/", async_views.property_stats, name="stats"),
    path("<int:pk>/quote/", async_views.property_quote, name="quote"),
    path("<int:pk>/quote-sync/", async_views.property_quote_sync, name="quote-sync"),
]
# --8<-- [end:urls]
