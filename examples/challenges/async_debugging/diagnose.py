"""Run one version of the notifier the way a long-running server would, and report what happened.

    PYTHONASYNCIODEBUG=1 python -m challenges.async_debugging.diagnose before

(run from examples/) sends one message to five recipients through the stand-in push service,
keeps the event loop running until every task it started has finished, and prints what reached
the service and the delivery queue. With asyncio's debug mode on, the event loop also reports
slow callbacks, and coroutines and tasks remember where they were created.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import sys
import time
from collections.abc import Awaitable, Callable

from challenges.async_debugging.gateway import running_gateway

RECIPIENTS = ["bob", "carol", "dave", "erin", "frank"]
UNREACHABLE = frozenset({"dave"})  # the service answers 503 for dave
MESSAGE_ID = 42

Handler = Callable[[str, int, list[str], asyncio.Queue], Awaitable[None]]


# --8<-- [start:serve]
async def serve_one_message(on_message_sent: Handler, url: str) -> tuple[float, list[str]]:
    """Call the handler for one new message, then wait, as a server that keeps running would,
    until every task it started is done. Returns the seconds that took and what was delivered."""
    delivered: asyncio.Queue = asyncio.Queue()
    started = time.perf_counter()
    await on_message_sent(url, MESSAGE_ID, RECIPIENTS, delivered)
    others = asyncio.all_tasks() - {asyncio.current_task()}
    if others:
        await asyncio.wait(others)  # unlike gather(), wait() never looks at the tasks' exceptions
    elapsed = time.perf_counter() - started
    return elapsed, [delivered.get_nowait() for _ in range(delivered.qsize())]


def run(version: str, debug: bool | None = None) -> dict:
    """One message through `challenges.async_debugging.<version>`, against a fresh service.
    debug=None leaves the choice to the environment (PYTHONASYNCIODEBUG=1, or python -X dev)."""
    module = importlib.import_module(f"challenges.async_debugging.{version}")
    with running_gateway(UNREACHABLE) as gateway:
        seconds, delivered = asyncio.run(serve_one_message(module.on_message_sent, gateway.url), debug=debug)
        gc.collect()  # a task whose exception nobody retrieved reports it when it is destroyed
        return {"seconds": seconds, "accepted": sorted(gateway.accepted), "delivered": sorted(delivered)}
# --8<-- [end:serve]


def main(argv: list[str]) -> int:
    [version] = argv
    outcome = run(version)
    print(f"{version}: {len(outcome['accepted'])} of {len(RECIPIENTS)} pushes accepted, "
          f"{len(outcome['delivered'])} deliveries recorded, took {outcome['seconds']:.2f} s", flush=True)
    return 0


if __name__ == "__main__":  # pragma: no cover (the tests run it as a subprocess, outside coverage)
    sys.exit(main(sys.argv[1:]))
