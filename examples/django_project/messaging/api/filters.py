"""django-filter FilterSets: query parameters that narrow the list endpoints."""

from __future__ import annotations

from django_filters import rest_framework as filters

from messaging.models import Conversation, Message


# --8<-- [start:filters]
class ConversationFilter(filters.FilterSet):
    """?participant=<user id>&created_after=<ISO 8601>&created_before=<ISO 8601>"""

    participant = filters.NumberFilter(field_name="participants", help_text="Only conversations with this user id.")
    created_after = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte")
    created_before = filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="lt")

    class Meta:
        model = Conversation
        fields = ["participant", "created_after", "created_before"]


class MessageFilter(filters.FilterSet):
    """?sender=<user id>&sent_after=<ISO 8601>&sent_before=<ISO 8601>"""

    sender = filters.NumberFilter(field_name="sender", help_text="Only messages from this user id.")
    sent_after = filters.IsoDateTimeFilter(field_name="sent_at", lookup_expr="gte")
    sent_before = filters.IsoDateTimeFilter(field_name="sent_at", lookup_expr="lt")

    class Meta:
        model = Message
        fields = ["sender", "sent_after", "sent_before"]
# --8<-- [end:filters]
