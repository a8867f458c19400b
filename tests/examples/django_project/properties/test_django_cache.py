"""docs/concepts/caching/django-cache.md: Django's cache framework on a real Redis through django-redis."""

from __future__ import annotations

import importlib.util
import logging
from decimal import Decimal

import pytest
import redis as redis_py
from django.core.cache import cache
from django.core.cache.utils import make_template_fragment_key

import nexus.settings as project_settings
from measurements import matches_recorded
from properties.models import Property
from properties.utils import ALL_PROPERTIES, get_all_properties, get_redis_cache_metrics, hit_ratio
from sitetools import free_port

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [row["title"] for row in response.json()["data"]]


# --- the cached listing: get_all_properties() -----------------------------------------------------

def test_a_property_reads_as_its_title_and_location(listings):
    assert str(listings.flat) == "Harbour flat (Mombasa)"


def test_the_first_call_queries_the_database_and_later_calls_do_not(listings, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = get_all_properties()
    with django_assert_num_queries(0):
        assert get_all_properties() == first
        assert get_all_properties() == first
    assert [row["title"] for row in first] == ["Harbour flat", "Hill villa", "Riverside loft"]  # newest first
    assert first[0]["price"] == Decimal("90000.00")  # dicts keep their Python types through pickle


def test_the_listing_is_cached_for_an_hour_under_a_prefixed_versioned_key(listings, redis_client):
    get_all_properties()
    assert redis_client.keys("*") == ["nexus:1:all_properties"]  # KEY_PREFIX:VERSION:key
    assert 3595 <= redis_client.ttl("nexus:1:all_properties") <= 3600  # Redis's own TTL command
    assert 3595 <= cache.ttl(ALL_PROPERTIES) <= 3600  # django-redis's shortcut to the same number


def test_saving_a_property_forgets_the_listing_once_the_transaction_commits(
        listings, django_capture_on_commit_callbacks, django_assert_num_queries):
    get_all_properties()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        listings.loft.price = Decimal("125000.00")
        listings.loft.save()
        assert cache.get(ALL_PROPERTIES) is not None  # not yet: the transaction is still open
    assert len(callbacks) == 1
    assert cache.get(ALL_PROPERTIES) is None  # committed: forgotten
    with django_assert_num_queries(1):
        listing = get_all_properties()
    assert {row["title"]: row["price"] for row in listing}["Riverside loft"] == Decimal("125000.00")


def test_deleting_a_property_forgets_the_listing_too(listings, django_capture_on_commit_callbacks):
    get_all_properties()
    with django_capture_on_commit_callbacks(execute=True):
        listings.flat.delete()
    assert [row["title"] for row in get_all_properties()] == ["Hill villa", "Riverside loft"]


def test_a_rolled_back_save_leaves_the_cache_alone(listings, django_capture_on_commit_callbacks):
    from django.db import transaction

    get_all_properties()
    # The save, then a failure: the rollback must undo the save and drop its on_commit callback.
    with (  # noqa: PT012
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        listings.loft.save()
        raise RuntimeError("something failed after the save")
    assert callbacks == []  # on_commit callbacks of a rolled-back block are discarded
    assert cache.get(ALL_PROPERTIES) is not None


def test_queryset_update_sends_no_signal_so_the_cached_listing_goes_stale(listings, django_capture_on_commit_callbacks):
    get_all_properties()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        Property.objects.filter(pk=listings.loft.pk).update(price=Decimal("1.00"))
    assert callbacks == []  # update() runs one UPDATE statement: no save(), no post_save
    cached = {row["title"]: row["price"] for row in get_all_properties()}
    assert cached["Riverside loft"] == Decimal("120000.00")  # stale for up to an hour


# --- per-view caching: cache_page -----------------------------------------------------------------

def test_the_second_request_to_the_cached_view_runs_no_query(client, listings, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = client.get("/properties/")
    with django_assert_num_queries(0):
        second = client.get("/properties/")
    assert first.status_code == second.status_code == 200
    assert second.content == first.content
    assert titles(first) == ["Harbour flat", "Hill villa", "Riverside loft"]
    # cache_page also tells browsers and proxies to keep the page for 15 minutes.
    assert first["Cache-Control"] == "max-age=900"
    assert "Expires" in first


def redis_counters(client) -> dict[str, int]:
    """Server-wide counters: GET and SET commands so far, and lookups that found or missed a key."""
    commands = client.info("commandstats")
    stats = client.info("stats")
    return {
        "get": commands.get("cmdstat_get", {}).get("calls", 0),
        "set": commands.get("cmdstat_set", {}).get("calls", 0),
        "hits": stats["keyspace_hits"],
        "misses": stats["keyspace_misses"],
    }


def test_a_cache_page_hit_is_two_redis_gets_and_no_query(client, listings, redis_client, django_assert_num_queries):
    # FetchFromCacheMiddleware first reads the header list of the URL (get_cache_key), then the
    # page stored under the key built from it: two GETs even on a hit. What a hit saves is the
    # view, the ORM and the serialisation, not Redis round trips. The counters are the server's
    # own, so the test compares snapshots around each request.
    rows = []
    for label, queries in (("first", 1), ("second", 0)):
        before = redis_counters(redis_client)
        with django_assert_num_queries(queries):
            assert client.get("/properties/").status_code == 200
        after = redis_counters(redis_client)
        grew = {name: after[name] - before[name] for name in after}
        rows.append(f"| {label} `GET /properties/` | {queries} | {grew['get']} | {grew['hits']} | {grew['misses']} "
                    f"| {grew['set']} |")
        if label == "second":
            assert grew == {"get": 2, "set": 0, "hits": 2, "misses": 0}
    table = ("| Request | SQL queries | Redis `GET`s | of them hits | of them misses | Redis `SET`s |\n"
             "| --- | --- | --- | --- | --- | --- |\n" + "\n".join(rows) + "\n")
    assert matches_recorded("examples/django_project/properties/measured/cache-page-lookups.md", table)


def test_cache_page_keeps_serving_the_old_page_after_a_save(client, listings, django_capture_on_commit_callbacks):
    client.get("/properties/")
    client.get("/properties/latest/")
    with django_capture_on_commit_callbacks(execute=True):
        listings.loft.title = "Riverside loft, renovated"
        listings.loft.save()
    # The signal forgot the data, but cache_page keeps its own copy of the whole response.
    assert "Riverside loft" in titles(client.get("/properties/"))
    assert "Riverside loft, renovated" in titles(client.get("/properties/latest/"))


def test_cache_page_stores_a_header_list_and_a_page_and_the_note_lists_them(client, listings, redis_client):
    client.get("/properties/")
    keys = sorted(redis_client.keys("*"))
    assert len(keys) == 3
    header_key, page_key = (next(key for key in keys if kind in key) for kind in ("cache_header", "cache_page"))
    assert header_key.startswith("nexus:1:views.decorators.cache.cache_header.")
    assert page_key.startswith("nexus:1:views.decorators.cache.cache_page.") and ".GET." in page_key
    meaning = {
        "nexus:1:all_properties": "the listing, from `get_all_properties()`",
        header_key: "which request headers the page varies on",
        page_key: "the whole response: status, headers and body",
    }
    rows = "".join(
        f"| `{key}` | about {round(redis_client.ttl(key) / 60)} min | {meaning[key]} |\n" for key in keys
    )
    table = "| Key in Redis | TTL | Holds |\n| --- | --- | --- |\n" + rows
    assert matches_recorded("examples/django_project/properties/measured/cache-page-keys.md", table)


# --- template fragment caching: {% cache %} ---------------------------------------------------------

def test_the_table_fragment_is_rendered_once_per_location_and_listing_version(
        client, listings, django_assert_num_queries, django_capture_on_commit_callbacks, redis_client):
    with django_assert_num_queries(1):
        first = client.get("/properties/table/")
    with django_assert_num_queries(0):  # the queryset is never evaluated: its loop is in the fragment
        second = client.get("/properties/table/")
    assert first.content == second.content
    assert b"Riverside loft" in first.content and b"Harbour flat" in first.content
    with django_assert_num_queries(1):  # vary_on: another location is another fragment
        mombasa = client.get("/properties/table/", {"location": "Mombasa"})
    assert b"Harbour flat" in mombasa.content and b"Riverside loft" not in mombasa.content
    assert len(redis_client.keys("nexus:1:template.cache.property_table.*")) == 2

    with django_capture_on_commit_callbacks(execute=True):
        listings.villa.title = "Hill villa with pool"
        listings.villa.save()
    with django_assert_num_queries(1):  # a new listing version: every old fragment is bypassed
        after = client.get("/properties/table/")
    assert b"Hill villa with pool" in after.content


def test_make_template_fragment_key_names_the_key_a_fragment_is_stored_under(client, listings):
    from properties.utils import listing_version

    client.get("/properties/table/", {"location": "Nairobi"})
    key = make_template_fragment_key("property_table", ["Nairobi", listing_version()])
    assert b"Hill villa" in cache.get(key).encode()
    assert cache.delete(key) is True


# --- the low-level API ------------------------------------------------------------------------------

def test_get_set_add_get_or_set_and_delete(redis_client):
    assert cache.get("greeting") is None
    assert cache.get("greeting", "default") == "default"
    cache.set("greeting", "hello", timeout=30)
    assert cache.get("greeting") == "hello"
    assert 25 <= redis_client.ttl("nexus:1:greeting") <= 30
    assert cache.add("greeting", "bonjour") is False  # add() only sets a missing key (SET NX)
    calls = []
    assert cache.get_or_set("answer", lambda: calls.append(1) or 42, timeout=60) == 42
    assert cache.get_or_set("answer", lambda: calls.append(1) or 0, timeout=60) == 42
    assert calls == [1]  # the callable ran only on the miss
    assert cache.delete("greeting") is True and cache.delete("greeting") is False


def test_timeouts_none_means_forever_and_zero_means_do_not_cache(redis_client):
    cache.set("forever", "x", timeout=None)
    assert redis_client.ttl("nexus:1:forever") == -1  # no expiry
    cache.set("never", "x", timeout=0)
    assert cache.get("never") is None
    cache.set("default", "x")  # the TIMEOUT of the CACHES entry: 300 s
    assert 295 <= redis_client.ttl("nexus:1:default") <= 300


def test_versions_keep_old_and_new_values_apart(redis_client):
    cache.set("schema", "old shape")  # version 1, the default
    cache.set("schema", "new shape", version=2)
    assert cache.get("schema") == "old shape"
    assert cache.get("schema", version=2) == "new shape"
    assert sorted(redis_client.keys("*")) == ["nexus:1:schema", "nexus:2:schema"]
    cache.delete("schema", version=2)
    assert cache.incr_version("schema") == 2  # moves the value from version 1 to version 2
    assert cache.get("schema") is None and cache.get("schema", version=2) == "old shape"


def test_integers_are_stored_as_plain_numbers_and_everything_else_pickled(redis, redis_client):
    cache.set("visits", 1)
    assert redis_client.get("nexus:1:visits") == "1"  # readable, and INCR works on it
    assert cache.incr("visits") == 2
    cache.set("listing", [{"title": "Hill villa"}])
    raw = redis_py.Redis.from_url(redis.url(3)).get("nexus:1:listing")
    assert raw[:1] == b"\x80"  # a pickle: only Python can read it back


# --- hit and miss metrics from Redis INFO -----------------------------------------------------------

def test_one_miss_then_two_hits_move_the_redis_counters_by_one_and_two(listings, caplog):
    caplog.set_level(logging.INFO, logger="properties")
    before = get_redis_cache_metrics()
    for _ in range(3):
        get_all_properties()  # GET (miss), SET; then GET (hit) twice
    after = get_redis_cache_metrics()
    hits = after["keyspace_hits"] - before["keyspace_hits"]
    misses = after["keyspace_misses"] - before["keyspace_misses"]
    assert (misses, hits) == (1, 2)
    assert hit_ratio(hits, misses) == 0.667
    message = caplog.records[-1].getMessage()
    assert message == (f"Redis cache metrics: {after['keyspace_hits']} hits, {after['keyspace_misses']} misses, "
                       f"hit ratio {after['hit_ratio']}")
    table = (
        "| Calls to `get_all_properties()` | `keyspace_misses` grew by | `keyspace_hits` grew by "
        "| Hit ratio of these calls |\n"
        "| --- | --- | --- | --- |\n"
        f"| 3 | {misses} | {hits} | {hit_ratio(hits, misses)} |\n"
    )
    assert matches_recorded("examples/django_project/properties/measured/hit-miss.md", table)


def test_the_hit_ratio_is_undefined_before_any_lookup():
    assert hit_ratio(0, 0) is None
    assert hit_ratio(3, 1) == 0.75


def test_the_cache_stats_endpoint_reports_live_numbers_no_one_may_store(client):
    response = client.get("/properties/cache-stats/")
    assert set(response.json()) == {"keyspace_hits", "keyspace_misses", "hit_ratio"}
    assert response["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


# --- configuration --------------------------------------------------------------------------------

def fresh_settings():
    """settings.py executed again as a new module, so the running project's settings stay untouched."""
    spec = importlib.util.spec_from_file_location("settings_under_test", project_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_migration_matches_the_model():
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("makemigrations", "properties", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()


def test_the_cache_is_local_memory_unless_a_redis_url_is_given(monkeypatch):
    monkeypatch.delenv("DJANGO_REDIS_CACHE_URL", raising=False)
    assert fresh_settings().CACHES["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    monkeypatch.setenv("DJANGO_REDIS_CACHE_URL", "redis://cache.internal:6379/0")
    loaded = fresh_settings()
    assert loaded.CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache"
    assert loaded.CACHES["default"]["LOCATION"] == "redis://cache.internal:6379/0"
    assert loaded.PROPERTIES_CACHE_TIMEOUT == 3600


def test_when_redis_is_down_the_cache_raises_unless_told_to_ignore_errors(
    settings, listings, django_assert_num_queries
):
    down = f"redis://127.0.0.1:{free_port()}/3"  # nothing listens there
    settings.CACHES = {"default": project_settings.redis_cache(down)}
    with pytest.raises(redis_py.ConnectionError):
        get_all_properties()
    settings.CACHES = {"default": {**project_settings.redis_cache(down), "OPTIONS": {"IGNORE_EXCEPTIONS": True}}}
    with django_assert_num_queries(1):  # every call is a "miss" that falls back to the database
        assert len(get_all_properties()) == 3
