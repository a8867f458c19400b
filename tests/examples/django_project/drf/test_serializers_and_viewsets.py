"""docs/technologies/drf/serializers-and-viewsets.md: validation, nested routes, perform_create,
and the number of queries behind each list endpoint."""

from __future__ import annotations

import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIRequestFactory
from rest_framework_simplejwt.tokens import AccessToken

from measurements import matches_recorded
from messaging.api.naive import NaiveConversationViewSet, NaiveMessageViewSet
from messaging.api.views import ConversationViewSet, MessageViewSet
from messaging.models import Conversation, Message

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/v1/conversations/"


def errors_of(response) -> list[tuple]:
    assert response.status_code == 400, response.json()
    return [(error["field"], error["code"]) for error in response.json()["errors"]]


# --- field-level validation --------------------------------------------------------------------

def test_a_conversation_with_only_yourself_fails_field_validation(api, users):
    alice = users["alice"]
    for participant_ids in ([alice.pk], []):
        response = api(alice).post(CONVERSATIONS, {"participant_ids": participant_ids})
        assert errors_of(response) == [("participant_ids", "no_other_participant")]


def test_an_unknown_user_id_fails_before_the_validate_method_runs(api, users):
    response = api(users["alice"]).post(CONVERSATIONS, {"participant_ids": [999999]})
    assert errors_of(response) == [("participant_ids", "does_not_exist")]


def test_editing_a_message_without_changing_it_fails_field_validation(api, users, chat):
    message = chat.messages.filter(sender=users["alice"]).get()
    response = api(users["alice"]).patch(f"{CONVERSATIONS}{chat.pk}/messages/{message.pk}/", {"body": message.body})
    assert errors_of(response) == [("body", "unchanged")]


def test_a_blank_body_fails_the_fields_own_validation(api, users, chat):
    response = api(users["alice"]).post(f"{CONVERSATIONS}{chat.pk}/messages/", {"body": "   "})
    assert errors_of(response) == [("body", "blank")]  # CharField trims whitespace first


# --- object-level validation -------------------------------------------------------------------

def test_a_group_without_a_title_fails_object_validation(api, users):
    group = {"participant_ids": [users["bob"].pk, users["carol"].pk], "title": "  "}
    response = api(users["alice"]).post(CONVERSATIONS, group)
    assert errors_of(response) == [(None, "title_required")]  # about the object, not one field


def test_object_validation_on_patch_combines_the_request_with_the_stored_object(api, users, make_conversation):
    group = make_conversation(users["alice"], users["bob"], users["carol"], title="Project")
    url = f"{CONVERSATIONS}{group.pk}/"
    # Only the title is sent; the participants the rule needs come from the database.
    assert errors_of(api(users["alice"]).patch(url, {"title": ""})) == [(None, "title_required")]
    assert api(users["alice"]).patch(url, {"title": "Launch"}).json()["title"] == "Launch"


# --- what the serializers return ----------------------------------------------------------------

def test_a_new_conversation_includes_its_creator_and_reads_back_as_objects(api, users):
    response = api(users["alice"]).post(CONVERSATIONS, {"participant_ids": [users["bob"].pk]})

    body = response.json()
    assert [user["username"] for user in body["participants"]] == ["alice", "bob"]
    assert "participant_ids" not in body  # write-only
    assert body["message_count"] == 0
    assert set(body) == {"url", "id", "title", "participants", "message_count", "messages_url", "created_at"}


def test_perform_create_sets_the_sender_and_the_conversation_from_the_request(api, users, chat):
    # The client tries to post as bob, into another conversation: both fields are read-only.
    payload = {"body": "hello", "sender": users["bob"].pk, "conversation": 999999}
    response = api(users["alice"]).post(f"{CONVERSATIONS}{chat.pk}/messages/", payload)

    assert response.status_code == 201
    message = Message.objects.get(body="hello")
    assert (message.sender, message.conversation) == (users["alice"], chat)
    assert response["Location"] == f"http://testserver/api/v1/conversations/{chat.pk}/messages/{message.pk}/"


def test_a_reply_must_point_at_a_message_of_the_same_conversation(api, users, chat, make_conversation):
    other = make_conversation(users["alice"], users["carol"], messages=1)
    url = f"{CONVERSATIONS}{chat.pk}/messages/"
    same, elsewhere = chat.messages.first(), other.messages.first()

    response = api(users["alice"]).post(url, {"body": "re", "parent": elsewhere.pk})
    assert errors_of(response) == [("parent", "does_not_exist")]
    assert api(users["alice"]).post(url, {"body": "re", "parent": same.pk}).json()["parent"] == same.pk


def test_an_edit_changes_the_body_marks_it_edited_and_cannot_move_the_reply(api, users, chat):
    first, second = chat.messages.order_by("pk")
    reply = Message.objects.create(conversation=chat, sender=users["alice"], body="reply", parent=first)
    url = f"{CONVERSATIONS}{chat.pk}/messages/{reply.pk}/"

    response = api(users["alice"]).patch(url, {"body": "reply, edited", "parent": second.pk})

    assert response.status_code == 200
    assert (response.json()["edited"], response.json()["parent"]) == (True, first.pk)  # parent ignored


# --- routers and nested routes -----------------------------------------------------------------

def test_the_router_names_the_nested_routes_for_reverse():
    kwargs = {"version": "v1", "conversation_pk": 7}
    assert reverse("messaging-api:conversation-message-list", kwargs=kwargs) == "/api/v1/conversations/7/messages/"
    assert reverse("messaging-api:conversation-message-detail", kwargs={**kwargs, "pk": 3}) == (
        "/api/v1/conversations/7/messages/3/"
    )


def test_a_message_is_only_found_under_its_own_conversation(api, users, chat, make_conversation):
    other = make_conversation(users["alice"], users["carol"])
    message = chat.messages.first()
    assert api(users["alice"]).get(f"{CONVERSATIONS}{other.pk}/messages/{message.pk}/").status_code == 404
    assert api(users["alice"]).get(f"{CONVERSATIONS}{chat.pk}/messages/{message.pk}/").status_code == 200


# --- query counts of the list endpoints -----------------------------------------------------------

def count_queries(viewset, user, url: str, **kwargs) -> int:
    """Run a list action through the full DRF stack (JWT authentication included)."""
    request = APIRequestFactory().get(url, HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}")
    view = viewset.as_view({"get": "list"})
    with CaptureQueriesContext(connection) as queries:
        response = view(request, version="v1", **kwargs)
        response.render()
    assert response.status_code == 200
    return len(queries)


def test_list_endpoints_run_a_fixed_number_of_queries_however_many_rows(users, make_conversation):
    alice, bob, carol = users["alice"], users["bob"], users["carol"]
    rows = []
    for size in (3, 10):
        Conversation.objects.all().delete()
        for number in range(size):
            make_conversation(alice, bob, carol, title=f"group {number}", messages=2)
        rows.append(("conversations", size, count_queries(NaiveConversationViewSet, alice, CONVERSATIONS),
                     count_queries(ConversationViewSet, alice, CONVERSATIONS)))
    for size in (3, 20):
        chat = make_conversation(alice, bob, messages=size)
        url = f"{CONVERSATIONS}{chat.pk}/messages/"
        rows.append(("messages", size, count_queries(NaiveMessageViewSet, alice, url, conversation_pk=chat.pk),
                     count_queries(MessageViewSet, alice, url, conversation_pk=chat.pk)))

    (_, _, naive_3, conversations_3), (_, _, naive_10, conversations_10), \
        (_, _, naive_m3, messages_3), (_, _, naive_m20, messages_20) = rows
    assert conversations_3 == conversations_10 == 4  # user, COUNT, page, participants
    assert messages_3 == messages_20 == 3  # user, conversation, page (a cursor needs no COUNT)
    assert naive_10 - naive_3 == 2 * (10 - 3)  # two more queries per conversation on the page
    assert naive_m20 - naive_m3 == 20 - 3  # one more query per message (its sender)

    table = ["| List request | Rows on the page | Queries, naive | Queries, optimized |",
             "| --- | ---: | ---: | ---: |"]
    paths = {"conversations": "`GET /api/v1/conversations/`", "messages": "`GET /api/v1/conversations/{id}/messages/`"}
    table += [f"| {paths[kind]} | {size} | {naive} | {optimized} |" for kind, size, naive, optimized in rows]
    assert matches_recorded("examples/django_project/messaging/api/measured/query_counts.md", "\n".join(table) + "\n")


def test_the_real_endpoints_run_the_same_number_of_queries(api, users, make_conversation, django_assert_num_queries):
    alice = users["alice"]
    chat = make_conversation(alice, users["bob"], messages=5)
    make_conversation(alice, users["carol"], messages=1)
    client = api(alice)
    with django_assert_num_queries(4):
        assert len(client.get(CONVERSATIONS).json()["results"]) == 2
    with django_assert_num_queries(3):
        assert len(client.get(f"{CONVERSATIONS}{chat.pk}/messages/").json()["results"]) == 5


# --- ordering after an aggregate ----------------------------------------------------------------

class ConversationsWithoutOrderBy(ConversationViewSet):
    def get_queryset(self):
        # The real queryset minus its explicit order_by(): Meta.ordering is ignored under GROUP BY.
        return super().get_queryset().order_by()


def test_django_paginator_warns_when_the_aggregate_has_no_explicit_order(users, make_conversation):
    alice = users["alice"]
    make_conversation(alice, users["bob"])
    # The warning comes from Django's Paginator, which DRF's PageNumberPagination wraps.
    with pytest.warns(UnorderedObjectListWarning, match="unordered object_list"):
        count_queries(ConversationsWithoutOrderBy, alice, CONVERSATIONS)
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)  # the real view: no warning
        count_queries(ConversationViewSet, alice, CONVERSATIONS)
