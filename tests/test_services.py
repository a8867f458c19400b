"""The throw-away PostgreSQL and Redis servers the example tests use really answer."""

from __future__ import annotations

import socket


def test_postgres_server_answers_sql(postgres):
    import psycopg

    with psycopg.connect(postgres.dsn) as connection:
        version = connection.execute("SHOW server_version").fetchone()[0]
        listen = connection.execute("SHOW listen_addresses").fetchone()[0]
    assert int(version.split(".")[0]) >= 13
    assert listen == "127.0.0.1"


def test_redis_server_answers_ping(redis):
    with socket.create_connection((redis.host, redis.port), timeout=2) as connection:
        connection.sendall(b"PING\r\n")
        assert connection.recv(16) == b"+PONG\r\n"
