"""The admin for the messaging models. Each changelist loads its related objects up front, so
the number of queries per page does not grow with the number of rows shown."""

from django.contrib import admin
from django.db.models import Count

from messaging.models import Conversation, Message, MessageHistory, Notification


class MessageHistoryInline(admin.TabularInline):
    model = MessageHistory
    extra = 0
    readonly_fields = ("old_body", "edited_at")
    can_delete = False


# --8<-- [start:message_admin]
@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("id", "sender", "conversation", "short_body", "read", "edited", "sent_at")
    list_filter = ("read", "edited")
    search_fields = ("body", "sender__username")
    # With the default (False) the admin sees ForeignKeys in list_display and calls select_related()
    # with no arguments, which joins every non-null ForeignKey; naming them joins only these two.
    list_select_related = ("sender", "conversation")
    raw_id_fields = ("parent",)  # a text box, not a <select> that loads every message
    inlines = [MessageHistoryInline]

    @admin.display(description="body")
    def short_body(self, message: Message) -> str:
        return message.body[:40]
# --8<-- [end:message_admin]


# --8<-- [start:conversation_admin]
@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ("__str__", "participant_count", "created_at")
    filter_horizontal = ("participants",)

    def get_queryset(self, request):
        # The count is computed by the database for the whole page, not queried row by row.
        return super().get_queryset(request).annotate(participant_count=Count("participants"))

    @admin.display(ordering="participant_count", description="participants")
    def participant_count(self, conversation: Conversation) -> int:
        return conversation.participant_count
# --8<-- [end:conversation_admin]


# --8<-- [start:notification_admin]
@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("id", "recipient", "sender", "seen", "created_at")
    list_filter = ("seen",)
    # The columns are methods, so the admin finds no ForeignKey in list_display and joins
    # nothing by itself: without this line every row costs three more queries (user, message, sender).
    list_select_related = ("user", "message__sender")

    @admin.display(ordering="user__username")
    def recipient(self, notification: Notification) -> str:
        return notification.user.username

    @admin.display(ordering="message__sender__username")
    def sender(self, notification: Notification) -> str:
        return notification.message.sender.username
# --8<-- [end:notification_admin]
