"""docs/technologies/drf/api-design.md: URLs, status codes, one error shape, versioning."""

from __future__ import annotations

import json
import logging

import jsonschema
import pytest
from rest_framework.exceptions import ErrorDetail

from measurements import matches_recorded
from messaging.api.errors import ERROR_SCHEMA, api_exception_handler, flatten
from messaging.api.throttling import UserThrottle
from messaging.models import Conversation, Message

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/v1/conversations/"


def as_json_schema(schema):
    """OpenAPI 3.0 writes "nullable: true"; JSON Schema writes the null type instead."""
    if isinstance(schema, dict):
        converted = {key: as_json_schema(value) for key, value in schema.items() if key != "nullable"}
        if schema.get("nullable"):
            converted["type"] = [schema["type"], "null"]
        return converted
    return schema


def assert_error_shape(response, status: int, code: str) -> dict:
    body = response.json()
    jsonschema.validate(body, as_json_schema(ERROR_SCHEMA))  # exactly the published shape
    assert (body["status"], body["code"]) == (status, code)
    assert response.status_code == status
    return body


# --- status codes ------------------------------------------------------------------------------

def test_create_is_201_with_a_location_header_pointing_at_the_new_conversation(api, users):
    response = api(users["alice"]).post(CONVERSATIONS, {"participant_ids": [users["bob"].pk]})

    assert response.status_code == 201
    created = Conversation.objects.get()
    assert response["Location"] == f"http://testserver/api/v1/conversations/{created.pk}/"
    assert response.json()["url"] == response["Location"]
    # The Location really is the new resource: GET it.
    assert api(users["alice"]).get(response["Location"]).json()["id"] == created.pk


def test_delete_is_204_with_no_body_and_the_resource_is_then_404(api, users, chat):
    client = api(users["alice"])
    message_url = f"{CONVERSATIONS}{chat.pk}/messages/{chat.messages.first().pk}/"

    response = client.delete(message_url)

    assert response.status_code == 204 and response.content == b""
    assert client.get(message_url).status_code == 404


def test_a_method_the_resource_does_not_support_is_405_in_the_common_shape(api, users):
    response = api(users["alice"]).put(CONVERSATIONS, {})  # PUT on a collection
    assert_error_shape(response, 405, "method_not_allowed")


def test_a_second_direct_conversation_with_the_same_user_is_409(api, users, chat):
    response = api(users["alice"]).post(CONVERSATIONS, {"participant_ids": [users["bob"].pk]})

    body = assert_error_shape(response, 409, "conflict")
    assert body["message"] == f"You already have a direct conversation with bob: conversation {chat.pk}."
    assert Conversation.objects.count() == 1  # nothing was created


def test_a_group_with_the_same_two_users_plus_one_is_not_a_conflict(api, users, chat):
    group = {"participant_ids": [users["bob"].pk, users["carol"].pk], "title": "Project"}
    assert api(users["alice"]).post(CONVERSATIONS, group).status_code == 201


# --- one error shape ---------------------------------------------------------------------------

def test_validation_errors_list_every_field_with_a_code_and_a_message(api, users):
    response = api(users["alice"]).post(CONVERSATIONS, {"title": "x" * 201})

    body = assert_error_shape(response, 400, "invalid")
    assert body["errors"] == [
        {"field": "title", "code": "max_length", "message": "Ensure this field has no more than 200 characters."},
        {"field": "participant_ids", "code": "required", "message": "This field is required."},
    ]


def test_malformed_json_is_a_400_parse_error_not_a_validation_error(api, users):
    response = api(users["alice"]).post(CONVERSATIONS, "{not json", content_type="application/json")
    body = assert_error_shape(response, 400, "parse_error")
    assert body["errors"] == []


def test_no_token_is_401_with_a_www_authenticate_header(api):
    response = api().get(CONVERSATIONS)

    body = assert_error_shape(response, 401, "not_authenticated")
    assert body["message"] == "Authentication credentials were not provided."
    # The first authentication class (JWT) names its scheme; that is what makes this 401, not 403.
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'


def test_a_forged_token_is_401_token_not_valid(api):
    client = api()
    client.credentials(HTTP_AUTHORIZATION="Bearer not.a.token")
    body = assert_error_shape(client.get(CONVERSATIONS), 401, "token_not_valid")
    assert body["message"] == "Given token not valid for any token type"


def test_an_unknown_conversation_is_404_in_the_common_shape(api, users):
    body = assert_error_shape(api(users["alice"]).get(f"{CONVERSATIONS}999999/"), 404, "not_found")
    assert body["errors"] == []


def test_flatten_turns_nested_details_into_dotted_field_paths():
    detail = {
        "non_field_errors": [ErrorDetail("Whole object is wrong.", code="invalid")],
        "items": [{}, {"qty": [ErrorDetail("Too many.", code="max_value")]}],
        "tags": [[ErrorDetail("Empty tag.", code="blank")]],
    }
    assert list(flatten(detail)) == [
        {"field": None, "code": "invalid", "message": "Whole object is wrong."},
        {"field": "items.1.qty", "code": "max_value", "message": "Too many."},
        {"field": "tags.0", "code": "blank", "message": "Empty tag."},
    ]


def test_an_unexpected_exception_is_logged_and_answered_with_a_generic_500(caplog, settings):
    settings.DEBUG = False
    with caplog.at_level(logging.ERROR, logger="messaging.api"):
        response = api_exception_handler(RuntimeError("database password is hunter2"), {"view": None})

    assert response.status_code == 500
    assert response.data == {"status": 500, "code": "server_error", "message": "A server error occurred.", "errors": []}
    assert "hunter2" not in json.dumps(response.data)  # nothing internal reaches the client...
    assert caplog.records[0].exc_info[1].args == ("database password is hunter2",)  # ...the log has it


def test_with_debug_on_an_unexpected_exception_is_left_to_django(settings):
    settings.DEBUG = True
    assert api_exception_handler(RuntimeError("boom"), {"view": None}) is None  # DRF re-raises it


# --- versioning --------------------------------------------------------------------------------

def test_the_api_root_lists_the_collections_under_the_requested_version(api, users):
    response = api(users["alice"]).get("/api/v1/")
    assert response.status_code == 200
    assert response.json() == {"conversations": "http://testserver/api/v1/conversations/"}


def test_an_unknown_version_is_a_json_404_from_the_versioning_class(api, users):
    body = assert_error_shape(api(users["alice"]).get("/api/v2/conversations/"), 404, "not_found")
    assert body["message"] == "Invalid version in URL path."


def test_links_in_responses_are_built_for_the_version_of_the_request(api, users, chat):
    conversation = api(users["alice"]).get(f"{CONVERSATIONS}{chat.pk}/").json()
    assert conversation["url"].startswith("http://testserver/api/v1/")
    assert conversation["messages_url"] == f"http://testserver/api/v1/conversations/{chat.pk}/messages/"


# --- the bodies the note shows -----------------------------------------------------------------

def test_the_error_bodies_in_the_note_come_from_real_responses(api, users, chat, settings, monkeypatch):
    alice, bob = api(users["alice"]), api(users["bob"])
    alices_message = chat.messages.filter(sender=users["alice"]).get()
    message_url = f"{CONVERSATIONS}{chat.pk}/messages/{alices_message.pk}/"
    shown = [
        ("400", f"POST {CONVERSATIONS}{{id}}/messages/ with an empty body",
         alice.post(f"{CONVERSATIONS}{chat.pk}/messages/", {"body": ""})),
        ("401", f"GET {CONVERSATIONS} without a token", api().get(CONVERSATIONS)),
        ("403", "PATCH someone else's message", bob.patch(message_url, {"body": "edited by bob"})),
        ("404", "GET a conversation you are not in", api(users["dave"]).get(f"{CONVERSATIONS}{chat.pk}/")),
    ]
    # 429: a rate of one request a minute, and a clock that stands still, so Retry-After is exact.
    rates = {**settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], "user": "1/minute"}
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    monkeypatch.setattr(UserThrottle, "timer", staticmethod(lambda: 1_000_000.0))
    carol = api(users["carol"])
    carol.get(CONVERSATIONS)
    throttled = carol.get(CONVERSATIONS)
    shown.append(("429", f"GET {CONVERSATIONS} once too often (Retry-After: {throttled['Retry-After']})", throttled))

    for status, _, response in shown:
        assert_error_shape(response, int(status), response.json()["code"])
    assert Message.objects.filter(body="edited by bob").count() == 0
    tabs = []
    for status, request, response in shown:
        body = json.dumps(response.json(), indent=2).replace("\n", "\n    ")
        tabs.append(f'=== "{status}"\n\n    {request}:\n\n    ``` json\n    {body}\n    ```\n')
    assert matches_recorded("examples/django_project/messaging/api/measured/error_bodies.md", "\n".join(tabs))
