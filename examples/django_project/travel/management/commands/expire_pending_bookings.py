"""`python manage.py expire_pending_bookings`: the job cron (or Celery beat) runs every 15 minutes.

Safe to run at any time and any number of times: it only changes bookings that are still
pending and older than the hold time, in one UPDATE.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from travel.bookings import expire_stale_bookings


# --8<-- [start:command]
class Command(BaseCommand):
    help = "Expire pending bookings nobody paid for within the hold time."
    # Runs every 15 minutes: skip the system checks (a second of start-up on every run);
    # `manage.py check --deploy` belongs to the deployment, not to a periodic job.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than", type=int, default=settings.TRAVEL_BOOKING_HOLD_MINUTES, metavar="MINUTES",
            help="expire pending bookings created more than this many minutes ago",
        )
        parser.add_argument("--dry-run", action="store_true", help="count them, change nothing")

    def handle(self, *args, older_than: int, dry_run: bool, **options):
        if older_than < 1:
            raise CommandError("--older-than must be at least 1 minute")
        count = expire_stale_bookings(older_than=timedelta(minutes=older_than), dry_run=dry_run)
        verb = "Would expire" if dry_run else "Expired"
        self.stdout.write(f"{verb} {count} pending booking(s) older than {older_than} minutes.")
# --8<-- [end:command]
