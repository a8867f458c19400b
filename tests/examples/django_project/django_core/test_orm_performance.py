"""Query counts of the N+1 pattern and its fixes (messaging/performance.py), at two data sizes.

The naive versions grow with the number of rows; the fixed ones stay constant. The test writes
the table that docs/technologies/django/orm-performance.md includes.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from measurements import matches_recorded
from messaging import performance
from messaging.models import Conversation, Message

pytestmark = pytest.mark.django_db

SIZES = (5, 20)
RECORDED = "examples/django_project/measured/django-orm-query-counts.md"


def make_conversations(n: int, people) -> None:
    """n conversations of alice, bob and carol, each with a read message by alice and an
    unread reply by bob. bulk_create: the data is not what is measured, and it skips signals."""
    conversations = Conversation.objects.bulk_create(Conversation(title=f"Conversation {i}") for i in range(n))
    Conversation.participants.through.objects.bulk_create(
        Conversation.participants.through(conversation=c, user=user)
        for c in conversations for user in (people.alice, people.bob, people.carol)
    )
    roots = Message.objects.bulk_create(
        Message(conversation=c, sender=people.alice, body=f"Hi {c.title}", read=True) for c in conversations
    )
    Message.objects.bulk_create(
        Message(conversation=root.conversation, sender=people.bob, body=f"Re: {root.body}", parent=root)
        for root in roots
    )


def make_thread(n: int, people) -> Conversation:
    """One conversation whose n messages form a binary reply tree: message i answers (i - 1) // 2."""
    conversation = Conversation.objects.create(title="Thread")
    messages: list[Message] = []
    for i in range(n):
        parent = messages[(i - 1) // 2] if i else None
        messages.append(Message(conversation=conversation, sender=people.alice, body=f"m{i}", parent=parent))
        Message.objects.bulk_create([messages[-1]])  # one at a time: each reply needs its parent's id
    return conversation


def queries(function, *args) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        result = function(*args)
    return len(captured), result


PAIRS = [
    ("Messages with their sender and conversation, lazy access", "message_rows_naive",
     "... with `select_related(\"sender\", \"conversation\")`", "message_rows"),
    ("Conversations with their participants, lazy access", "conversation_people_naive",
     "... with `prefetch_related(\"participants\")`", "conversation_people"),
    ("Unread messages per conversation, `.filter()` on a prefetched relation", "unread_by_conversation_wasted_prefetch",
     "... with `Prefetch(\"messages\", queryset=unread, to_attr=...)`", "unread_by_conversation"),
]


def measure(n: int, people) -> dict[str, int]:
    Conversation.objects.all().delete()
    make_conversations(n, people)
    counts = {}
    for _, naive, _, fixed in PAIRS:
        counts[naive], slow_result = queries(getattr(performance, naive))
        counts[fixed], fast_result = queries(getattr(performance, fixed))
        assert fast_result == slow_result  # same data, fewer queries
    thread = make_thread(n, people)
    counts["thread_naive"], slow_result = queries(performance.thread_naive, thread)
    counts["thread"], fast_result = queries(performance.thread, thread)
    assert fast_result == slow_result
    return counts


def test_naive_counts_grow_with_rows_and_fixed_counts_stay_constant(people):
    small, large = (measure(n, people) for n in SIZES)
    for counts, n in ((small, SIZES[0]), (large, SIZES[1])):
        assert counts["message_rows_naive"] == 1 + 2 * (2 * n)  # 2n messages, 2 lookups each
        assert counts["conversation_people_naive"] == 1 + n
        assert counts["unread_by_conversation_wasted_prefetch"] == 2 + n  # the prefetch, then n filters
        assert counts["thread_naive"] == 1 + n  # the roots, then .replies of every message
        assert (counts["message_rows"], counts["conversation_people"], counts["unread_by_conversation"],
                counts["thread"]) == (1, 2, 2, 1)

    lines = [
        f"| What the code does | queries, N = {SIZES[0]} | queries, N = {SIZES[1]} |",
        "| --- | ---: | ---: |",
    ]
    for slow_label, naive, fast_label, fixed in PAIRS:
        lines.append(f"| {slow_label} | {small[naive]} | {large[naive]} |")
        lines.append(f"| {fast_label} | {small[fixed]} | {large[fixed]} |")
    lines.append(
        f"| Reply tree of N messages, walked through `.replies` | {small['thread_naive']} | {large['thread_naive']} |"
    )
    lines.append(f"| ... all messages in one query, tree built in Python | {small['thread']} | {large['thread']} |")
    assert matches_recorded(RECORDED, "\n".join(lines) + "\n")


def test_the_results_are_what_the_page_would_show(people):
    make_conversations(2, people)
    assert performance.message_rows() == [
        ("alice", "Conversation 0", "Hi Conversation 0"),
        ("alice", "Conversation 1", "Hi Conversation 1"),
        ("bob", "Conversation 0", "Re: Hi Conversation 0"),
        ("bob", "Conversation 1", "Re: Hi Conversation 1"),
    ]
    assert performance.conversation_people()["Conversation 1"] == ["alice", "bob", "carol"]
    assert performance.unread_by_conversation() == {
        "Conversation 1": ["Re: Hi Conversation 1"],  # Meta.ordering: newest conversation first
        "Conversation 0": ["Re: Hi Conversation 0"],
    }


def test_the_thread_comes_out_depth_first_in_reply_order(people):
    thread = make_thread(6, people)
    assert performance.thread(thread) == [(0, "m0"), (1, "m1"), (2, "m3"), (2, "m4"), (1, "m2"), (2, "m5")]


def test_a_deep_thread_needs_no_recursion(people, django_assert_num_queries):
    conversation = Conversation.objects.create(title="Chain")
    previous = None
    for i in range(1500):  # deeper than Python's default recursion limit of 1000
        previous = Message(conversation=conversation, sender=people.alice, body=f"c{i}", parent=previous)
        Message.objects.bulk_create([previous])
    with django_assert_num_queries(1):
        rows = performance.thread(conversation)
    assert rows[-1] == (1499, "c1499")
