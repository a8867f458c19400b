"""Serializers: JSON in and out, and the validation rules of the messaging API."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from messaging.models import Conversation, Message

User = get_user_model()


class UserSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ["id", "username"]


# --8<-- [start:conversation]
class ConversationSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="messaging-api:conversation-detail")
    messages_url = serializers.HyperlinkedIdentityField(
        view_name="messaging-api:conversation-message-list", lookup_url_kwarg="conversation_pk"
    )
    # Read: who is in it, as objects. Write: user ids. One model field, two representations.
    participants = UserSummarySerializer(many=True, read_only=True)
    participant_ids = serializers.PrimaryKeyRelatedField(
        many=True, write_only=True, source="participants", queryset=User.objects.all()
    )
    message_count = serializers.IntegerField(read_only=True)  # annotated by the view's queryset

    class Meta:
        model = Conversation
        fields = [
            "url", "id", "title", "participants", "participant_ids", "message_count", "messages_url", "created_at",
        ]

    def validate_participant_ids(self, users: list) -> list:
        """Field-level: runs after the field's own checks (every id exists), for this field only."""
        requester = self.context["request"].user
        others = {user for user in users if user.pk != requester.pk}
        if not others:
            raise serializers.ValidationError(
                "Add at least one participant other than yourself.", code="no_other_participant"
            )
        return [requester, *sorted(others, key=lambda user: user.pk)]  # the requester is always in

    def validate(self, attrs: dict) -> dict:
        """Object-level: runs once every field is valid, and sees all of them together."""
        instance = self.instance  # None on create; on PATCH, missing fields come from it
        participants = attrs.get("participants", instance.participants.all() if instance else [])
        title = attrs.get("title", instance.title if instance else "")
        if len(participants) > 2 and not title:
            raise serializers.ValidationError(
                "A group conversation (three or more participants) needs a title.", code="title_required"
            )
        return attrs

    def create(self, validated_data: dict) -> Conversation:
        conversation = super().create(validated_data)
        conversation.message_count = 0  # what the annotation would say for a new conversation
        return conversation
# --8<-- [end:conversation]


# --8<-- [start:message_fields]
class MessageURLField(serializers.HyperlinkedIdentityField):
    """The URL of a nested resource needs both kwargs: the conversation and the message."""

    def get_url(self, obj, view_name, request, format):
        kwargs = {"conversation_pk": obj.conversation_id, "pk": obj.pk}
        return self.reverse(view_name, kwargs=kwargs, request=request, format=format)


class ParentField(serializers.PrimaryKeyRelatedField):
    """A reply may only point at a message of the same conversation. Narrowing the queryset
    makes an id from any other conversation "does not exist", which reveals nothing about it."""

    def get_queryset(self):
        conversation = self.context["view"].get_conversation()
        return super().get_queryset().filter(conversation=conversation)
# --8<-- [end:message_fields]


# --8<-- [start:message]
class MessageSerializer(serializers.ModelSerializer):
    url = MessageURLField(view_name="messaging-api:conversation-message-detail")
    sender = UserSummarySerializer(read_only=True)  # set by the view, never by the client
    parent = ParentField(queryset=Message.objects.all(), required=False, allow_null=True)

    class Meta:
        model = Message
        fields = ["url", "id", "conversation", "sender", "parent", "body", "sent_at", "read", "edited"]
        read_only_fields = ["conversation", "sent_at", "read", "edited"]

    def validate_body(self, body: str) -> str:
        if self.instance is not None and body == self.instance.body:
            raise serializers.ValidationError("The new body is the same as the current one.", code="unchanged")
        return body


class MessageEditSerializer(MessageSerializer):
    """What an edit may change: the body only. A reply stays a reply to the same message."""

    parent = serializers.PrimaryKeyRelatedField(read_only=True)
# --8<-- [end:message]
