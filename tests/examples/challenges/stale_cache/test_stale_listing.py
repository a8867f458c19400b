"""docs/challenges/stale-data-after-caching.md: the listing that kept an old price, reproduced,
traced, fixed and counted, with two real PostgreSQL connections and a real Redis.

Every interleaving is forced (reproduce.py), so each count below is exact and the same on every run.
"""

from __future__ import annotations

import re
from decimal import Decimal

from django.core.cache import cache

from challenges.stale_cache import after, reproduce
from challenges.stale_cache.reproduce import INTERLEAVINGS, ON_COMMIT, PROGRAM, STRATEGIES, VERSIONED
from challenges.stale_cache.tracing import pause_before_set, redis_monitor, shorten_command, summarize_sql
from measurements import matches_recorded
from properties.utils import ALL_PROPERTIES

CACHE_DB = 6
LISTING_KEY = "nexus:1:all_properties"
CYCLES, READS_AFTER = 10, 3
VERSION_NUMBER = re.compile(r"\b\d{16,}\b")  # a listing version is time.time_ns(): different on every run


def flat_price(response) -> str:
    [row] = [row for row in response.json()["data"] if row["title"] == "Sea view flat"]
    return row["price"]


def render_trace(lines: list[tuple[str, str, str]]) -> str:
    """Numbered, aligned trace lines; the clock-based version numbers replaced by a placeholder."""
    rendered = [f"{number:>2}  {request:<6}  {kind:<5}  {VERSION_NUMBER.sub('<time_ns>', message)}"
                for number, (request, kind, message) in enumerate(lines, start=1)]
    return "``` text\n" + "\n".join(rendered) + "\n```\n"


def test_the_listing_page_keeps_the_old_price_after_a_committed_update(requests, client, traced_cache):
    """The symptom, through the app's own view and the app's own invalidation (after the commit)."""
    pause_before_set(ALL_PROPERTIES, lambda: requests.update_price(Decimal("120.00")))
    with requests.acting("reader"):
        racing = client.get("/properties/latest/")  # misses, reads 100.00, is overtaken by the writer
        later = [client.get("/properties/latest/") for _ in range(3)]

    in_database = requests.price_in_database()
    assert in_database == Decimal("120.00")
    assert flat_price(racing) == "100.00"  # read before the commit: correct when it was read
    assert [flat_price(response) for response in later] == ["100.00"] * 3  # after the commit: stale
    ttl = traced_cache.ttl(LISTING_KEY)
    assert 3590 <= ttl <= 3600  # and it would stay so for an hour
    rows = ["| Request, in order | Price shown for the Sea view flat | Price in the database after it |",
            "| --- | --- | --- |",
            f"| `GET /properties/latest/`, while the price was updated | {flat_price(racing)} | {in_database} |"]
    rows += [f"| `GET /properties/latest/`, {n} | {flat_price(response)} | {in_database} |"
             for n, response in zip(("then", "again", "and again"), later, strict=True)]
    text = "\n".join(rows) + (f"\n\n`TTL {LISTING_KEY}` in Redis afterwards: about {round(ttl, -2):,} seconds.\n")
    assert matches_recorded("examples/challenges/stale_cache/measured/symptom.md", text)


def test_the_trace_shows_the_fill_landing_after_the_invalidation(requests, trace):
    with reproduce.invalidating_with(ON_COMMIT.receiver):
        reproduce.fill_after_commit(requests, ON_COMMIT, Decimal("120.00"))
        requests.read(ON_COMMIT)
    lines = trace()
    steps = [f"{request} {message.split(' ->')[0].split(' =')[0]}" for request, _, message in lines]
    # The order that makes the copy stale: the reader's SELECT before the writer's COMMIT, and
    # the reader's SET after the writer's DEL.
    assert steps.index('reader SELECT ... "properties_property"') < steps.index("writer COMMIT")
    assert steps.index("writer DEL all_properties") < steps.index("reader SET all_properties")
    assert lines[-1] == ("reader", "cache", "GET all_properties -> [Sea view flat: 100.00, Garden house: 250.00]")
    assert matches_recorded("examples/challenges/stale_cache/measured/trace.md", render_trace(lines))


def test_redis_monitor_shows_the_same_order_on_the_server(requests, traced_cache):
    with redis_monitor(traced_cache, CACHE_DB) as commands, reproduce.invalidating_with(ON_COMMIT.receiver):
        reproduce.fill_after_commit(requests, ON_COMMIT, Decimal("120.00"))
        requests.read(ON_COMMIT)
    # Only the cache's keys: not the SELECT or CLIENT commands a new connection sends first.
    shown = [shorten_command(command) for command in commands if " nexus:" in command]
    assert shown == [
        f"GET {LISTING_KEY}",
        f"DEL {LISTING_KEY}",
        "SET nexus:1:properties:listing_version <time_ns>",
        f"SET {LISTING_KEY} <pickled listing> PX 3600000",
        f"GET {LISTING_KEY}",
    ]
    text = "``` text\n" + "\n".join(f"{n}. {command}" for n, command in enumerate(shown, start=1)) + "\n```\n"
    assert matches_recorded("examples/challenges/stale_cache/measured/redis-monitor.md", text)


def test_stale_reads_over_interleaved_update_read_cycles(requests):
    counts = {(strategy.name, name): reproduce.count_stale_reads(requests, strategy, interleaving, CYCLES, READS_AFTER)
              for strategy in STRATEGIES for name, interleaving in INTERLEAVINGS.items()}

    reads = CYCLES * READS_AFTER
    names = list(INTERLEAVINGS)
    assert [counts[PROGRAM.name, name] for name in names] == [0, reads, reads]
    assert [counts[ON_COMMIT.name, name] for name in names] == [0, 0, reads]
    assert [counts[VERSIONED.name, name] for name in names] == [0, 0, 0]
    before = " | Before: ".join(s.name for s in STRATEGIES[:2])
    rows = [f"| Interleaving | Before: {before} | After: {VERSIONED.name} |",
            "| --- | ---: | ---: | ---: |"]
    for name in names:
        rows.append(f"| {name} | " + " | ".join(f"{counts[s.name, name]} of {reads}" for s in STRATEGIES) + " |")
    rows.append("| **all three** | " + " | ".join(
        f"**{sum(counts[s.name, n] for n in names)} of {reads * len(names)}**" for s in STRATEGIES) + " |")
    text = "\n".join(rows) + (f"\n\n{CYCLES} update/read cycles per row, each starting with an empty cache; after each "
                              f"write, {READS_AFTER} reads compare the price they show with the committed one.\n")
    assert matches_recorded("examples/challenges/stale_cache/measured/stale-reads.md", text)


def test_what_each_strategy_costs(requests, traced_cache):
    """Redis commands per cached read, and the listing keys left behind by ten writes."""
    results = {}
    for strategy in STRATEGIES:
        traced_cache.flushdb()
        with reproduce.invalidating_with(strategy.receiver):
            for cycle in range(1, CYCLES + 1):
                requests.read(strategy)  # a miss: fills the key
                requests.update_price(Decimal(100 + cycle))
            requests.read(strategy)
            with redis_monitor(traced_cache, CACHE_DB) as commands:
                requests.read(strategy)  # a hit
        listing_keys = traced_cache.keys(f"{LISTING_KEY}*")
        results[strategy.name] = (len([c for c in commands if " nexus:" in c]), len(listing_keys))

    assert results == {PROGRAM.name: (1, 1), ON_COMMIT.name: (1, 1), VERSIONED.name: (2, CYCLES + 1)}
    rows = ["| Strategy | Redis commands per cached read | Listing keys in Redis after 10 writes |",
            "| --- | ---: | ---: |"]
    rows += [f"| {name} | {commands} | {keys} |" for name, (commands, keys) in results.items()]
    assert matches_recorded("examples/challenges/stale_cache/measured/costs.md", "\n".join(rows) + "\n")


def test_a_ttl_bounds_how_long_the_stale_copy_lives_but_not_whether_it_appears(requests, traced_cache, settings):
    rows = [("| `PROPERTIES_CACHE_TIMEOUT` | Price shown after the race (the database has 120.00) | "
             "The stale copy expires in |"), "| ---: | --- | --- |"]
    for timeout in (3600, 60):
        settings.PROPERTIES_CACHE_TIMEOUT = timeout
        traced_cache.flushdb()
        requests.update_price(Decimal("100.00"))
        with reproduce.invalidating_with(ON_COMMIT.receiver):
            reproduce.fill_after_commit(requests, ON_COMMIT, Decimal("120.00"))
            shown = requests.read(ON_COMMIT)
        ttl = traced_cache.ttl(LISTING_KEY)
        assert shown == Decimal("100.00")  # stale either way...
        assert timeout - 5 <= ttl <= timeout  # ...for at most this long
        rows.append(f"| {timeout} s | {shown} | about {round(ttl, -1):,} s |")
    assert matches_recorded("examples/challenges/stale_cache/measured/ttl.md", "\n".join(rows) + "\n")


def test_the_versioned_reader_returns_what_the_apps_reader_returns(requests):
    with requests.acting("reader"):
        from properties.utils import get_all_properties

        assert after.get_all_properties() == get_all_properties()
        assert [row["title"] for row in after.get_all_properties()] == ["Sea view flat", "Garden house"]


def test_the_versioned_key_changes_after_every_committed_write_only(requests, traced_cache):
    with reproduce.invalidating_with(VERSIONED.receiver):
        requests.read(VERSIONED)
        [first] = traced_cache.keys(f"{LISTING_KEY}:*")
        requests.update_price(Decimal("130.00"), during=lambda: requests.read(VERSIONED))
        assert traced_cache.keys(f"{LISTING_KEY}:*") == [first]  # not committed yet: same version
        assert requests.read(VERSIONED) == Decimal("130.00")
        assert len(traced_cache.keys(f"{LISTING_KEY}:*")) == 2  # committed: a new key


def test_the_program_receiver_deletes_before_the_commit(requests, traced_cache, trace):
    with reproduce.invalidating_with(PROGRAM.receiver):
        requests.read(PROGRAM)
        requests.update_price(Decimal("140.00"))
    steps = [f"{request} {message.split(' ->')[0]}" for request, _, message in trace()]
    assert steps.index("writer DEL all_properties") < steps.index("writer COMMIT")


def test_the_apps_receiver_is_back_after_a_strategy_ran(requests, traced_cache):
    with reproduce.invalidating_with(PROGRAM.receiver):
        pass
    requests.read(ON_COMMIT)
    assert cache.get(ALL_PROPERTIES) is not None
    requests.update_price(Decimal("150.00"))
    assert cache.get(ALL_PROPERTIES) is None  # the app's on_commit receiver forgot it


def test_summarize_sql_shows_the_table_and_the_changed_price():
    assert summarize_sql('SELECT "id" FROM "properties_property"', ()) == 'SELECT ... "properties_property"'
    update = 'UPDATE "properties_property" SET "title" = %s, "price" = %s WHERE "id" = %s'
    assert summarize_sql(update, ("Flat", Decimal("120.00"), 1)) == 'UPDATE ... "properties_property" (price 120.00)'
    assert summarize_sql("SAVEPOINT x", None) == "SAVEPOINT"


def test_the_trace_names_how_long_each_set_lives(traced_cache, trace):
    # Other tests reached the default-timeout line on some runs only, so coverage varied from run to run.
    cache.set("with-default", 1)
    cache.set("forever", 2, timeout=None)
    cache.set("half-minute", 3, timeout=30)

    assert [message for _, kind, message in trace() if kind == "cache"] == [
        "SET with-default = 1 (default timeout)",
        "SET forever = 2 (no expiry)",
        "SET half-minute = 3 (30 s)",
    ]
