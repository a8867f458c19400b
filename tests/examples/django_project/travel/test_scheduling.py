"""Scheduling: Celery beat's entries against a fixed clock, the same job as a crontab line and a
shell wrapper, and the management command both of them run."""

from __future__ import annotations

import copy
import fcntl
import sqlite3
import stat
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from celery.schedules import crontab, crontab_parser
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from measurements import matches_recorded
from nexus.celery import BEAT_SCHEDULE, app
from sitetools import ROOT
from travel import tasks
from travel.models import Booking

CRON_DIR = ROOT / "examples/django_project/travel/cron"
SCRIPT = CRON_DIR / "expire_pending_bookings.sh"
CRONTAB = CRON_DIR / "nexus.crontab"
DEPLOYED_AT = "/srv/nexus/"  # where nexus.crontab expects the repository on the server


# --- Celery beat ---------------------------------------------------------------------------------


def test_every_beat_entry_names_a_registered_task():
    app.loader.import_default_modules()  # what the worker does at start-up: autodiscover tasks.py

    assert {name: entry["task"] for name, entry in app.conf.beat_schedule.items()} == {
        "expire-pending-bookings": "travel.tasks.expire_pending_bookings",
        "check-in-reminders": "travel.tasks.send_check_in_reminders",
    }
    assert all(entry["task"] in app.tasks for entry in BEAT_SCHEDULE.values())
    assert app.conf.timezone == "UTC"  # CELERY_TIMEZONE = TIME_ZONE


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def state(entry: str, *, last_run: str, now: str):
    """is_due() of a beat entry, with the clock stopped at `now`."""
    schedule = copy.copy(BEAT_SCHEDULE[entry]["schedule"])
    schedule.nowfun = lambda: at(now)
    return schedule.is_due(at(last_run))


CASES = [
    ("expire-pending-bookings", "2030-01-01 10:00:00", "2030-01-01 10:14:30"),
    ("expire-pending-bookings", "2030-01-01 10:00:00", "2030-01-01 10:15:00"),
    ("expire-pending-bookings", "2030-01-01 10:00:00", "2030-01-01 10:47:10"),  # beat was down
    ("check-in-reminders", "2030-01-01 08:00:00", "2030-01-02 07:59:00"),
    ("check-in-reminders", "2030-01-01 08:00:00", "2030-01-02 08:00:30"),
]


def test_is_due_and_the_next_check_follow_the_crontab_fields():
    results = [state(entry, last_run=last, now=now) for entry, last, now in CASES]

    assert [(due, seconds) for due, seconds in results] == [
        (False, 30.0),  # 30 s before 10:15
        (True, 900.0),  # due now; the next run is 15 minutes away
        (True, 770.0),  # 10:15, 10:30 and 10:45 were missed: it runs once, now, then at 11:00
        (False, 60.0),
        (True, 86370.0),  # due; the next run is tomorrow at 08:00
    ]
    rows = "\n".join(
        f"| `{entry}` | {last[11:16]} on {last[:10]} | {now[11:]} on {now[:10]} | {'yes' if due else 'no'} | "
        f"{timedelta(seconds=int(seconds))} |"
        for (entry, last, now), (due, seconds) in zip(CASES, results, strict=True)
    )
    assert matches_recorded("examples/django_project/travel/measured/beat-is-due.md", (
        "| Entry | Last run (UTC) | Clock (UTC) | `is_due` | Next in |\n| --- | --- | --- | --- | --- |\n"
        + rows + "\n"
    ))


# --- the same job as a crontab line ----------------------------------------------------------------

FIELDS = [("minute", 0, 59), ("hour", 0, 23), ("day_of_month", 1, 31), ("month_of_year", 1, 12), ("day_of_week", 0, 6)]


def parse_crontab(text: str) -> list[tuple[dict[str, set[int]], str]]:
    """The jobs of a crontab file: five time fields (expanded to sets) and the command.

    Skips comments, blank lines and VAR=value lines; fails on anything else."""
    jobs = []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        first = stripped.split(None, 1)[0]
        if "=" in first and not first[0].isdigit() and not first.startswith("*"):
            continue  # an environment line, e.g. NEXUS_ENV_FILE=/etc/nexus/env
        parts = stripped.split(None, 5)
        assert len(parts) == 6, f"a job line needs 5 time fields and a command: {line!r}"
        times = {name: crontab_parser(high - low + 1, low).parse(field)
                 for (name, low, high), field in zip(FIELDS, parts[:5], strict=True)}
        jobs.append((times, parts[5]))
    return jobs


def test_the_crontab_line_has_five_valid_fields_and_runs_the_wrapper_script():
    jobs = parse_crontab(CRONTAB.read_text())

    assert len(jobs) == 1
    times, command = jobs[0]
    assert times["minute"] == {0, 15, 30, 45}
    assert (times["hour"], times["day_of_week"]) == (set(range(24)), set(range(7)))
    executable = command.split()[0]
    assert executable.startswith(DEPLOYED_AT)
    script = ROOT / executable.removeprefix(DEPLOYED_AT)
    assert script == SCRIPT
    assert script.stat().st_mode & stat.S_IXUSR, "cron runs the script directly: it must be executable"
    assert command.endswith(">>/var/log/nexus/expire_pending_bookings.log 2>&1")  # cron mails output otherwise


def test_the_crontab_line_fires_on_the_same_minutes_as_the_beat_entry():
    times, _ = parse_crontab(CRONTAB.read_text())[0]
    beat = BEAT_SCHEDULE["expire-pending-bookings"]["schedule"]

    assert isinstance(beat, crontab)
    assert (times["minute"], times["hour"], times["day_of_month"], times["month_of_year"]) == (
        beat.minute, beat.hour, beat.day_of_month, beat.month_of_year
    )
    # crontab() counts Sunday as 0; cron accepts 0 and 7 for it. Every day either way.
    assert times["day_of_week"] == beat.day_of_week == set(range(7))


def test_the_parser_rejects_a_line_with_four_fields():
    with pytest.raises(AssertionError, match="5 time fields"):
        parse_crontab("*/15 * * * /srv/nexus/run.sh")


def test_the_parser_rejects_a_minute_out_of_range():
    with pytest.raises(ValueError, match="75 > 59"):
        parse_crontab("75 * * * * /srv/nexus/run.sh")


# --- the wrapper script --------------------------------------------------------------------------


def test_the_wrapper_script_passes_shellcheck():
    result = subprocess.run(
        [str(Path(sys.executable).parent / "shellcheck"), "--shell=bash", str(SCRIPT)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout


@pytest.fixture
def fake_python(tmp_path):
    """Stands in for the virtualenv's python: records how the script called it."""
    log = tmp_path / "calls.txt"
    fake = tmp_path / "python"
    fake.write_text(f'#!/bin/sh\necho "$PWD|$DJANGO_SETTINGS_MODULE|$FROM_ENV_FILE|$*" >> "{log}"\n')
    fake.chmod(0o755)
    return fake, log


def run_script(tmp_path, fake, *args):
    env_file = tmp_path / "env"
    env_file.write_text("FROM_ENV_FILE=loaded\n")
    # What cron provides: almost nothing. No DJANGO_SETTINGS_MODULE, no virtualenv on PATH.
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NEXUS_PYTHON": str(fake),
           "NEXUS_LOCK_DIR": str(tmp_path), "NEXUS_ENV_FILE": str(env_file)}
    return subprocess.run([str(SCRIPT), *args], env=env, cwd=tmp_path, capture_output=True, text=True, check=False)


def test_the_script_runs_the_command_from_the_project_with_cron_s_bare_environment(tmp_path, fake_python):
    fake, log = fake_python

    result = run_script(tmp_path, fake, "--older-than", "45")

    assert result.returncode == 0, result.stderr
    project = str(ROOT / "examples/django_project")
    assert log.read_text() == f"{project}|nexus.settings|loaded|manage.py expire_pending_bookings --older-than 45\n"


def test_the_script_skips_a_run_while_the_previous_one_holds_the_lock(tmp_path, fake_python):
    fake, log = fake_python
    with open(tmp_path / "nexus-expire-pending-bookings.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the previous run, still going
        result = run_script(tmp_path, fake)

    assert result.returncode == 1
    assert not log.exists()  # the command was not started a second time


@pytest.mark.django_db(transaction=True)
def test_the_script_really_expires_bookings_in_a_database_file(tmp_path, make_booking):
    if connection.vendor != "sqlite":
        pytest.skip("copies the SQLite test database to a file")
    stale = make_booking("Abebe Bikila", created_at=timezone.now() - timedelta(hours=2))
    fresh = make_booking("Tirunesh Dibaba")
    database = tmp_path / "db.sqlite3"
    with connection.cursor() as cursor:
        cursor.execute("VACUUM INTO %s", [str(database)])  # schema and rows, in milliseconds
    env_file = tmp_path / "env"
    env_file.write_text(f"DJANGO_SQLITE_PATH={database}\n")
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NEXUS_PYTHON": sys.executable,
           "NEXUS_LOCK_DIR": str(tmp_path), "NEXUS_ENV_FILE": str(env_file)}

    result = subprocess.run([str(SCRIPT)], env=env, capture_output=True, text=True, check=False)

    assert result.returncode == 0, result.stderr
    assert result.stdout == "Expired 1 pending booking(s) older than 30 minutes.\n"
    with sqlite3.connect(database) as copy_db:
        statuses = dict(copy_db.execute("SELECT id, status FROM travel_booking"))
    assert statuses == {stale.pk: "expired", fresh.pk: "pending"}


# --- the management command and the scheduled tasks ----------------------------------------------


def expire(*args: str) -> str:
    out = StringIO()
    call_command("expire_pending_bookings", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_the_command_expires_only_pending_bookings_older_than_the_hold(make_booking):
    two_hours_ago = timezone.now() - timedelta(hours=2)
    stale = make_booking("Abebe Bikila", created_at=two_hours_ago)
    paid = make_booking("Haile Gebrselassie", created_at=two_hours_ago, status="confirmed")
    fresh = make_booking("Tirunesh Dibaba", created_at=timezone.now() - timedelta(minutes=10))

    outputs = [expire("--dry-run"), expire(), expire(), expire("--older-than", "5")]

    assert outputs == [
        "Would expire 1 pending booking(s) older than 30 minutes.\n",
        "Expired 1 pending booking(s) older than 30 minutes.\n",
        "Expired 0 pending booking(s) older than 30 minutes.\n",  # a second run changes nothing
        "Expired 1 pending booking(s) older than 5 minutes.\n",
    ]
    assert {b.guest_name: b.status for b in Booking.objects.filter(pk__in=[stale.pk, paid.pk, fresh.pk])} == {
        "Abebe Bikila": "expired", "Haile Gebrselassie": "confirmed", "Tirunesh Dibaba": "expired",
    }
    assert matches_recorded("examples/django_project/travel/measured/expire-command.md", (
        "```text\n"
        "$ python manage.py expire_pending_bookings --dry-run\n" + outputs[0]
        + "$ python manage.py expire_pending_bookings\n" + outputs[1]
        + "$ python manage.py expire_pending_bookings\n" + outputs[2]
        + "```\n"
    ))


@pytest.mark.django_db
def test_the_command_refuses_a_hold_shorter_than_a_minute():
    with pytest.raises(CommandError, match="at least 1 minute"):
        expire("--older-than", "0")


@pytest.mark.django_db
def test_the_beat_task_expires_with_the_configured_hold(make_booking, settings):
    settings.TRAVEL_BOOKING_HOLD_MINUTES = 60
    make_booking("Abebe Bikila", created_at=timezone.now() - timedelta(minutes=90))
    make_booking("Tirunesh Dibaba", created_at=timezone.now() - timedelta(minutes=45))

    assert tasks.expire_pending_bookings() == 1


@pytest.mark.django_db
def test_check_in_reminders_go_once_to_confirmed_guests_arriving_tomorrow(make_booking):
    tomorrow = timezone.localdate() + timedelta(days=1)
    make_booking("Abebe Bikila", check_in=tomorrow, status="confirmed")
    make_booking("Tirunesh Dibaba", check_in=tomorrow)  # not paid: no reminder
    make_booking("Haile Gebrselassie", check_in=tomorrow + timedelta(days=1), status="confirmed")

    sent = [tasks.send_check_in_reminders(), tasks.send_check_in_reminders()]

    assert sent == [1, 0]
    assert [message.to for message in mail.outbox] == [["abebe@example.com"]]


@pytest.mark.django_db
def test_a_reminder_claimed_by_another_run_is_not_sent_twice(make_booking, monkeypatch):
    """Two beat processes (a misconfiguration) racing: the conditional UPDATE lets one win."""
    booking = make_booking(check_in=timezone.localdate() + timedelta(days=1), status="confirmed")
    real_filter = Booking.objects.filter

    def filter_after_the_other_run(*args, **kwargs):
        if "pk" in kwargs:  # the claim: the other run set reminder_sent_at a moment earlier
            Booking.objects.all().update(reminder_sent_at=timezone.now())
        return real_filter(*args, **kwargs)

    monkeypatch.setattr(Booking.objects, "filter", filter_after_the_other_run)

    assert tasks.send_check_in_reminders() == 0
    assert mail.outbox == []
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
