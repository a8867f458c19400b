"""OrgClient tests with unittest: unit tests patch get_json, the integration test uses a real server."""

import unittest
from unittest.mock import PropertyMock, patch

from testing_basics import payloads
from testing_basics.client import OrgClient
from testing_basics.fake_api import FakeAPI


# --8<-- [start:unit]
class TestOrgClient(unittest.TestCase):
    def test_org_fetches_the_org_url_once(self):
        for org in ("google", "abc"):
            with self.subTest(org=org), patch("testing_basics.client.get_json") as get_json:
                get_json.return_value = {"login": org}
                client = OrgClient(org)
                self.assertEqual(client.org, {"login": org})
                self.assertEqual(client.org, {"login": org})  # memoized: no second request
                get_json.assert_called_once_with(f"https://api.github.com/orgs/{org}")

    def test_repos_url_comes_from_the_org_payload(self):
        with patch.object(OrgClient, "org", new_callable=PropertyMock) as org:
            org.return_value = {"repos_url": "https://api.github.com/orgs/x/repos"}
            self.assertEqual(OrgClient("x").repos_url, "https://api.github.com/orgs/x/repos")

    def test_public_repos_lists_names_and_filters_by_license(self):
        with (
            patch("testing_basics.client.get_json", return_value=payloads.REPOS_PAYLOAD) as get_json,
            patch.object(OrgClient, "repos_url", new_callable=PropertyMock, return_value="http://x/repos"),
        ):
            client = OrgClient("x")
            self.assertEqual(client.public_repos(), payloads.EXPECTED_REPOS)
            self.assertEqual(client.public_repos("apache-2.0"), payloads.APACHE2_REPOS)
            get_json.assert_called_once_with("http://x/repos")

    def test_has_license(self):
        cases = [
            ({"license": {"key": "my_license"}}, "my_license", True),
            ({"license": {"key": "other_license"}}, "my_license", False),
            ({"license": None}, "my_license", False),
            ({}, "my_license", False),
        ]
        for repo, key, expected in cases:
            with self.subTest(repo=repo):
                self.assertIs(OrgClient.has_license(repo, key), expected)
# --8<-- [end:unit]


# --8<-- [start:integration]
class TestOrgClientIntegration(unittest.TestCase):
    """Nothing is patched: real HTTP requests to a real server on 127.0.0.1."""

    @classmethod
    def setUpClass(cls):
        cls.api = FakeAPI().__enter__()  # started once for the whole class
        cls.api.routes.update(payloads.routes(cls.api.url))

    @classmethod
    def tearDownClass(cls):
        cls.api.__exit__(None, None, None)

    def test_public_repos(self):
        client = OrgClient(payloads.ORG, base_url=self.api.url)
        self.assertEqual(client.public_repos(), payloads.EXPECTED_REPOS)

    def test_public_repos_with_license(self):
        client = OrgClient(payloads.ORG, base_url=self.api.url)
        self.assertEqual(client.public_repos("apache-2.0"), payloads.APACHE2_REPOS)
# --8<-- [end:integration]
