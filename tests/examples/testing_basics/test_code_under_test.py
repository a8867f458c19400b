"""The code the example test modules exercise, checked directly: utils, OrgClient and FakeAPI."""

import urllib.error
from unittest.mock import MagicMock, PropertyMock, patch

import pytest

from testing_basics import payloads
from testing_basics.client import OrgClient
from testing_basics.fake_api import FakeAPI
from testing_basics.utils import access_nested_map, get_json


@pytest.fixture
def api():
    with FakeAPI() as server:
        server.routes.update(payloads.routes(server.url))
        yield server


def test_access_nested_map_refuses_to_index_into_a_non_mapping():
    with pytest.raises(KeyError) as raised:
        access_nested_map({"a": "text"}, ("a", "0"))  # a str is indexable, but not a mapping
    assert raised.value.args == ("0",)


def test_fake_api_listens_on_the_loopback_interface(api):
    assert api.url.startswith("http://127.0.0.1:")


def test_get_json_decodes_a_real_response(api):
    assert get_json(f"{api.url}/orgs/{payloads.ORG}/repos") == payloads.REPOS_PAYLOAD
    assert api.requests == [f"/orgs/{payloads.ORG}/repos"]


def test_an_unknown_path_is_a_404_http_error(api):
    with pytest.raises(urllib.error.HTTPError) as raised:
        get_json(f"{api.url}/orgs/nobody")
    assert raised.value.code == 404
    raised.value.close()


def test_client_memoizes_each_payload_per_instance(api):
    client = OrgClient(payloads.ORG, base_url=f"{api.url}/")  # a trailing slash is tolerated
    client.public_repos()
    client.public_repos("mit")
    assert client.repos_url == f"{api.url}/orgs/{payloads.ORG}/repos"
    assert api.requests == [f"/orgs/{payloads.ORG}", f"/orgs/{payloads.ORG}/repos"]


def test_client_for_an_unknown_org_raises_http_error(api):
    with pytest.raises(urllib.error.HTTPError) as raised:
        _ = OrgClient("nobody", base_url=api.url).org
    assert raised.value.code == 404
    raised.value.close()


def test_the_server_stops_when_the_block_ends():
    with FakeAPI() as server:
        url = server.url
    with pytest.raises(urllib.error.URLError):
        get_json(url, timeout=1)


def test_patching_a_property_needs_property_mock():
    payload = {"repos_url": "http://x/repos"}
    with patch.object(OrgClient, "org", return_value=payload):
        assert isinstance(OrgClient("x").org, MagicMock)  # the mock itself, never called
    with patch.object(OrgClient, "org", new_callable=PropertyMock, return_value=payload):
        assert OrgClient("x").org == payload  # PropertyMock is called on attribute access
