"""The QuerySet API as the project-and-orm note describes it, on the `chat` data of conftest.py."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from measurements import matches_recorded
from messaging.models import Conversation, Message
from messaging.querysets import (
    conversation_summaries,
    inbox,
    message_totals,
    messages_per_sender,
    participant_counts_annotate_first,
    participant_counts_filter_first,
    search,
    self_replies,
    title_untitled_conversations,
)

pytestmark = pytest.mark.django_db


def bodies(messages) -> list[str]:
    return [message.body for message in messages]


# --- laziness ---------------------------------------------------------------------------------

def test_building_chaining_and_printing_a_queryset_runs_no_query(chat, django_assert_num_queries):
    with django_assert_num_queries(0):
        unread = inbox(chat.alice).filter(read=False)
        sql = str(unread.query)  # the SQL exists already; nothing has been sent
    assert sql.startswith("SELECT")
    with django_assert_num_queries(1):
        rows = list(unread)  # evaluation: the one query runs here
    assert bodies(rows) == ["Sure", "or 10", "Train at 9?"]


def test_an_evaluated_queryset_answers_again_from_its_result_cache(chat, django_assert_num_queries):
    messages = inbox(chat.alice)
    with django_assert_num_queries(1):
        list(messages)
    with django_assert_num_queries(0):
        assert len(messages) == 4
        assert messages.count() == 4  # count() uses the cache once the QuerySet is evaluated
        assert bodies(messages) == ["Sure", "or 10", "Bus is cheaper", "Train at 9?"]


def test_count_exists_and_slices_of_an_unevaluated_queryset_each_send_their_own_query(
    chat, django_assert_num_queries
):
    messages = inbox(chat.alice)
    with django_assert_num_queries(3):
        assert messages.count() == 4  # SELECT COUNT(*)
        assert messages.exists()  # SELECT 1 ... LIMIT 1
        assert bodies(messages[:2]) == ["Sure", "or 10"]  # ... LIMIT 2


def test_a_chained_filter_is_a_new_queryset_and_a_new_query(chat, django_assert_num_queries):
    messages = inbox(chat.alice)
    list(messages)
    with django_assert_num_queries(1):
        assert bodies(messages.filter(read=True)) == ["Bus is cheaper"]


# --- F expressions -------------------------------------------------------------------------------

def test_f_compares_two_columns_in_the_database(chat):
    # "or 10" answers bob's own "Train at 9?"; alice's "9 works" answers someone else.
    assert bodies(self_replies()) == ["or 10"]


def test_an_update_with_expressions_is_one_query_that_loads_no_rows(chat, django_assert_num_queries):
    first, second = Conversation.objects.create(), Conversation.objects.create()
    with django_assert_num_queries(1):
        assert title_untitled_conversations() == 2
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.title, second.title) == (f"Conversation {first.pk}", f"Conversation {second.pk}")
    assert Conversation.objects.get(pk=chat.trip.pk).title == "Trip"  # titled ones untouched


# --- Q objects -------------------------------------------------------------------------------------

def test_q_combines_conditions_with_or(chat):
    assert bodies(search(chat.alice, "9")) == ["Train at 9?", "9 works"]  # body matches
    assert bodies(search(chat.alice, "BOB")) == ["Train at 9?", "or 10", "Sure"]  # sender matches


def test_q_negation_excludes_the_users_own_messages(chat):
    assert bodies(search(chat.alice, "9", include_own=False)) == ["Train at 9?"]


def test_search_never_reaches_into_conversations_the_user_is_not_in(chat):
    assert bodies(search(chat.carol, "lunch")) == []
    assert bodies(search(chat.bob, "lunch")) == ["Lunch?"]


# --- annotate and aggregate ---------------------------------------------------------------------------

def test_annotate_adds_computed_columns_to_each_conversation(chat):
    empty = Conversation.objects.create(title="Empty")
    empty.participants.add(chat.alice)
    rows = [
        (c.title, c.message_count, c.unread_count, c.participant_count, c.last_sent_at)
        for c in conversation_summaries(chat.alice)
    ]
    assert rows == [
        ("Pair", 2, 1, 2, chat.sure.sent_at),  # most recent activity first
        ("Trip", 4, 2, 3, chat.or_ten.sent_at),  # unread: "Train at 9?" and "or 10"
        ("Empty", 0, 0, 1, None),  # no messages: nulls_last puts it at the end
    ]


def test_without_distinct_two_joined_relations_multiply_the_counts(chat):
    # The reason for distinct=True above: Trip has 4 messages and 3 participants.
    trip = Conversation.objects.filter(pk=chat.trip.pk)
    row = trip.annotate(messages_n=Count("messages"), people_n=Count("participants")).get()
    assert (row.messages_n, row.people_n) == (12, 12)  # 4 x 3 rows in the join


def test_filter_before_annotate_restricts_what_the_annotation_counts(chat):
    assert participant_counts_filter_first(chat.alice) == {"Trip": 1, "Pair": 1}
    assert participant_counts_annotate_first(chat.alice) == {"Trip": 3, "Pair": 2}


def test_aggregate_returns_one_dict_for_the_whole_table(chat):
    assert message_totals() == {"total": 6, "unread": 5, "edited": 0, "latest": chat.sure.sent_at}


def test_values_then_annotate_groups_by_the_values(chat):
    assert messages_per_sender() == [
        {"sender__username": "bob", "sent": 3},
        {"sender__username": "alice", "sent": 2},
        {"sender__username": "carol", "sent": 1},
    ]


# --- the custom manager ---------------------------------------------------------------------------------

def test_unread_manager_starts_from_unread_messages_only(chat):
    assert Message.unread.count() == 5
    assert Message.objects.count() == 6  # the default manager still sees everything


def test_unread_for_user_is_what_others_sent_in_their_conversations(chat):
    assert bodies(Message.unread.for_user(chat.alice)) == ["Train at 9?", "or 10", "Sure"]
    assert bodies(Message.unread.for_user(chat.carol)) == ["Train at 9?", "9 works", "or 10"]


def test_unread_for_user_chains_like_any_queryset(chat):
    assert bodies(Message.unread.for_user(chat.alice).filter(conversation=chat.pair)) == ["Sure"]


def test_only_loads_the_listed_columns_and_a_deferred_one_costs_a_query_per_row(
    chat, django_assert_num_queries
):
    with django_assert_num_queries(1):
        messages = list(Message.unread.for_user(chat.alice))
        assert [m.sender_id for m in messages] == [chat.bob.pk] * 3  # loaded: no query
    assert messages[0].get_deferred_fields() == {"read", "edited", "parent_id"}
    with django_assert_num_queries(3):
        assert [m.edited for m in messages] == [False] * 3  # deferred: one query each


# --- the numbers the project-and-orm note quotes --------------------------------------------------

def count_queries(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured)


def test_render_the_evaluation_and_summary_tables(chat):
    inbox_of_alice = inbox(chat.alice)
    unread = inbox_of_alice.filter(read=False)
    rows = [
        ("Build `inbox(alice).filter(read=False)` and print its SQL", count_queries(lambda: str(unread.query))),
        ("`list()` it", count_queries(lambda: list(unread))),
        ("`len()`, `count()` and a second loop over the evaluated QuerySet",
         count_queries(lambda: (len(unread), unread.count(), list(unread)))),
        ("`count()` on a fresh, unevaluated QuerySet", count_queries(lambda: inbox_of_alice.count())),
        ("`exists()`", count_queries(lambda: inbox_of_alice.exists())),
        ("A slice, `[:2]`, then `list()`", count_queries(lambda: list(inbox_of_alice[:2]))),
        ("`title_untitled_conversations()` (an UPDATE with F, Concat and Cast)",
         count_queries(title_untitled_conversations)),
    ]
    only_rows = list(Message.unread.for_user(chat.alice))
    rows.append((f"Read a deferred field on each of the {len(only_rows)} rows loaded with `.only()`",
                 count_queries(lambda: [m.edited for m in only_rows])))
    assert [count for _, count in rows] == [0, 1, 0, 1, 1, 1, 1, 3]
    evaluation = "| What the code does | Queries |\n| --- | ---: |\n" + "".join(
        f"| {label} | {count} |\n" for label, count in rows
    )
    assert matches_recorded("examples/django_project/measured/django-queryset-evaluation.md", evaluation)

    empty = Conversation.objects.create(title="Empty")
    empty.participants.add(chat.alice)
    filter_first = participant_counts_filter_first(chat.alice)
    annotate_first = participant_counts_annotate_first(chat.alice)
    summary = (
        "| Conversation | `message_count` | `unread_count` | `participant_count` | "
        "people, filter then annotate | people, annotate then filter |\n"
        "| --- | ---: | ---: | ---: | ---: | ---: |\n"
    ) + "".join(
        f"| {c.title} | {c.message_count} | {c.unread_count} | {c.participant_count} | "
        f"{filter_first[c.title]} | {annotate_first[c.title]} |\n"
        for c in conversation_summaries(chat.alice)
    )
    trip = Conversation.objects.filter(pk=chat.trip.pk)
    joined = trip.annotate(messages_n=Count("messages"), people_n=Count("participants")).get()
    summary += (
        f"\nWithout `distinct=True`, counting both relations of Trip in one query gives "
        f"{joined.messages_n} messages and {joined.people_n} participants (the rows of the join), "
        f"instead of {chat.trip.messages.count()} and {chat.trip.participants.count()}.\n"
    )
    totals = message_totals()
    summary += (
        f"\n`message_totals()` returned `total={totals['total']}`, `unread={totals['unread']}`, "
        f"`edited={totals['edited']}`; `messages_per_sender()` returned "
        + ", ".join(f"{row['sender__username']} {row['sent']}" for row in messages_per_sender())
        + ".\n"
    )
    assert matches_recorded("examples/django_project/measured/django-conversation-summaries.md", summary)
