"""time.sleep in a coroutine serializes everything; asyncio.sleep and to_thread do not."""

import asyncio

from async_io.blocking import blocking_nap, polite_nap, run_together, threaded_nap
from measurements import matches_recorded

DELAY = 0.1
COUNT = 4


def test_blocking_versus_awaiting_versus_a_thread():
    elapsed = {
        nap.__name__: asyncio.run(run_together(nap, DELAY, COUNT)) for nap in (blocking_nap, polite_nap, threaded_nap)
    }
    # The invariants the note states, with room for a slow machine:
    assert elapsed["blocking_nap"] >= COUNT * DELAY * 0.95  # one after another
    assert elapsed["polite_nap"] < 2 * DELAY  # all at once
    assert elapsed["threaded_nap"] < 2 * DELAY  # all at once, in worker threads
    # Rendered coarsely (whole multiples of the delay) so the recorded text is stable.
    rows = {
        "blocking_nap": "`time.sleep(d)`",
        "polite_nap": "`await asyncio.sleep(d)`",
        "threaded_nap": "`await asyncio.to_thread(time.sleep, d)`",
    }
    table = (
        f"| {COUNT} tasks, each doing | Wall-clock time for all {COUNT} |\n"
        "| --- | --- |\n"
        + "".join(f"| {label} | about {round(elapsed[name] / DELAY)} × d |\n" for name, label in rows.items())
    )
    assert matches_recorded("examples/async_io/measured/blocking.md", table)
