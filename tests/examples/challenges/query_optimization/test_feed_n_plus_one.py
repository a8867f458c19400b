"""The notification feed's N+1 (docs/challenges/optimizing-database-queries.md): the query
count of the naive feed grows by four per row, the fixed feed's stays at four, and both
return the same JSON. Measured at 10, 50 and 100 rows on the SQLite test database."""

from __future__ import annotations

import logging
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from challenges.query_optimization.investigate import COLUMNS, queries_by_shape, shape
from measurements import matches_recorded
from messaging.models import Conversation, Message, Notification

pytestmark = pytest.mark.django_db

MEASURED = "examples/challenges/query_optimization/measured"
SIZES = (10, 50, 100)
PER_ROW = 4  # message, its sender, its conversation, the conversation's participants
FIXED = 4  # the user behind the token, COUNT(*) for the page count, the page with JOINs, the participants


@pytest.fixture(autouse=True)
def case_urls(settings):
    settings.ROOT_URLCONF = "challenges.query_optimization.urls"


@pytest.fixture
def people(db):
    # Fixed primary keys everywhere: the recorded query log shows ids, and other tests may have
    # moved SQLite's AUTOINCREMENT counters.
    make = get_user_model().objects.create_user
    return {name: make(username=name, id=number) for number, name in enumerate(("alice", "bob", "carol", "dave"), 1)}


@pytest.fixture
def inbox(people):
    """Ten conversations of alice with bob and carol (and dave in every other one); add(n)
    makes bob send n more messages, each of which notifies alice."""
    conversations = []
    for number in range(10):
        conversation = Conversation.objects.create(id=number + 1, title=f"Conversation {number}")
        members = [people["alice"], people["bob"], people["carol"]] + ([people["dave"]] if number % 2 else [])
        conversation.participants.set(members)
        conversations.append(conversation)

    def add(count: int) -> None:
        start = Message.objects.count()
        # bulk_create sends no post_save signal: the notifications are created here, for alice only.
        messages = Message.objects.bulk_create(
            Message(id=n + 1, conversation=conversations[n % 10], sender=people["bob"], body=f"Message {n}")
            for n in range(start, start + count)
        )
        Notification.objects.bulk_create(
            Notification(id=message.id, user=people["alice"], message=message) for message in messages
        )

    return add


def client_for(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    return client


def fetch(client: APIClient, version: str, rows: int):
    """GET one page of the feed; returns (JSON body, captured queries, seconds)."""
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        response = client.get(f"/feed/{version}/", {"page_size": rows})
        elapsed = time.perf_counter() - started
    assert response.status_code == 200, response.content
    return response.json(), captured, elapsed


def test_the_fixed_feed_returns_exactly_what_the_naive_feed_returned(people, inbox):
    inbox(10)
    client = client_for(people["alice"])
    naive, _, _ = fetch(client, "before", 10)
    fixed, _, _ = fetch(client, "after", 10)
    assert fixed == naive
    first = naive["results"][0]
    assert (first["sender"], first["body"], first["conversation"]) == ("bob", "Message 9", "Conversation 9")
    assert first["participants"] == ["alice", "bob", "carol", "dave"]  # sorted, and dave is in odd ones


def test_query_counts_grow_with_the_rows_before_the_fix_and_stay_flat_after(people, inbox):
    client = client_for(people["alice"])
    rows, total = [], 0
    for size in SIZES:
        inbox(size - total)
        total = size
        _, naive, _ = fetch(client, "before", size)
        _, fixed, _ = fetch(client, "after", size)
        # The claims of the note, exactly: 3 + 4 per row before, 4 whatever the size after.
        assert len(naive) == 3 + PER_ROW * size
        assert len(fixed) == FIXED
        rows.append(f"| {size} | {len(naive)} | {len(fixed)} |")
    table = ["| Notifications on the page | Queries before the fix | Queries after the fix |",
             "| ---: | ---: | ---: |", *rows]
    assert matches_recorded(f"{MEASURED}/feed-query-counts.md", "\n".join(table) + "\n")


def test_the_fixed_feed_is_faster_on_the_largest_page(people, inbox):
    inbox(100)
    client = client_for(people["alice"])
    fetch(client, "before", 100), fetch(client, "after", 100)  # warm up: imports, caches
    naive = min(fetch(client, "before", 100)[2] for _ in range(3))
    fixed = min(fetch(client, "after", 100)[2] for _ in range(3))
    assert naive / fixed > 2  # the claim the note makes, with room for a slow machine


def test_the_query_log_of_one_naive_request(people, inbox, caplog):
    """The symptom as the SQL log shows it: the same few statements again and again."""
    inbox(10)
    client = client_for(people["alice"])
    with caplog.at_level(logging.DEBUG, logger="django.db.backends"):
        _, captured, _ = fetch(client, "before", 10)
    lines = [record.getMessage() for record in caplog.records if record.name == "django.db.backends"]
    assert len(lines) == len(captured) == 43
    # Durations vary from run to run; column lists are long and all alike: both shortened.
    shown = [truncate(COLUMNS.sub("SELECT ... FROM ", re.sub(r"^\(\d+\.\d+\)", "(0.000)", line)))
             for line in lines[:11]]
    text = "``` text\n" + "\n".join(shown) + f"\n... {len(lines) - len(shown)} more lines like these\n```\n"
    assert matches_recorded(f"{MEASURED}/feed-query-log.md", text)


def truncate(line: str, width: int = 118) -> str:
    """At most `width` characters, cut at a space so that no word is split."""
    return line if len(line) <= width else line[: width - 2].rsplit(" ", 1)[0] + " …"


def test_grouping_the_log_by_shape_shows_four_statements_repeated_once_per_row(people, inbox):
    inbox(10)
    _, captured, _ = fetch(client_for(people["alice"]), "before", 10)
    grouped = queries_by_shape(captured)
    # The sender lookups have the same shape as the token's user lookup: 10 + 1.
    assert [count for count, _ in grouped] == [11, 10, 10, 10, 1, 1]
    tables = [re.search(r'FROM "(\w+)"', text).group(1) for count, text in grouped if count >= 10]
    assert sorted(tables) == ["auth_user", "auth_user", "messaging_conversation", "messaging_message"]
    rows = [f"| {count} | `{text}` |" for count, text in grouped]
    table = ["| Times | Statement, with values replaced by `?` |", "| ---: | --- |", *rows]
    assert matches_recorded(f"{MEASURED}/feed-query-shapes.md", "\n".join(table) + "\n")


def test_shape_hides_values_and_column_lists_but_keeps_tables_and_conditions():
    sql = """SELECT "a"."id", "a"."name" FROM "a" WHERE "a"."id" = 42 AND "a"."name" = 'it''s' LIMIT 21"""
    assert shape(sql) == 'SELECT ... FROM "a" WHERE "a"."id" = ? AND "a"."name" = ? LIMIT ?'
    assert shape('SELECT COUNT(*) AS "__count" FROM "a"') == 'SELECT COUNT(*) AS "__count" FROM "a"'
