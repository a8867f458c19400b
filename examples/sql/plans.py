"""Read PostgreSQL query plans from Python: the plan tree as JSON for assertions, the
text form for reading, and the server's own execution time for comparisons."""

from __future__ import annotations

import json
from collections.abc import Iterator

import psycopg

from sql import db


# --8<-- [start:load]
def load_plan_data(conn: psycopg.Connection) -> None:
    """200,000 bookings (perf/generate.sql), vacuumed and analyzed."""
    # The test server runs with synchronous_commit = off. VACUUM may only mark a
    # page all-visible once the inserting commit is on disk, so without this a
    # VACUUM right after the load leaves the visibility map empty.
    conn.execute("SET synchronous_commit = on")
    db.run(conn, "perf/schema.sql")
    db.run(conn, "perf/generate.sql")
    # A sample of 300 x 1000 rows covers the whole table: the statistics, and so
    # the planner's estimates, come out the same on every run.
    conn.execute("SET default_statistics_target = 1000")
    conn.execute("VACUUM ANALYZE users, properties, bookings")
    conn.execute("RESET default_statistics_target")


def steady_planner(conn: psycopg.Connection) -> None:
    """Settings that keep plans and their numbers the same from run to run."""
    conn.execute("SET max_parallel_workers_per_gather = 0")  # no per-worker row splits
    conn.execute("SET jit = off")                            # no compilation step
# --8<-- [end:load]


# --8<-- [start:explain]
def explain(conn: psycopg.Connection, sql: str) -> dict:
    """Run the statement under EXPLAIN ANALYZE and return the plan tree as JSON."""
    result = conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, FORMAT JSON) {sql}").fetchone()[0]
    document = result if isinstance(result, list) else json.loads(result)
    return document[0]


def nodes(plan: dict) -> Iterator[dict]:
    """Every node of the tree, parents before children."""
    stack = [plan.get("Plan", plan)]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.get("Plans", [])))


def node_types(plan: dict) -> list[str]:
    return [node["Node Type"] for node in nodes(plan)]


def label(node: dict) -> str:
    """A node's name as the text format of EXPLAIN prints it."""
    kind = node["Node Type"]
    if kind == "Aggregate":
        kind = {"Hashed": "HashAggregate", "Sorted": "GroupAggregate"}.get(node.get("Strategy"), kind)
    elif node.get("Join Type", "Inner") != "Inner":
        kind = kind.replace(" Join", "") + f" {node['Join Type']} Join"
    if "Relation Name" in node:
        kind = f"{kind} on {node['Relation Name']}"
    if node.get("Parent Relationship") == "SubPlan":  # run from an expression, not joined
        kind = f"{node['Subplan Name']}: {kind}"
    return kind


def outline(plan: dict) -> str:
    """The plan's nodes in one line, top node first."""
    return ", ".join(label(node) for node in nodes(plan))


def scanned(plan: dict) -> list[str]:
    """The tables the executor read, in plan order."""
    return [node["Relation Name"] for node in nodes(plan) if "Relation Name" in node]


def rows_read(plan: dict, table: str) -> int:
    """Rows the scans of `table` looked at: those they returned plus those a filter threw away."""
    # EXPLAIN reports both counts per loop (averaged over the node's loops).
    return sum((node["Actual Rows"] + node.get("Rows Removed by Filter", 0)) * node["Actual Loops"]
               for node in nodes(plan) if node.get("Relation Name") == table)


def buffers(plan: dict) -> int:
    """8 kB pages the whole statement touched, found in shared buffers or read in."""
    top = plan["Plan"]
    return top["Shared Hit Blocks"] + top["Shared Read Blocks"]


def best_time_ms(conn: psycopg.Connection, sql: str, runs: int = 5) -> float:
    """The fastest of several server-side execution times: the run least disturbed
    by whatever else the machine was doing."""
    return min(explain(conn, sql)["Execution Time"] for _ in range(runs))
# --8<-- [end:explain]


# --8<-- [start:text]
def plan_text(conn: psycopg.Connection, sql: str) -> str:
    """EXPLAIN ANALYZE as psql prints it, without the numbers that change from run to
    run: TIMING OFF drops per-node times, SUMMARY OFF the total times, and the
    "Planning:" buffer counts (which depend on the catalog cache) are cut off."""
    conn.execute(sql).fetchall()  # a first run puts every page in shared buffers
    lines = [row[0] for row in conn.execute(f"EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, SUMMARY OFF) {sql}")]
    if "Planning:" in lines:
        lines = lines[:lines.index("Planning:")]
    return "\n".join(lines)
# --8<-- [end:text]
