"""The push notifier before and after (docs/challenges/debugging-async-code.md): what each
version delivers, what asyncio's debug mode reports about it, and how long one message to
five recipients takes.

The stand-in push service answers after LATENCY seconds; the timing claims are bounds that
follow from that (five blocking calls in a row take at least 5 x LATENCY), asserted here and
recorded as the bounds, never as the measured times.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import subprocess
import sys
import sysconfig
import urllib.error
import warnings

import pytest

from challenges.async_debugging import after, diagnose
from challenges.async_debugging.gateway import LATENCY, running_gateway, send_push
from measurements import matches_recorded
from sitetools import ROOT

MEASURED = "examples/challenges/async_debugging/measured"
SLOW = "Executing %s took %.3f seconds"  # asyncio's slow-callback message, before formatting


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def run_in_debug_mode(version: str) -> dict:
    """One message through `version` with asyncio.run(debug=True), collecting what debug mode
    reports: records of the asyncio logger and of the app's logger, and every warning."""
    collect, loggers = Collect(), [logging.getLogger("asyncio"), logging.getLogger("nexus.notifications")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.addHandler(collect)
        logger.setLevel(logging.WARNING)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")  # every occurrence, not once per line of code
            outcome = diagnose.run(version, debug=True)
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.removeHandler(collect)
            logger.setLevel(level)
    records = collect.records
    return {
        **outcome,
        "slow": [record for record in records if record.msg == SLOW],
        "never_retrieved": [record for record in records
                            if record.getMessage().startswith("Task exception was never retrieved\n")],
        "app_errors": [record for record in records if record.name == "nexus.notifications"],
        "never_awaited": [str(w.message) for w in caught if issubclass(w.category, RuntimeWarning)
                          and "was never awaited" in str(w.message)],
    }


@pytest.fixture(scope="module")
def before():
    return run_in_debug_mode("before")


@pytest.fixture(scope="module")
def fixed():
    return run_in_debug_mode("after")


def test_symptom_before_one_push_is_lost_and_no_delivery_is_recorded(before):
    assert before["accepted"] == ["bob", "carol", "erin", "frank"]  # dave's push failed...
    assert before["delivered"] == []  # ...and no delivery at all reached the queue


def test_debug_mode_reports_each_blocking_step_as_a_slow_callback(before):
    # One per notify task: its single step ran the whole blocking HTTP call.
    assert len(before["slow"]) == len(diagnose.RECIPIENTS)
    for record in before["slow"]:
        task, seconds = record.args
        assert "coro=<notify() done" in task and seconds >= LATENCY


def test_the_forgotten_await_is_a_runtime_warning_that_says_where_the_coroutine_was_made(before):
    # Four: dave's task raised before it reached the put() line.
    assert len(before["never_awaited"]) == 4
    for message in before["never_awaited"]:
        assert message.startswith("coroutine 'Queue.put' was never awaited\nCoroutine created at")
        assert re.search(r'before\.py", line \d+, in notify\n\s+delivered\.put\(recipient\)', message)


def test_the_lost_exception_surfaces_only_as_a_log_line_when_the_task_is_destroyed(before):
    [record] = before["never_retrieved"]
    assert record.levelno == logging.ERROR
    error = record.exc_info[1]
    assert isinstance(error, urllib.error.HTTPError) and error.code == 503


def test_after_the_fix_every_reachable_recipient_is_delivered_and_the_failure_is_logged(fixed):
    assert fixed["accepted"] == ["bob", "carol", "erin", "frank"]
    assert fixed["delivered"] == ["bob", "carol", "erin", "frank"]
    assert fixed["slow"] == [] and fixed["never_awaited"] == [] and fixed["never_retrieved"] == []
    [record] = fixed["app_errors"]
    assert record.getMessage() == "Push notification failed: push to dave"
    assert isinstance(record.exc_info[1], urllib.error.HTTPError)
    assert after.background_tasks == set()  # every reference was released once its task was done


def test_the_measured_result(before, fixed):
    # Five blocking calls in a row cannot take less than five latencies; five at once take about one
    # (the bound leaves room for a slow machine).
    assert before["seconds"] >= len(diagnose.RECIPIENTS) * LATENCY
    assert fixed["seconds"] < 2.5 * LATENCY
    assert before["seconds"] / fixed["seconds"] > 2
    rows = [
        ("Pushes accepted by the service", len(before["accepted"]), len(fixed["accepted"])),
        ("Deliveries recorded in the queue", len(before["delivered"]), len(fixed["delivered"])),
        ("Failed pushes reported by the app's own log", len(before["app_errors"]), len(fixed["app_errors"])),
        ("asyncio: slow callbacks (a step of 0.1 s or longer)", len(before["slow"]), len(fixed["slow"])),
        ("`RuntimeWarning`: coroutine never awaited", len(before["never_awaited"]), len(fixed["never_awaited"])),
        ("asyncio: task exception never retrieved", len(before["never_retrieved"]), len(fixed["never_retrieved"])),
        ("Wall time, one message to 5 recipients (L = the service's 0.1 s latency)",
         "at least 5 × L", "under 2.5 × L (more than 2x faster)"),
    ]
    table = ["| Observed with `asyncio.run(..., debug=True)` | Before | After |", "| --- | ---: | ---: |",
             *(f"| {label} | {was} | {now} |" for label, was, now in rows)]
    assert matches_recorded(f"{MEASURED}/before-after.md", "\n".join(table) + "\n")


# --- what a developer sees: the debug run in a terminal -------------------------------------------

STDLIB = sysconfig.get_paths()["stdlib"]
FRAME = re.compile(r'^(?P<indent>\s*)File "(?P<path>[^"]+)", line \d+, in .+$')


def normalise(stderr: str) -> str:
    """Stable text from a real stderr: paths relative to the repository, frames of the standard
    library (whose line numbers change between Python releases) folded into one line, and
    durations and memory addresses replaced."""
    lines, kept, folded = stderr.splitlines(), [], 0
    index = 0
    while index < len(lines):
        frame = FRAME.match(lines[index])
        if frame and not frame.group("path").startswith(str(ROOT)):
            folded += 1
            index += 1
            while index < len(lines) and lines[index].startswith(frame.group("indent") + "  "):
                index += 1  # the frame's source line and its ^^^ markers
            continue
        if folded:
            kept.append(f"{frame.group('indent') if frame else '  '}[{folded} frame{'s' * (folded > 1)} "
                        "of the standard library]")
            folded = 0
        kept.append(lines[index])
        index += 1
    text = "\n".join(kept)
    text = text.replace(f"{ROOT}/", "")
    text = re.sub(re.escape(STDLIB) + r"/([\w/]+\.py):\d+", r"<stdlib>/\1", text)
    text = re.sub(r"took \d+\.\d+ seconds", "took N.NNN seconds", text)
    return re.sub(r"0x[0-9a-f]+", "0x...", text)


def test_normalise_folds_standard_library_frames_and_hides_what_varies():
    raw = (f'Traceback (most recent call last):\n  File "{ROOT}/examples/x.py", line 3, in f\n    g()\n'
           f'  File "{STDLIB}/asyncio/events.py", line 80, in _run\n    self._context.run()\n'
           f'  File "<frozen runpy>", line 88, in _run_code\n'
           f'  File "{ROOT}/examples/y.py", line 9, in g\n    boom()\n'
           f'Executing <Task created at {STDLIB}/asyncio/tasks.py:384> at 0x7f00 took 0.104 seconds\n'
           f'  File "{STDLIB}/asyncio/events.py", line 80, in _run')
    assert normalise(raw) == (
        'Traceback (most recent call last):\n  File "examples/x.py", line 3, in f\n    g()\n'
        '  [2 frames of the standard library]\n  File "examples/y.py", line 9, in g\n    boom()\n'
        'Executing <Task created at <stdlib>/asyncio/tasks.py> at 0x... took N.NNN seconds')


def run_diagnose(version: str, debug: bool = True) -> subprocess.CompletedProcess:
    """The command the note shows, in a fresh Python: PYTHONASYNCIODEBUG=1 python -m ..."""
    unset = ("COV_", "PYTHONWARNINGS", "PYTHONASYNCIODEBUG", "PYTHONDEVMODE")
    env = {key: value for key, value in os.environ.items() if not key.startswith(unset)}
    return subprocess.run([sys.executable, "-m", "challenges.async_debugging.diagnose", version],
                          cwd=ROOT / "examples", env={**env, **({"PYTHONASYNCIODEBUG": "1"} if debug else {})},
                          capture_output=True, text=True, timeout=60, check=True)


def test_without_debug_mode_two_messages_appear_and_the_blocking_call_leaves_no_trace():
    result = run_diagnose("before", debug=False)
    assert re.fullmatch(r"before: 4 of 5 pushes accepted, 0 deliveries recorded, took \d+\.\d+ s\n", result.stdout)
    text = normalise(result.stderr)
    assert text.count("RuntimeWarning: coroutine 'Queue.put' was never awaited") == 1  # of four: once per line
    assert text.count("Task exception was never retrieved") == 1
    # What only debug mode adds: slow callbacks, and where coroutines and tasks were created.
    assert "Executing" not in text and "Coroutine created at" not in text and "source_traceback" not in text
    assert matches_recorded(f"{MEASURED}/debug-off.md", f"``` text\n{text}\n```\n")


def test_the_debug_run_of_the_first_version_in_a_terminal():
    result = run_diagnose("before")
    assert re.fullmatch(r"before: 4 of 5 pushes accepted, 0 deliveries recorded, took \d+\.\d+ s\n", result.stdout)
    text = normalise(result.stderr)
    warning, rest = text.split("\nExecuting ", 1)
    slow, lost = ("Executing " + rest).split("\nTask exception was never retrieved\n")
    # Python prints a warning once per line of code by default: one of the four coroutines.
    assert warning.count("RuntimeWarning: coroutine 'Queue.put' was never awaited") == 1
    assert slow.count("Executing <Task finished name='Task-") == 5
    assert "exception=<HTTPError 503: 'Service Unavailable'>" in lost
    assert matches_recorded(f"{MEASURED}/debug-never-awaited.md", f"``` text\n{warning}\n```\n")
    assert matches_recorded(f"{MEASURED}/debug-slow-callbacks.md", f"``` text\n{slow}\n```\n")
    assert matches_recorded(f"{MEASURED}/debug-never-retrieved.md",
                            f"``` text\nTask exception was never retrieved\n{lost}\n```\n")


def test_the_debug_run_of_the_fixed_version_in_a_terminal():
    result = run_diagnose("after")
    assert re.fullmatch(r"after: 4 of 5 pushes accepted, 4 deliveries recorded, took \d+\.\d+ s\n", result.stdout)
    text = normalise(result.stderr)
    assert text.startswith("Push notification failed: push to dave\nTraceback (most recent call last):")
    assert "Executing" not in text and "never" not in text
    assert matches_recorded(f"{MEASURED}/debug-after.md", f"``` text\n{text}\n```\n")


def test_main_prints_the_outcome(capsys):
    assert diagnose.main(["after"]) == 0
    assert capsys.readouterr().out.startswith("after: 4 of 5 pushes accepted, 4 deliveries recorded, took ")


# --- the pieces on their own ----------------------------------------------------------------------

def test_serve_one_message_returns_at_once_when_the_handler_starts_nothing():
    async def handler(url, message_id, recipients, delivered):
        await delivered.put("sent inline")

    seconds, delivered = asyncio.run(diagnose.serve_one_message(handler, "http://127.0.0.1:9/unused"))
    assert delivered == ["sent inline"] and seconds < LATENCY


def test_a_cancelled_background_task_is_released_without_an_error_log(caplog):
    async def main():
        task = asyncio.create_task(asyncio.sleep(60))
        after.background_tasks.add(task)
        task.add_done_callback(after.finished)
        task.cancel()
        await asyncio.wait({task})

    with caplog.at_level(logging.ERROR, logger="nexus.notifications"):
        asyncio.run(main())
    assert after.background_tasks == set() and caplog.records == []


def test_send_push_raises_for_a_refused_push_and_the_service_records_accepted_ones():
    with running_gateway(frozenset({"dave"})) as gateway:
        send_push(gateway.url, "bob", 1)
        with pytest.raises(urllib.error.HTTPError, match="503"):
            send_push(gateway.url, "dave", 1)
    assert gateway.accepted == ["bob"]
