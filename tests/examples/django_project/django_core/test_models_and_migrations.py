"""The models match their migrations, migrations are applied, and the managers are as the note says."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from messaging.managers import UnreadMessagesManager
from messaging.models import Conversation, Message


@pytest.mark.django_db
def test_makemigrations_check_finds_no_model_change_without_a_migration():
    # --check exits with status 1 (SystemExit) when a model changed and no migration records it.
    out = StringIO()
    call_command("makemigrations", "messaging", "--check", "--dry-run", stdout=out)
    assert out.getvalue().strip() == "No changes detected in app 'messaging'"


@pytest.mark.django_db
def test_migrate_has_applied_the_initial_migration_to_the_test_database():
    out = StringIO()
    call_command("showmigrations", "messaging", stdout=out)
    assert "[X] 0001_initial" in out.getvalue()


# transaction=True: on SQLite the schema editor cannot start inside the transaction that a
# plain django_db test runs in, even when it only collects SQL.
@pytest.mark.django_db(transaction=True)
def test_sqlmigrate_shows_the_sql_a_migration_runs():
    out = StringIO()
    call_command("sqlmigrate", "messaging", "0001", stdout=out)
    sql = out.getvalue()
    assert 'CREATE TABLE "messaging_message"' in sql
    assert 'CREATE TABLE "messaging_conversation_participants"' in sql  # the M2M's own table


def test_objects_stays_the_default_manager_next_to_unread():
    assert Message._default_manager is Message.objects
    assert isinstance(Message.unread, UnreadMessagesManager)
    assert [manager.name for manager in Message._meta.managers] == ["objects", "unread"]


@pytest.mark.django_db
def test_str_of_models(chat):
    assert str(chat.trip) == "Trip"
    untitled = Conversation.objects.create()
    assert str(untitled) == f"Conversation {untitled.pk}"
    assert str(chat.train) == f"bob in {chat.trip.pk}: Train at 9?"
