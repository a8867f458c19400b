"""Signal receivers of the messaging app, connected in MessagingConfig.ready().

- a new message notifies the other participants of its conversation (post_save);
- the notification e-mails go out only once the transaction has committed (on_commit);
- an edited message keeps its previous body in MessageHistory and is marked edited (pre_save);
- a deleted user leaves no empty conversations behind (pre_delete + post_delete).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save
from django.dispatch import receiver

from messaging.models import Conversation, Message, MessageHistory, Notification


# --8<-- [start:notify]
@receiver(post_save, sender=Message, dispatch_uid="messaging.notify_participants")
def notify_participants(sender, instance: Message, created: bool, raw: bool = False, **kwargs) -> None:
    """One Notification per participant of the conversation except the sender, then e-mail them."""
    if not created or raw:  # an edit is not news; loaddata (raw=True) must not invent rows
        return
    recipients = (
        get_user_model().objects.filter(conversations=instance.conversation_id)
        .exclude(pk=instance.sender_id)
        .values_list("pk", flat=True)
    )
    notifications = Notification.objects.bulk_create(
        Notification(user_id=pk, message=instance) for pk in recipients
    )
    ids = [notification.pk for notification in notifications]
    if ids:
        # Not now: once the surrounding transaction has committed. robust=True: a mail server
        # that fails is logged instead of turning an already committed save into an error.
        transaction.on_commit(lambda: email_notifications(ids), robust=True)
# --8<-- [end:notify]


# --8<-- [start:email]
def email_notifications(notification_ids: list[int]) -> None:
    """Runs after commit, so the rows exist for anyone who reads them; reads them again by id."""
    notifications = (
        Notification.objects.filter(pk__in=notification_ids)
        .exclude(user__email="")
        .select_related("user", "message__sender")
    )
    for notification in notifications:
        send_mail(
            subject=f"New message from {notification.message.sender}",
            message=notification.message.body,
            from_email=None,  # None means settings.DEFAULT_FROM_EMAIL
            recipient_list=[notification.user.email],
        )
# --8<-- [end:email]


# --8<-- [start:too_early]
def email_too_early(sender, instance: Message, created: bool, **kwargs) -> None:
    """The pitfall, deliberately NOT connected: it e-mails inside the transaction,
    so the e-mail is out even when the transaction later rolls back."""
    if created:
        recipients = (
            get_user_model().objects.filter(conversations=instance.conversation_id)
            .exclude(pk=instance.sender_id)
            .exclude(email="")
        )
        for user in recipients:
            send_mail(f"New message from {instance.sender}", instance.body, None, [user.email])
# --8<-- [end:too_early]


# --8<-- [start:history]
@receiver(pre_save, sender=Message, dispatch_uid="messaging.keep_edit_history")
def keep_edit_history(sender, instance: Message, raw: bool = False, update_fields=None, **kwargs) -> None:
    """Before an existing message is saved with a new body, keep the old body and mark it edited."""
    if raw or instance.pk is None:
        return  # a new message has no history yet
    if update_fields is not None and "body" not in update_fields:
        return  # e.g. save(update_fields=["read"]): the body cannot change, so skip the query
    old_body = Message.objects.filter(pk=instance.pk).values_list("body", flat=True).first()
    if old_body is not None and old_body != instance.body:
        MessageHistory.objects.create(message=instance, old_body=old_body)
        instance.edited = True
# --8<-- [end:history]


# --8<-- [start:cleanup]
@receiver(pre_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="messaging.remember_conversations")
def remember_conversations(sender, instance, **kwargs) -> None:
    """Before the user goes, note their conversations: CASCADE deletes the membership rows too."""
    instance._conversation_ids = list(instance.conversations.values_list("pk", flat=True))


@receiver(post_delete, sender=settings.AUTH_USER_MODEL, dispatch_uid="messaging.delete_empty_conversations")
def delete_empty_conversations(sender, instance, **kwargs) -> None:
    """CASCADE removed the user's messages, notifications and memberships; empty conversations remain."""
    ids = getattr(instance, "_conversation_ids", [])
    Conversation.objects.filter(pk__in=ids, participants=None).delete()
# --8<-- [end:cleanup]
