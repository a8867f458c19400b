"""The two tools of the investigation: the peak of Python memory while some code runs, and a
download that reads a response the way a WSGI server sends it.

`tracemalloc` counts the memory that Python's own allocators hand out (objects, strings, lists),
with the line that asked for it. It does not see memory that C libraries allocate for themselves,
such as SQLite's page cache or a database driver's result buffer.
"""

from __future__ import annotations

import gc
import hashlib
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")


# --8<-- [start:peak]
def peak_memory(work: Callable[[], T]) -> tuple[T, int]:
    """Run work() with tracemalloc on; return its result and the peak of traced memory, in bytes."""
    gc.collect()  # start from the same state: no garbage of earlier code waiting to be collected
    tracemalloc.start()
    try:
        result = work()
        _, peak = tracemalloc.get_traced_memory()  # (current, peak) since start()
    finally:
        tracemalloc.stop()  # also frees tracemalloc's own records
    return result, peak


def held_memory(build: Callable[[], object]) -> int:
    """Traced memory still held by what build() returns, measured while it is alive."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = build()
        current, _ = tracemalloc.get_traced_memory()
        del kept
    finally:
        tracemalloc.stop()
    return current
# --8<-- [end:peak]


@dataclass(frozen=True)
class Download:
    streamed: bool
    size: int  # bytes of body
    sha256: str


# --8<-- [start:download]
def download(client, url: str) -> Download:
    """GET url with Django's test client and read the body chunk by chunk, keeping none of it,
    as a WSGI server does when it writes each chunk to the socket."""
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    chunks = response.streaming_content if response.streaming else [response.content]
    digest, size = hashlib.sha256(), 0
    for chunk in chunks:  # a streamed body is produced here, one chunk per next()
        digest.update(chunk)
        size += len(chunk)
    return Download(response.streaming, size, digest.hexdigest())
# --8<-- [end:download]
