"""Data at a scale where plans matter: 100,000 messages in the messaging app's own tables
(created by its migrations), half of them in one busy conversation.

Three users share 100 conversations. Message n (1 to 100,000) is sent n seconds after
START, by user n mod 3; even messages go to the busy conversation, odd ones are spread over
the 99 quiet ones, so rows of all conversations are interleaved on disk as they would be in
a real table.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.db.backends.base.base import BaseDatabaseWrapper

START = datetime(2025, 1, 1, tzinfo=UTC)
MESSAGES = 100_000
BUSY_TITLE = "Busy conversation"

# --8<-- [start:seed]
STATEMENTS = [
    """INSERT INTO auth_user (password, is_superuser, username, first_name, last_name, email,
                              is_staff, is_active, date_joined)
       SELECT '!', false, name, '', '', '', false, true, %(start)s
       FROM unnest(ARRAY['alice', 'bob', 'carol']) AS name""",
    """INSERT INTO messaging_conversation (title, created_at)
       SELECT CASE WHEN n = 1 THEN %(busy)s ELSE 'Quiet conversation ' || n END,
              %(start)s + n * interval '1 minute'
       FROM generate_series(1, 100) AS n""",
    """INSERT INTO messaging_conversation_participants (conversation_id, user_id)
       SELECT conversation.id, auth_user.id FROM messaging_conversation AS conversation CROSS JOIN auth_user""",
    """INSERT INTO messaging_message (conversation_id, sender_id, body, sent_at, read, edited)
       SELECT CASE WHEN n %% 2 = 0 THEN first.conversation ELSE first.conversation + 1 + (n / 2) %% 99 END,
              first.user_id + n %% 3,
              'Message number ' || n,
              %(start)s + n * interval '1 second',
              true, false
       FROM generate_series(1, %(messages)s) AS n,
            (SELECT min(messaging_conversation.id) AS conversation, min(auth_user.id) AS user_id
             FROM messaging_conversation, auth_user) AS first""",
]
# --8<-- [end:seed]


def seed(connection: BaseDatabaseWrapper) -> None:
    """Fill the (empty, migrated) tables, then VACUUM ANALYZE them so that the planner's
    statistics and the visibility map are the same on every run."""
    parameters = {"start": START, "busy": BUSY_TITLE, "messages": MESSAGES}
    with connection.cursor() as cursor:
        # The test server runs with synchronous_commit off; VACUUM can mark pages all-visible
        # only once the inserting commit is on disk.
        cursor.execute("SET synchronous_commit = on")
        # Generated rows are consistent by construction: skip the per-row foreign key checks
        # while loading, as pg_dump's --disable-triggers does (needs a superuser, which the test
        # server's user is). It halves the load time.
        cursor.execute("SET session_replication_role = replica")
        for statement in STATEMENTS:
            cursor.execute(statement, parameters)
        cursor.execute("RESET session_replication_role")
        cursor.execute("SET default_statistics_target = 1000")  # a sample that covers the table
        cursor.execute("VACUUM ANALYZE auth_user, messaging_conversation, messaging_conversation_participants, "
                       "messaging_message")
        cursor.execute("RESET default_statistics_target")
