"""The Chapa payment flow against a stand-in Chapa on 127.0.0.1: initiate, return, webhook, and
every way it can go wrong. No request leaves the machine."""

from __future__ import annotations

import json
import logging
import re
from decimal import Decimal

import pytest
from celery.result import AsyncResult
from django.conf import settings as django_settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.urls import reverse

from measurements import matches_recorded
from travel.bookings import confirmation_task_id
from travel.chapa import ChapaClient, ChapaError, signature_is_valid, webhook_signature
from travel.fake_chapa import INITIALIZE, VERIFY
from travel.models import Booking, InvalidTransition, Payment

WEBHOOK = "/travel/payments/webhook/"


def start(client, booking):
    return client.post(reverse("travel:payment-initiate", args=[booking.pk]))


def return_to_site(client, tx_ref):
    """The guest's browser coming back from the checkout (return_url), or Chapa's callback_url."""
    return client.get(reverse("travel:payment-verify", args=[tx_ref]))


CONFIGURED = "the configured webhook secret"


def post_webhook(client, body: bytes, *, secret: str | None = CONFIGURED, header: str = "HTTP_X_CHAPA_SIGNATURE"):
    """POST `body` to the webhook, signed as Chapa signs it (secret=None: unsigned)."""
    if secret == CONFIGURED:
        secret = django_settings.CHAPA_WEBHOOK_SECRET
    signature = {header: webhook_signature(body, secret)} if secret is not None else {}
    return client.post(WEBHOOK, data=body, content_type="application/json", **signature)


@pytest.fixture
def started(client, chapa, make_booking):
    """A booking of 2 nights at 2500.00 ETB whose guest is at Chapa's checkout page now."""
    booking = make_booking("Abebe Bikila")
    response = start(client, booking)
    assert response.status_code == 201
    return booking, response.json()["tx_ref"]


# --- initiate ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_initiate_sends_chapa_the_documented_request_and_returns_the_checkout_url(client, chapa, make_booking):
    booking = make_booking("Abebe Bikila")

    response = start(client, booking)

    assert response.status_code == 201
    body = response.json()
    assert re.fullmatch(rf"nexus-{booking.pk}-[0-9a-f]{{12}}", body["tx_ref"])
    assert body["checkout_url"].startswith("https://checkout.chapa.co/checkout/payment/")
    assert (body["status"], body["booking_status"]) == ("pending", "pending")
    [sent] = chapa.calls("POST", INITIALIZE)
    assert sent.authorized  # "Authorization: Bearer <secret key>"
    verify_url = f"http://testserver/travel/payments/{body['tx_ref']}/verify/"
    assert sent.body == {
        "amount": "5000.00", "currency": "ETB", "email": "abebe@example.com", "first_name": "Abebe",
        "last_name": "Bikila", "tx_ref": body["tx_ref"], "callback_url": verify_url, "return_url": verify_url,
        "customization": {"title": "Lalibela Lodge"},
    }
    payment = Payment.objects.get(tx_ref=body["tx_ref"])
    assert (payment.status, payment.amount, payment.checkout_url) == (
        "pending", Decimal("5000.00"), body["checkout_url"]
    )
    shown = {**sent.body, "tx_ref": "nexus-<booking id>-<12 random hex digits>",
             "callback_url": "https://<your site>/travel/payments/<tx_ref>/verify/",
             "return_url": "https://<your site>/travel/payments/<tx_ref>/verify/"}
    assert matches_recorded("examples/django_project/travel/measured/chapa-initialize.md",
                            "``` json\n" + json.dumps(shown, indent=2) + "\n```\n")


@pytest.mark.django_db
def test_asking_to_pay_twice_returns_the_same_checkout(client, started, chapa):
    booking, tx_ref = started

    again = start(client, booking)

    assert again.status_code == 200
    assert again.json()["tx_ref"] == tx_ref
    assert len(chapa.calls("POST", INITIALIZE)) == 1
    assert booking.payments.count() == 1


@pytest.mark.django_db
def test_a_confirmed_booking_cannot_be_paid_again(client, chapa, make_booking):
    response = start(client, make_booking(status="confirmed"))

    assert response.status_code == 409
    assert chapa.requests == []


@pytest.mark.django_db
def test_chapa_down_at_initialize_fails_that_attempt_and_a_retry_gets_a_new_tx_ref(client, chapa, make_booking):
    booking = make_booking()
    chapa.unavailable = True

    down = start(client, booking)
    chapa.unavailable = False
    retried = start(client, booking)

    assert down.status_code == 502
    [failed] = booking.payments.filter(status="failed")
    assert failed.failure_reason.startswith("initialize failed: initialize nexus-")
    assert retried.status_code == 201
    assert retried.json()["tx_ref"] != failed.tx_ref


@pytest.mark.django_db
def test_two_clicks_at_the_same_moment_share_one_pending_payment(client, started, chapa, monkeypatch):
    booking, tx_ref = started
    # The race: this request looked for a pending payment just before the other one created it.
    manager = type(booking.payments)
    real_filter = manager.filter
    monkeypatch.setattr(manager, "filter", lambda self, *args, **kwargs: (
        real_filter(self, *args, **kwargs).none() if kwargs == {"status": "pending"}
        else real_filter(self, *args, **kwargs)
    ))

    second = start(client, booking)

    assert second.status_code == 200  # the unique constraint refused a second pending payment
    assert second.json()["tx_ref"] == tx_ref
    assert len(chapa.calls("POST", INITIALIZE)) == 1


@pytest.mark.django_db
def test_a_pending_payment_without_a_checkout_is_resumed_with_its_tx_ref(client, chapa, make_booking):
    """A crash between saving the payment and calling Chapa leaves it pending without a URL."""
    booking = make_booking()
    payment = Payment.objects.create(
        booking=booking, tx_ref="nexus-resume-1", amount=booking.total_price, currency="ETB"
    )

    response = start(client, booking)

    assert (response.status_code, response.json()["tx_ref"]) == (201, payment.tx_ref)
    assert Payment.objects.get(pk=payment.pk).checkout_url == response.json()["checkout_url"]


# --- return_url, callback_url and the webhook ------------------------------------------------------


@pytest.mark.django_db
def test_coming_back_after_paying_completes_the_payment_once_and_queues_one_email(
    client, started, chapa, django_capture_on_commit_callbacks
):
    _, tx_ref = started
    chapa.pay(tx_ref)

    with django_capture_on_commit_callbacks() as first_commit:
        back = return_to_site(client, tx_ref)
    with django_capture_on_commit_callbacks() as second_commit:
        callback = return_to_site(client, tx_ref)  # Chapa's callback_url: the same view, later

    assert back.status_code == callback.status_code == 200
    assert back.json() == {"tx_ref": tx_ref, "status": "completed", "booking_status": "confirmed"}
    assert (len(first_commit), len(second_commit)) == (1, 0)  # one e-mail queued, on COMMIT
    assert len(chapa.calls("GET", VERIFY)) == 1  # a completed payment is not verified again
    payment = Payment.objects.get(tx_ref=tx_ref)
    assert payment.chapa_reference == chapa.transactions[tx_ref]["reference"]
    assert payment.completed_at is not None


@pytest.mark.django_db
def test_a_signed_webhook_completes_the_payment_and_a_replay_is_processed_once(
    client, started, chapa, django_capture_on_commit_callbacks
):
    _, tx_ref = started
    chapa.pay(tx_ref)
    body = chapa.webhook_body(tx_ref)

    with django_capture_on_commit_callbacks() as first:
        delivered = post_webhook(client, body)
    with django_capture_on_commit_callbacks() as replay:
        replayed = post_webhook(client, body)

    assert delivered.json() == {
        "tx_ref": tx_ref, "status": "completed", "booking_status": "confirmed", "processed": True
    }
    assert replayed.json()["processed"] is False
    assert (len(first), len(replay)) == (1, 0)
    assert len(chapa.calls("GET", VERIFY)) == 1


@pytest.mark.django_db
def test_of_two_verifications_racing_only_one_completes_and_queues(
    client, started, chapa, monkeypatch, django_capture_on_commit_callbacks
):
    _, tx_ref = started
    chapa.pay(tx_ref)
    real_verify = ChapaClient.verify

    def verify_while_the_webhook_wins(self, ref):
        answer = real_verify(self, ref)
        # Meanwhile the webhook's request completed the payment and queued the e-mail.
        Payment.objects.filter(tx_ref=ref).update(status="completed")
        return answer

    monkeypatch.setattr(ChapaClient, "verify", verify_while_the_webhook_wins)
    with django_capture_on_commit_callbacks() as callbacks:
        response = return_to_site(client, tx_ref)

    assert response.json()["status"] == "completed"
    assert callbacks == []  # the conditional UPDATE matched nothing: this request queues nothing


@pytest.mark.django_db
@pytest.mark.parametrize(
    "tamper", ["wrong secret", "no signature", "body changed after signing", "no secret configured"]
)
def test_a_webhook_without_a_valid_signature_is_rejected(client, started, chapa, settings, tamper):
    _, tx_ref = started
    chapa.pay(tx_ref)
    body = chapa.webhook_body(tx_ref)
    if tamper == "wrong secret":
        response = post_webhook(client, body, secret="guessed")
    elif tamper == "no signature":
        response = post_webhook(client, body, secret=None)
    elif tamper == "body changed after signing":
        signature = webhook_signature(body, settings.CHAPA_WEBHOOK_SECRET)
        forged = body.replace(b'"charge.success"', b'"charge.success" ')
        response = client.post(WEBHOOK, data=forged, content_type="application/json", HTTP_X_CHAPA_SIGNATURE=signature)
    else:
        settings.CHAPA_WEBHOOK_SECRET = ""  # forgotten in production: reject, do not accept all
        response = post_webhook(client, body, secret="")

    assert response.status_code == 401
    assert Payment.objects.get(tx_ref=tx_ref).status == "pending"
    assert chapa.calls("GET", VERIFY) == []  # rejected before anything else happens


@pytest.mark.django_db
def test_the_signature_header_name_is_a_setting(client, started, chapa, settings):
    _, tx_ref = started
    chapa.pay(tx_ref)
    settings.CHAPA_WEBHOOK_SIGNATURE_HEADER = "Chapa-Signature"
    body = chapa.webhook_body(tx_ref)

    old_name = post_webhook(client, body)
    new_name = post_webhook(client, body, header="HTTP_CHAPA_SIGNATURE")

    assert (old_name.status_code, new_name.status_code) == (401, 200)


def test_signature_check_is_hmac_sha256_hex_of_the_raw_body():
    body = b'{"tx_ref": "nexus-1-abc"}'
    expected = webhook_signature(body, "s3cret")

    assert re.fullmatch("[0-9a-f]{64}", expected)  # 32 bytes of SHA-256, in hex
    assert signature_is_valid(body, expected.upper() + "\n", "s3cret")  # case and whitespace tolerated
    assert not signature_is_valid(body, expected, "other")
    assert not signature_is_valid(body + b" ", expected, "s3cret")
    assert not signature_is_valid(body, "", "s3cret")


@pytest.mark.django_db
def test_a_declined_payment_fails_and_queues_nothing(client, started, chapa, django_capture_on_commit_callbacks):
    booking, tx_ref = started
    chapa.decline(tx_ref)

    with django_capture_on_commit_callbacks() as callbacks:
        response = return_to_site(client, tx_ref)

    assert response.json() == {"tx_ref": tx_ref, "status": "failed", "booking_status": "pending"}
    assert Payment.objects.get(tx_ref=tx_ref).failure_reason == "Chapa reports failed"
    assert callbacks == []
    # The guest can try again: the failed payment no longer blocks a new one.
    assert start(client, booking).status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("paid", ["4000.00", "5,000.00"])
def test_a_payment_of_the_wrong_amount_fails(client, started, chapa, caplog, paid, django_capture_on_commit_callbacks):
    _, tx_ref = started
    chapa.pay(tx_ref, amount=paid)  # "5,000.00" is not a number the code accepts

    with caplog.at_level(logging.WARNING, logger="travel.payments"), django_capture_on_commit_callbacks() as callbacks:
        response = return_to_site(client, tx_ref)

    assert response.json()["status"] == "failed"
    shown = "4000.00" if paid == "4000.00" else "None"
    reason = f"amount mismatch: expected 5000.00 ETB, Chapa reports {shown} ETB"
    assert Payment.objects.get(tx_ref=tx_ref).failure_reason == reason
    assert reason in caplog.text
    assert callbacks == []


@pytest.mark.django_db
def test_coming_back_before_paying_leaves_the_payment_pending(client, started, chapa):
    _, tx_ref = started  # the guest closed the checkout page without paying

    response = return_to_site(client, tx_ref)

    assert response.status_code == 202
    assert response.json()["status"] == "pending"


@pytest.mark.django_db
def test_unknown_references_and_events_that_are_not_payments(client, chapa):
    unsigned = json.dumps({"event": "payout.success", "type": "Payout", "reference": "x"}).encode()
    unknown = json.dumps({"event": "charge.success", "tx_ref": "not-ours"}).encode()

    assert return_to_site(client, "not-ours").status_code == 404
    assert post_webhook(client, unknown).json() == {"status": "ignored"}  # 200: do not send it again
    assert post_webhook(client, unsigned).status_code == 400  # signed, but no tx_ref
    assert post_webhook(client, b"not json").status_code == 400


@pytest.mark.django_db
@pytest.mark.parametrize("outage", ["503 from Chapa", "HTML error page", "our key refused", "nothing listening"])
def test_when_chapa_cannot_answer_the_payment_stays_pending(client, started, chapa, settings, outage):
    _, tx_ref = started
    chapa.pay(tx_ref)
    if outage == "503 from Chapa":
        chapa.unavailable = True
    elif outage == "HTML error page":
        chapa.maintenance_page = True
    elif outage == "our key refused":
        settings.CHAPA_SECRET_KEY = "CHASECK_TEST-revoked"
    else:
        settings.CHAPA_BASE_URL = "http://127.0.0.1:9"  # the discard port: connection refused

    back = return_to_site(client, tx_ref)
    webhook = post_webhook(client, chapa.webhook_body(tx_ref))

    assert (back.status_code, webhook.status_code) == (503, 503)
    assert Payment.objects.get(tx_ref=tx_ref).status == "pending"  # asked again later, it completes


@pytest.mark.django_db
def test_a_payment_completed_after_the_booking_expired_is_recorded_but_not_confirmed(
    client, started, chapa, caplog, django_capture_on_commit_callbacks
):
    booking, tx_ref = started
    Booking.objects.filter(pk=booking.pk).update(status="expired")  # the expiry job ran meanwhile
    chapa.pay(tx_ref)

    with caplog.at_level(logging.WARNING, logger="travel.bookings"), django_capture_on_commit_callbacks() as callbacks:
        response = return_to_site(client, tx_ref)

    assert response.json() == {"tx_ref": tx_ref, "status": "completed", "booking_status": "expired"}
    assert f"booking {booking.pk} was paid while expired" in caplog.text  # for a person to refund or confirm
    assert callbacks == []


@pytest.mark.django_db
def test_every_outcome_in_one_table(client, chapa, make_booking, django_capture_on_commit_callbacks):
    """One fresh booking per row; the row is what the endpoint answered and what was stored."""

    def paid(tx_ref):
        chapa.pay(tx_ref)
        return return_to_site(client, tx_ref)

    def paid_then_back_again(tx_ref):
        paid(tx_ref)
        return return_to_site(client, tx_ref)

    def webhook_then_replay(tx_ref):
        chapa.pay(tx_ref)
        post_webhook(client, chapa.webhook_body(tx_ref))
        return post_webhook(client, chapa.webhook_body(tx_ref))

    def declined(tx_ref):
        chapa.decline(tx_ref)
        return return_to_site(client, tx_ref)

    def wrong_amount(tx_ref):
        chapa.pay(tx_ref, amount="4000.00")
        return return_to_site(client, tx_ref)

    def not_paid_yet(tx_ref):
        return return_to_site(client, tx_ref)

    def forged_webhook(tx_ref):
        chapa.pay(tx_ref)
        return post_webhook(client, chapa.webhook_body(tx_ref), secret="guessed")

    def chapa_down(tx_ref):
        chapa.pay(tx_ref)
        chapa.unavailable = True
        try:
            return return_to_site(client, tx_ref)
        finally:
            chapa.unavailable = False

    scenarios = {
        "Paid; the guest comes back (return_url)": paid,
        "Paid; return_url, then callback_url (both requests counted)": paid_then_back_again,
        "Paid; the webhook arrives twice (both counted)": webhook_then_replay,
        "Declined at the checkout": declined,
        "Paid 4000.00 instead of 5000.00": wrong_amount,
        "Back before paying": not_paid_yet,
        "Webhook with a forged signature": forged_webhook,
        "Chapa down during verify": chapa_down,
    }
    rows = []
    for number, (scenario, act) in enumerate(scenarios.items()):
        booking = make_booking(f"Guest{number} Example")
        tx_ref = start(client, booking).json()["tx_ref"]
        verifies_before = len(chapa.calls("GET", VERIFY))
        with django_capture_on_commit_callbacks() as callbacks:
            response = act(tx_ref)
        payment = Payment.objects.select_related("booking").get(tx_ref=tx_ref)
        rows.append((scenario, response.status_code, payment.status, payment.booking.status, len(callbacks),
                     len(chapa.calls("GET", VERIFY)) - verifies_before))

    assert [row[1:] for row in rows] == [
        (200, "completed", "confirmed", 1, 1),
        (200, "completed", "confirmed", 1, 1),  # two requests, one verify call, one e-mail
        (200, "completed", "confirmed", 1, 1),
        (200, "failed", "pending", 0, 1),
        (200, "failed", "pending", 0, 1),
        (202, "pending", "pending", 0, 1),
        (401, "pending", "pending", 0, 0),
        (503, "pending", "pending", 0, 1),
    ]
    table = "\n".join(f"| {s} | {code} | `{pay}` | `{book}` | {queued} | {verifies} |"
                      for s, code, pay, book, queued, verifies in rows)
    assert matches_recorded("examples/django_project/travel/measured/payment-outcomes.md", (
        "| Scenario | Our answer | Payment | Booking | E-mails queued | Verify calls to Chapa |\n"
        "| --- | --- | --- | --- | --- | --- |\n" + table + "\n"
    ))


# --- what is stored, and what is never written down ------------------------------------------


@pytest.mark.django_db
def test_payment_states_move_forward_only(started):
    _, tx_ref = started
    payment = Payment.objects.get(tx_ref=tx_ref)

    assert payment.transition("completed") is True
    assert payment.transition("completed") is False  # a replay: nothing to do
    with pytest.raises(InvalidTransition, match="is completed; it cannot become failed"):
        payment.transition("failed")
    with pytest.raises(InvalidTransition, match="cannot become pending"):
        payment.transition("pending")


@pytest.mark.django_db
def test_the_database_allows_one_pending_payment_per_booking_and_unique_tx_refs(started):
    booking, tx_ref = started

    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(booking=booking, tx_ref="nexus-other", amount=1, currency="ETB")
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(booking=booking, tx_ref=tx_ref, amount=1, currency="ETB", status="failed")


@pytest.mark.django_db
def test_secrets_never_reach_the_logs_or_a_repr(client, chapa, make_booking, caplog, settings):
    with caplog.at_level(logging.DEBUG):
        booking = make_booking()
        tx_ref = start(client, booking).json()["tx_ref"]
        chapa.pay(tx_ref, amount="1.00")
        return_to_site(client, tx_ref)
        post_webhook(client, chapa.webhook_body(tx_ref), secret="guessed")

    assert caplog.records  # the flow did log: tx_refs, outcomes, the rejected webhook
    assert settings.CHAPA_SECRET_KEY not in caplog.text
    assert settings.CHAPA_WEBHOOK_SECRET not in caplog.text
    assert settings.CHAPA_SECRET_KEY not in repr(ChapaClient())


# --- the client and the stand-in themselves ------------------------------------------------------


@pytest.mark.django_db
def test_chapa_refuses_a_reused_tx_ref_and_a_request_without_amount(chapa):
    client = ChapaClient()
    fields = dict(tx_ref="nexus-9-reused", amount=Decimal("10.00"), currency="ETB", email="a@example.com",
                  first_name="A", last_name="B", callback_url="http://x/", return_url="http://x/", title="T")
    client.initialize(**fields)

    with pytest.raises(ChapaError, match="used before"):
        client.initialize(**fields)
    with pytest.raises(ChapaError, match="HTTP 400"):
        client.initialize(**{**fields, "tx_ref": "nexus-9-other", "amount": ""})
    assert chapa.handle("GET", "/v1/banks", f"Bearer {chapa.secret_key}", None)[0] == 404


@pytest.mark.django_db
def test_verify_of_a_reference_chapa_does_not_know_is_not_a_payment(chapa):
    verification = ChapaClient().verify("nexus-never-initialized")

    assert (verification.paid, verification.status, verification.amount) == (False, "unknown", None)


@pytest.mark.django_db
def test_models_read_well_in_the_admin_and_in_logs(started):
    booking, tx_ref = started
    payment = Payment.objects.get(tx_ref=tx_ref)

    assert str(booking.listing) == "Lalibela Lodge"
    assert str(booking) == "Abebe Bikila: Lalibela Lodge 2030-01-11 to 2030-01-13"
    assert booking.nights == 2
    assert str(payment) == f"{tx_ref} (pending)"


# --- all the way to the e-mail -------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_verified_payment_ends_with_the_worker_sending_the_email(
    client, chapa, make_booking, celery_worker, celery_app
):
    """Committed for real (transaction=True): on_commit publishes to Redis, the worker sends."""
    booking = make_booking("Derartu Tulu")
    tx_ref = start(client, booking).json()["tx_ref"]
    chapa.pay(tx_ref)

    response = return_to_site(client, tx_ref)
    outcome = AsyncResult(confirmation_task_id(booking.pk), app=celery_app).get(timeout=10)

    assert response.json()["status"] == "completed"
    assert outcome == {"booking": booking.pk, "status": "sent", "attempt": 1}
    assert [(message.subject, message.to) for message in mail.outbox] == [
        ("Booking confirmed: Lalibela Lodge", ["derartu@example.com"])
    ]
