"""The N+1 query pattern on the messaging models, and the fixes: select_related, prefetch_related
and Prefetch with a filtered queryset. Each pair returns the same data; only the query count differs.

tests/examples/django_project/django_core/test_orm_performance.py counts the queries of each
function at two data sizes and writes the table the ORM performance note quotes.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Prefetch

from messaging.models import Conversation, Message


# --8<-- [start:foreign_keys]
def message_rows_naive() -> list[tuple[str, str, str]]:
    # One query for the messages, then one per message for .sender and one for .conversation:
    # Django caches a related object per instance, never across instances.
    return [(m.sender.username, m.conversation.title, m.body) for m in Message.objects.all()]


def message_rows() -> list[tuple[str, str, str]]:
    # select_related: a JOIN, so sender and conversation arrive in the same row. One query.
    messages = Message.objects.select_related("sender", "conversation")
    return [(m.sender.username, m.conversation.title, m.body) for m in messages]
# --8<-- [end:foreign_keys]


# --8<-- [start:many_to_many]
def conversation_people_naive() -> dict[str, list[str]]:
    # One query for the conversations, then one per conversation for its participants.
    return {c.title: [u.username for u in c.participants.all()] for c in Conversation.objects.all()}


def conversation_people() -> dict[str, list[str]]:
    # prefetch_related: a second query, participants WHERE conversation_id IN (...), joined
    # up in Python. Two queries, however many conversations there are.
    conversations = Conversation.objects.prefetch_related("participants")
    return {c.title: [u.username for u in c.participants.all()] for c in conversations}
# --8<-- [end:many_to_many]


# --8<-- [start:filtered_prefetch]
def unread_by_conversation_wasted_prefetch() -> dict[str, list[str]]:
    # .filter() on a prefetched relation is a NEW query: the prefetch is loaded, then ignored.
    conversations = Conversation.objects.prefetch_related("messages")
    return {c.title: [m.body for m in c.messages.filter(read=False)] for c in conversations}


def unread_by_conversation() -> dict[str, list[str]]:
    # Prefetch with a queryset: the filter (and a select_related) go into the one prefetch
    # query, and to_attr stores the result as a plain list on each conversation.
    unread = Message.objects.filter(read=False).select_related("sender")
    conversations = Conversation.objects.prefetch_related(
        Prefetch("messages", queryset=unread, to_attr="unread_messages")
    )
    return {c.title: [m.body for m in c.unread_messages] for c in conversations}
# --8<-- [end:filtered_prefetch]


# --8<-- [start:thread]
def thread_naive(conversation: Conversation) -> list[tuple[int, str]]:
    # Walk the reply tree through message.replies: one query per message visited.
    def walk(messages, depth):
        for message in messages:
            yield depth, message.body
            yield from walk(message.replies.all(), depth + 1)

    return list(walk(conversation.messages.filter(parent=None), 0))


def thread(conversation: Conversation) -> list[tuple[int, str]]:
    # One query for every message of the conversation; the tree is assembled in Python.
    children = defaultdict(list)
    for message in conversation.messages.all():  # ordered by sent_at, id (Meta.ordering)
        children[message.parent_id].append(message)

    # Depth-first with an explicit stack: no recursion limit, however deep the thread.
    rows, stack = [], [(0, root) for root in reversed(children[None])]
    while stack:
        depth, message = stack.pop()
        rows.append((depth, message.body))
        stack.extend((depth + 1, reply) for reply in reversed(children[message.pk]))
    return rows
# --8<-- [end:thread]
