"""ExitStack for a number of resources known only at run time."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from contextlib import ExitStack, closing


# --8<-- [start:exit_stack]
def merge_users(
    sources: Sequence[str],
    target: str,
    connect: Callable[[str], sqlite3.Connection] = sqlite3.connect,
) -> int:
    """Copy the users of every source database into target; return the target's user count."""
    with ExitStack() as stack:
        target_conn = stack.enter_context(closing(connect(target)))
        source_conns = [stack.enter_context(closing(connect(path))) for path in sources]
        # If connect() fails for the third source, the connections already open (the target and
        # the first two sources) are closed, newest first.
        with target_conn:  # a sqlite3 connection as a context manager is a transaction
            for conn in source_conns:
                target_conn.executemany(
                    "INSERT INTO users (name, age) VALUES (?, ?)",
                    conn.execute("SELECT name, age FROM users ORDER BY id"),
                )
        return target_conn.execute("SELECT COUNT(*) FROM users").fetchone()[0]
# --8<-- [end:exit_stack]


# --8<-- [start:callback]
def run_with_cleanups(log: list[str]) -> None:
    with ExitStack() as stack:
        stack.callback(log.append, "first registered, runs last")
        stack.callback(log.append, "second registered, runs first")
        log.append("body")
# --8<-- [end:callback]
