"""retry() backs off exponentially, gives up after `attempts`, and retries only what it should."""

import pytest

from decorators.retry import retry


class Flaky:
    """Fails with the given errors in order, then returns 'ok'."""

    def __init__(self, *errors):
        self.errors = list(errors)
        self.calls = 0

    def __call__(self):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return "ok"


def test_succeeds_after_transient_failures_with_doubling_delays():
    delays = []
    flaky = Flaky(ConnectionError("reset"), TimeoutError("slow"))
    fetch = retry(attempts=3, base_delay=0.1, sleep=delays.append)(flaky)
    assert fetch() == "ok"
    assert flaky.calls == 3
    assert delays == [0.1, 0.2]  # no real sleeping: the test ran instantly


def test_gives_up_after_the_last_attempt_and_raises_the_last_error():
    delays = []
    flaky = Flaky(*(ConnectionError(f"try {n}") for n in range(1, 6)))
    fetch = retry(attempts=4, base_delay=0.5, sleep=delays.append)(flaky)
    with pytest.raises(ConnectionError, match="try 4"):
        fetch()
    assert flaky.calls == 4
    assert delays == [0.5, 1.0, 2.0]  # three waits between four attempts


def test_delay_is_capped_at_max_delay():
    delays = []
    flaky = Flaky(*(TimeoutError() for _ in range(5)))
    retry(attempts=6, base_delay=1, factor=3, max_delay=5, sleep=delays.append)(flaky)()
    assert delays == [1, 3, 5, 5, 5]


def test_errors_that_are_not_transient_are_not_retried():
    delays = []
    flaky = Flaky(ValueError("bad request"))
    fetch = retry(attempts=3, sleep=delays.append)(flaky)
    with pytest.raises(ValueError, match="bad request"):
        fetch()
    assert flaky.calls == 1
    assert delays == []


def test_attempts_must_be_positive():
    with pytest.raises(ValueError, match="at least 1"):
        retry(attempts=0)


def test_keeps_the_wrapped_functions_name():
    @retry(sleep=lambda _: None)
    def fetch_rates():
        return {}

    assert fetch_rates.__name__ == "fetch_rates"
