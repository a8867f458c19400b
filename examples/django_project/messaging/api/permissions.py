"""Object-level permissions of the messaging API."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission


# --8<-- [start:participant]
class IsParticipant(BasePermission):
    """Only the participants of a conversation may act on it.

    The conversation views already limit their queryset to the user's conversations, so a
    stranger gets 404 before this runs; this class is the second line of defence, and
    reads the prefetched participants, so it costs no query.
    """

    message = "Only participants of this conversation may do that."

    def has_object_permission(self, request, view, obj) -> bool:
        return any(user.pk == request.user.pk for user in obj.participants.all())
# --8<-- [end:participant]


# --8<-- [start:sender]
class IsSenderOrReadOnly(BasePermission):
    """Every participant may read a message; only its sender may edit or delete it."""

    message = "Only the sender of a message may edit or delete it."

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:  # GET, HEAD, OPTIONS
            return True
        return obj.sender_id == request.user.pk
# --8<-- [end:sender]
