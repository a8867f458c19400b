"""The inbox screen built three ways (docs/challenges/api-flexibility-vs-performance.md):
round trips, bytes and SQL queries of each design, and the behaviour of ?fields=, ?expand=
and the cursor of the flexible endpoint."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from challenges.api_flexibility import screen
from measurements import matches_recorded
from messaging.models import Message

pytestmark = pytest.mark.django_db

MEASURED = "examples/challenges/api_flexibility/measured"
INBOX = "/challenges/inbox/"
DESIGNS = {
    "links": screen.inbox_by_following_links,
    "everything": screen.inbox_from_everything,
    "fields": screen.inbox_with_fields_and_expand,
}


@pytest.fixture
def measured(inbox, recording_client):
    """Each design builds the screen once for alice: its rows and its client's counters."""
    results = {}
    for name, build in DESIGNS.items():
        client = recording_client(inbox["alice"])
        results[name] = (build(client), client)
    return results


def test_all_three_designs_build_the_same_screen(measured):
    rows = {name: rows for name, (rows, _) in measured.items()}
    assert rows["links"] == rows["everything"] == rows["fields"]
    assert len(rows["links"]) == screen.SCREEN_ROWS
    first = rows["links"][0]  # the newest conversation first
    assert first["title"] == "Conversation 30"
    assert first["participants"] == ["alice", "bob", "carol", "dave"]
    assert first["latest"]["sender"] == "bob"  # message 10 of each conversation: senders[10 % 3]
    assert first["latest"]["body"].startswith("Message 10 in conversation 30.")


def test_round_trips_bytes_and_queries_of_each_design(measured):
    links, everything, fields = (measured[name][1] for name in ("links", "everything", "fields"))
    # Links: one request for the list, then one per row.
    assert links.requests == 1 + screen.SCREEN_ROWS
    assert everything.requests == fields.requests == 1
    # Everything: all 30 conversations with all 300 messages for a screen that shows 20 of each kind.
    assert everything.bytes > 10 * fields.bytes
    assert links.bytes > 2 * fields.bytes  # the same rows, plus the fields and envelopes of 21 responses
    # The flexible endpoint: the token's user, the page, the participants, the newest messages.
    assert fields.queries == 4
    assert links.queries == 4 + 3 * screen.SCREEN_ROWS  # each messages request: user, conversation, page
    assert everything.queries == 4
    table = [
        "| Design | Round trips | Bytes received | SQL queries on the server |",
        "| --- | ---: | ---: | ---: |",
        f"| Links: the conversations, then each one's `messages_url` | {links.requests} "
        f"| {links.bytes:,} | {links.queries} |",
        f"| Everything embedded: one endpoint, every field, every message | {everything.requests} "
        f"| {everything.bytes:,} | {everything.queries} |",
        f"| `?fields=` + `?expand=last_message`, a cursor page of 20 | {fields.requests} | {fields.bytes:,} "
        f"| {fields.queries} |",
    ]
    assert matches_recorded(f"{MEASURED}/inbox-screen.md", "\n".join(table) + "\n")
    shown = len(json.dumps(measured["fields"][0], separators=(",", ":")).encode())
    assert fields.bytes < 2 * shown < links.bytes
    assert matches_recorded(f"{MEASURED}/inbox-screen-content.md",
                            f"The 20 rows the screen shows hold **{shown:,} bytes** of compact JSON.\n")


def test_the_request_log_of_the_links_design(measured):
    log = measured["links"][1].log
    assert len(log) == 21 and all(" 200 " in line for line in log)
    text = "\n".join(log[:4]) + f"\n... {len(log) - 4} more requests like the last three\n"
    assert matches_recorded(f"{MEASURED}/links-request-log.md", f"``` text\n{text}```\n")


REPRESENTATIONS = [
    ("(none: the defaults)", {}),
    ("`fields=id,title`", {"fields": "id,title"}),
    ("`fields=title,participants,message_count`", {"fields": "title,participants,message_count"}),
    ("`fields=title,last_message`", {"fields": "title,last_message"}),
    ("`fields=title,last_message&expand=last_message`", {"fields": "title,last_message", "expand": "last_message"}),
    ("`fields=" + ",".join(("id", "url", "title", "created_at", "participants", "message_count", "last_message"))
     + "&expand=last_message`",
     {"fields": "id,url,title,created_at,participants,message_count,last_message", "expand": "last_message"}),
]


def test_each_representation_costs_only_what_it_shows(inbox, recording_client):
    rows = []
    for label, params in REPRESENTATIONS:
        client = recording_client(inbox["alice"])
        page = client.get(INBOX, {**params, "page_size": 20})
        first = page["results"][0]
        expected = params.get("fields", "id,url,title,last_message").split(",")
        assert list(first) == [name for name in ("id", "url", "title", "created_at", "participants",
                                                   "message_count", "last_message") if name in expected]
        rows.append(f"| {label} | {client.bytes:,} | {client.queries} |")
    table = ["| Query string (and `page_size=20`) | Bytes | SQL queries |", "| --- | ---: | ---: |", *rows]
    assert matches_recorded(f"{MEASURED}/inbox-representations.md", "\n".join(table) + "\n")


def test_the_query_count_does_not_grow_with_the_page(inbox, recording_client):
    counts = []
    for size in (5, 20, 50):
        client = recording_client(inbox["alice"])
        client.get(INBOX, {**screen.INBOX_QUERY, "page_size": size})
        counts.append(client.queries)
    assert counts == [4, 4, 4]


def test_a_linked_last_message_is_a_url_of_the_messaging_api_that_answers(inbox, recording_client):
    client = recording_client(inbox["alice"])
    first = client.get(INBOX)["results"][0]
    assert first["last_message"] == "http://testserver/api/v1/conversations/30/messages/300/"
    assert client.queries == 2  # the user, then the page with the newest message's id as a subquery
    message = client.get(first["last_message"])
    assert (message["id"], message["sender"]["username"]) == (300, "bob")


def test_a_conversation_without_messages_has_no_last_message(inbox, recording_client):
    Message.objects.filter(conversation_id=30).delete()
    client = recording_client(inbox["alice"])
    assert client.get(INBOX)["results"][0]["last_message"] is None
    assert client.get(INBOX, {"expand": "last_message"})["results"][0]["last_message"] is None


def test_the_cursor_pages_cover_every_conversation_once_without_a_count_query(inbox, recording_client):
    client = recording_client(inbox["alice"])
    titles, url, params = [], INBOX, {"fields": "title", "page_size": 12}
    with CaptureQueriesContext(connection) as captured:
        while url:
            page = client.get(url, params)
            titles += [conversation["title"] for conversation in page["results"]]
            url, params = page["next"], None
    assert titles == [f"Conversation {n:02d}" for n in range(30, 0, -1)]
    assert client.requests == 3
    assert not any("COUNT(" in query["sql"] for query in captured.captured_queries)


@pytest.mark.parametrize(("params", "field", "message"), [
    ({"fields": "title,password"}, "fields", "Unknown fields: password."),
    ({"fields": " , "}, "fields", "Unknown fields: (none given)."),
    ({"expand": "participants"}, "expand", "Cannot expand: participants. Expandable: last_message."),
])
def test_unknown_field_or_expand_names_are_a_400_that_names_them(inbox, params, field, message, recording_client):
    client = recording_client(inbox["alice"]).client
    response = client.get(INBOX, params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"  # the messaging API's one error shape
    [error] = body["errors"]
    assert error["field"] == field and error["message"].startswith(message)


def test_only_the_users_own_conversations_are_listed(inbox, recording_client):
    client = recording_client(inbox["dave"])
    page = client.get(INBOX, {"fields": "title", "page_size": 50})
    assert len(page["results"]) == 10  # dave is in every third conversation
