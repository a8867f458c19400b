"""The same OrgClient tests written with pytest."""

from unittest.mock import PropertyMock, patch

import pytest

from testing_basics import payloads
from testing_basics.client import OrgClient
from testing_basics.fake_api import FakeAPI


# --8<-- [start:unit]
@pytest.fixture
def get_json():
    with patch("testing_basics.client.get_json") as mock:
        yield mock


@pytest.mark.parametrize("org", ["google", "abc"])
def test_org_fetches_the_org_url_once(get_json, org):
    get_json.return_value = {"login": org}
    client = OrgClient(org)
    assert client.org == {"login": org}
    assert client.org == {"login": org}
    get_json.assert_called_once_with(f"https://api.github.com/orgs/{org}")


def test_repos_url_comes_from_the_org_payload():
    with patch.object(OrgClient, "org", new_callable=PropertyMock) as org:
        org.return_value = {"repos_url": "https://api.github.com/orgs/x/repos"}
        assert OrgClient("x").repos_url == "https://api.github.com/orgs/x/repos"


def test_public_repos_lists_names_and_filters_by_license(get_json):
    get_json.return_value = payloads.REPOS_PAYLOAD
    with patch.object(OrgClient, "repos_url", new_callable=PropertyMock, return_value="http://x/repos"):
        client = OrgClient("x")
        assert client.public_repos() == payloads.EXPECTED_REPOS
        assert client.public_repos("apache-2.0") == payloads.APACHE2_REPOS
    get_json.assert_called_once_with("http://x/repos")


@pytest.mark.parametrize(
    ("repo", "key", "expected"),
    [
        ({"license": {"key": "my_license"}}, "my_license", True),
        ({"license": {"key": "other_license"}}, "my_license", False),
        ({"license": None}, "my_license", False),
        ({}, "my_license", False),
    ],
)
def test_has_license(repo, key, expected):
    assert OrgClient.has_license(repo, key) is expected
# --8<-- [end:unit]


# --8<-- [start:integration]
@pytest.fixture(scope="module")
def api():
    """One real server on 127.0.0.1 for every test in this module."""
    with FakeAPI() as server:
        server.routes.update(payloads.routes(server.url))
        yield server


def test_public_repos_against_a_real_server(api):
    client = OrgClient(payloads.ORG, base_url=api.url)
    assert client.public_repos() == payloads.EXPECTED_REPOS
    assert client.public_repos("apache-2.0") == payloads.APACHE2_REPOS
    assert api.requests[-2:] == [f"/orgs/{payloads.ORG}", f"/orgs/{payloads.ORG}/repos"]  # two requests, not four
# --8<-- [end:integration]
