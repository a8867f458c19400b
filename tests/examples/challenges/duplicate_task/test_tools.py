"""The two waiting helpers of the case give up with TimeoutError instead of hanging a test run."""

from __future__ import annotations

import pytest

from challenges.duplicate_task.investigate import DeliveryLog
from challenges.duplicate_task.redelivery import Acknowledgements


def test_delivery_log_times_out_when_no_task_ends():
    with DeliveryLog() as log, pytest.raises(TimeoutError, match="0 of 1 task runs ended"):
        log.wait_for(1, timeout=0)


def test_acknowledgements_time_out_when_nothing_is_acknowledged():
    with Acknowledgements() as acks, pytest.raises(TimeoutError, match="0 of 1 acknowledgements"):
        acks.wait_for(1, timeout=0)
