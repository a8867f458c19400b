"""RFC 9457 problem details from plain Django views (api_demo/problems.py, views.py) and from a
Django REST framework view (api_demo/drf_views.py)."""

from __future__ import annotations

import json

import pytest
from rest_framework.test import APIClient

from api_demo.problems import Problem, json_pointers
from measurements import matches_recorded

pytestmark = pytest.mark.django_db

PROBLEM_JSON = "application/problem+json"
VALID = {"amount": 2500, "currency": "ETB", "recipient": "Abebe"}


def post_json(client, url, body, **headers):
    return client.post(url, json.dumps(body) if not isinstance(body, str) else body,
                       content_type="application/json", headers=headers)


def test_an_invalid_body_gets_422_with_one_pointer_per_invalid_member(client):
    response = post_json(client, "/api-design/transfers/", {"amount": -5, "currency": "EUR", "recipient": " "})
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json() == {
        "type": "http://testserver/api-design/problems/validation-error",
        "title": "Your request is not valid.",
        "status": 422,
        "detail": "The request body did not validate.",
        "errors": [
            {"detail": "must be a positive integer (cents)", "pointer": "#/amount"},
            {"detail": "must be one of ETB, KES, NGN, USD", "pointer": "#/currency"},
            {"detail": "must be a name of 1 to 100 characters", "pointer": "#/recipient"},
        ],
    }


def test_a_boolean_is_not_an_amount_even_though_python_calls_it_an_int(client):
    response = post_json(client, "/api-design/transfers/", {**VALID, "amount": True})
    assert [error["pointer"] for error in response.json()["errors"]] == ["#/amount"]


def test_the_type_uri_resolves_to_documentation_for_people(client):
    problem = post_json(client, "/api-design/transfers/", {}).json()
    page = client.get(problem["type"])
    assert page.status_code == 200 and page["Content-Type"].startswith("text/html")
    assert problem["title"] in page.content.decode()
    assert client.get("/api-design/problems/no-such-problem").status_code == 404


@pytest.mark.parametrize(("body", "detail"), [
    ("{not json", "The body is not valid JSON: "
                  "Expecting property name enclosed in double quotes: line 1 column 2 (char 1)."),
    ("[1, 2]", "The body must be a JSON object."),
])
def test_a_body_that_is_not_a_json_object_gets_400_about_blank(client, body, detail):
    response = post_json(client, "/api-design/transfers/", body)
    assert response.status_code == 400
    # "about:blank": nothing beyond the status code, so the title is the status phrase.
    assert response.json() == {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": detail}


def test_missing_resources_and_wrong_methods_are_problems_too(client):
    missing = client.get("/api-design/transfers/999/")
    assert (missing.status_code, missing["Content-Type"]) == (404, PROBLEM_JSON)
    assert missing.json()["title"] == "Not Found"
    wrong = client.patch("/api-design/transfers/", "{}", content_type="application/json")
    assert wrong.status_code == 405
    assert wrong["Allow"] == "GET, POST"  # RFC 9110 requires Allow on a 405
    assert wrong.json()["detail"] == "Use GET, POST."


def test_the_error_bodies_the_note_shows_come_from_real_responses(client):
    shown = {
        "422, invalid members": post_json(
            client, "/api-design/transfers/", {"amount": 0, "currency": "ETB", "recipient": "Abebe"}
        ),
        "404, nothing at this URL": client.get("/api-design/transfers/999/"),
    }
    text = ""
    for label, response in shown.items():
        text += (f"=== \"{label}\"\n\n    ``` http\n    HTTP/1.1 {response.status_code} {response.reason_phrase}\n"
                 f"    Content-Type: {response['Content-Type']}\n\n")
        body = json.dumps(response.json(), indent=2)
        text += "\n".join(f"    {line}" for line in body.splitlines()) + "\n    ```\n\n"
    assert matches_recorded("examples/api_design/measured/problem-bodies.md", text)


def test_a_problem_with_extension_members_keeps_them_after_the_standard_ones(rf):
    problem = Problem(403, "Your balance is 30, but that costs 50.", balance=30)
    body = problem.as_dict(rf.get("/"))
    assert list(body) == ["type", "title", "status", "detail", "balance"]
    assert str(problem) == "Your balance is 30, but that costs 50."
    assert str(Problem(503)) == "Service Unavailable"


# --- the same format from Django REST framework -------------------------------------------------

@pytest.fixture
def api():
    return APIClient()


@pytest.mark.urls("api_demo.drf_urls")
def test_drf_validation_errors_become_json_pointers(api, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("alice"))
    response = api.post("/preview/", {"amount": 0, "currency": "EUR"}, format="json")
    assert response.status_code == 422
    assert response["Content-Type"] == PROBLEM_JSON
    assert response.json()["errors"] == [
        {"detail": "Ensure this value is greater than or equal to 1.", "pointer": "#/amount"},
        {"detail": "\"EUR\" is not a valid choice.", "pointer": "#/currency"},
        {"detail": "This field is required.", "pointer": "#/recipient"},
    ]
    assert response.json()["type"] == "http://testserver/api-design/problems/validation-error"


@pytest.mark.urls("api_demo.drf_urls")
def test_drf_keeps_its_headers_when_the_body_becomes_a_problem(api):
    response = api.post("/preview/", VALID, format="json")  # no token
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'  # still there for the client
    assert response.json() == {"type": "about:blank", "title": "Unauthorized", "status": 401,
                               "detail": "Authentication credentials were not provided."}


@pytest.mark.urls("api_demo.drf_urls")
def test_drf_success_responses_are_untouched(api, django_user_model):
    api.force_authenticate(django_user_model.objects.create_user("alice"))
    response = api.post("/preview/", VALID, format="json")
    assert (response.status_code, response["Content-Type"]) == (200, "application/json")
    assert response.json() == {**VALID, "fee": 25}


def test_unexpected_exceptions_are_left_to_django(rf):
    from api_demo.problems import problem_exception_handler

    assert problem_exception_handler(KeyError("secret"), {"request": rf.get("/")}) is None


def test_nested_drf_errors_flatten_to_json_pointers_with_escaping():
    detail = {"non_field_errors": ["dates overlap"], "items": [{}, {"a/b": ["bad"]}], "tags": ["too many"]}
    assert list(json_pointers(detail)) == [
        ("#", "dates overlap"), ("#/items/1/a~1b", "bad"), ("#/tags", "too many"),
    ]


def test_a_problem_without_detail_has_only_the_standard_members(rf):
    assert Problem(503).as_dict(rf.get("/")) == {"type": "about:blank", "title": "Service Unavailable", "status": 503}


def test_the_models_name_themselves_readably(library):
    from api_demo.models import Author, Book, Transfer

    transfer = Transfer(amount=2500, currency="ETB", recipient="Abebe")
    assert (str(Author.objects.first()), str(Book.objects.first()), str(transfer)) == (
        "Author 1", "Book 1.1", "2500 ETB to Abebe")
