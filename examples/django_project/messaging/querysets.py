"""The QuerySet API on the messaging models: laziness, F and Q expressions, annotate and aggregate.

Each function returns a QuerySet (nothing runs until it is evaluated) or the evaluated result,
and tests/examples/django_project/django_core/test_querysets.py checks each one.
"""

from __future__ import annotations

from django.db.models import CharField, Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat

from messaging.models import Conversation, Message


# --8<-- [start:lazy]
def inbox(user) -> QuerySet[Message]:
    """Messages other people sent in the user's conversations, newest first.

    Building and chaining a QuerySet writes SQL but sends none: the query runs when the
    QuerySet is evaluated (iterated, listed, sliced with a step, len(), bool(), ...).
    """
    return (
        Message.objects.filter(conversation__participants=user)
        .exclude(sender=user)
        .order_by("-sent_at", "-id")
    )
# --8<-- [end:lazy]


# --8<-- [start:f_expressions]
def self_replies() -> QuerySet[Message]:
    """Replies written by the author of the message they answer: two columns compared in SQL."""
    return Message.objects.filter(parent__isnull=False, sender=F("parent__sender"))


def title_untitled_conversations() -> int:
    """Give every untitled conversation the title 'Conversation <id>': one UPDATE, no rows loaded."""
    return Conversation.objects.filter(title="").update(
        title=Concat(Value("Conversation "), Cast(F("id"), output_field=CharField()))
    )
# --8<-- [end:f_expressions]


# --8<-- [start:q_objects]
def search(user, text: str, *, include_own: bool = True) -> QuerySet[Message]:
    """Messages the user can see whose body contains `text` or whose sender is called `text`."""
    visible = Q(conversation__participants=user)
    matches = Q(body__icontains=text) | Q(sender__username__iexact=text)  # OR
    condition = visible & matches  # AND
    if not include_own:
        condition &= ~Q(sender=user)  # NOT
    return Message.objects.filter(condition)
# --8<-- [end:q_objects]


# --8<-- [start:annotate]
def conversation_summaries(user) -> QuerySet[Conversation]:
    """The user's conversations, each with computed columns, most recently active first."""
    mine = Conversation.objects.filter(pk__in=user.conversations.values("pk"))  # a subquery, no join
    return mine.annotate(
        # Two multi-valued relations are joined at once (messages x participants), so each
        # count needs distinct=True or it counts the rows of the join instead.
        message_count=Count("messages", distinct=True),
        unread_count=Count("messages", filter=Q(messages__read=False) & ~Q(messages__sender=user), distinct=True),
        participant_count=Count("participants", distinct=True),
        last_sent_at=Max("messages__sent_at"),
    ).order_by(F("last_sent_at").desc(nulls_last=True), "-id")
# --8<-- [end:annotate]


# --8<-- [start:filter_then_annotate]
def participant_counts_filter_first(user) -> dict[str, int]:
    """Pitfall: the filter's join on participants is reused by the Count, so every count is 1."""
    rows = Conversation.objects.filter(participants=user).annotate(people=Count("participants"))
    return {row.title: row.people for row in rows}


def participant_counts_annotate_first(user) -> dict[str, int]:
    """Annotate first: the later filter gets a join of its own and the count sees everyone."""
    rows = Conversation.objects.annotate(people=Count("participants")).filter(participants=user)
    return {row.title: row.people for row in rows}
# --8<-- [end:filter_then_annotate]


# --8<-- [start:aggregate]
def message_totals() -> dict:
    """One row for the whole table: aggregate() returns a dict, not a QuerySet."""
    return Message.objects.aggregate(
        total=Count("id"),
        unread=Count("id", filter=Q(read=False)),
        edited=Count("id", filter=Q(edited=True)),
        latest=Max("sent_at"),
    )


def messages_per_sender() -> list[dict]:
    """values() then annotate(): one row per sender, i.e. GROUP BY sender."""
    return list(
        Message.objects.values("sender__username")
        .annotate(sent=Count("id"))
        .order_by("-sent", "sender__username")
    )
# --8<-- [end:aggregate]
