"""Small helpers the API client uses: nested lookups, fetching JSON, and caching a method's result."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.request import urlopen


# --8<-- [start:access_nested_map]
def access_nested_map(nested_map: Mapping, path: Sequence[str]) -> Any:
    """Follow `path` key by key: access_nested_map({"a": {"b": 2}}, ["a", "b"]) == 2."""
    current: Any = nested_map
    for key in path:
        if not isinstance(current, Mapping):
            raise KeyError(key)  # asked to go deeper than the data goes
        current = current[key]  # KeyError(key) when the key is missing
    return current
# --8<-- [end:access_nested_map]


# --8<-- [start:get_json]
def get_json(url: str, timeout: float = 10.0) -> Any:
    """GET `url` and decode its JSON body; HTTP errors raise urllib.error.HTTPError."""
    with urlopen(url, timeout=timeout) as response:
        return json.load(response)
# --8<-- [end:get_json]


# --8<-- [start:memoize]
def memoize(method: Callable[[Any], Any]) -> property:
    """Turn a no-argument method into a read-only attribute computed once per instance."""
    slot = f"_memo_{method.__name__}"

    @functools.wraps(method)
    def compute_once(self: Any) -> Any:
        if slot not in self.__dict__:
            self.__dict__[slot] = method(self)
        return self.__dict__[slot]

    return property(compute_once)
# --8<-- [end:memoize]
