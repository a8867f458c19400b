"""docs/best-practices/backend-and-frontend-together.md: a mock server the frontend can trust.

The recordings the mock serves are written from the real API by the first test (and checked
against it on every run); each is validated against the OpenAPI schema; and the same frontend
code gives the same inbox from the mock on 127.0.0.1 and from the real API on a live server.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import jsonschema
import pytest
from django.contrib.auth import get_user_model
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from measurements import matches_recorded
from messaging.models import Conversation, Message
from practices.contract.contract_rules import as_json_schema, json_body
from practices.contract.frontend import ApiError, InboxClient, inbox_lines
from practices.contract.mock_server import MockAPI, load_recordings
from sitetools import ROOT

RECORDINGS = "examples/practices/contract/recorded/inbox.json"

# (path, with a token?, the operation in the OpenAPI document)
REQUESTS = [
    ("/api/v1/conversations/", True, "/api/v1/conversations/"),
    ("/api/v1/conversations/8/messages/", True, "/api/v1/conversations/{conversation_pk}/messages/"),
    ("/api/v1/conversations/7/messages/", True, "/api/v1/conversations/{conversation_pk}/messages/"),
    ("/api/v1/conversations/", False, "/api/v1/conversations/"),
    ("/api/v1/conversations/9/", True, "/api/v1/conversations/{id}/"),
]

INBOX = [
    'Trip to Lalibela: 2 messages, last "Thank you, Carol!" from alice',
    'alice and bob: 2 messages, last "Yes, 7 pm at the station." from bob',
]


def at(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def create_inbox():
    """Alice's inbox, with fixed ids and times so that the recorded bodies never change."""
    make = get_user_model().objects.create_user
    alice, bob, carol = (make(id=number, username=name) for number, name in enumerate(("alice", "bob", "carol"), 1))
    chats = [(7, "", [alice, bob], at(20, 9)), (8, "Trip to Lalibela", [alice, bob, carol], at(21, 10)),
             (9, "", [bob, carol], at(22, 8))]
    for pk, title, people, created in chats:
        Conversation.objects.create(pk=pk, title=title).participants.set(people)
        Conversation.objects.filter(pk=pk).update(created_at=created)  # auto_now_add ignores a value
    messages = [(70, 7, alice, "Are we still on for Friday?", at(20, 9)),
                (71, 7, bob, "Yes, 7 pm at the station.", at(20, 9, 5)),
                (80, 8, carol, "Tickets are booked.", at(21, 10)),
                (81, 8, alice, "Thank you, Carol!", at(21, 10, 2))]
    for pk, conversation, sender, body, sent in messages:
        Message.objects.create(pk=pk, conversation_id=conversation, sender=sender, body=body)
        Message.objects.filter(pk=pk).update(sent_at=sent)
    return alice


@pytest.fixture
def recordings():
    return load_recordings(ROOT / RECORDINGS)


@pytest.mark.django_db
def test_the_recordings_are_what_the_real_api_answers():
    alice = create_inbox()
    recorded = []
    for path, with_token, operation in REQUESTS:
        client = APIClient()
        if with_token:
            client.credentials(HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(alice)}")
        response = client.get(path)
        recorded.append({
            "request": {"method": "GET", "path": path, "token": with_token},
            "operation": operation,
            "response": {"status": response.status_code, "body": response.json()},
        })
    assert [item["response"]["status"] for item in recorded] == [200, 200, 200, 401, 404]
    assert matches_recorded(RECORDINGS, json.dumps(recorded, indent=2, ensure_ascii=False) + "\n")


@pytest.mark.django_db
def test_every_recording_matches_the_openapi_schema_of_its_operation(client, recordings):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for item in recordings:
        operation = schema["paths"][item["operation"]][item["request"]["method"].lower()]
        response = operation["responses"][str(item["response"]["status"])]
        jsonschema.validate(item["response"]["body"], as_json_schema(json_body(response), schema))


def test_the_frontend_shows_the_inbox_from_the_mock(recordings):
    with MockAPI(recordings) as base_url:
        assert base_url.startswith("http://127.0.0.1:")
        assert inbox_lines(InboxClient(base_url, token="any token")) == INBOX


def test_the_frontend_reads_errors_from_the_mock_by_their_code(recordings):
    with MockAPI(recordings) as base_url:
        with pytest.raises(ApiError) as missing_token:
            InboxClient(base_url).get("/api/v1/conversations/")
        with pytest.raises(ApiError) as not_mine:
            InboxClient(base_url, token="any token").get("/api/v1/conversations/9/")
        with pytest.raises(ApiError) as not_recorded:
            InboxClient(base_url, token="any token").get("/api/v1/conversations/?page=2")
    assert (missing_token.value.status, missing_token.value.code) == (401, "not_authenticated")
    assert (not_mine.value.status, not_mine.value.code) == (404, "not_found")
    assert (not_recorded.value.status, not_recorded.value.code) == (404, "not_recorded")


@pytest.mark.django_db(transaction=True)
def test_the_same_frontend_code_shows_the_same_inbox_from_the_real_api(live_server):
    alice = create_inbox()
    assert inbox_lines(InboxClient(live_server.url, token=str(AccessToken.for_user(alice)))) == INBOX
    with pytest.raises(ApiError) as missing_token:
        InboxClient(live_server.url).get("/api/v1/conversations/")
    assert (missing_token.value.status, missing_token.value.code) == (401, "not_authenticated")
