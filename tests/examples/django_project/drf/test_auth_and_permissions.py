"""docs/technologies/drf/auth-and-permissions.md: JWT with rotation and blacklisting,
object-level permissions, pagination, filtering and throttling."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from rest_framework.test import APIRequestFactory
from rest_framework.throttling import UserRateThrottle
from rest_framework_simplejwt.tokens import AccessToken

from measurements import matches_recorded
from messaging.api.naive import LeakyConversationViewSet
from messaging.api.throttling import AnonThrottle, LoginThrottle, UserThrottle
from messaging.models import Conversation, Message

pytestmark = pytest.mark.django_db

CONVERSATIONS = "/api/v1/conversations/"
TOKEN, REFRESH, LOGOUT = "/api/v1/auth/token/", "/api/v1/auth/token/refresh/", "/api/v1/auth/token/blacklist/"


# --- JWT: obtain, refresh with rotation, blacklist ----------------------------------------------

def test_a_username_and_password_buy_an_access_and_a_refresh_token(api, users, log_in):
    tokens = log_in("alice")

    assert set(tokens) == {"access", "refresh"}
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get(CONVERSATIONS).status_code == 200


def test_a_wrong_password_is_401_without_saying_which_part_was_wrong(api, users):
    response = api().post(TOKEN, {"username": "alice", "password": "guess"})
    assert response.status_code == 401
    assert response.json()["code"] == "no_active_account"
    assert response.json()["message"] == "No active account found with the given credentials"
    # A user that does not exist gets the very same answer: the endpoint reveals no usernames.
    assert api().post(TOKEN, {"username": "nobody", "password": "guess"}).json() == response.json()


def test_a_refresh_rotates_the_refresh_token_and_the_old_one_is_then_rejected(api, users, log_in):
    old = log_in("alice")["refresh"]

    rotated = api().post(REFRESH, {"refresh": old})
    assert rotated.status_code == 200
    new = rotated.json()["refresh"]
    assert new != old and "access" in rotated.json()

    replayed = api().post(REFRESH, {"refresh": old})  # e.g. a stolen copy of the old token
    assert replayed.status_code == 401
    assert (replayed.json()["code"], replayed.json()["message"]) == ("token_not_valid", "Token is blacklisted")
    assert api().post(REFRESH, {"refresh": new}).status_code == 200  # the new one still works


def test_logging_out_blacklists_the_refresh_token_but_not_the_access_token(api, users, log_in):
    tokens = log_in("alice")

    assert api().post(LOGOUT, {"refresh": tokens["refresh"]}).status_code == 200
    assert api().post(REFRESH, {"refresh": tokens["refresh"]}).status_code == 401
    # The access token is not looked up anywhere: it stays valid until it expires.
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    assert client.get(CONVERSATIONS).status_code == 200


def test_an_expired_access_token_is_401(api, users):
    token = AccessToken.for_user(users["alice"])
    token.set_exp(lifetime=-token.lifetime)  # expired as long ago as it was valid
    client = api()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    assert client.get(CONVERSATIONS).json()["code"] == "token_not_valid"


# --- object-level permissions ---------------------------------------------------------------------

def test_a_user_lists_only_their_own_conversations(api, users, chat, make_conversation):
    make_conversation(users["bob"], users["carol"])
    ids = [row["id"] for row in api(users["alice"]).get(CONVERSATIONS).json()["results"]]
    assert ids == [chat.pk]


def test_a_stranger_gets_404_for_a_conversation_that_exists_exactly_as_for_one_that_does_not(api, users, chat):
    dave = api(users["dave"])
    existing, missing = dave.get(f"{CONVERSATIONS}{chat.pk}/"), dave.get(f"{CONVERSATIONS}999999/")
    assert existing.status_code == missing.status_code == 404
    assert existing.json() == missing.json()  # nothing tells them apart


def test_a_stranger_gets_404_for_the_messages_even_when_posting_invalid_data(api, users, chat):
    dave = api(users["dave"])
    assert dave.get(f"{CONVERSATIONS}{chat.pk}/messages/").status_code == 404
    assert dave.post(f"{CONVERSATIONS}{chat.pk}/messages/", {"body": ""}).status_code == 404  # not 400
    assert dave.get(f"{CONVERSATIONS}{chat.pk}/messages/{chat.messages.first().pk}/").status_code == 404


def test_a_participant_may_read_but_only_the_sender_may_edit_or_delete(api, users, chat):
    message = chat.messages.filter(sender=users["alice"]).get()
    url = f"{CONVERSATIONS}{chat.pk}/messages/{message.pk}/"
    bob, alice = api(users["bob"]), api(users["alice"])

    assert bob.get(url).status_code == 200
    assert bob.patch(url, {"body": "bob was here"}).status_code == 403
    assert bob.delete(url).status_code == 403
    assert alice.patch(url, {"body": "fixed a typo"}).status_code == 200
    assert alice.delete(url).status_code == 204


@pytest.mark.parametrize(
    ("method", "target", "data", "expected"),
    [
        ("get", "conversation", None, {"alice": 200, "bob": 200, "dave": 404}),
        ("get", "messages", None, {"alice": 200, "bob": 200, "dave": 404}),
        ("post", "messages", {"body": ""}, {"alice": 400, "bob": 400, "dave": 404}),
        ("get", "alices_message", None, {"alice": 200, "bob": 200, "dave": 404}),
        ("patch", "alices_message", {"body": "changed"}, {"alice": 200, "bob": 403, "dave": 404}),
        ("delete", "alices_message", None, {"alice": 204, "bob": 403, "dave": 404}),
    ],
)
def test_the_permission_table_in_the_note(api, users, chat, method, target, data, expected):
    """One row of the table in auth-and-permissions.md: each user sends the same request."""
    alices_message = chat.messages.filter(sender=users["alice"]).get()
    url = {
        "conversation": f"{CONVERSATIONS}{chat.pk}/",
        "messages": f"{CONVERSATIONS}{chat.pk}/messages/",
        "alices_message": f"{CONVERSATIONS}{chat.pk}/messages/{alices_message.pk}/",
    }[target]
    # Dave and Bob go first, so that Alice's DELETE or PATCH cannot change what they see.
    for name in ("dave", "bob", "alice"):
        response = getattr(api(users[name]), method)(url, data)
        assert response.status_code == expected[name], name


def test_a_permission_class_alone_answers_403_and_so_reveals_what_exists(users, chat):
    """The leaky variant checks IsParticipant over every conversation: existing ids give 403."""
    view = LeakyConversationViewSet.as_view({"get": "retrieve"})

    def status_for(pk) -> int:
        request = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(users['dave'])}")
        return view(request, version="v1", pk=pk).status_code

    assert (status_for(chat.pk), status_for(999999)) == (403, 404)
    bob = APIRequestFactory().get("/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(users['bob'])}")
    assert view(bob, version="v1", pk=chat.pk).status_code == 200  # participants still get in


# --- pagination ---------------------------------------------------------------------------------

def test_conversations_come_in_numbered_pages_with_a_count(api, users, make_conversation):
    for number in range(12):
        make_conversation(users["alice"], users["bob"], users["carol"], title=f"group {number}")
    client = api(users["alice"])

    first = client.get(CONVERSATIONS).json()
    assert set(first) == {"count", "next", "previous", "results"}
    assert (first["count"], len(first["results"]), first["previous"]) == (12, 10, None)
    assert first["next"] == "http://testserver/api/v1/conversations/?page=2"
    second = client.get(first["next"]).json()
    assert (len(second["results"]), second["next"]) == (2, None)
    assert len(client.get(CONVERSATIONS, {"page_size": 5}).json()["results"]) == 5
    assert client.get(CONVERSATIONS, {"page": 9}).json()["code"] == "not_found"  # "Invalid page."


def test_the_page_size_a_client_asks_for_is_capped(api, users, make_conversation):
    for number in range(55):
        make_conversation(users["alice"], users["bob"], users["carol"], title=f"group {number}")
    page = api(users["alice"]).get(CONVERSATIONS, {"page_size": 1000}).json()
    assert (page["count"], len(page["results"])) == (55, 50)  # max_page_size


def test_messages_come_newest_first_in_cursor_pages_without_a_count(api, users, make_conversation):
    chat = make_conversation(users["alice"], users["bob"], messages=25)
    client = api(users["alice"])

    first = client.get(f"{CONVERSATIONS}{chat.pk}/messages/").json()
    assert set(first) == {"next", "previous", "results"}  # no count, no page numbers
    assert first["previous"] is None and "?cursor=" in first["next"]
    second = client.get(first["next"]).json()
    assert (len(first["results"]), len(second["results"]), second["next"]) == (20, 5, None)
    seen = [row["id"] for row in first["results"] + second["results"]]
    assert seen == sorted(chat.messages.values_list("pk", flat=True), reverse=True)  # each once, newest first


def test_a_new_message_does_not_shift_the_next_cursor_page(api, users, make_conversation):
    chat = make_conversation(users["alice"], users["bob"], messages=25)
    client = api(users["alice"])
    first = client.get(f"{CONVERSATIONS}{chat.pk}/messages/").json()

    Message.objects.create(conversation=chat, sender=users["bob"], body="arrived while reading")

    second = client.get(first["next"]).json()
    assert not {row["id"] for row in first["results"]} & {row["id"] for row in second["results"]}


# --- filtering ----------------------------------------------------------------------------------

def at(day: int) -> datetime:
    return datetime(2026, 3, day, 12, 0, tzinfo=UTC)


def test_conversations_filter_by_participant(api, users, chat, make_conversation):
    with_carol = make_conversation(users["alice"], users["carol"])
    client = api(users["alice"])
    only = [row["id"] for row in client.get(CONVERSATIONS, {"participant": users["carol"].pk}).json()["results"]]
    assert only == [with_carol.pk]
    # Filtering narrows the user's own conversations; it never widens them.
    assert api(users["dave"]).get(CONVERSATIONS, {"participant": users["alice"].pk}).json()["count"] == 0


def test_conversations_filter_by_a_creation_date_range(api, users, make_conversation):
    for day in (1, 10, 20):
        conversation = make_conversation(users["alice"], users["bob"], users["carol"], title=f"day {day}")
        Conversation.objects.filter(pk=conversation.pk).update(created_at=at(day))  # auto_now_add otherwise
    query = {"created_after": "2026-03-05T00:00:00Z", "created_before": "2026-03-20T12:00:00Z"}

    titles = [row["title"] for row in api(users["alice"]).get(CONVERSATIONS, query).json()["results"]]

    assert titles == ["day 10"]  # after is inclusive, before is exclusive


def test_messages_filter_by_sender_and_sent_date(api, users, make_conversation):
    chat = make_conversation(users["alice"], users["bob"], messages=4)
    for day, message in zip((1, 2, 3, 4), chat.messages.order_by("pk"), strict=True):
        Message.objects.filter(pk=message.pk).update(sent_at=at(day))
    url = f"{CONVERSATIONS}{chat.pk}/messages/"
    client = api(users["alice"])

    from_bob = client.get(url, {"sender": users["bob"].pk}).json()["results"]
    since_day_2 = client.get(url, {"sent_after": "2026-03-02T00:00:00Z"}).json()["results"]

    assert {row["sender"]["username"] for row in from_bob} == {"bob"} and len(from_bob) == 2
    assert [row["body"] for row in since_day_2] == ["message 3", "message 2", "message 1"]


def test_an_invalid_filter_value_is_a_400_naming_the_parameter(api, users):
    response = api(users["alice"]).get(CONVERSATIONS, {"created_after": "last tuesday"})
    assert response.status_code == 400
    assert [(error["field"], error["code"]) for error in response.json()["errors"]] == [("created_after", "invalid")]


# --- throttling ---------------------------------------------------------------------------------

@pytest.fixture
def low_rates(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "2/minute", "user": "3/minute", "login": "2/minute"},
    }


@pytest.fixture
def clock(monkeypatch):
    """A clock the test moves by hand, shared by the three throttle classes."""
    now = {"t": 1_000_000.0}
    for throttle in (AnonThrottle, UserThrottle, LoginThrottle):
        monkeypatch.setattr(throttle, "timer", staticmethod(lambda: now["t"]))
    return now


def test_a_user_over_the_rate_gets_429_with_retry_after_until_the_window_passes(api, users, low_rates, clock):
    alice = api(users["alice"])
    responses = [alice.get(CONVERSATIONS) for _ in range(4)]  # the rate is 3/minute
    clock["t"] += 61  # the one-minute window has passed
    after_window = alice.get(CONVERSATIONS)

    assert [response.status_code for response in responses] == [200, 200, 200, 429]
    assert responses[-1]["Retry-After"] == "60"
    assert responses[-1].json()["code"] == "throttled"
    assert api(users["bob"]).get(CONVERSATIONS).status_code == 200  # bob has his own bucket
    assert after_window.status_code == 200

    rows = ["| Request | Status | Retry-After |", "| --- | --- | --- |"]
    for number, response in enumerate(responses, 1):
        rows.append(f"| {number} | {response.status_code} | {response.get('Retry-After', '')} |")
    rows.append(f"| 5 (61 s later) | {after_window.status_code} | {after_window.get('Retry-After', '')} |")
    table = "\n".join(row.replace("|  |", "| |") for row in rows) + "\n"
    assert matches_recorded("examples/django_project/messaging/api/measured/throttling.md", table)


def test_password_guesses_are_throttled_per_client_in_their_own_scope(api, users, low_rates, clock):
    guesses = [api().post(TOKEN, {"username": "alice", "password": "guess"}) for _ in range(3)]

    assert [response.status_code for response in guesses] == [401, 401, 429]
    assert guesses[-1]["Retry-After"] == "60"
    assert api().post(REFRESH, {"refresh": "x"}).status_code == 401  # the "anon" bucket is separate


def test_anonymous_requests_are_counted_only_once_they_pass_the_permission_check(api, users, low_rates, clock):
    # The token refresh endpoint allows anyone; the conversations endpoint rejects with 401
    # before the throttles run, so those 401s never count.
    assert [api().get(CONVERSATIONS).status_code for _ in range(5)] == [401] * 5
    assert [api().post(REFRESH, {"refresh": "x"}).status_code for _ in range(3)] == [401, 401, 429]


def test_drfs_own_throttle_classes_ignore_rates_changed_after_import(low_rates):
    # SimpleRateThrottle.THROTTLE_RATES was copied from the settings when DRF was imported.
    assert UserRateThrottle().get_rate() != "3/minute"
    assert UserThrottle().get_rate() == "3/minute"  # reads the current settings
