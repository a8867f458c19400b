"""How the duplicate was found: what the worker says about every task it runs.

DeliveryLog connects receivers to Celery's task_prerun and task_postrun signals, which the worker
sends around every execution of every task, in the worker's own process. Each line says which
task id ran, for which arguments, on which attempt, and how the broker delivered it. The tests
also use it to wait, without sleeping, until a given number of runs have finished.
"""

from __future__ import annotations

import logging
import threading

from celery.signals import task_postrun, task_prerun

logger = logging.getLogger("challenges.duplicate_task")


# --8<-- [start:delivery_log]
class DeliveryLog:
    """Log every task run the worker starts and ends: task id, arguments, attempt, delivery."""

    def __init__(self) -> None:
        self.finished: list[tuple[str, object]] = []  # (task id, return value), in order
        self._changed = threading.Condition()

    def on_prerun(self, task_id, task, args, **kwargs) -> None:
        request = task.request
        delivery = request.delivery_info or {}
        logger.info("start %s[%s] args=%s attempt=%d queue=%s redelivered=%s", task.name, task_id,
                    list(args), request.retries + 1, delivery.get("routing_key"), bool(delivery.get("redelivered")))

    def on_postrun(self, task_id, task, retval, state, **kwargs) -> None:
        logger.info("end   %s[%s] %s %s", task.name, task_id, state, retval)
        with self._changed:
            self.finished.append((task_id, retval))
            self._changed.notify_all()

    def __enter__(self) -> DeliveryLog:
        task_prerun.connect(self.on_prerun, weak=False)
        task_postrun.connect(self.on_postrun, weak=False)
        return self

    def __exit__(self, *exc_info) -> None:
        task_prerun.disconnect(self.on_prerun)
        task_postrun.disconnect(self.on_postrun)
# --8<-- [end:delivery_log]

    def wait_for(self, runs: int, timeout: float = 10.0) -> list[tuple[str, object]]:
        """Block until `runs` task runs have ended (the worker thread notifies); then return them."""
        with self._changed:
            if not self._changed.wait_for(lambda: len(self.finished) >= runs, timeout):
                raise TimeoutError(f"{len(self.finished)} of {runs} task runs ended within {timeout} s")
            return list(self.finished)
