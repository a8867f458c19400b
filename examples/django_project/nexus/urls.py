"""URL configuration of the example project: one include per note's app or API."""

from django.contrib import admin
from django.urls import include, path

from crm.views import graphql_view
from nexus import health

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view),  # GraphQL note: the crm app's schema
    path("properties/", include("properties.urls")),  # Caching notes and async views
    path("api/", include("messaging.api.urls")),  # REST framework note: API, schema, Swagger UI
    path("security/", include("ip_tracking.urls")),  # Security note: rate-limited login, IP tracking
    path("api-design/", include("api_demo.urls")),  # API design note: problem details, idempotency
    path("health/live/", health.live, name="health-live"),  # Docker note: container probes
    path("health/ready/", health.ready, name="health-ready"),
    path("travel/", include("travel.urls")),  # Payments note: Chapa checkout, return and webhook
]
