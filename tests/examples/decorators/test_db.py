"""with_connection always closes its connection; transactional commits or rolls back."""

import sqlite3

import pytest

from decorators.db import balances, create_bank, transactional, transfer, with_connection


@pytest.fixture
def bank(tmp_path, monkeypatch):
    """bank.db with two accounts, in a fresh working directory (the decorators use a relative path)."""
    monkeypatch.chdir(tmp_path)
    create_bank("bank.db", {"ada": 100, "tim": 20})
    return tmp_path / "bank.db"


def committed_balances(path):
    """Read from a separate connection: only committed data is visible there."""
    conn = sqlite3.connect(path)
    try:
        return dict(conn.execute("SELECT owner, balance FROM accounts"))
    finally:
        conn.close()


def test_with_connection_passes_a_connection_and_closes_it(bank):
    seen = []

    @with_connection("bank.db")
    def count_accounts(conn):
        seen.append(conn)
        return conn.execute("SELECT COUNT(*) FROM accounts").fetchone()[0]

    assert count_accounts() == 2
    with pytest.raises(sqlite3.ProgrammingError, match="closed database"):
        seen[0].execute("SELECT 1")


def test_with_connection_closes_the_connection_when_the_function_raises(bank):
    seen = []

    @with_connection("bank.db")
    def broken(conn):
        seen.append(conn)
        raise RuntimeError("bug")

    with pytest.raises(RuntimeError):
        broken()
    with pytest.raises(sqlite3.ProgrammingError):
        seen[0].execute("SELECT 1")


def test_usage_reads_balances(bank):
    assert balances() == {"ada": 100, "tim": 20}


def test_successful_transfer_is_committed(bank):
    transfer("ada", "tim", 30)
    assert committed_balances(bank) == {"ada": 70, "tim": 50}


def test_failed_transfer_is_rolled_back_including_the_debit_that_already_ran(bank):
    with pytest.raises(LookupError, match="no account for 'bob'"):
        transfer("ada", "bob", 30)
    assert committed_balances(bank) == {"ada": 100, "tim": 20}


def test_a_constraint_violation_rolls_back_too(bank):
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        transfer("tim", "ada", 50)  # tim has 20
    assert committed_balances(bank) == {"ada": 100, "tim": 20}


def test_without_transactional_closing_discards_uncommitted_changes(bank):
    @with_connection("bank.db")
    def debit_without_commit(conn):
        conn.execute("UPDATE accounts SET balance = 0 WHERE owner = 'ada'")

    debit_without_commit()
    assert committed_balances(bank)["ada"] == 100


def test_stacking_in_the_wrong_order_breaks(bank):
    body = transfer.__wrapped__.__wrapped__  # functools.wraps keeps a path back to the plain function
    wrong_order = transactional(with_connection("bank.db")(body))  # transactional outermost
    # transactional takes "ada" for the connection; with_connection runs the body on its own
    # connection and closes it uncommitted; then transactional calls "ada".commit().
    with pytest.raises(AttributeError, match="'str' object has no attribute 'commit'"):
        wrong_order("ada", "tim", 30)
    assert committed_balances(bank) == {"ada": 100, "tim": 20}
