"""The same utils tests written with pytest: plain functions, fixtures, parametrize."""

import json
from unittest.mock import patch

import pytest

from testing_basics.utils import access_nested_map, get_json, memoize


# --8<-- [start:access_nested_map]
@pytest.mark.parametrize(
    ("nested_map", "path", "expected"),
    [
        ({"a": 1}, ("a",), 1),
        ({"a": {"b": 2}}, ("a",), {"b": 2}),
        ({"a": {"b": 2}}, ("a", "b"), 2),
    ],
)
def test_access_nested_map_returns_the_value_at_the_end_of_the_path(nested_map, path, expected):
    assert access_nested_map(nested_map, path) == expected


@pytest.mark.parametrize(("nested_map", "path", "missing"), [({}, ("a",), "a"), ({"a": 1}, ("a", "b"), "b")])
def test_access_nested_map_raises_key_error_naming_the_missing_key(nested_map, path, missing):
    with pytest.raises(KeyError) as raised:
        access_nested_map(nested_map, path)
    assert raised.value.args[0] == missing
# --8<-- [end:access_nested_map]


# --8<-- [start:get_json]
@pytest.fixture
def urlopen():
    # Code before yield is the setUp, code after it the tearDown; the with block undoes the patch.
    with patch("testing_basics.utils.urlopen") as mock:
        yield mock


@pytest.mark.parametrize(
    ("url", "payload"),
    [("http://example.com", {"payload": True}), ("http://holberton.io", {"payload": False})],
)
def test_get_json_returns_the_decoded_body(urlopen, url, payload):
    urlopen.return_value.__enter__.return_value.read.return_value = json.dumps(payload).encode()
    assert get_json(url) == payload
    urlopen.assert_called_once_with(url, timeout=10.0)
# --8<-- [end:get_json]


# --8<-- [start:memoize]
class Report:
    def compute(self):
        return 42

    @memoize
    def total(self):
        return self.compute()


def test_memoize_computes_once_per_instance():
    with patch.object(Report, "compute", return_value=42) as compute:
        report = Report()
        assert report.total == 42
        assert report.total == 42
        compute.assert_called_once()
    assert Report().total == 42
# --8<-- [end:memoize]
