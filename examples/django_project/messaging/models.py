"""The messaging app: the data model shared by the Django, signals, ORM and DRF notes.

Conversations between users, the messages in them (with read and edited flags and an
optional parent for threaded replies), the edit history of a message, and notifications.
"""

from django.conf import settings
from django.db import models

from messaging.managers import UnreadMessagesManager


# --8<-- [start:conversation]
class Conversation(models.Model):
    participants = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="conversations")
    title = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title or f"Conversation {self.pk}"
# --8<-- [end:conversation]


# --8<-- [start:message]
class Message(models.Model):
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sent_messages")
    body = models.TextField()
    sent_at = models.DateTimeField(auto_now_add=True)
    read = models.BooleanField(default=False)
    edited = models.BooleanField(default=False)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies")

    # --8<-- [start:managers]
    # The first manager declared becomes the default manager (dumpdata, among others, uses it).
    # Declaring any manager removes the automatic `objects`, so it is declared here, first.
    objects = models.Manager()
    unread = UnreadMessagesManager()
    # --8<-- [end:managers]

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self) -> str:
        return f"{self.sender} in {self.conversation_id}: {self.body[:30]}"
# --8<-- [end:message]


# --8<-- [start:history_and_notification]
class MessageHistory(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="history")
    old_body = models.TextField()
    edited_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-edited_at", "-id"]
        verbose_name_plural = "message histories"


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="notifications")
    created_at = models.DateTimeField(auto_now_add=True)
    seen = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
# --8<-- [end:history_and_notification]
