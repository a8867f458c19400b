"""Fixtures of the "A background task that ran twice" case study: a real Celery worker, in a thread
of this process, on the session's throw-away Redis (broker: database 6, results: database 7).

The app is the project's own, built by nexus.celery.create_app() as the background-jobs tests do;
the worker is started once per module, because starting one takes about a second.
"""

from __future__ import annotations

import gc
import logging
from datetime import date, timedelta
from decimal import Decimal

import pytest
import redis as redis_py
from celery.contrib.testing.app import setup_default_app
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging

from challenges.duplicate_task.investigate import DeliveryLog
from nexus.celery import create_app
from nexus.settings import redis_cache
from travel.models import Booking, Listing

BROKER_DB, RESULTS_DB = 6, 7  # this case's Redis databases


def flushdb(redis, *dbs: int) -> None:
    for db in dbs:
        with redis_py.Redis.from_url(redis.url(db)) as client:
            client.flushdb()


def keep_the_logging_configuration(**kwargs) -> None:
    """Connected to setup_logging: with any receiver there, a starting worker leaves the root
    logger (and pytest's handlers on it) alone."""


@pytest.fixture(scope="module")
def celery_app(redis, request):
    """The project's app pointed at Redis, plus the test module's CELERY_SETTINGS if it has any."""
    flushdb(redis, BROKER_DB, RESULTS_DB)
    setup_logging.connect(keep_the_logging_configuration, weak=False)
    app = create_app(set_as_current=False, broker_url=redis.url(BROKER_DB), result_backend=redis.url(RESULTS_DB),
                     broker_connection_retry_on_startup=False, **getattr(request.module, "CELERY_SETTINGS", {}))
    with setup_default_app(app):  # shared tasks publish to this app while the module runs
        app.set_current()
        app.set_default()
        yield app
        # AsyncResult objects left in reference cycles unsubscribe from Redis when collected:
        # collect them now, while the session's Redis still runs (later, each waits for retries).
        gc.collect()
    setup_logging.disconnect(keep_the_logging_configuration)
    flushdb(redis, BROKER_DB, RESULTS_DB)


@pytest.fixture(scope="module")
def celery_worker(celery_app):
    """A real worker (solo pool: one task at a time, in queue order), consuming from Redis."""
    # Celery decides once, when the worker starts, whether its INFO lines ("Task ...[id] received",
    # "... succeeded in ...") are worth formatting: switch them on before that.
    loggers = [logging.getLogger(name) for name in ("celery.worker.strategy", "celery.app.trace")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.INFO)
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


@pytest.fixture(autouse=True)
def empty_redis(redis, celery_app):
    """Databases 6 and 7 empty before and after each test. FLUSHDB also drops the binding kombu
    keeps for the default queue, so it is declared again: messages would be dropped without it."""

    def flush_and_declare() -> None:
        flushdb(redis, BROKER_DB, RESULTS_DB)
        with celery_app.connection_for_write() as connection:
            celery_app.amqp.queues[celery_app.conf.task_default_queue](connection.default_channel).declare()

    flush_and_declare()
    yield
    flush_and_declare()


@pytest.fixture
def claims_in_redis(redis, settings):
    """Django's cache on django-redis, database 7: where the SET NX guard keeps its claims."""
    settings.CACHES = {**settings.CACHES, "default": redis_cache(redis.url(RESULTS_DB))}
    with redis_py.Redis.from_url(redis.url(RESULTS_DB)) as client:
        yield client


@pytest.fixture
def make_booking(transactional_db):
    """Committed bookings (the worker's own connection must see them), one listing."""
    listing = Listing.objects.create(title="Lalibela Lodge", location="Lalibela", price_per_night=Decimal("2500.00"))

    def make(guest: str) -> Booking:
        check_in = date(2030, 1, 11)
        email = f"{guest.lower().replace(' ', '.')}@example.com"
        return Booking.create_for(listing, guest_name=guest, guest_email=email,
                                  check_in=check_in, check_out=check_in + timedelta(days=2))

    return make


@pytest.fixture
def deliveries(celery_worker, caplog):
    """The investigation's log of task runs, also used to wait for them."""
    caplog.set_level(logging.INFO, logger="challenges.duplicate_task")
    caplog.set_level(logging.INFO, logger="celery.worker.strategy")  # "Task ...[id] received"
    caplog.set_level(logging.INFO, logger="celery.app.trace")  # "Task ...[id] succeeded in ...s: ..."
    with DeliveryLog() as log:
        yield log
