"""Patch where the name is looked up: the wrong target leaves the real get_json in place."""

import unittest
from unittest.mock import patch

from testing_basics import payloads
from testing_basics.client import OrgClient
from testing_basics.fake_api import FakeAPI


# --8<-- [start:where_to_patch]
class TestWhereToPatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # A local server, so that if the real get_json runs it reaches 127.0.0.1, not the internet.
        cls.api = FakeAPI().__enter__()
        cls.api.routes.update(payloads.routes(cls.api.url))

    @classmethod
    def tearDownClass(cls):
        cls.api.__exit__(None, None, None)

    def test_patch_where_the_client_looks_the_name_up(self):
        with patch("testing_basics.client.get_json", return_value={"login": "mocked"}) as get_json:
            self.assertEqual(OrgClient(payloads.ORG, base_url=self.api.url).org, {"login": "mocked"})
        get_json.assert_called_once()

    @unittest.expectedFailure  # kept to show the mistake: this assertion fails
    def test_patch_where_the_function_is_defined(self):
        # client.py did `from testing_basics.utils import get_json`, so it holds its own reference;
        # replacing utils.get_json afterwards does not change the name client.py calls.
        with patch("testing_basics.utils.get_json", return_value={"login": "mocked"}) as get_json:
            org = OrgClient(payloads.ORG, base_url=self.api.url).org
        self.assertEqual(org["login"], payloads.ORG)  # the real request reached the local server
        get_json.assert_called_once()  # AssertionError: Expected 'get_json' to have been called once. Called 0 times.
# --8<-- [end:where_to_patch]
