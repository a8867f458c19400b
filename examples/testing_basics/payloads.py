"""Canned API responses for the tests: an organisation and its repositories (made-up data)."""

from __future__ import annotations

from typing import Any

ORG = "nexus-lab"


# --8<-- [start:payloads]
def org_payload(base_url: str) -> dict[str, Any]:
    return {"login": ORG, "id": 1, "repos_url": f"{base_url}/orgs/{ORG}/repos"}


REPOS_PAYLOAD: list[dict[str, Any]] = [
    {"name": "ledger", "license": {"key": "mit"}},
    {"name": "gateway", "license": {"key": "apache-2.0"}},
    {"name": "notes", "license": None},
    {"name": "sandbox"},
    {"name": "toolkit", "license": {"key": "apache-2.0"}},
]
EXPECTED_REPOS = ["ledger", "gateway", "notes", "sandbox", "toolkit"]
APACHE2_REPOS = ["gateway", "toolkit"]
# --8<-- [end:payloads]


def routes(base_url: str) -> dict[str, Any]:
    """What the fake server answers, path by path."""
    return {f"/orgs/{ORG}": org_payload(base_url), f"/orgs/{ORG}/repos": REPOS_PAYLOAD}
