"""Why CI tests against PostgreSQL: a rolled-back INSERT spends a PostgreSQL id, not a SQLite one.

The table is the one Django creates for `auth.Group`, in each database's own dialect; the test
takes the CREATE TABLE statement from Django's schema editor for each backend.
"""

from __future__ import annotations


# --8<-- [start:ids]
def ids_around_a_rollback(connection, create_table: str, placeholder: str) -> list[int]:
    """Insert and commit, insert and roll back, insert and commit: the id each INSERT got.

    `connection` is any DB-API connection (sqlite3, psycopg); `placeholder` is its
    parameter marker: "?" for sqlite3, "%s" for psycopg.
    """
    cursor = connection.cursor()
    cursor.execute(create_table)
    connection.commit()
    ids = []
    for name, keep in (("first", True), ("rolled back", False), ("after the rollback", True)):
        cursor.execute(f'INSERT INTO "auth_group" ("name") VALUES ({placeholder}) RETURNING "id"', (name,))
        ids.append(cursor.fetchone()[0])
        if keep:
            connection.commit()
        else:
            connection.rollback()
    return ids
# --8<-- [end:ids]
