"""docs/best-practices/backend-and-frontend-together.md: the contract, checked on the real schema.

The rules run on the OpenAPI document drf-spectacular serves at /api/schema/; the committed copy
of that document (openapi-v1.json) is the contract a pull request changes in plain sight.
"""

from __future__ import annotations

import copy
import json
import re

import pytest

from measurements import matches_recorded
from practices.contract.contract_rules import (
    ERROR_REF,
    breaking_changes,
    errors_without_the_error_schema,
    operations,
    unpaginated_lists,
)
from practices.contract.urls import DEPRECATED_SINCE, SUNSET
from sitetools import ROOT

pytestmark = pytest.mark.django_db

CONTRACT = "examples/practices/contract/openapi-v1.json"


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


# --- the two rules -----------------------------------------------------------------------------------

def test_every_list_endpoint_of_the_api_is_paginated(schema):
    collections = [
        path for method, path, _ in operations(schema) if method == "get" and not path.rstrip("/").endswith("}")
    ]
    assert collections == ["/api/v1/conversations/", "/api/v1/conversations/{conversation_pk}/messages/"]
    assert unpaginated_lists(schema) == []


def test_every_error_response_of_the_api_uses_the_error_schema(schema):
    documented = [
        status for _, _, operation in operations(schema) for status in operation["responses"] if status >= "400"
    ]
    assert len(documented) > 40  # 401 and 429 on every operation, 404, 400, 403 and 409 where they apply
    assert errors_without_the_error_schema(schema) == []


def test_the_rules_report_a_bare_array_and_an_error_with_another_shape(schema):
    broken = copy.deepcopy(schema)
    conversations = broken["paths"]["/api/v1/conversations/"]["get"]["responses"]
    conversations["200"]["content"]["application/json"]["schema"] = {"type": "array", "items": {"type": "object"}}
    conversations["401"]["content"]["application/json"]["schema"] = {
        "type": "object", "properties": {"detail": {"type": "string"}},
    }
    assert unpaginated_lists(broken) == ["GET /api/v1/conversations/"]
    assert errors_without_the_error_schema(broken) == ["GET /api/v1/conversations/ 401"]
    assert ERROR_REF == "#/components/schemas/Error"


# --- the committed contract --------------------------------------------------------------------------

def test_the_api_keeps_its_committed_contract(schema):
    """First nothing breaking (a clear message), then nothing changed at all without review."""
    committed = ROOT / CONTRACT
    if committed.exists():  # absent only on the very first `make measure`
        assert breaking_changes(json.loads(committed.read_text(encoding="utf-8")), schema) == []
    assert matches_recorded(CONTRACT, json.dumps(schema, indent=2, sort_keys=True) + "\n")


def test_breaking_changes_are_named_and_additions_are_not(schema):
    new = copy.deepcopy(schema)
    components = new["components"]["schemas"]
    # Additions: a new optional response field and a new endpoint break no client.
    components["Conversation"]["properties"]["archived"] = {"type": "boolean", "readOnly": True}
    new["paths"]["/api/v1/conversations/{id}/archive/"] = {"post": {"responses": {"204": {"description": "Archived."}}}}
    assert breaking_changes(schema, new) == []
    # Breaking: a field removed, a type changed, a request field made required, an operation removed.
    del components["Conversation"]["properties"]["title"]
    components["Message"]["properties"]["id"] = {"type": "string"}
    components["ConversationRequest"]["required"] = [*components["ConversationRequest"].get("required", []), "title"]
    del new["paths"]["/api/v1/auth/token/blacklist/"]
    found = breaking_changes(schema, new)
    assert "POST /api/v1/auth/token/blacklist/: removed" in found
    assert "GET /api/v1/conversations/ 200.results[].title: no longer documented" in found
    assert "GET /api/v1/conversations/{id}/ 200.title: no longer documented" in found
    assert "GET /api/v1/conversations/{conversation_pk}/messages/ 200.results[].id: type integer became string" in found
    assert "POST /api/v1/conversations/ request: title is now required" in found


# --- the changelog says what the headers say -----------------------------------------------------------

def test_the_changelog_follows_keep_a_changelog_and_announces_the_header_dates():
    text = (ROOT / "examples/practices/contract/CHANGELOG.md").read_text(encoding="utf-8")
    assert re.findall(r"^## (.+)$", text, re.MULTILINE)[0] == "[Unreleased]"  # newest first
    kinds = re.findall(r"^### (.+)$", text, re.MULTILINE)
    assert set(kinds) <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    deprecated = text.split("### Deprecated", 1)[1]
    assert "`GET /api/v1/inbox/`" in deprecated
    assert f"on {DEPRECATED_SINCE.date().isoformat()}" in deprecated  # the date the Deprecation header sends
    assert f"on {SUNSET.date().isoformat()}" in deprecated  # the date the Sunset header sends
