"""gather propagates the first error and leaves siblings running; TaskGroup cancels them."""

import asyncio

from async_io.gather_vs_taskgroup import with_gather, with_gather_collecting, with_task_group
from measurements import matches_recorded


def test_gather_raises_the_first_error_and_the_sibling_keeps_running():
    log = []
    error = asyncio.run(with_gather(log))
    assert type(error) is ValueError  # the task's own exception, not wrapped
    assert log == ["gather raised: bad failed", "slow finished"]


def test_gather_with_return_exceptions_returns_errors_as_results():
    good, bad = asyncio.run(with_gather_collecting())
    assert good == "good"
    assert isinstance(bad, ValueError) and str(bad) == "bad failed"


def test_task_group_cancels_the_sibling_then_raises_an_exception_group():
    log = []
    group = asyncio.run(with_task_group(log))
    assert isinstance(group, ExceptionGroup)
    assert [type(error) for error in group.exceptions] == [ValueError]
    assert log == ["slow cancelled", "TaskGroup raised: ['bad failed']"]


def test_render_the_comparison():
    gather_log, group_log = [], []
    gather_error = asyncio.run(with_gather(gather_log))
    group_error = asyncio.run(with_task_group(group_log))

    def fate(log):
        return "finished" if "slow finished" in log else "cancelled"

    table = (
        "| When `bad` fails | `asyncio.gather` | `asyncio.TaskGroup` |\n"
        "| --- | --- | --- |\n"
        f"| The caller catches | `{type(gather_error).__name__}` | `{type(group_error).__name__}` |\n"
        f"| The sibling task `slow` is | {fate(gather_log)} | {fate(group_log)} |\n"
    )
    assert matches_recorded("examples/async_io/measured/gather-vs-taskgroup.md", table)
