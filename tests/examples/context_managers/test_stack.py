"""ExitStack closes everything it opened, in reverse order, even when opening fails half-way."""

import sqlite3

import pytest

from context_managers.database import create_users
from context_managers.stack import merge_users, run_with_cleanups


class Recorder:
    """A connect() replacement that remembers the order connections are closed in."""

    def __init__(self):
        self.closed = []

    def connect(self, path):
        recorder = self

        class Connection(sqlite3.Connection):
            def close(self):
                recorder.closed.append(path.rsplit("/", 1)[-1])
                super().close()

        return sqlite3.connect(path, factory=Connection)


@pytest.fixture
def paths(tmp_path):
    create_users(str(tmp_path / "a.db"), [("ada", 36), ("tim", 12)])
    create_users(str(tmp_path / "b.db"), [("grace", 45)])
    create_users(str(tmp_path / "all.db"), [])
    return {name: str(tmp_path / f"{name}.db") for name in ("a", "b", "all")}


def test_merge_copies_every_source_and_closes_all_connections_newest_first(paths):
    recorder = Recorder()
    assert merge_users([paths["a"], paths["b"]], paths["all"], connect=recorder.connect) == 3
    assert recorder.closed == ["b.db", "a.db", "all.db"]


def test_connections_opened_before_a_failure_are_still_closed(paths, tmp_path):
    recorder = Recorder()
    missing = str(tmp_path / "no-such-dir" / "c.db")
    with pytest.raises(sqlite3.OperationalError, match="unable to open database file"):
        merge_users([paths["a"], paths["b"], missing], paths["all"], connect=recorder.connect)
    assert recorder.closed == ["b.db", "a.db", "all.db"]


def test_merge_with_the_default_connect(paths):
    assert merge_users([paths["b"]], paths["all"]) == 1


def test_callbacks_run_last_in_first_out():
    log = []
    run_with_cleanups(log)
    assert log == ["body", "second registered, runs first", "first registered, runs last"]
