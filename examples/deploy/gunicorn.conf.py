"""Gunicorn settings for the example project.

A Gunicorn config file is plain Python: Gunicorn runs it and reads every module-level name
that matches one of its settings. Start the server from examples/django_project with

    gunicorn -c ../deploy/gunicorn.conf.py nexus.wsgi

Options on the command line win over this file, so a platform can still say
`--bind 0.0.0.0:$PORT` without editing it.
"""

import os


# --8<-- [start:workers]
def worker_count(cores: int | None = None) -> int:
    """Gunicorn's documented starting point: (2 x cores) + 1.

    The reasoning in Gunicorn's design notes: per core, one worker is reading or writing on
    a socket while another is processing a request. It is a first guess, not a law: tune it
    under real load, and remember that every worker holds its own copy of the application.
    """
    cores = cores if cores is not None else (os.cpu_count() or 1)
    return 2 * cores + 1


# WEB_CONCURRENCY, when set, wins: inside a container os.cpu_count() reports the host's
# CPUs, not the slice the platform gives you, and the formula would start far too many.
workers = int(os.environ.get("WEB_CONCURRENCY") or worker_count())
# --8<-- [end:workers]

# --8<-- [start:server]
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")  # the VM unit sets a Unix socket
timeout = 30  # a worker silent for longer is killed and replaced (Nginx waits 35 s)
graceful_timeout = 30  # on restart or reload, in-flight requests get this long to finish
max_requests = 1000  # recycle a worker after this many requests (bounds slow memory leaks)
max_requests_jitter = 100  # ...give or take a random 0-100, so workers do not restart together
accesslog = "-"  # access log to standard output
errorlog = "-"  # Gunicorn's own messages to standard error
# --8<-- [end:server]
