"""drf-spectacular postprocessing hook: document the error responses of every operation."""

from __future__ import annotations

from messaging.api.errors import ERROR_SCHEMA

ERROR_REF = {"$ref": "#/components/schemas/Error"}


def error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": ERROR_REF}}}


# --8<-- [start:hook]
def add_error_responses(result: dict, generator, request, public: bool) -> dict:
    """SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]: runs once on the finished schema."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    for path, operations in result["paths"].items():
        for method, operation in operations.items():
            possible = {"401": "Missing, expired or invalid token.", "429": "Too many requests; see Retry-After."}
            has_query = any(parameter["in"] == "query" for parameter in operation.get("parameters", []))
            if method in ("post", "put", "patch") or has_query:
                possible["400"] = "The request data or a query parameter is not valid."
            if method in ("put", "patch", "delete"):
                possible["403"] = "Authenticated, but not allowed to change this resource."
            if "{" in path:
                possible["404"] = "No such resource, or not one of yours."
            responses = operation["responses"]
            for code, description in possible.items():
                responses.setdefault(code, error_response(description))
            operation["responses"] = dict(sorted(responses.items()))
    return result
# --8<-- [end:hook]
