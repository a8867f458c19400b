"""examples/django_project/compose.yaml: valid against the Compose Specification, and true to
what the Compose note says about it. Each rule is also run on a Compose file that breaks it.

The last tests start a real Celery worker and a real beat against Redis and run the two
healthcheck commands of the file, to prove they answer when the processes are up.
"""

from __future__ import annotations

import copy
import os
import re
import shlex
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from measurements import matches_recorded
from sitetools import ROOT

PROJECT = ROOT / "examples" / "django_project"
COMPOSE = PROJECT / "compose.yaml"
BIN = Path(sys.executable).parent
IMAGE = "nexus-django:1.0.0"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL", re.IGNORECASE)
URL_WITH_PASSWORD = re.compile(r"://[^/\s:@$]+:[^/\s@]+@")
REDIS_DB = 5  # this topic's database number in the shared test Redis


# --- the rules ----------------------------------------------------------------------------------


def long_running(service: dict) -> bool:
    return service.get("restart", "no") != "no"


def runs_the_image_command(service: dict) -> bool:
    """A service of the project's image that keeps the image's CMD (Gunicorn), so the image's
    HEALTHCHECK, an HTTP GET, applies to it."""
    return service.get("image") == IMAGE and "command" not in service


def healthcheck_problems(services: dict) -> list[str]:
    problems = []
    for name, service in services.items():
        if long_running(service) and "healthcheck" not in service and not runs_the_image_command(service):
            problems.append(f"{name}: long-running without a healthcheck")
        if (service.get("image") == IMAGE and "command" in service and long_running(service)
                and "healthcheck" not in service):
            problems.append(f"{name}: inherits the image's HTTP healthcheck but serves no HTTP")
    return problems


def dependency_problems(services: dict) -> list[str]:
    """Every dependency waits for health (a long-running service) or success (a one-off job)."""
    problems = []
    for name, service in services.items():
        depends_on = service.get("depends_on", {})
        if isinstance(depends_on, list):
            problems.append(f"{name}: depends_on without conditions waits for nothing but a start")
            continue
        for dependency, options in depends_on.items():
            wanted = "service_healthy" if long_running(services[dependency]) else "service_completed_successfully"
            if options.get("condition") != wanted:
                problems.append(f"{name} -> {dependency}: condition should be {wanted}")
    return problems


def volume_problems(document: dict) -> list[str]:
    problems = []
    declared = set(document.get("volumes") or {})
    for name, service in document["services"].items():
        for mount in service.get("volumes", []):
            source = mount["source"] if isinstance(mount, dict) else mount.split(":")[0]
            if source.startswith((".", "/", "~")):
                problems.append(f"{name}: bind mount {source}: data in a host folder, not a named volume")
            elif source not in declared:
                problems.append(f"{name}: volume {source} is not declared under volumes:")
    return problems


def image_problems(services: dict) -> list[str]:
    """The web server, the worker, beat and the migration job run one and the same image."""
    problems = []
    for name in ("web", "worker", "beat", "migrate"):
        if services.get(name, {}).get("image") != IMAGE:
            problems.append(f"{name}: not the project's image {IMAGE}")
    for name, service in services.items():
        image = service.get("image", "")
        if image.endswith(":latest") or ":" not in image:
            problems.append(f"{name}: image {image or '(none)'} is not pinned to a version")
    return problems


def secret_problems(document: dict) -> list[str]:
    """No secret value in the file: secret-named variables only point at /run/secrets files."""
    problems = []
    for name, service in document["services"].items():
        environment = service.get("environment", {})
        if isinstance(environment, list):
            environment = dict(item.split("=", 1) for item in environment)
        for key, value in environment.items():
            value = str(value)
            if SECRET_NAME.search(key) and not (key.endswith("_FILE") and value.startswith("/run/secrets/")):
                problems.append(f"{name}: {key} is given in the file")
            if URL_WITH_PASSWORD.search(value):
                problems.append(f"{name}: {key} holds a URL with a password")
    for name, secret in (document.get("secrets") or {}).items():
        if "file" not in secret and "environment" not in secret:
            problems.append(f"secret {name}: neither a file nor an environment variable")
    return problems


def beat_problems(services: dict) -> list[str]:
    beats = [name for name, service in services.items() if "beat" in service.get("command", [])]
    problems = [] if len(beats) == 1 else [f"{len(beats)} beat services: scheduled tasks would run {len(beats)} times"]
    for name in beats:
        if services[name].get("deploy", {}).get("replicas", 1) != 1 or services[name].get("scale", 1) != 1:
            problems.append(f"{name}: more than one beat container")
    return problems


def all_problems(document: dict) -> list[str]:
    services = document["services"]
    return (healthcheck_problems(services) + dependency_problems(services) + volume_problems(document)
            + image_problems(services) + secret_problems(document) + beat_problems(services))


# --- the real file ------------------------------------------------------------------------------


def test_the_file_validates_against_the_compose_specification():
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", COMPOSE],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_file_follows_every_rule_of_the_note(compose):
    assert all_problems(compose) == []


def test_the_stack_has_the_services_the_note_describes(compose):
    services = compose["services"]
    assert set(services) == {"db", "redis", "migrate", "web", "worker", "beat"}
    assert [name for name, service in services.items() if not long_running(service)] == ["migrate"]
    assert services["web"]["ports"] == ["127.0.0.1:8000:8000"]  # never published on every interface


def test_redis_is_a_7_4_release_with_the_fix_for_cve_2025_49844(compose):
    # The Lua use-after-free of CVE-2025-49844 (GHSA-4789-qfc9-5f9q) is fixed in 7.4 from 7.4.6
    # on; an exact pin older than that keeps the hole until someone moves the pin.
    pinned = re.fullmatch(r"redis:(\d+)\.(\d+)\.(\d+)", compose["services"]["redis"]["image"])
    major, minor, patch = map(int, pinned.groups())
    assert (major, minor) == (7, 4) and patch >= 6


def test_the_web_service_relies_on_the_image_healthcheck(compose, stages):
    assert "healthcheck" not in compose["services"]["web"]
    assert stages[-1].last("HEALTHCHECK") is not None


def test_worker_and_beat_are_pinged_over_the_broker(compose):
    services = compose["services"]
    worker = services["worker"]["healthcheck"]["test"]
    beat = services["beat"]["healthcheck"]["test"]
    assert worker == ["CMD-SHELL", "celery -A nexus inspect ping --destination celery@$$HOSTNAME --timeout 10"]
    assert beat == ["CMD-SHELL", "celery -A nexus inspect ping --destination celerybeat@$$HOSTNAME --timeout 10"]
    assert "--enable-remote-control" in services["beat"]["command"]


def test_secrets_come_from_files_and_configuration_from_the_env_file(compose):
    services = compose["services"]
    for name in ("web", "worker", "beat", "migrate"):
        assert services[name]["secrets"] == ["django_secret_key", "database_url"]
        assert services[name]["environment"] == {
            "DJANGO_SECRET_KEY_FILE": "/run/secrets/django_secret_key",
            "DATABASE_URL_FILE": "/run/secrets/database_url",
        }
        assert services[name]["env_file"] == [{"path": ".env", "required": True}]
    assert services["db"]["environment"] == {"POSTGRES_PASSWORD_FILE": "/run/secrets/postgres_password"}
    assert {secret["file"] for secret in compose["secrets"].values()} == {
        "./secrets/django_secret_key", "./secrets/database_url", "./secrets/postgres_password"}


def test_the_env_file_example_holds_configuration_only():
    names = [line.split("=", 1)[0].lstrip("# ") for line in (PROJECT / ".env.example").read_text().splitlines()
             if ("=" in line and not line.startswith("# ")) or line.startswith("# WEB_CONCURRENCY")]
    assert names and not [name for name in names if SECRET_NAME.search(name)]
    assert "DJANGO_ALLOWED_HOSTS" in names and "POSTGRES_USER" in names


def test_the_stop_grace_period_outlasts_gunicorn_graceful_timeout(compose):
    import runpy

    graceful = runpy.run_path(str(PROJECT / "docker" / "gunicorn.conf.py"))["graceful_timeout"]
    assert int(compose["services"]["web"]["stop_grace_period"].rstrip("s")) > graceful


def test_the_database_healthcheck_escapes_its_dollars_for_compose(compose):
    # $${POSTGRES_USER} reaches the container as ${POSTGRES_USER}: the shell there expands it.
    # A single $ would be replaced by Compose, from this machine's environment, before that.
    test = compose["services"]["db"]["healthcheck"]["test"][1]
    assert "$${POSTGRES_USER}" in test and re.search(r"(?<!\$)\$\{POSTGRES", test) is None


def start_waves(services: dict) -> list[list[str]]:
    """The order Compose starts the services in: each wave waits for the waves before it."""
    waves, placed = [], set()
    while len(placed) < len(services):
        wave = sorted(name for name, service in services.items()
                      if name not in placed and set(service.get("depends_on", {})) <= placed)
        if not wave:
            raise ValueError(f"a dependency cycle among {sorted(set(services) - placed)}")
        waves.append(wave)
        placed.update(wave)
    return waves


def test_the_start_order_compose_derives_from_the_conditions(compose):
    services = compose["services"]
    waves = start_waves(services)
    assert waves == [["db", "redis"], ["migrate"], ["beat", "web", "worker"]]
    rows = ["| Wave | Services | Starts when |", "| --- | --- | --- |"]
    for number, wave in enumerate(waves, start=1):
        conditions = sorted({f"`{dependency}` is {options['condition'].removeprefix('service_').replace('_', ' ')}"
                             for name in wave for dependency, options in services[name].get("depends_on", {}).items()})
        rows.append(f"| {number} | {', '.join(f'`{name}`' for name in wave)} | {'; '.join(conditions) or 'at once'} |")
    assert matches_recorded("examples/django_project/measured/docker-compose-start-order.md", "\n".join(rows) + "\n")
    with pytest.raises(ValueError, match="cycle"):
        start_waves({"a": {"depends_on": {"b": {}}}, "b": {"depends_on": {"a": {}}}})


# --- the rules fail on a file that breaks them ------------------------------------------------------


def broken(compose: dict) -> dict:
    document = copy.deepcopy(compose)
    services = document["services"]
    del services["worker"]["healthcheck"]  # a worker that inherits the image's HTTP check
    services["web"]["depends_on"] = ["db", "redis"]  # short syntax: waits for a start, not for health
    services["beat"]["depends_on"]["migrate"]["condition"] = "service_started"
    services["db"]["volumes"] = ["./pgdata:/var/lib/postgresql/data"]
    services["redis"]["volumes"] = ["cache:/data"]
    services["migrate"]["image"] = "nexus-django:0.9.0"
    services["redis"]["image"] = "redis:latest"
    services["db"]["environment"] = {"POSTGRES_PASSWORD": "hunter2"}
    services["web"]["environment"] = {"DATABASE_URL": "postgres://nexus:hunter2@db:5432/nexus"}
    services["beat2"] = copy.deepcopy(services["beat"])
    services["beat"]["deploy"] = {"replicas": 2}
    document["secrets"]["database_url"] = {"name": "somewhere"}
    return document


def test_each_rule_fails_on_a_file_that_breaks_it(compose):
    problems = "\n".join(all_problems(broken(compose)))
    for expected in [
        "worker: inherits the image's HTTP healthcheck but serves no HTTP",
        "web: depends_on without conditions",
        "beat -> migrate: condition should be service_completed_successfully",
        "db: bind mount ./pgdata",
        "redis: volume cache is not declared",
        "migrate: not the project's image",
        "redis: image redis:latest is not pinned",
        "db: POSTGRES_PASSWORD is given in the file",
        "web: DATABASE_URL holds a URL with a password",
        "2 beat services",
        "beat: more than one beat container",
        "secret database_url: neither a file nor an environment variable",
    ]:
        assert expected in problems
    lonely = {"services": {"cache": {"image": "redis:7.4.11", "restart": "always"}}}
    assert healthcheck_problems(lonely["services"]) == ["cache: long-running without a healthcheck"]
    started_only = {"a": {"depends_on": {"b": {"condition": "service_started"}}}, "b": {"restart": "always"}}
    assert dependency_problems(started_only) == ["a -> b: condition should be service_healthy"]


def test_the_schema_rejects_what_the_specification_does_not_allow(tmp_path):
    bad = tmp_path / "compose.yaml"
    bad.write_text(
        "services:\n  web:\n    image: nexus-django:1.0.0\n    depends_on:\n"
        "      db:\n        condition: service_healty\n  db:\n    image: postgres:15.18-trixie\n"
        "    restart: sometimes\n",
        encoding="utf-8",
    )
    result = subprocess.run([BIN / "check-jsonschema", "--builtin-schema", "vendor.compose-spec", bad],
                            capture_output=True, text=True, check=False)
    assert result.returncode != 0
    assert "service_healty" in result.stdout


# --- the Celery healthcheck commands, run against a real worker and beat -----------------------


def celery_environment(redis_url: str) -> dict[str, str]:
    env = {
        name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "CELERY_", "DATABASE_URL"))
    }
    env.update(PATH=f"{BIN}{os.pathsep}{env['PATH']}", DJANGO_SETTINGS_MODULE="nexus.settings",
               CELERY_BROKER_URL=redis_url, HOSTNAME=socket.gethostname())
    return env


def healthcheck_command(compose: dict, service: str) -> str:
    """The CMD-SHELL string of a service's healthcheck, as the container's shell receives it."""
    kind, command = compose["services"][service]["healthcheck"]["test"]
    assert kind == "CMD-SHELL"
    return command.replace("$$", "$")


def wait_for_line(process: subprocess.Popen, text: str, deadline: float = 60.0) -> None:
    """Read the process's log until a line contains text (the process tells when it is ready)."""
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        line = process.stdout.readline()
        if text in line:
            return
        if not line and process.poll() is not None:
            pytest.fail(f"the process exited with status {process.returncode} before saying {text!r}")
    pytest.fail(f"no {text!r} within {deadline:.0f} s")


@pytest.fixture
def redis_url(redis):
    import redis as redis_client

    url = redis.url(REDIS_DB)
    client = redis_client.Redis.from_url(url)
    client.flushdb()
    yield url
    client.flushdb()
    client.close()


def test_the_worker_and_beat_healthchecks_answer_when_the_processes_run(compose, redis_url, tmp_path):
    env = celery_environment(redis_url)
    worker_command = compose["services"]["worker"]["command"]
    beat_command = [word.replace("/tmp/", f"{tmp_path}/") for word in compose["services"]["beat"]["command"]]
    # The worker's prefork pool is not needed to answer a ping; solo starts faster.
    worker = subprocess.Popen([*worker_command, "--pool=solo"], cwd=PROJECT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    beat = subprocess.Popen(beat_command, cwd=PROJECT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        wait_for_line(worker, "ready.")
        wait_for_line(beat, "beat pidbox: Connected")
        # Both checks at once, as Docker would run them, each in its own container.
        checks = [subprocess.Popen(["/bin/sh", "-c", healthcheck_command(compose, service)], cwd=PROJECT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
                  for service in ("worker", "beat")]
        for check, node in zip(checks, ("celery@", "celerybeat@"), strict=True):
            output, _ = check.communicate(timeout=60)
            assert check.returncode == 0, output
            assert f"{node}{env['HOSTNAME']}: OK" in output and "pong" in output
    finally:
        for process in (worker, beat):
            process.kill()  # no task is running and nothing is scheduled: no warm shutdown needed
            process.wait(timeout=30)


def test_a_healthcheck_fails_when_nothing_answers(compose, redis_url):
    env = celery_environment(redis_url)
    # The worker's command, with a one-second wait instead of ten: nobody is there to answer.
    command = healthcheck_command(compose, "worker").replace("--timeout 10", "--timeout 1")
    result = subprocess.run(["/bin/sh", "-c", command], cwd=PROJECT, env=env, capture_output=True, text=True,
                            timeout=60, check=False)
    assert result.returncode != 0
    assert "No nodes replied" in result.stdout + result.stderr
    assert shlex.split(command)[:5] == ["celery", "-A", "nexus", "inspect", "ping"]
