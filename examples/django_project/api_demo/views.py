"""The API design note's endpoints, under /api-design/. Plain Django views: every error is an
RFC 9457 problem details response (see problems.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.cache import patch_vary_headers

from api_demo.idempotency import idempotent
from api_demo.models import Author, Book, Transfer
from api_demo.problems import Problem, api, read_json
from api_demo.representations import (
    BOOK_MEDIA_TYPE,
    author_representation,
    book_representation,
    negotiate_version,
    requested_fields,
    versioned_book,
)

CURRENCIES = ("ETB", "KES", "NGN", "USD")
MAX_PAGE = 50  # no list returns more than this, whatever the client asks


# --8<-- [start:validation]
def validated_transfer(data: dict) -> dict:
    """The fields of a transfer, or a 422 problem listing every invalid member at once."""
    errors = []
    amount, currency, recipient = data.get("amount"), data.get("currency"), data.get("recipient")
    if type(amount) is not int or amount <= 0:  # type(): True is an int, but not an amount
        errors.append({"detail": "must be a positive integer (cents)", "pointer": "#/amount"})
    if currency not in CURRENCIES:
        errors.append({"detail": f"must be one of {', '.join(CURRENCIES)}", "pointer": "#/currency"})
    if not isinstance(recipient, str) or not 0 < len(recipient.strip()) <= 100:
        errors.append({"detail": "must be a name of 1 to 100 characters", "pointer": "#/recipient"})
    if errors:
        raise Problem(422, "The request body did not validate.", type="validation-error", errors=errors)
    return {"amount": amount, "currency": currency, "recipient": recipient.strip()}
# --8<-- [end:validation]


def transfer_representation(transfer: Transfer, request: HttpRequest) -> dict:
    return {
        "id": transfer.id,
        "url": request.build_absolute_uri(reverse("api_demo:transfer", args=[transfer.id])),
        "amount": transfer.amount,
        "currency": transfer.currency,
        "recipient": transfer.recipient,
        "created_at": transfer.created_at.isoformat(),
    }


# --8<-- [start:transfers]
@api("GET", "POST")
@idempotent
def transfers(request: HttpRequest) -> HttpResponse:
    """GET lists scheduled transfers; POST schedules one (not idempotent: each POST is a new one)."""
    if request.method == "GET":
        listed = Transfer.objects.order_by("id")[:MAX_PAGE]
        return JsonResponse({"results": [transfer_representation(t, request) for t in listed]})
    transfer = Transfer.objects.create(**validated_transfer(read_json(request)))
    response = JsonResponse(transfer_representation(transfer, request), status=201)
    response["Location"] = reverse("api_demo:transfer", args=[transfer.id])
    return response


@api("GET", "PUT", "DELETE")
def transfer(request: HttpRequest, pk: int) -> HttpResponse:
    """PUT replaces a scheduled transfer with the body; DELETE cancels it. Both are idempotent."""
    scheduled = get_object_or_404(Transfer, pk=pk)
    if request.method == "DELETE":
        scheduled.delete()
        return HttpResponse(status=204)
    if request.method == "PUT":  # the whole new state: sending it twice leaves the same state
        for name, value in validated_transfer(read_json(request)).items():
            setattr(scheduled, name, value)
        scheduled.save(update_fields=["amount", "currency", "recipient"])
    return JsonResponse(transfer_representation(scheduled, request))
# --8<-- [end:transfers]


# --8<-- [start:books]
@api("GET")
def books(request: HttpRequest) -> HttpResponse:
    """?fields=id,title for a sparse fieldset; ?embed=author to embed authors instead of linking."""
    fields = requested_fields(request.GET.get("fields"))
    embed = request.GET.get("embed")
    if embed not in (None, "author"):
        raise Problem(400, "embed accepts one value: author.")
    embed_author = embed == "author" and "author" in fields
    queryset = Book.objects.order_by("id").only(*fields)  # the database skips unrequested columns too
    if embed_author:
        queryset = queryset.select_related("author")  # one JOIN instead of a query per book
    results = [book_representation(book, request, fields, embed_author) for book in queryset[:MAX_PAGE]]
    return JsonResponse({"results": results})
# --8<-- [end:books]


@api("GET")
def author(request: HttpRequest, pk: int) -> HttpResponse:
    return JsonResponse(author_representation(get_object_or_404(Author, pk=pk), request))


# --8<-- [start:book]
@api("GET")
def book(request: HttpRequest, pk: int) -> HttpResponse:
    """One book, in the version the Accept header asks for (media type versioning)."""
    version = negotiate_version(request.headers.get("Accept", ""))
    response = JsonResponse(versioned_book(get_object_or_404(Book, pk=pk), version),
                            content_type=f"{BOOK_MEDIA_TYPE}; version={version}")
    patch_vary_headers(response, ["Accept"])  # caches must keep one copy per Accept value
    return response
# --8<-- [end:book]
