"""docs/technologies/drf/openapi.md: the OpenAPI 3 schema and a Swagger UI with no CDN."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.views import serve
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import path
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import SPECTACULAR_DEFAULTS, patched_settings
from drf_spectacular.validation import validate_schema
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from messaging.api.errors import ERROR_SCHEMA
from messaging.api.views import ConversationViewSet
from messaging.models import Conversation

pytestmark = pytest.mark.django_db

SCHEMA, SWAGGER_UI = "/api/schema/", "/api/schema/swagger-ui/"
ERROR_REF = {"$ref": "#/components/schemas/Error"}


@pytest.fixture
def schema(client) -> dict:
    response = client.get(SCHEMA, {"format": "json"})  # YAML unless asked otherwise
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.oai.openapi+json"
    return response.json()


# --- the schema ---------------------------------------------------------------------------------

def test_the_schema_is_valid_openapi_3(schema, client):
    assert schema["openapi"].startswith("3.0")
    assert client.get(SCHEMA)["Content-Type"].startswith("application/vnd.oai.openapi;")  # YAML by default
    validate_schema(schema)  # drf-spectacular's validator: the official OpenAPI 3.0 JSON Schema


def test_the_schema_lists_every_endpoint_of_the_api(schema):
    assert sorted(schema["paths"]) == [
        "/api/v1/auth/token/",
        "/api/v1/auth/token/blacklist/",
        "/api/v1/auth/token/refresh/",
        "/api/v1/conversations/",
        "/api/v1/conversations/{conversation_pk}/messages/",
        "/api/v1/conversations/{conversation_pk}/messages/{id}/",
        "/api/v1/conversations/{id}/",
    ]
    conversation = schema["paths"]["/api/v1/conversations/{id}/"]
    assert sorted(conversation) == ["delete", "get", "patch", "put"]


def test_serializers_become_components_split_into_request_and_response(schema):
    components = schema["components"]["schemas"]
    assert {"Conversation", "ConversationRequest", "PatchedConversationRequest", "Message", "MessageRequest",
            "MessageEdit", "PaginatedConversationList", "PaginatedMessageList", "Error"} <= set(components)
    # participant_ids is write-only, participants read-only: each appears on one side only.
    assert "participant_ids" in components["ConversationRequest"]["properties"]
    assert "participant_ids" not in components["Conversation"]["properties"]
    assert "participants" not in components["ConversationRequest"]["properties"]
    assert set(components["PaginatedMessageList"]["properties"]) == {"next", "previous", "results"}


def test_jwt_is_declared_as_the_security_scheme_of_the_api(schema):
    assert schema["components"]["securitySchemes"]["jwtAuth"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
    }
    assert schema["paths"]["/api/v1/conversations/"]["get"]["security"] == [{"jwtAuth": []}]


def test_every_operation_documents_its_error_responses_with_the_error_component(schema):
    assert schema["components"]["schemas"]["Error"] == ERROR_SCHEMA
    for route, operations in schema["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "429"} | ({"404"} if "{" in route else set())
            assert expected <= set(operation["responses"]), (method, route)
            for code in expected:
                assert operation["responses"][code]["content"]["application/json"]["schema"] == ERROR_REF
    create = schema["paths"]["/api/v1/conversations/"]["post"]["responses"]
    assert create["409"]["content"]["application/json"]["schema"] == ERROR_REF
    assert create["201"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Conversation"}


def test_filters_and_pagination_appear_as_query_parameters(schema):
    names = {parameter["name"] for parameter in schema["paths"]["/api/v1/conversations/"]["get"]["parameters"]}
    assert names == {"page", "page_size", "participant", "created_after", "created_before"}


def test_manage_py_spectacular_validate_reports_no_warnings_or_errors(tmp_path, capsys):
    target = tmp_path / "schema.yaml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    assert capsys.readouterr().err == ""  # warnings and errors would be printed here
    assert sorted(yaml.safe_load(target.read_text()))[:3] == ["components", "info", "openapi"]


class UndocumentedView(APIView):
    """No serializer_class and no @extend_schema: the generator cannot know the response."""

    versioning_class = None

    def get(self, request):
        return Response({"ok": True})  # never called: the generator only introspects the view


def test_the_generator_does_report_a_view_it_cannot_describe(capsys):
    try:
        SchemaGenerator(patterns=[path("undocumented/", UndocumentedView.as_view())]).get_schema(public=True)
        assert GENERATOR_STATS  # this is what --fail-on-warn turns into a failure
        assert "unable to guess serializer" in capsys.readouterr().err
    finally:
        GENERATOR_STATS.reset()


class UnguardedConversationViewSet(ConversationViewSet):
    """ConversationViewSet without the swagger_fake_view check in get_queryset."""

    versioning_class = None

    def get_queryset(self):
        return Conversation.objects.filter(participants=self.request.user)


def test_without_the_fake_view_guard_get_queryset_breaks_schema_generation(capsys):
    router = SimpleRouter()
    router.register("conversations", UnguardedConversationViewSet, basename="unguarded")
    try:
        SchemaGenerator(patterns=router.urls).get_schema(public=True)
        warnings = capsys.readouterr().err
        # There is no logged-in user while the schema is generated, so the filter fails...
        assert "Failed to obtain model through view's queryset" in warnings
        assert "AnonymousUser" in warnings
        # ...and the generator can no longer tell that {id} is an integer.
        assert 'could not derive type of path parameter "id"' in warnings
    finally:
        GENERATOR_STATS.reset()


# --- Swagger UI, served from the sidecar --------------------------------------------------------

class AssetCollector(HTMLParser):
    """Every src= and href= in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.urls += [value for name, value in attrs if name in ("src", "href") and value]


def assets_of(html: str) -> list[str]:
    collector = AssetCollector()
    collector.feed(html)
    return collector.urls


def is_same_origin(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")  # "//cdn.example" is another origin


def test_swagger_ui_loads_only_same_origin_assets(client):
    response = client.get(SWAGGER_UI)

    assert response.status_code == 200
    html = response.content.decode()
    assets = assets_of(html)
    assert len(assets) == 4  # favicon, stylesheet, two scripts
    assert all(is_same_origin(url) and url.startswith("/static/drf_spectacular_sidecar/") for url in assets)
    assert "://" not in html  # no absolute URL anywhere, inline script included
    assert 'url: "/api/schema/"' in html  # the schema it loads is same-origin too


def test_every_swagger_ui_asset_is_found_and_served_by_staticfiles(client):
    for url in assets_of(client.get(SWAGGER_UI).content.decode()):
        relative = url.removeprefix("/static/")
        assert finders.find(relative), f"{relative} is not in any app's static/ folder"
        # The view `runserver` uses to serve static files in development (insecure=True: DEBUG off).
        served = serve(RequestFactory().get(url), relative, insecure=True)
        assert served.status_code == 200
        served.close()


def test_the_asset_check_catches_the_cdn_default(client):
    # Without SWAGGER_UI_DIST = "SIDECAR", drf-spectacular points the page at a CDN.
    with patched_settings({"SWAGGER_UI_DIST": SPECTACULAR_DEFAULTS["SWAGGER_UI_DIST"]}):
        assets = assets_of(client.get(SWAGGER_UI).content.decode())
    offsite = [url for url in assets if not is_same_origin(url)]
    assert offsite and all(url.startswith("https://cdn.jsdelivr.net/") for url in offsite)
