"""The flexible inbox endpoint: the client chooses the fields (`?fields=`), chooses whether the
latest message is linked or embedded (`?expand=`), and pages with a cursor. The view loads
only what the chosen representation needs, so a smaller response is also fewer queries."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Prefetch, Subquery
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request
from rest_framework.reverse import reverse

from messaging.models import Conversation, Message

User = get_user_model()

FIELDS = ("id", "url", "title", "created_at", "participants", "message_count", "last_message")
DEFAULT_FIELDS = ("id", "url", "title", "last_message")  # what a client gets without ?fields=
EXPANDABLE = ("last_message",)


# --8<-- [start:requested]
def requested(request: Request) -> tuple[tuple[str, ...], frozenset[str]]:
    """The fields (`?fields=title,last_message`) and the embedded relations (`?expand=last_message`)
    a request asks for. Unknown names are a 400, never silently ignored."""
    params = request.query_params
    fields = names(params.get("fields", ",".join(DEFAULT_FIELDS)))
    expand = frozenset(names(params.get("expand", "")))
    errors = {}
    if not fields or set(fields) - set(FIELDS):
        unknown = ", ".join(sorted(set(fields) - set(FIELDS))) or "(none given)"
        errors["fields"] = f"Unknown fields: {unknown}. Choose from: {', '.join(FIELDS)}."
    if expand - set(EXPANDABLE):
        errors["expand"] = f"Cannot expand: {', '.join(sorted(expand - set(EXPANDABLE)))}. Expandable: last_message."
    if errors:
        raise ValidationError(errors)
    return fields, expand


def names(raw: str) -> tuple[str, ...]:
    return tuple(name.strip() for name in raw.split(",") if name.strip())
# --8<-- [end:requested]


# --8<-- [start:serializer]
class LastMessageSerializer(serializers.ModelSerializer):
    sender = serializers.CharField(source="sender.username")

    class Meta:
        model = Message
        fields = ["id", "sender", "body", "sent_at"]


class InboxSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="messaging-api:conversation-detail")
    participants = serializers.SlugRelatedField(many=True, read_only=True, slug_field="username")
    message_count = serializers.IntegerField(read_only=True)
    last_message = serializers.SerializerMethodField()

    class Meta:
        model = Conversation
        fields = list(FIELDS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        keep = self.context["fields"]
        for name in set(self.fields) - set(keep):  # sparse fieldset: drop what was not asked for
            self.fields.pop(name)

    def get_last_message(self, conversation) -> dict | str | None:
        if "last_message" in self.context["expand"]:  # embedded: the object itself
            latest = conversation.latest_messages  # prefetched by the view, at most one
            return LastMessageSerializer(latest[0]).data if latest else None
        if conversation.last_message_id is None:  # linked: its URL, for a client that wants it later
            return None
        kwargs = {"conversation_pk": conversation.pk, "pk": conversation.last_message_id}
        return reverse("messaging-api:conversation-message-detail", kwargs=kwargs, request=self.context["request"])
# --8<-- [end:serializer]


# --8<-- [start:view]
class InboxPagination(CursorPagination):
    """?cursor=...: stable pages while new conversations arrive, and no COUNT(*) query."""

    ordering = ("-created_at", "-id")
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 50


class Inbox(generics.ListAPIView):
    """GET /inbox/?fields=title,participants,last_message&expand=last_message"""

    serializer_class = InboxSerializer
    pagination_class = InboxPagination

    def get_serializer_context(self) -> dict:
        fields, expand = requested(self.request)
        return {**super().get_serializer_context(), "fields": fields, "expand": expand}

    def get_queryset(self):
        fields, expand = requested(self.request)
        queryset = Conversation.objects.filter(participants=self.request.user)
        # Load exactly what the requested representation shows, and nothing else.
        if "participants" in fields:
            queryset = queryset.prefetch_related(
                Prefetch("participants", queryset=User.objects.only("id", "username").order_by("username"))
            )
        if "message_count" in fields:
            queryset = queryset.annotate(message_count=Count("messages", distinct=True))
        newest = Message.objects.order_by("-sent_at", "-id")
        if "last_message" in fields and "last_message" in expand:
            # A sliced Prefetch: the newest message of each conversation on the page, in one query.
            latest = Prefetch("messages", queryset=newest.select_related("sender")[:1], to_attr="latest_messages")
            queryset = queryset.prefetch_related(latest)
        elif "last_message" in fields:
            # A link needs only the id: a subquery in the same SELECT.
            latest_id = newest.filter(conversation=OuterRef("pk")).values("id")[:1]
            queryset = queryset.annotate(last_message_id=Subquery(latest_id))
        return queryset
# --8<-- [end:view]
