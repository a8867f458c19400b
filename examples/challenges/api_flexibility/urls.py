"""A URLconf of this case study's own (tests set ROOT_URLCONF to it): the project's URLs,
so the messaging API and /graphql/ answer as usual, plus the endpoints of the case study."""

from django.urls import path

from challenges.api_flexibility import after, before
from challenges.api_flexibility.graphql_cost import limited_graphql_view
from nexus.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    path("challenges/inbox/everything/", before.EverythingInbox.as_view(), name="inbox-everything"),
    path("challenges/inbox/", after.Inbox.as_view(), name="inbox"),
    path("challenges/graphql/", limited_graphql_view, name="graphql-limited"),
    *project_urlpatterns,
]
