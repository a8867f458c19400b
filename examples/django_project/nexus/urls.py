"""URL configuration of the example project: one include per note's app or API."""

from django.contrib import admin
from django.urls import include, path

from crm.views import graphql_view

urlpatterns = [
    path("admin/", admin.site.urls),
    path("graphql/", graphql_view),  # GraphQL note: the crm app's schema
    path("api/", include("messaging.api.urls")),  # REST framework note: API, schema, Swagger UI
]
