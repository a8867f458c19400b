"""The versions that got slower as the data grew: a notification feed with an N+1, and
page-number pagination over the messages of a conversation.

Both build on the messaging app (examples/django_project/messaging/): its models and the
settings of its REST API (JWT authentication, the error shape, throttling).
"""

from __future__ import annotations

from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination

from messaging.models import Notification


# --8<-- [start:feed]
class NotificationSerializer(serializers.ModelSerializer):
    """One row of the feed: who wrote what, in which conversation, and who else is in it."""

    sender = serializers.CharField(source="message.sender.username")  # notification -> message -> user
    body = serializers.CharField(source="message.body")
    conversation = serializers.CharField(source="message.conversation.title")  # -> conversation
    participants = serializers.SerializerMethodField()  # -> conversation -> users (many-to-many)

    class Meta:
        model = Notification
        fields = ["id", "seen", "created_at", "conversation", "participants", "sender", "body"]

    def get_participants(self, notification) -> list[str]:
        return sorted(user.username for user in notification.message.conversation.participants.all())


class FeedPagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


class NotificationFeed(generics.ListAPIView):
    """GET: the current user's notifications, newest first."""

    serializer_class = NotificationSerializer
    pagination_class = FeedPagination

    def get_queryset(self):
        return self.request.user.notifications.all()  # every row then loads its relations one by one
# --8<-- [end:feed]


# --8<-- [start:pages]
class MessagePagePagination(PageNumberPagination):
    """?page=2000: OFFSET (page - 1) * 20, plus a COUNT(*) of the whole conversation."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
# --8<-- [end:pages]
