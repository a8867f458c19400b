"""An illustration for the note on backend and frontend: the messaging API after renaming a URL.

Suppose the conversation list used to live at /api/v1/inbox/ and now lives at
/api/v1/conversations/. The old URL keeps answering, with the same view, until its sunset, and
every response says so. Tests use this module with `@pytest.mark.urls("practices.contract.urls")`.
"""

from datetime import UTC, datetime

from django.urls import include, path, re_path

from messaging.api.views import ConversationViewSet
from practices.contract.deprecation import deprecated

# --8<-- [start:urls]
DEPRECATED_SINCE = datetime(2026, 12, 1, tzinfo=UTC)
SUNSET = datetime(2027, 6, 1, tzinfo=UTC)  # six months for every client to move

old_inbox = deprecated(since=DEPRECATED_SINCE, sunset=SUNSET, link="/api/schema/swagger-ui/")(
    ConversationViewSet.as_view({"get": "list"})
)

urlpatterns = [
    path("api/", include("messaging.api.urls")),
    re_path(r"^api/(?P<version>v1)/inbox/$", old_inbox, name="inbox-deprecated"),
]
# --8<-- [end:urls]
