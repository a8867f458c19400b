"""The fixes: the same feed with its relations loaded up front, the index the messages list
needed, and keyset (cursor) pagination, which the messaging API already uses for messages."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models
from django.db.models import Prefetch

from challenges.query_optimization import before
from messaging.api.pagination import MessageCursorPagination

User = get_user_model()


# --8<-- [start:feed]
class NotificationFeed(before.NotificationFeed):
    """The same endpoint and serializer; only the queryset changed."""

    def get_queryset(self):
        return (
            self.request.user.notifications
            # Foreign keys, followed in the same query with JOINs: message, its sender, its conversation.
            .select_related("message__sender", "message__conversation")
            # Many-to-many: one more query for the participants of every conversation on the page,
            # loading only the two columns the serializer reads.
            .prefetch_related(
                Prefetch("message__conversation__participants", queryset=User.objects.only("id", "username"))
            )
        )
# --8<-- [end:feed]


# --8<-- [start:index]
class Migration(migrations.Migration):
    """messaging/migrations/0002_message_conversation_sent_at.py, as the fix would add it."""

    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction

    dependencies = [("messaging", "0001_initial")]

    operations = [
        # The messages list filters on conversation and sorts on (sent_at, id), newest first:
        # one index serves both, read backwards. CONCURRENTLY: writes go on while it is built.
        AddIndexConcurrently(
            model_name="message",
            index=models.Index(fields=["conversation", "sent_at", "id"], name="message_conversation_sent"),
        ),
    ]
# --8<-- [end:index]


# The keyset pagination of the fix is the messaging API's own (messaging/api/pagination.py).
CursorPagination = MessageCursorPagination
