"""The utils tests written with unittest: TestCase classes, setUp, subTest, mock.patch."""

import json
import unittest
from unittest.mock import patch

from testing_basics.utils import access_nested_map, get_json, memoize


# --8<-- [start:access_nested_map]
class TestAccessNestedMap(unittest.TestCase):
    def test_returns_the_value_at_the_end_of_the_path(self):
        cases = [
            ({"a": 1}, ("a",), 1),
            ({"a": {"b": 2}}, ("a",), {"b": 2}),
            ({"a": {"b": 2}}, ("a", "b"), 2),
        ]
        for nested_map, path, expected in cases:
            with self.subTest(path=path):  # one report line per failing case, and the loop goes on
                self.assertEqual(access_nested_map(nested_map, path), expected)

    def test_raises_key_error_naming_the_missing_key(self):
        for nested_map, path, missing in [({}, ("a",), "a"), ({"a": 1}, ("a", "b"), "b")]:
            with self.subTest(path=path):
                with self.assertRaises(KeyError) as raised:
                    access_nested_map(nested_map, path)
                self.assertEqual(raised.exception.args[0], missing)
# --8<-- [end:access_nested_map]


# --8<-- [start:get_json]
class TestGetJson(unittest.TestCase):
    def setUp(self):
        # Runs before every test method; addCleanup undoes the patch after it, pass or fail.
        patcher = patch("testing_basics.utils.urlopen")
        self.urlopen = patcher.start()
        self.addCleanup(patcher.stop)

    def test_returns_the_decoded_body(self):
        for url, payload in [("http://example.com", {"payload": True}), ("http://holberton.io", {"payload": False})]:
            with self.subTest(url=url):
                response = self.urlopen.return_value.__enter__.return_value
                response.read.return_value = json.dumps(payload).encode()
                self.assertEqual(get_json(url), payload)
                self.urlopen.assert_called_with(url, timeout=10.0)
# --8<-- [end:get_json]


# --8<-- [start:memoize]
class Report:
    def compute(self):
        return 42

    @memoize
    def total(self):
        return self.compute()


class TestMemoize(unittest.TestCase):
    def test_computes_once_per_instance(self):
        with patch.object(Report, "compute", return_value=42) as compute:
            report = Report()
            self.assertEqual(report.total, 42)
            self.assertEqual(report.total, 42)
            compute.assert_called_once()  # the second read came from the cache
        self.assertEqual(Report().total, 42)  # patch undone: the real compute() runs again
# --8<-- [end:memoize]
