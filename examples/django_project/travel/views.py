"""The payment endpoints: start a checkout, come back from it, and Chapa's webhook.

Plain Django views returning JSON. Who may pay for which booking (authentication, ownership)
is left out to keep the payment flow in view; a real app checks it before start_payment().
"""

from __future__ import annotations

import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from travel.chapa import ChapaError, signature_is_valid
from travel.models import Booking, Payment
from travel.payments import PaymentNotAllowed, confirm_payment, start_payment

logger = logging.getLogger(__name__)


def _payment_body(payment: Payment) -> dict:
    return {"tx_ref": payment.tx_ref, "status": payment.status, "booking_status": payment.booking.status}


# --8<-- [start:initiate]
@csrf_exempt  # an API endpoint for the example; a form-based page keeps CSRF protection
@require_POST
def initiate_payment(request, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("listing"), pk=booking_id)

    def url_for(tx_ref: str) -> str:  # where Chapa sends the guest back, and calls us
        return request.build_absolute_uri(reverse("travel:payment-verify", args=[tx_ref]))

    try:
        payment, created = start_payment(booking, url_for=url_for)
    except PaymentNotAllowed as error:
        return JsonResponse({"detail": str(error)}, status=409)
    except ChapaError:
        return JsonResponse({"detail": "the payment provider is unavailable; try again"}, status=502)
    # The client sends the guest's browser to checkout_url; Chapa hosts the payment form.
    body = {**_payment_body(payment), "checkout_url": payment.checkout_url}
    return JsonResponse(body, status=201 if created else 200)
# --8<-- [end:initiate]


# --8<-- [start:verify]
@require_GET
def verify_payment(request, tx_ref: str):
    """return_url and callback_url: the guest's browser, or Chapa, arrives here after the checkout."""
    try:
        outcome = confirm_payment(tx_ref)
    except Payment.DoesNotExist:
        return JsonResponse({"detail": "unknown payment"}, status=404)
    except ChapaError:
        return JsonResponse({"detail": "could not verify the payment now; try again"}, status=503)
    status = 202 if outcome.payment.status == Payment.Status.PENDING else 200
    return JsonResponse(_payment_body(outcome.payment), status=status)
# --8<-- [end:verify]


# --8<-- [start:webhook]
@csrf_exempt  # Chapa cannot send a CSRF token; the signature is what authenticates it
@require_POST
def chapa_webhook(request):
    received = request.headers.get(settings.CHAPA_WEBHOOK_SIGNATURE_HEADER, "")
    if not signature_is_valid(request.body, received, settings.CHAPA_WEBHOOK_SECRET):
        logger.warning("webhook rejected: bad or missing signature")  # no body, no header value
        return JsonResponse({"detail": "invalid signature"}, status=401)
    try:
        event = json.loads(request.body)
        tx_ref = event["tx_ref"]
    except (ValueError, TypeError, KeyError):
        return JsonResponse({"detail": "not a payment event"}, status=400)
    try:
        # The event's own "status" is not trusted: confirm_payment() asks Chapa's verify endpoint.
        outcome = confirm_payment(str(tx_ref))
    except Payment.DoesNotExist:
        return JsonResponse({"status": "ignored"})  # not ours; a 2xx so it is not sent again
    except ChapaError:
        return JsonResponse({"detail": "verification unavailable"}, status=503)
    return JsonResponse({**_payment_body(outcome.payment), "processed": outcome.processed})
# --8<-- [end:webhook]
