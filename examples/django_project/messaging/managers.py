"""Custom managers for the messaging models.

`Message.unread` starts from unread messages only; `Message.unread.for_user(user)` narrows that
to what one user has not read yet, and loads only the columns an inbox list needs.
"""

from __future__ import annotations

from django.db import models


# --8<-- [start:unread]
class UnreadMessagesQuerySet(models.QuerySet):
    # The columns an inbox row shows; every other field is deferred.
    INBOX_FIELDS = ("id", "conversation_id", "sender_id", "body", "sent_at")

    def for_user(self, user) -> UnreadMessagesQuerySet:
        """Messages in the user's conversations that someone else sent and nobody has read yet."""
        return (
            self.filter(conversation__participants=user)
            .exclude(sender=user)
            .only(*self.INBOX_FIELDS)
        )


class UnreadMessagesManager(models.Manager.from_queryset(UnreadMessagesQuerySet)):
    def get_queryset(self) -> UnreadMessagesQuerySet:
        return super().get_queryset().filter(read=False)
# --8<-- [end:unread]
