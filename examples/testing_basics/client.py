"""A small client for a GitHub-style organisations API."""

from __future__ import annotations

from typing import Any

from testing_basics.utils import access_nested_map, get_json, memoize


# --8<-- [start:client]
class OrgClient:
    """Read an organisation and its public repositories from a GitHub-style API."""

    def __init__(self, org_name: str, base_url: str = "https://api.github.com") -> None:
        self.org_name = org_name
        self.base_url = base_url.rstrip("/")

    @memoize
    def org(self) -> dict[str, Any]:
        return get_json(f"{self.base_url}/orgs/{self.org_name}")  # the only network call for the org

    @property
    def repos_url(self) -> str:
        return self.org["repos_url"]

    @memoize
    def repos_payload(self) -> list[dict[str, Any]]:
        return get_json(self.repos_url)

    def public_repos(self, license_key: str | None = None) -> list[str]:
        return [
            repo["name"]
            for repo in self.repos_payload
            if license_key is None or self.has_license(repo, license_key)
        ]

    @staticmethod
    def has_license(repo: dict[str, Any], license_key: str) -> bool:
        try:
            return access_nested_map(repo, ("license", "key")) == license_key
        except KeyError:  # no "license", or "license": null
            return False
# --8<-- [end:client]
