"""The example project's Celery application (docs/technologies/background-jobs/).

Start a worker and the beat scheduler from examples/django_project/:

    celery -A nexus worker --loglevel=INFO
    celery -A nexus beat --loglevel=INFO

Every setting comes from Django's settings, under the CELERY_ prefix (see the end of
settings.py); the tests build a second app with the same function, pointed at a throw-away Redis.
"""

from __future__ import annotations

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")

# --8<-- [start:beat_schedule]
BEAT_SCHEDULE = {
    # Every quarter of an hour, on the quarter: xx:00, xx:15, xx:30, xx:45.
    "expire-pending-bookings": {
        "task": "travel.tasks.expire_pending_bookings",
        "schedule": crontab(minute="*/15"),
    },
    # Once a day at 08:00 in CELERY_TIMEZONE (UTC here, 11:00 in Addis Ababa).
    "check-in-reminders": {
        "task": "travel.tasks.send_check_in_reminders",
        "schedule": crontab(hour=8, minute=0),
    },
}
# --8<-- [end:beat_schedule]


# --8<-- [start:app]
def create_app(*, set_as_current: bool = True, **overrides) -> Celery:
    app = Celery("nexus", set_as_current=set_as_current)
    # Read CELERY_* names from Django's settings: CELERY_BROKER_URL becomes broker_url.
    app.config_from_object("django.conf:settings", namespace="CELERY")
    app.conf.beat_schedule = BEAT_SCHEDULE
    app.conf.update(overrides)
    # Import tasks.py from every installed app, so the worker knows every task by name.
    app.autodiscover_tasks()
    return app


app = create_app()
# --8<-- [end:app]
