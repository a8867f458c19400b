"""URLs of the messaging API, included from nexus/urls.py under /api/."""

from __future__ import annotations

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter
from rest_framework_simplejwt.views import TokenBlacklistView, TokenRefreshView

from messaging.api.views import ConversationViewSet, MessageViewSet, TokenObtainView

app_name = "messaging-api"

# --8<-- [start:router]
router = DefaultRouter()
router.register("conversations", ConversationViewSet, basename="conversation")
# Nesting without a plugin: the prefix is a regex, and its named group reaches the viewset
# as self.kwargs["conversation_pk"].
router.register(
    r"conversations/(?P<conversation_pk>[^/.]+)/messages", MessageViewSet, basename="conversation-message"
)

v1 = [
    path("", include(router.urls)),  # API root, conversation-list, conversation-detail, ...
    path("auth/token/", TokenObtainView.as_view(), name="token-obtain"),
    path("auth/token/refresh/", TokenRefreshView.as_view(), name="token-refresh"),
    path("auth/token/blacklist/", TokenBlacklistView.as_view(), name="token-blacklist"),
]

urlpatterns = [
    # Any vN reaches DRF, so an unknown version gets the API's JSON 404, not Django's HTML one.
    re_path(r"^(?P<version>v[0-9]+)/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("schema/swagger-ui/", SpectacularSwaggerView.as_view(url_name="messaging-api:schema"), name="swagger-ui"),
]
# --8<-- [end:router]
