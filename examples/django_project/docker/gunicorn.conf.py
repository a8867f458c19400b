"""Gunicorn settings for the container image (docs/technologies/docker/index.md).

The image starts `gunicorn --config docker/gunicorn.conf.py nexus.wsgi`. Gunicorn executes this
file and reads every module-level name that matches one of its settings, and each value below
can be changed per deployment through the environment, without rebuilding the image.
examples/deploy/gunicorn.conf.py (the Deployment note) runs the same server on a virtual
machine; this file adds what a container changes: how many CPUs there really are, where the
worker heartbeat files go, and how long a stop may take.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

CGROUP_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")


# --8<-- [start:workers]
def cpu_limit(cpu_max: Path = CGROUP_CPU_MAX) -> float | None:
    """The container's CPU limit from cgroup v2's cpu.max: "<quota> <period>" in microseconds,
    or "max <period>" without a limit. None when there is no limit or no such file."""
    try:
        quota, period = cpu_max.read_text(encoding="ascii").split()
    except (OSError, ValueError):
        return None
    return None if quota == "max" else int(quota) / int(period)


def usable_cpus(cpu_max: Path = CGROUP_CPU_MAX) -> int:
    """The CPUs this process may run on, capped by the CPU limit. os.cpu_count() would count
    the host's CPUs: 33 workers on a 16-core node for a container limited to one CPU."""
    affinity = getattr(os, "sched_getaffinity", None)  # Linux only, like the image
    cpus = len(affinity(0)) if affinity else (os.cpu_count() or 1)
    limit = cpu_limit(cpu_max)
    return cpus if limit is None else min(cpus, max(1, math.ceil(limit)))


def worker_count(cpus: int) -> int:
    """Gunicorn's documented starting point: (2 x cores) + 1, to be tuned under real load."""
    return 2 * cpus + 1


# WEB_CONCURRENCY (the variable Gunicorn itself reads for its default) wins when it is set.
workers = int(os.environ.get("WEB_CONCURRENCY") or worker_count(usable_cpus()))
# --8<-- [end:workers]

# --8<-- [start:server]
# All interfaces: traffic arrives from outside the container. GUNICORN_BIND replaces it whole.
bind = os.environ.get("GUNICORN_BIND") or f"0.0.0.0:{os.environ.get('PORT', '8000')}"
worker_tmp_dir = "/dev/shm"  # heartbeat files on tmpfs, so a slow disk cannot stall a worker (Gunicorn's FAQ)
control_socket_disable = True  # Gunicorn 25.1+: $XDG_RUNTIME_DIR (unset here) or $HOME (this user has none)
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))  # a worker silent this long is killed and replaced
# On SIGTERM, in-flight requests get this long to finish. It must stay below the time the
# platform waits before SIGKILL: Compose's stop_grace_period and Kubernetes'
# terminationGracePeriodSeconds, both 30 s in this knowledge base's files.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "25"))
max_requests = 1000  # recycle a worker after this many requests (bounds slow memory leaks)...
max_requests_jitter = 100  # ...give or take up to 100, so the workers do not all restart together
accesslog = "-"  # logs to standard output and error: the container runtime collects them
errorlog = "-"
# --8<-- [end:server]
