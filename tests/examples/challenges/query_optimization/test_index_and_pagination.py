"""The missing index and deep pages, on the real PostgreSQL planner
(docs/challenges/optimizing-database-queries.md).

The QuerySet is the one MessageViewSet.get_queryset() builds (`conversation.messages.select_related("sender")`),
paginated by real DRF paginators; `explain_what_ran` records the SQL they send and runs it again
under EXPLAIN ANALYZE. Plan shapes, rows read and pages touched are deterministic and asserted
exactly; times are compared as ratios with a generous bound, and only the bound is recorded.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from django.db.migrations.loader import MigrationLoader
from rest_framework.pagination import Cursor
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from challenges.query_optimization import after, before
from challenges.query_optimization.busy_conversation import BUSY_TITLE, MESSAGES
from challenges.query_optimization.investigate import explain_what_ran
from measurements import matches_recorded
from messaging.models import Conversation, Message
from sql import plans

ALIAS = "challenges_queries"  # the Django connection alias conftest.py's busy_pg registers
MEASURED = "examples/challenges/query_optimization/measured"
DEEP_PAGE = 2000  # 20 messages a page: rows 39,981 to 40,000 of the busy conversation
AT_LEAST = 10  # every speed-up the note claims is "more than 10x"; the measured ones are far larger
INDEX = "message_conversation_sent"
QUIET = 506  # messages in "Quiet conversation 2": odd n whose (n // 2) % 99 is 0


def conversation(title: str) -> Conversation:
    return Conversation.objects.using(ALIAS).get(title=title)


def first_page(connection, title: str, paginator=None):
    """The first page of a conversation's messages, as the messages endpoint serves it."""
    return page(connection, title, paginator or after.CursorPagination())


def page(connection, title: str, paginator, **params):
    request = Request(APIRequestFactory().get("/messages/", params))
    # MessageViewSet.get_queryset(), newest first as MessageCursorPagination orders it, so that
    # page numbers and cursors page through the same sequence.
    queryset = conversation(title).messages.select_related("sender").order_by("-sent_at", "-id")
    return explain_what_ran(connection, lambda: paginator.paginate_queryset(queryset, request))


def message_table(plan: dict) -> dict:
    """The node that read messaging_message."""
    return next(node for node in plans.nodes(plan) if node.get("Relation Name") == "messaging_message")


def best_ms(connection, plan: dict) -> float:
    return plans.best_time_ms(connection.connection, plan["SQL"])


def quiet_title() -> str:
    return "Quiet conversation 2"


@pytest.fixture(scope="module")
def index_fix(busy_pg):
    """The first page of the busy conversation before and after the migration of the fix.
    Later tests need the index too, so it is applied once, here, and stays."""
    rows_before, [plan_before] = first_page(busy_pg, BUSY_TITLE)
    _, [quiet_before] = first_page(busy_pg, quiet_title())
    measured = {
        "plan_before": plan_before,
        "text_before": plans.plan_text(busy_pg.connection, plan_before["SQL"]),
        "ms_before": best_ms(busy_pg, plan_before),
        "ms_quiet_before": best_ms(busy_pg, quiet_before),
        "quiet_before": quiet_before,
    }
    migration = after.Migration("0002_message_conversation_sent_at", "messaging")
    state = MigrationLoader(busy_pg).project_state(("messaging", "0001_initial"))
    with busy_pg.schema_editor(atomic=False, collect_sql=False) as editor:
        migration.apply(state, editor)
    rows_after, [plan_after] = first_page(busy_pg, BUSY_TITLE)
    measured.update({
        "rows_same": [m.pk for m in rows_before] == [m.pk for m in rows_after],
        "plan_after": plan_after,
        "text_after": plans.plan_text(busy_pg.connection, plan_after["SQL"]),
        "ms_after": best_ms(busy_pg, plan_after),
    })
    return measured


def test_the_seeded_tables_have_the_promised_shape(busy_pg):
    messages = Message.objects.using(ALIAS)
    assert messages.count() == MESSAGES
    assert messages.filter(conversation=conversation(BUSY_TITLE)).count() == MESSAGES // 2
    assert messages.filter(conversation=conversation(quiet_title())).count() == QUIET
    assert Conversation.objects.using(ALIAS).count() == 100


def test_symptom_the_busy_conversations_first_page_is_far_slower_than_a_quiet_ones(index_fix):
    # Both pages hold 20 messages; the busy one was more than 10x slower before the index.
    assert index_fix["ms_before"] / index_fix["ms_quiet_before"] > AT_LEAST
    assert plans.rows_read(index_fix["quiet_before"], "messaging_message") == QUIET
    text = (f"| First page (20 messages) of | Messages in it | Time |\n| --- | ---: | --- |\n"
            f"| a quiet conversation | {QUIET:,} | baseline |\n"
            f"| the busy conversation | {MESSAGES // 2:,} | more than {AT_LEAST}x the baseline |\n")
    assert matches_recorded(f"{MEASURED}/first-page-symptom.md", text)


def test_before_the_fix_the_plan_reads_and_sorts_the_whole_conversation(index_fix):
    plan = index_fix["plan_before"]
    scan = message_table(plan)
    # The foreign key's index finds the conversation's rows, but not in the order of the page:
    # PostgreSQL reads all 50,000 of them and sorts them to keep 21.
    assert scan["Node Type"] == "Bitmap Heap Scan"
    assert "Sort" in plans.node_types(plan)
    assert next(n for n in plans.nodes(plan) if n["Node Type"] == "Sort")["Sort Method"] == "top-N heapsort"
    assert plans.rows_read(plan, "messaging_message") == MESSAGES // 2
    assert plan["Plan"]["Actual Rows"] == 21  # page size + 1, to know whether a next page exists
    assert matches_recorded(f"{MEASURED}/plan-first-page-before.md", f"``` text\n{index_fix['text_before']}\n```\n")


def test_after_the_fix_an_index_scan_reads_exactly_the_page(index_fix):
    plan = index_fix["plan_after"]
    scan = message_table(plan)
    assert (scan["Node Type"], scan["Scan Direction"], scan["Index Name"]) == ("Index Scan", "Backward", INDEX)
    assert "Sort" not in plans.node_types(plan)
    assert plans.rows_read(plan, "messaging_message") == 21
    assert index_fix["rows_same"]  # the same 20 messages, in the same order
    assert index_fix["ms_before"] / index_fix["ms_after"] > AT_LEAST
    assert matches_recorded(f"{MEASURED}/plan-first-page-after.md", f"``` text\n{index_fix['text_after']}\n```\n")


def test_the_migration_built_the_index_concurrently_and_valid(busy_pg, index_fix):
    with busy_pg.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = %s", [INDEX])
        [definition] = cursor.fetchone()
        cursor.execute("SELECT indisvalid FROM pg_index WHERE indexrelid = %s::regclass", [INDEX])
        [valid] = cursor.fetchone()
    assert definition.endswith("USING btree (conversation_id, sent_at, id)")
    assert valid  # a failed CREATE INDEX CONCURRENTLY leaves an INVALID index behind


@pytest.fixture(scope="module")
def deep_pages(busy_pg, index_fix):
    """Page 2000 of the busy conversation by page number (OFFSET) and by cursor (keyset).
    The cursor is the one the 1999th `next` link would carry: the position of the last message
    of page 1999."""
    offset_rows, offset_plans = page(busy_pg, BUSY_TITLE, before.MessagePagePagination(), page=DEEP_PAGE)
    _, first_offset_plans = page(busy_pg, BUSY_TITLE, before.MessagePagePagination(), page=1)
    paginator = after.CursorPagination()
    last_seen = conversation(BUSY_TITLE).messages.order_by("-sent_at", "-id")[(DEEP_PAGE - 1) * 20 - 1]
    cursor = encoded_cursor(paginator, last_seen)
    cursor_rows, [cursor_plan] = page(busy_pg, BUSY_TITLE, paginator, cursor=cursor)
    count_plan, offset_plan = offset_plans  # PageNumberPagination counts first, then slices
    return {
        "offset_rows": offset_rows, "cursor_rows": cursor_rows,
        "count": count_plan, "offset": offset_plan, "cursor": cursor_plan, "first_offset": first_offset_plans[1],
        "offset_text": plans.plan_text(busy_pg.connection, offset_plan["SQL"]),
        "cursor_text": plans.plan_text(busy_pg.connection, cursor_plan["SQL"]),
        "ms_offset": best_ms(busy_pg, offset_plan), "ms_first_offset": best_ms(busy_pg, first_offset_plans[1]),
        "ms_count": best_ms(busy_pg, count_plan), "ms_cursor": best_ms(busy_pg, cursor_plan),
    }


def encoded_cursor(paginator, message) -> str:
    """The cursor DRF puts in a `next` link after `message`: its position in the ordering."""
    paginator.base_url = "http://testserver/messages/"
    return cursor_in(paginator.encode_cursor(Cursor(offset=0, reverse=False, position=str(message.sent_at))))


def cursor_in(link: str) -> str:
    return parse_qs(urlsplit(link).query)["cursor"][0]


def test_the_constructed_cursor_is_the_one_drf_puts_in_its_next_links(busy_pg):
    """Follow three `next` links for real, and compare with the cursor built from the 60th message."""
    paginator, params = after.CursorPagination(), {}
    for _ in range(3):
        request = Request(APIRequestFactory().get("/messages/", params))
        paginator.paginate_queryset(conversation(BUSY_TITLE).messages.select_related("sender"), request)
        params = {"cursor": cursor_in(paginator.get_next_link())}
    sixtieth = conversation(BUSY_TITLE).messages.order_by("-sent_at", "-id")[59]
    assert params["cursor"] == encoded_cursor(after.CursorPagination(), sixtieth)


def test_both_paginations_return_the_same_deep_page(deep_pages):
    assert len(deep_pages["offset_rows"]) == 20
    assert [m.pk for m in deep_pages["offset_rows"]] == [m.pk for m in deep_pages["cursor_rows"]]


def test_offset_reads_every_row_before_the_page_and_the_cursor_reads_only_the_page(deep_pages):
    offset, cursor, count = deep_pages["offset"], deep_pages["cursor"], deep_pages["count"]
    assert message_table(offset)["Node Type"] == message_table(cursor)["Node Type"] == "Index Scan"
    assert plans.rows_read(offset, "messaging_message") == DEEP_PAGE * 20  # 39,980 skipped + 20 kept
    assert plans.rows_read(deep_pages["first_offset"], "messaging_message") == 20
    assert plans.rows_read(cursor, "messaging_message") == 21
    # PageNumberPagination also counts the whole conversation on every request, for "count".
    assert plans.rows_read(count, "messaging_message") == MESSAGES // 2
    assert deep_pages["ms_offset"] / deep_pages["ms_first_offset"] > AT_LEAST  # the symptom
    symptom = (f"| Page (20 messages each, newest first) | Time |\n| --- | --- |\n| `?page=1` | baseline |\n"
               f"| `?page={DEEP_PAGE}` | more than {AT_LEAST}x the baseline |\n")
    assert matches_recorded(f"{MEASURED}/deep-page-symptom.md", symptom)
    assert deep_pages["ms_offset"] / deep_pages["ms_cursor"] > AT_LEAST  # the result
    assert matches_recorded(f"{MEASURED}/plan-deep-offset.md", f"``` text\n{deep_pages['offset_text']}\n```\n")
    assert matches_recorded(f"{MEASURED}/plan-deep-cursor.md", f"``` text\n{deep_pages['cursor_text']}\n```\n")


def test_the_measured_results_table(index_fix, deep_pages):
    before_plan, after_plan = index_fix["plan_before"], index_fix["plan_after"]
    offset, cursor, count = deep_pages["offset"], deep_pages["cursor"], deep_pages["count"]

    def rows(plan):
        return f"{plans.rows_read(plan, 'messaging_message'):,}"

    table = [
        "| Request | Version | Plan on `messaging_message` | Rows read | Pages touched | Time |",
        "| --- | --- | --- | ---: | ---: | --- |",
        f"| First page, busy conversation | before: foreign key index only | {scan_label(before_plan)} + Sort "
        f"| {rows(before_plan)} | {plans.buffers(before_plan):,} | baseline |",
        f"| First page, busy conversation | after: `{INDEX}` | {scan_label(after_plan)} "
        f"| {rows(after_plan)} | {plans.buffers(after_plan):,} | more than {AT_LEAST}x faster |",
        f"| Page {DEEP_PAGE:,} | before: `?page={DEEP_PAGE}` (OFFSET) | {scan_label(offset)} "
        f"| {rows(offset)} | {plans.buffers(offset):,} | baseline |",
        f"| Page {DEEP_PAGE:,} | before: its `COUNT(*)`, on every page | {scan_label(count)} "
        f"| {rows(count)} | {plans.buffers(count):,} | |",
        f"| Page {DEEP_PAGE:,} | after: `?cursor=...` (keyset) | {scan_label(cursor)} "
        f"| {rows(cursor)} | {plans.buffers(cursor):,} | more than {AT_LEAST}x faster |",
    ]
    assert matches_recorded(f"{MEASURED}/plans-before-after.md", "\n".join(table) + "\n")


def scan_label(plan: dict) -> str:
    node = message_table(plan)
    direction = " Backward" if node.get("Scan Direction") == "Backward" else ""
    return f"{node['Node Type']}{direction}"
