"""Fixtures of the background jobs, scheduling and payments tests: bookings, a real Celery
worker on a throw-away Redis, and a stand-in Chapa on 127.0.0.1."""

from __future__ import annotations

import gc
from datetime import date, timedelta
from decimal import Decimal

import pytest
import redis as redis_client
from celery.contrib.testing.app import setup_default_app
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging

from nexus.celery import create_app
from travel.fake_chapa import FakeChapa
from travel.models import Booking, Listing

BROKER_DB, RESULTS_DB = 1, 2  # this topic's Redis databases (tests/services.py hands out the server)
SECRET_KEY = "CHASECK_TEST-not-a-real-key-0123456789"
WEBHOOK_SECRET = "whsec-test-0123456789"


@pytest.fixture
def listing(db):
    return Listing.objects.create(title="Lalibela Lodge", location="Lalibela", price_per_night=Decimal("2500.00"))


@pytest.fixture
def make_booking(listing):
    def make(guest: str = "Abebe Bikila", *, nights: int = 2, check_in: date | None = None, **fields) -> Booking:
        check_in = check_in or date(2030, 1, 11)
        booking = Booking.create_for(
            listing, guest_name=guest, guest_email=f"{guest.split()[0].lower()}@example.com",
            check_in=check_in, check_out=check_in + timedelta(days=nights),
        )
        if fields:
            Booking.objects.filter(pk=booking.pk).update(**fields)
            booking.refresh_from_db()
        return booking

    return make


# --- a real Celery worker ------------------------------------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def leave_logging_alone():
    """A worker starting in this process would reconfigure the root logger (drop its handlers,
    including pytest's, and set its level for the rest of the session). With any receiver
    connected to setup_logging, Celery leaves logging as it is."""

    def keep_the_logging_configuration(**kwargs):
        pass

    setup_logging.connect(keep_the_logging_configuration, weak=False)
    yield
    setup_logging.disconnect(keep_the_logging_configuration)


def flush(redis, *dbs: int) -> None:
    for db in dbs:
        with redis_client.Redis.from_url(redis.url(db)) as client:
            client.flushdb()


@pytest.fixture(scope="module")
def celery_app(redis):
    """The project's Celery app, built by the same create_app(), with Redis as broker (db 1)
    and result store (db 2). While the module's tests run it is the current app, so shared
    tasks publish to it."""
    flush(redis, BROKER_DB, RESULTS_DB)
    app = create_app(
        set_as_current=False,
        broker_url=redis.url(BROKER_DB),
        result_backend=redis.url(RESULTS_DB),
        broker_connection_retry_on_startup=False,
    )
    with setup_default_app(app):  # restores the previous current and default app afterwards
        app.set_current()
        app.set_default()
        yield app
        # AsyncResult objects left in reference cycles unsubscribe from Redis when collected:
        # collect them now, while the session's Redis still runs (at exit, Redis is gone).
        gc.collect()
    flush(redis, BROKER_DB, RESULTS_DB)


@pytest.fixture(scope="module")
def celery_worker(celery_app):
    """A real worker, in a thread of this process, consuming from Redis; one per test module,
    because starting and stopping one takes about a second.

    Tests that use it also ask for `transactional_db`: their writes are committed, as in
    production, so the worker's own database connection can read them. With the `db`
    fixture they would stay inside a transaction that no other connection sees."""
    with start_worker(celery_app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture
def broker(redis, celery_app):
    """A client for the broker's Redis database: the default queue is the list "celery"."""
    with redis_client.Redis.from_url(redis.url(BROKER_DB)) as client:
        yield client


@pytest.fixture
def results(redis, celery_app):
    """A client for the result store's Redis database, emptied first: only this test's results."""
    with redis_client.Redis.from_url(redis.url(RESULTS_DB)) as client:
        client.flushdb()
        yield client


# --- a stand-in Chapa ----------------------------------------------------------------------------


@pytest.fixture
def chapa(settings):
    """FakeChapa listening on 127.0.0.1, with the settings pointing the app at it."""
    fake = FakeChapa(secret_key=SECRET_KEY)
    with fake as base_url:
        settings.CHAPA_BASE_URL = base_url
        settings.CHAPA_SECRET_KEY = SECRET_KEY
        settings.CHAPA_WEBHOOK_SECRET = WEBHOOK_SECRET
        settings.CHAPA_TIMEOUT_SECONDS = 5
        yield fake
