"""Rules an OpenAPI 3 document must follow before the frontend can rely on it.

The note docs/best-practices/backend-and-frontend-together.md states the rules; the tests run
them on the schema drf-spectacular serves at /api/schema/, and on broken copies of it.
"""

from __future__ import annotations

from collections.abc import Iterator

ERROR_REF = "#/components/schemas/Error"
METHODS = ("get", "put", "post", "delete", "patch")


def operations(schema: dict) -> Iterator[tuple[str, str, dict]]:
    """(method, path, operation) for every operation of the document."""
    for path, item in schema["paths"].items():
        for method in METHODS:
            if method in item:
                yield method, path, item[method]


def resolve(node: dict, schema: dict) -> dict:
    """Follow a local "$ref" (#/components/...) to the object it names."""
    while "$ref" in node:
        target = schema
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def json_body(response: dict) -> dict | None:
    return response.get("content", {}).get("application/json", {}).get("schema")


# --8<-- [start:rules]
def unpaginated_lists(schema: dict) -> list[str]:
    """Rule 1: a GET on a collection (a path that does not end in a {parameter}) answers a page,
    an object with `next` and a `results` array, never a bare array that can only grow."""
    broken = []
    for method, path, operation in operations(schema):
        if method != "get" or path.rstrip("/").endswith("}"):
            continue
        body = resolve(json_body(operation["responses"].get("200", {})) or {}, schema)
        properties = body.get("properties", {})
        if (
            body.get("type") != "object"
            or "next" not in properties
            or properties.get("results", {}).get("type") != "array"
        ):
            broken.append(f"GET {path}")
    return broken


def errors_without_the_error_schema(schema: dict) -> list[str]:
    """Rule 2: every documented 4xx and 5xx response has the one Error body."""
    broken = []
    for method, path, operation in operations(schema):
        for status, response in operation["responses"].items():
            if status[0] in "45" and (json_body(resolve(response, schema)) or {}).get("$ref") != ERROR_REF:
                broken.append(f"{method.upper()} {path} {status}")
    return broken
    # --8<-- [end:rules]


# --8<-- [start:breaking]
def breaking_changes(old: dict, new: dict) -> list[str]:
    """What a client written against `old` would trip over in `new`: a removed operation, a
    removed or retyped response field, a request field that became required."""
    new_operations = {(method, path): operation for method, path, operation in operations(new)}
    changes = []
    for method, path, old_operation in operations(old):
        new_operation = new_operations.get((method, path))
        where = f"{method.upper()} {path}"
        if new_operation is None:
            changes.append(f"{where}: removed")
        else:
            changes += compare_operation(old_operation, old, new_operation, new, where)
    return changes


def compare_operation(
    old_operation: dict, old: dict, new_operation: dict, new: dict, where: str
) -> list[str]:
    changes = []
    for status, old_response in old_operation["responses"].items():
        old_body = json_body(old_response)
        if status.startswith("2") and old_body is not None:
            new_body = json_body(new_operation["responses"].get(status, {}))
            changes += compare_response(old_body, old, new_body, new, f"{where} {status}")
    old_request = resolve(json_body(old_operation.get("requestBody", {})) or {}, old)
    new_request = resolve(json_body(new_operation.get("requestBody", {})) or {}, new)
    newly_required = set(new_request.get("required", [])) - set(old_request.get("required", []))
    return changes + [f"{where} request: {name} is now required" for name in sorted(newly_required)]


def compare_response(old_node: dict, old: dict, new_node: dict | None, new: dict, where: str) -> list[str]:
    """Every field a client may read in the old response must still be there, with its type."""
    if new_node is None:
        return [f"{where}: no longer documented"]
    old_node, new_node = resolve(old_node, old), resolve(new_node, new)
    if old_node.get("type") != new_node.get("type"):
        return [f"{where}: type {old_node.get('type')} became {new_node.get('type')}"]
    if old_node.get("type") == "array":
        return compare_response(old_node["items"], old, new_node.get("items"), new, f"{where}[]")
    changes = []
    for name, old_field in old_node.get("properties", {}).items():
        new_field = new_node.get("properties", {}).get(name)
        changes += compare_response(old_field, old, new_field, new, f"{where}.{name}")
    return changes
    # --8<-- [end:breaking]


def as_json_schema(node: dict, schema: dict) -> dict:
    """An OpenAPI 3.0 schema object as plain JSON Schema, every $ref inlined, so that the
    jsonschema library can validate a response body against it."""
    node = resolve(node, schema)
    converted = {key: convert(key, value, schema) for key, value in node.items() if key != "nullable"}
    if node.get("nullable"):  # OpenAPI 3.0 says nullable: true; JSON Schema allows null instead
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


def convert(key: str, value, schema: dict):
    if key == "properties":
        return {name: as_json_schema(field, schema) for name, field in value.items()}
    if key == "items":
        return as_json_schema(value, schema)
    if key in ("allOf", "anyOf", "oneOf"):
        return [as_json_schema(part, schema) for part in value]
    return value
