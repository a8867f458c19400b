"""Safe and idempotent methods, and the Idempotency-Key pattern that makes a POST safe to retry
(api_demo/views.py and api_demo/idempotency.py)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.http import HttpResponse
from django.utils import timezone

from api_demo.idempotency import fingerprint, idempotent, parse_key, purge_expired_keys
from api_demo.models import IdempotencyRecord, Transfer
from measurements import matches_recorded

pytestmark = pytest.mark.django_db

URL = "/api-design/transfers/"
BODY = {"amount": 2500, "currency": "ETB", "recipient": "Abebe"}


def post(client, body=BODY, key=None):
    headers = {"Idempotency-Key": key} if key is not None else {}
    return client.post(URL, json.dumps(body), content_type="application/json", headers=headers)


def put(client, url, body):
    return client.put(url, json.dumps(body), content_type="application/json")


def test_post_is_not_idempotent_a_retry_creates_a_second_transfer(client):
    first, retry = post(client), post(client)
    assert (first.status_code, retry.status_code) == (201, 201)
    assert first.json()["id"] != retry.json()["id"]
    assert Transfer.objects.count() == 2  # the client wanted one transfer and made two


def test_the_same_idempotency_key_replays_the_first_response_and_creates_nothing(client):
    first = post(client, key='"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    retry = post(client, key='"8e03978e-40d5-43e8-bc93-6894a57f9324"')
    assert Transfer.objects.count() == 1
    assert (retry.status_code, retry.content, retry["Location"]) == (
        first.status_code, first.content, first["Location"]
    )
    assert retry["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first


def test_a_new_key_is_a_new_request(client):
    post(client, key="key-1")
    post(client, key="key-2")
    assert Transfer.objects.count() == 2


def test_reusing_a_key_with_a_different_body_gets_422(client):
    post(client, key="key-1")
    reused = post(client, {**BODY, "amount": 9900}, key="key-1")
    assert reused.status_code == 422
    assert reused.json()["type"].endswith("/problems/idempotency-key-reused")
    assert Transfer.objects.get().amount == 2500  # the second body was never applied


def test_a_retry_while_the_first_request_still_runs_gets_409(client, rf):
    # The first request has claimed the key (status_code still null) and is still running.
    same_request = rf.post(URL, json.dumps(BODY), content_type="application/json")
    IdempotencyRecord.objects.create(key="key-1", fingerprint=fingerprint(same_request))
    retry = post(client, key="key-1")
    assert retry.status_code == 409
    assert retry.json()["type"].endswith("/problems/idempotency-key-in-use")
    assert Transfer.objects.count() == 0


def test_a_rejected_request_is_replayed_too_the_answer_was_given(client):
    invalid = {**BODY, "amount": 0}
    assert post(client, invalid, key="key-1").status_code == 422
    assert post(client, invalid, key="key-1").status_code == 422
    assert post(client, invalid, key="key-1")["Idempotent-Replayed"] == "true"


def test_server_errors_and_exceptions_release_the_key_for_a_retry(rf):
    attempts = []

    @idempotent
    def flaky(request):
        attempts.append(1)
        if len(attempts) == 1:
            return HttpResponse(status=503)
        if len(attempts) == 2:
            raise RuntimeError("database went away")
        return HttpResponse("done", status=201)

    def request():
        return rf.post("/flaky/", b"{}", content_type="application/json", headers={"Idempotency-Key": "k"})

    assert flaky(request()).status_code == 503
    with pytest.raises(RuntimeError):
        flaky(request())
    assert flaky(request()).status_code == 201
    assert flaky(request()).status_code == 201 and len(attempts) == 3  # the fourth was a replay


@pytest.mark.parametrize("header", ['""', "x" * 256])
def test_an_empty_or_oversized_key_is_a_400(client, header):
    response = post(client, key=header)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["detail"]


def test_unquoted_keys_are_accepted_and_get_requests_ignore_the_header(client):
    assert parse_key("abc") == parse_key('"abc"') == "abc"
    assert parse_key(None) is None
    assert client.get(URL, headers={"Idempotency-Key": '""'}).status_code == 200


def test_keys_older_than_a_day_are_purged(client):
    post(client, key="old")
    post(client, {**BODY, "amount": 1}, key="new")
    IdempotencyRecord.objects.filter(key="old").update(created_at=timezone.now() - timedelta(hours=25))
    assert purge_expired_keys() == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


# --- PUT and DELETE are idempotent by definition -------------------------------------------------

def test_put_twice_leaves_the_same_state_and_gives_the_same_answer(client):
    url = post(client).json()["url"]
    new_state = {"amount": 4000, "currency": "KES", "recipient": "Wanjiru"}
    first, second = put(client, url, new_state), put(client, url, new_state)
    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    assert Transfer.objects.filter(**new_state).count() == 1 and Transfer.objects.count() == 1


def test_put_needs_the_whole_representation(client):
    url = post(client).json()["url"]
    partial = put(client, url, {"amount": 4000})
    assert partial.status_code == 422
    assert [error["pointer"] for error in partial.json()["errors"]] == ["#/currency", "#/recipient"]


def test_delete_twice_gives_204_then_404_and_the_same_state(client):
    url = post(client).json()["url"]
    first, second = client.delete(url), client.delete(url)
    assert (first.status_code, first.content) == (204, b"")
    # Idempotent means the same effect on the server, not the same response.
    assert second.status_code == 404
    assert Transfer.objects.count() == 0


def test_get_is_safe_reading_changes_nothing(client):
    post(client)
    before = list(Transfer.objects.values())
    listing = client.get(URL)
    assert listing.status_code == 200 and len(listing.json()["results"]) == 1
    assert list(Transfer.objects.values()) == before


def test_the_method_table_in_the_note_matches_what_the_api_does(client):
    """Send each request twice; record the statuses and how many transfers exist afterwards."""
    rows = ["| Request, sent twice | Responses | Transfers afterwards |", "| --- | --- | ---: |"]

    def twice(label, send):
        Transfer.objects.all().delete()
        IdempotencyRecord.objects.all().delete()
        target = post(client).json()["url"] if "{id}" in label else None
        statuses = [send(target).status_code for _ in range(2)]
        rows.append(f"| `{label}` | {statuses[0]}, {statuses[1]} | {Transfer.objects.count()} |")

    twice("POST /transfers/", lambda _: post(client))
    twice("POST /transfers/ + Idempotency-Key", lambda _: post(client, key="same-key"))
    twice("PUT /transfers/{id}/", lambda url: put(client, url, {**BODY, "amount": 4000}))
    twice("DELETE /transfers/{id}/", lambda url: client.delete(url))
    twice("GET /transfers/{id}/", lambda url: client.get(url))
    assert matches_recorded("examples/api_design/measured/methods-twice.md", "\n".join(rows) + "\n")
