"""The over-fetching design: one endpoint that embeds everything about every conversation.

The other "before" design, links that the client follows one by one, is the messaging API
itself (examples/django_project/messaging/api/): `GET /api/v1/conversations/` lists
conversations, and each one's `messages_url` is one more request.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch
from rest_framework import generics, serializers

from messaging.models import Conversation, Message

User = get_user_model()


# --8<-- [start:everything]
class FullUserSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username", "first_name", "last_name", "email", "date_joined", "last_login"]


class FullMessageSerializer(serializers.ModelSerializer):
    sender = FullUserSerializer(read_only=True)  # the whole user, again for every message

    class Meta:
        model = Message
        fields = ["id", "conversation", "sender", "parent", "body", "sent_at", "read", "edited"]


class FullConversationSerializer(serializers.ModelSerializer):
    participants = FullUserSerializer(many=True, read_only=True)
    messages = FullMessageSerializer(many=True, read_only=True)  # every message ever sent in it

    class Meta:
        model = Conversation
        fields = ["id", "title", "created_at", "participants", "messages"]


class EverythingInbox(generics.ListAPIView):
    """GET: all of the user's conversations, all fields, all messages, no pages.
    One request answers every screen, which is exactly the problem."""

    serializer_class = FullConversationSerializer
    pagination_class = None

    def get_queryset(self):
        return (
            Conversation.objects.filter(participants=self.request.user)
            .order_by("-created_at", "-id")
            # Not an N+1: the related rows are prefetched. The cost is in the bytes.
            .prefetch_related(
                Prefetch("participants", queryset=User.objects.order_by("username")),
                Prefetch("messages", queryset=Message.objects.select_related("sender")),
            )
        )
# --8<-- [end:everything]
