"""Two real connections, interleaved step by step, to show what each isolation level
lets through, the lost update, and its fixes (FOR UPDATE, an atomic UPDATE, a retry
of SERIALIZABLE transactions). Every connection here is a psycopg connection in its
default mode: a transaction starts at the first statement and ends at commit() or
rollback()."""

from __future__ import annotations

import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor

import psycopg
from psycopg import IsolationLevel, errors

HOSTEL, NIGHT = "Harbour Hostel", "2024-07-01"
CABIN, WANTED = "Lakeside Cabin", "[2024-07-10,2024-07-12)"

LEVELS = {
    "Read Uncommitted": IsolationLevel.READ_UNCOMMITTED,
    "Read Committed": IsolationLevel.READ_COMMITTED,
    "Repeatable Read": IsolationLevel.REPEATABLE_READ,
    "Serializable": IsolationLevel.SERIALIZABLE,
}


# --8<-- [start:statements]
def rooms_left(conn: psycopg.Connection, *, lock: bool = False) -> int:
    """Read the number of free rooms; with lock=True, also lock the row (FOR UPDATE)."""
    sql = "SELECT rooms_left FROM room_nights WHERE property = %s AND night = %s"
    return conn.execute(sql + (" FOR UPDATE" if lock else ""), (HOSTEL, NIGHT)).fetchone()[0]


def set_rooms_left(conn: psycopg.Connection, value: int) -> None:
    """Write a value computed in Python: the second half of a read-modify-write."""
    conn.execute("UPDATE room_nights SET rooms_left = %s WHERE property = %s AND night = %s",
                 (value, HOSTEL, NIGHT))


def book_room(conn: psycopg.Connection) -> bool:
    """Read and write in one statement. The row lock is taken before the new value is
    computed, and "rooms_left > 0" is checked against the latest committed row."""
    cursor = conn.execute(
        "UPDATE room_nights SET rooms_left = rooms_left - 1"
        " WHERE property = %s AND night = %s AND rooms_left > 0",
        (HOSTEL, NIGHT))
    return cursor.rowcount == 1
# --8<-- [end:statements]


def is_free(conn: psycopg.Connection, nights: str = WANTED) -> bool:
    """The application's availability check: no stay of the cabin overlaps `nights`."""
    return conn.execute("SELECT NOT EXISTS (SELECT 1 FROM stays WHERE property = %s AND nights && %s::daterange)",
                        (CABIN, nights)).fetchone()[0]


def add_stay(conn: psycopg.Connection, guest: str, nights: str = WANTED) -> None:
    conn.execute("INSERT INTO stays (property, guest, nights) VALUES (%s, %s, %s::daterange)", (CABIN, guest, nights))


def stays_of_cabin(conn: psycopg.Connection) -> int:
    return conn.execute("SELECT count(*) FROM stays WHERE property = %s", (CABIN,)).fetchone()[0]


def start(conn: psycopg.Connection, level: str) -> None:
    """Set the isolation level of the connection's next transaction."""
    conn.rollback()
    conn.isolation_level = LEVELS[level]


# --8<-- [start:lost_update]
def lost_update(a: psycopg.Connection, b: psycopg.Connection) -> int:
    """Two guests book the same night at the same moment. Both read 5, both write 4."""
    seen_by_a = rooms_left(a)          # A reads 5
    seen_by_b = rooms_left(b)          # B reads 5
    set_rooms_left(a, seen_by_a - 1)   # A writes 4 ...
    a.commit()                         # ... and commits
    set_rooms_left(b, seen_by_b - 1)   # B writes 4 over it: A's booking is lost
    b.commit()
    return rooms_left(a)
# --8<-- [end:lost_update]


# --8<-- [start:waiting]
def in_background(work: Callable[[], object]) -> tuple[ThreadPoolExecutor, Future]:
    """Run a statement that will block in another thread, so this one can go on."""
    pool = ThreadPoolExecutor(max_workers=1)
    return pool, pool.submit(work)


def wait_until_blocked(observer: psycopg.Connection, conn: psycopg.Connection, timeout: float = 10.0) -> list[int]:
    """Poll the server until `conn`'s backend waits for a lock another backend holds.
    pg_blocking_pids() names the backends it waits for."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        blockers = observer.execute("SELECT pg_blocking_pids(%s)", (conn.info.backend_pid,)).fetchone()[0]
        if blockers:
            return blockers
        time.sleep(0.005)
    raise TimeoutError(f"backend {conn.info.backend_pid} never waited for a lock")
# --8<-- [end:waiting]


# --8<-- [start:for_update]
def with_row_lock(a: psycopg.Connection, b: psycopg.Connection, observer: psycopg.Connection) -> tuple[int, int]:
    """The same two bookings, each reading with SELECT ... FOR UPDATE."""
    seen_by_a = rooms_left(a, lock=True)               # A reads 5 and locks the row

    def b_books() -> int:
        seen = rooms_left(b, lock=True)                # waits until A commits, then reads 4
        set_rooms_left(b, seen - 1)
        b.commit()
        return seen

    pool, seen_by_b = in_background(b_books)
    assert a.info.backend_pid in wait_until_blocked(observer, b)   # B is waiting for A
    set_rooms_left(a, seen_by_a - 1)
    a.commit()                                         # releases the lock; B goes on
    pool.shutdown()
    return seen_by_b.result(), rooms_left(observer)    # (4, 3): no booking lost
# --8<-- [end:for_update]


# --8<-- [start:atomic]
def two_atomic_bookings(a: psycopg.Connection, b: psycopg.Connection, observer: psycopg.Connection,
                        rooms: int) -> tuple[bool, bool, int]:
    """Two guests book at the same moment, each with one atomic UPDATE."""
    observer.execute("UPDATE room_nights SET rooms_left = %s WHERE property = %s", (rooms, HOSTEL))
    got_a = book_room(a)                               # A locks the row and subtracts 1
    pool, got_b = in_background(lambda: (book_room(b), b.commit())[0])
    assert a.info.backend_pid in wait_until_blocked(observer, b)   # B waits for A's lock
    a.commit()     # B's UPDATE now re-reads the committed row and re-checks rooms_left > 0
    pool.shutdown()
    return got_a, got_b.result(), rooms_left(observer)
# --8<-- [end:atomic]


# --8<-- [start:check_then_insert]
def double_booking(a: psycopg.Connection, b: psycopg.Connection) -> str:
    """Both guests check that the cabin is free, then both insert their stay."""
    assert is_free(a) and is_free(b)   # both see free nights
    add_stay(a, "tunde")
    a.commit()
    try:
        add_stay(b, "zara")
        b.commit()
    except errors.SerializationFailure as failure:
        b.rollback()
        return f"B refused: {failure.sqlstate}"
    return "both booked"
# --8<-- [end:check_then_insert]


# --8<-- [start:retry]
def run_transaction(conn: psycopg.Connection, work: Callable[[psycopg.Connection], object],
                    attempts: int = 3) -> tuple[object, int]:
    """Run work(conn) in a transaction, again from the start after a serialization
    failure (SQLSTATE 40001): the error means "nothing happened, try again"."""
    for attempt in range(1, attempts + 1):
        try:
            result = work(conn)
            conn.commit()
            return result, attempt
        except errors.SerializationFailure:
            conn.rollback()
            if attempt == attempts:
                raise
    raise ValueError("attempts must be at least 1")
# --8<-- [end:retry]


# --8<-- [start:phenomena]
def dirty_read(a: psycopg.Connection, b: psycopg.Connection) -> bool:
    """Does A see B's uncommitted change?"""
    set_rooms_left(b, 0)                # not committed
    seen = rooms_left(a)
    b.rollback()
    return seen == 0


def non_repeatable_read(a: psycopg.Connection, b: psycopg.Connection) -> bool:
    """Does the same read give A a different value after B commits a change?"""
    first = rooms_left(a)
    set_rooms_left(b, first - 1)
    b.commit()
    return rooms_left(a) != first


def phantom_read(a: psycopg.Connection, b: psycopg.Connection) -> bool:
    """Does the same search give A a different set of rows after B commits an insert?"""
    first = stays_of_cabin(a)
    add_stay(b, "lulu", "[2024-08-01,2024-08-03)")
    b.commit()
    return stays_of_cabin(a) != first
# --8<-- [end:phenomena]


def lost_update_outcome(a: psycopg.Connection, b: psycopg.Connection) -> str:
    """lost_update(), reporting instead of raising when B's write is refused."""
    try:
        left = lost_update(a, b)
    except errors.SerializationFailure as failure:
        b.rollback()
        return f"B refused: {failure.sqlstate}"
    return "happened" if left == 4 else f"no ({left} left)"
