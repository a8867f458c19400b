"""docs/concepts/asynchronous-programming.md: threads, processes and asyncio on I/O and CPU work.

Timings vary between machines and between runs, so the test asserts each claim with generous
bounds and records the speed-ups rounded to the nearest power of two (1x, 2x, 4x, 8x): that
coarse table is the same on every run on a machine with at least two free cores.
"""

from __future__ import annotations

import math
import os

import pytest

from concurrency.workloads import (
    crunch,
    crunch_async,
    in_processes,
    in_threads,
    on_the_event_loop,
    one_after_another,
    timed,
    wait_for_io,
    wait_for_io_async,
)
from measurements import matches_recorded

IO_TASKS, IO_DELAY = 8, 0.05  # eight waits of 50 ms: 0.4 s one after another
# Four computations of about 140 ms each: long enough that starting the process pool does not
# hide the speed-up of two processes (with half the work, CI measured under 1.4x).
CPU_TASKS, CPU_SIZE = 4, 2_000_000
PROCESS_WORKERS = 2  # the machine these notes were measured on has two cores


def fastest_of(rounds: int, ways: dict) -> dict[str, float]:
    """The fastest of a few runs of each way, taken in turns so that each way sees the same load:
    noise from other processes only ever adds time."""
    best = dict.fromkeys(ways, math.inf)
    for _ in range(rounds):
        for way, run in ways.items():
            best[way] = min(best[way], timed(run))
    return best


def nearest_power_of_two(ratio: float) -> int:
    return 2 ** max(0, round(math.log2(ratio)))


def test_results_are_the_same_whichever_way_the_work_runs():
    sizes = [1_000, 2_000, 3_000]
    expected = [crunch(n) for n in sizes]
    assert one_after_another(crunch, sizes) == expected
    assert in_threads(crunch, sizes, workers=3) == expected
    assert in_processes(crunch, sizes, workers=2) == expected
    assert on_the_event_loop(crunch_async, sizes) == expected
    assert on_the_event_loop(wait_for_io_async, [0, 0]) == [0, 0]


def measure_speedups() -> tuple[dict[str, float], dict[str, float]]:
    """Speed-up of each way over "one after another", for the waits and for the computations."""
    delays, sizes = [IO_DELAY] * IO_TASKS, [CPU_SIZE] * CPU_TASKS
    io = fastest_of(2, {
        "one after another": lambda: one_after_another(wait_for_io, delays),
        "threads": lambda: in_threads(wait_for_io, delays, workers=IO_TASKS),
        "processes": lambda: in_processes(wait_for_io, delays, workers=PROCESS_WORKERS),
        "asyncio": lambda: on_the_event_loop(wait_for_io_async, delays),
    })
    cpu = fastest_of(4, {
        "one after another": lambda: one_after_another(crunch, sizes),
        "threads": lambda: in_threads(crunch, sizes, workers=CPU_TASKS),
        "processes": lambda: in_processes(crunch, sizes, workers=PROCESS_WORKERS),
        "asyncio": lambda: on_the_event_loop(crunch_async, sizes),
    })
    return ({way: io["one after another"] / seconds for way, seconds in io.items()},
            {way: cpu["one after another"] / seconds for way, seconds in cpu.items()})


# The recorded table rounds each speed-up to the nearest power of two, and 2 ** 0.5 is where
# 1x turns into 2x (and 2 ** 2.5 where 4x turns into 8x): each claim below is bounded by those
# points, so a run that passes always records the same table.
ROUNDS_TO_2X, ROUNDS_TO_8X = 2 ** 0.5, 2 ** 2.5


def check_claims(io_speedup: dict[str, float], cpu_speedup: dict[str, float]) -> None:
    # Waiting overlaps: eight threads or eight tasks wait at the same time (ideal: 8x).
    assert io_speedup["threads"] > ROUNDS_TO_8X and io_speedup["asyncio"] > ROUNDS_TO_8X, io_speedup
    # Two processes wait two at a time, so they cannot beat 2x on eight waits.
    assert ROUNDS_TO_2X < io_speedup["processes"] < 2.5, io_speedup
    # Computing does not overlap in threads (the GIL) or on the loop (one thread).
    assert cpu_speedup["threads"] < ROUNDS_TO_2X and cpu_speedup["asyncio"] < ROUNDS_TO_2X, cpu_speedup
    # Two processes compute on two cores at once (ideal: 2x).
    assert cpu_speedup["processes"] > ROUNDS_TO_2X, cpu_speedup


@pytest.mark.serial
def test_threads_and_asyncio_speed_up_waiting_and_only_processes_speed_up_computing():
    cores = len(os.sched_getaffinity(0))
    assert cores >= PROCESS_WORKERS, "the CPU comparison needs two cores"
    # Parallel speed-ups need idle cores: more attempts absorb a burst of load from other
    # programs; if the machine stays saturated, the test says so instead of recording noise.
    for attempt in (1, 2, 3):
        io_speedup, cpu_speedup = measure_speedups()
        try:
            check_claims(io_speedup, cpu_speedup)
            break
        except AssertionError:
            load = os.getloadavg()[0]
            if attempt == 3 and load > cores:
                pytest.skip(f"the machine is too busy to measure parallel speed-ups (load {load:.1f} on {cores} cores)")
            if attempt == 3:
                raise

    rows = [("threads", f"{IO_TASKS} threads"), ("processes", f"{PROCESS_WORKERS} processes"),
            ("asyncio", "asyncio tasks")]
    table = (
        f"| Run with | {IO_TASKS} waits of {round(IO_DELAY * 1000)} ms (I/O-bound) "
        f"| {CPU_TASKS} pure-Python computations (CPU-bound) |\n"
        "| --- | --- | --- |\n"
        "| one after another | 1x (the baseline) | 1x (the baseline) |\n"
        + "".join(
            f"| {label} | about {nearest_power_of_two(io_speedup[way])}x "
            f"| about {nearest_power_of_two(cpu_speedup[way])}x |\n"
            for way, label in rows
        )
    )
    assert matches_recorded("examples/concurrency/measured/threads-processes-asyncio.md", table)
