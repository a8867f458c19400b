"""Viewsets of the messaging API: conversations, and the messages nested under them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch, QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import viewsets
from rest_framework.generics import get_object_or_404
from rest_framework.permissions import IsAuthenticated
from rest_framework_simplejwt.views import TokenObtainPairView

from messaging.api.errors import Conflict
from messaging.api.filters import ConversationFilter, MessageFilter
from messaging.api.pagination import MessageCursorPagination
from messaging.api.permissions import IsParticipant, IsSenderOrReadOnly
from messaging.api.schema import ERROR_REF
from messaging.api.serializers import ConversationSerializer, MessageEditSerializer, MessageSerializer
from messaging.api.throttling import LoginThrottle
from messaging.models import Conversation, Message

User = get_user_model()


# --8<-- [start:conversations]
@extend_schema_view(
    create=extend_schema(
        responses={
            201: ConversationSerializer,
            409: OpenApiResponse(ERROR_REF, description="A direct conversation between these two users exists."),
        }
    )
)
class ConversationViewSet(viewsets.ModelViewSet):
    """Conversations the current user takes part in."""

    serializer_class = ConversationSerializer
    permission_classes = [IsAuthenticated, IsParticipant]
    filterset_class = ConversationFilter
    # pagination: REST_FRAMEWORK["DEFAULT_PAGINATION_CLASS"], page numbers

    def get_queryset(self) -> QuerySet[Conversation]:
        if getattr(self, "swagger_fake_view", False):  # drf-spectacular introspection: no user
            return Conversation.objects.none()
        return (
            Conversation.objects.filter(participants=self.request.user)  # strangers get 404
            .annotate(message_count=Count("messages", distinct=True))  # no query per row
            .prefetch_related(Prefetch("participants", queryset=User.objects.order_by("pk")))  # one query
            .order_by("-created_at", "-id")  # an aggregate drops Meta.ordering: pages need an order
        )

    def perform_create(self, serializer: ConversationSerializer) -> None:
        participants = serializer.validated_data["participants"]
        if len(participants) == 2:
            existing = direct_conversation_between(*participants)
            if existing is not None:
                raise Conflict(f"You already have a direct conversation with {participants[1].username}: "
                               f"conversation {existing.pk}.")
        serializer.save()
# --8<-- [end:conversations]


# --8<-- [start:direct]
def direct_conversation_between(first, second) -> Conversation | None:
    """The conversation whose participants are exactly these two users, if there is one."""
    return (
        Conversation.objects.annotate(size=Count("participants", distinct=True))
        .filter(size=2)
        .filter(participants=first)
        .filter(participants=second)
        .first()
    )
# --8<-- [end:direct]


# --8<-- [start:messages]
@extend_schema(tags=["messages"], parameters=[OpenApiParameter("conversation_pk", int, OpenApiParameter.PATH)])
class MessageViewSet(viewsets.ModelViewSet):
    """Messages of one conversation: /conversations/{conversation_pk}/messages/."""

    permission_classes = [IsAuthenticated, IsSenderOrReadOnly]
    pagination_class = MessageCursorPagination
    filterset_class = MessageFilter

    def initial(self, request, *args, **kwargs) -> None:
        super().initial(request, *args, **kwargs)  # authentication, permissions, throttling
        self.get_conversation()  # then the parent: 404 before any validation or query runs

    def get_conversation(self) -> Conversation:
        """The conversation in the URL, if the user takes part in it; 404 otherwise."""
        if not hasattr(self, "_conversation"):
            mine = Conversation.objects.filter(participants=self.request.user)
            self._conversation = get_object_or_404(mine, pk=self.kwargs["conversation_pk"])
        return self._conversation

    def get_queryset(self) -> QuerySet[Message]:
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return self.get_conversation().messages.select_related("sender")  # sender: no query per row

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return MessageEditSerializer
        return MessageSerializer

    def perform_create(self, serializer: MessageSerializer) -> None:
        # The client never chooses who sent a message or where it goes: the request does.
        serializer.save(sender=self.request.user, conversation=self.get_conversation())

    def perform_update(self, serializer: MessageEditSerializer) -> None:
        serializer.save(edited=True)
# --8<-- [end:messages]


# --8<-- [start:login]
class TokenObtainView(TokenObtainPairView):
    """POST username and password, get an access and a refresh token. Password guesses are
    throttled per client IP in the "login" scope, apart from all other anonymous traffic."""

    throttle_classes = [LoginThrottle]
# --8<-- [end:login]
