"""The versions the DRF notes warn against, kept runnable so the tests can measure them.

None of these is routed: the tests call them directly and compare them with the real views.
"""

from __future__ import annotations

from rest_framework import serializers

from messaging.api.serializers import ConversationSerializer
from messaging.api.views import ConversationViewSet, MessageViewSet
from messaging.models import Conversation


# --8<-- [start:naive]
class NaiveConversationSerializer(ConversationSerializer):
    message_count = serializers.SerializerMethodField()

    def get_message_count(self, conversation) -> int:
        return conversation.messages.count()  # one COUNT query per conversation on the page


class NaiveConversationViewSet(ConversationViewSet):
    serializer_class = NaiveConversationSerializer

    def get_queryset(self):
        # No annotate, no prefetch_related: each row then queries its participants and count.
        return Conversation.objects.filter(participants=self.request.user)


class NaiveMessageViewSet(MessageViewSet):
    def get_queryset(self):
        return self.get_conversation().messages.all()  # no select_related: one query per sender
# --8<-- [end:naive]


# --8<-- [start:leaky]
class LeakyConversationViewSet(ConversationViewSet):
    """Guards objects with the IsParticipant permission only, over an unscoped queryset."""

    def get_queryset(self):
        return Conversation.objects.prefetch_related("participants")  # every conversation
# --8<-- [end:leaky]
