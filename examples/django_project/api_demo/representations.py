"""How much of a resource a response carries: every field, a sparse fieldset, a linked or an
embedded author, and two versions of the book representation."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from api_demo.models import Author, Book
from api_demo.problems import Problem

BOOK_FIELDS = ("id", "title", "summary", "published", "pages", "author")


# --8<-- [start:fields]
def requested_fields(raw: str | None, allowed: tuple[str, ...] = BOOK_FIELDS) -> tuple[str, ...]:
    """`?fields=id,title` as a tuple in the order of `allowed`; every field when absent."""
    if raw is None:
        return allowed
    wanted = {name.strip() for name in raw.split(",") if name.strip()}
    unknown = sorted(wanted - set(allowed))
    if unknown or not wanted:
        raise Problem(400, f"Unknown or missing field names: {', '.join(unknown) or '(none)'}.",
                      allowed_fields=list(allowed))
    return tuple(name for name in allowed if name in wanted)


def book_representation(book: Book, request: HttpRequest, fields=BOOK_FIELDS, embed_author=False) -> dict:
    values = {
        "id": lambda: book.id,
        "title": lambda: book.title,
        "summary": lambda: book.summary,
        "published": lambda: book.published.isoformat(),
        "pages": lambda: book.pages,
        # Linking costs the client a request per author; embedding costs bytes on every book.
        "author": lambda: (author_representation(book.author, request) if embed_author
                           else request.build_absolute_uri(reverse("api_demo:author", args=[book.author_id]))),
    }
    return {name: values[name]() for name in fields}  # only the requested values are computed
# --8<-- [end:fields]


def author_representation(author: Author, request: HttpRequest) -> dict:
    return {
        "id": author.id,
        "url": request.build_absolute_uri(reverse("api_demo:author", args=[author.id])),
        "name": author.name,
        "bio": author.bio,
    }


# --8<-- [start:versions]
BOOK_MEDIA_TYPE = "application/vnd.nexus.book+json"
BOOK_VERSIONS = (1, 2)


def negotiate_version(accept: str) -> int:
    """The book version an Accept header asks for, e.g. `application/vnd.nexus.book+json; version=2`.

    Any other media type (application/json, */*, none at all) gets version 1, the one existing
    clients were written against; asking for a version that does not exist gets 406."""
    for media_range in accept.split(","):
        media_type, *parameters = (part.strip() for part in media_range.split(";"))
        if media_type.lower() != BOOK_MEDIA_TYPE:
            continue
        options = dict(parameter.split("=", 1) for parameter in parameters if "=" in parameter)
        version = options.get("version", "1").strip('"')
        if version.isdigit() and int(version) in BOOK_VERSIONS:
            return int(version)
        raise Problem(406, f"{BOOK_MEDIA_TYPE} has versions 1 and 2, not {version!r}.")
    return 1


def versioned_book(book: Book, version: int) -> dict:
    body = {"id": book.id, "title": book.title, "published": book.published.isoformat()}
    if version == 1:
        return {**body, "pages": book.pages}
    return {**body, "page_count": book.pages}  # v2 renamed a field: a breaking change, hence a version
# --8<-- [end:versions]
