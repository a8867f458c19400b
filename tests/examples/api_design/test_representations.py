"""Over- and under-fetching measured: bytes, requests and queries for full, sparse, linked and
embedded book lists (api_demo/representations.py), and media type versioning."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api_demo.representations import negotiate_version
from measurements import matches_recorded

pytestmark = pytest.mark.django_db

BOOKS = "/api-design/books/"


def fetch(client, url):
    """One GET: (response, bytes of its body, SQL queries it sent)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return response, len(response.content), len(queries)


def test_payload_sizes_requests_and_queries_of_each_representation(client, library):
    rows = ["| What the client asks for | HTTP requests | JSON bytes received | SQL queries |",
            "| --- | ---: | ---: | ---: |"]
    measured = {}

    # Linked authors: the list, then one more request per distinct author to show their names.
    listing, size, queries = fetch(client, BOOKS)
    authors = sorted({book["author"] for book in listing.json()["results"]})
    follow_ups = [fetch(client, url) for url in authors]
    measured["linked"] = (
        1 + len(authors), size + sum(s for _, s, _ in follow_ups), queries + sum(q for *_, q in follow_ups)
    )
    measured["full list only"] = (1, size, queries)
    _, size, queries = fetch(client, f"{BOOKS}?embed=author")
    measured["embedded"] = (1, size, queries)
    _, size, queries = fetch(client, f"{BOOKS}?fields=id,title")
    measured["sparse"] = (1, size, queries)
    _, size, queries = fetch(client, f"{BOOKS}?fields=id,title,author&embed=author")
    measured["sparse + embedded"] = (1, size, queries)

    # The claims the note makes, asserted before the table is written.
    assert len(authors) == 5
    assert measured["linked"][2] == 6  # one query per request: 1 + 5
    assert measured["embedded"][2] == measured["sparse"][2] == 1  # select_related: a JOIN, not 20 queries
    assert measured["sparse"][1] < measured["full list only"][1] / 4
    # Embedding repeats each author on each of their books: fewer requests, more bytes.
    assert measured["embedded"][1] > measured["linked"][1] and measured["embedded"][0] == 1
    assert measured["sparse + embedded"][1] < measured["linked"][1]

    labels = {
        "full list only": "`GET /books/`: every field, authors as links",
        "linked": "the same, then `GET` each of the 5 linked authors (totals)",
        "embedded": "`GET /books/?embed=author`",
        "sparse": "`GET /books/?fields=id,title`",
        "sparse + embedded": "`GET /books/?fields=id,title,author&embed=author`",
    }
    for key, label in labels.items():
        requests, size, queries = measured[key]
        rows.append(f"| {label} | {requests} | {size:,} | {queries} |")
    assert matches_recorded("examples/api_design/measured/representation-sizes.md", "\n".join(rows) + "\n")


def test_a_sparse_fieldset_keeps_the_order_of_the_representation(client, library):
    book = client.get(f"{BOOKS}?fields=title,id").json()["results"][0]
    assert list(book) == ["id", "title"]


def test_embedding_replaces_the_link_with_the_author_itself(client, library):
    linked = client.get(BOOKS).json()["results"][0]["author"]
    embedded = client.get(f"{BOOKS}?embed=author").json()["results"][0]["author"]
    assert linked == embedded["url"] == "http://testserver/api-design/authors/1/"
    assert set(embedded) == {"id", "url", "name", "bio"}


def test_embed_without_the_author_field_is_ignored(client, library):
    book = client.get(f"{BOOKS}?fields=id&embed=author").json()["results"][0]
    assert book == {"id": 1}


@pytest.mark.parametrize(("query", "detail"), [
    ("?fields=id,isbn", "Unknown or missing field names: isbn."),
    ("?fields=,", "Unknown or missing field names: (none)."),
    ("?embed=reviews", "embed accepts one value: author."),
])
def test_unknown_fields_or_embeds_are_a_400_that_lists_what_exists(client, library, query, detail):
    response = client.get(f"{BOOKS}{query}")
    assert response.status_code == 400
    assert response.json()["detail"] == detail
    if "fields" in query:
        assert response.json()["allowed_fields"] == ["id", "title", "summary", "published", "pages", "author"]


def test_a_list_never_returns_more_than_fifty_items(client, library):
    from api_demo.models import Author, Book

    author = Author.objects.first()
    Book.objects.bulk_create(Book(title=f"extra {i}", summary="", published="2025-01-01", pages=1, author=author)
                             for i in range(60))
    assert len(client.get(f"{BOOKS}?fields=id").json()["results"]) == 50


# --- versioning by media type ----------------------------------------------------------------

@pytest.mark.parametrize(("accept", "version", "field"), [
    ("", 1, "pages"),
    ("application/json", 1, "pages"),
    ("application/vnd.nexus.book+json", 1, "pages"),
    ("application/vnd.nexus.book+json; version=2", 2, "page_count"),
    ('text/html, application/vnd.nexus.book+json;version="2"', 2, "page_count"),
])
def test_the_accept_header_chooses_the_version(client, library, accept, version, field):
    response = client.get(f"{BOOKS}1/", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response["Content-Type"] == f"application/vnd.nexus.book+json; version={version}"
    assert response["Vary"] == "Accept"  # a cache must not hand version 2 to a version 1 client
    assert field in response.json()


def test_an_unknown_version_is_406_not_acceptable(client, library):
    response = client.get(f"{BOOKS}1/", headers={"Accept": "application/vnd.nexus.book+json; version=3"})
    assert response.status_code == 406
    assert response.json()["detail"] == "application/vnd.nexus.book+json has versions 1 and 2, not '3'."


def test_negotiation_skips_media_ranges_it_does_not_serve():
    assert negotiate_version("image/png, */*;q=0.1") == 1
