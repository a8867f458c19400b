"""The image's run-time pieces, run on this machine instead of in a container.

- docker/gunicorn.conf.py: how many workers for which CPU limit, and the container settings;
- docker/entrypoint.sh: secret files become variables, and the command replaces the shell;
- the web process exactly as the image starts it (ENTRYPOINT + CMD, the image's ENV, the
  production settings, static files collected by the Dockerfile's own RUN line) against a real
  PostgreSQL, probed the way Docker's HEALTHCHECK and Kubernetes' probes probe it.

The paths /app and /opt/venv of the image become this checkout and its virtual environment;
Gunicorn listens on 127.0.0.1 instead of 0.0.0.0 (GUNICORN_BIND); nothing else changes.
"""

from __future__ import annotations

import http.client
import json
import os
import runpy
import secrets
import signal
import subprocess
import time
from pathlib import Path

import pytest

from measurements import matches_recorded
from sitetools import ROOT, free_port

PROJECT = ROOT / "examples" / "django_project"
GUNICORN_CONF = PROJECT / "docker" / "gunicorn.conf.py"
ENTRYPOINT = PROJECT / "docker" / "entrypoint.sh"
HEALTHCHECK = PROJECT / "docker" / "healthcheck.py"
DATABASE = "docker_note"  # this topic's own database in the shared PostgreSQL server


# --- docker/gunicorn.conf.py --------------------------------------------------------------------


def load_config(monkeypatch, **env: str) -> dict:
    """Execute the config file as Gunicorn does, with exactly these variables set."""
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND", "PORT", "GUNICORN_TIMEOUT", "GUNICORN_GRACEFUL_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(GUNICORN_CONF))


def cpu_max(tmp_path: Path, content: str) -> Path:
    path = tmp_path / "cpu.max"
    path.write_text(content, encoding="ascii")
    return path


@pytest.mark.parametrize(("content", "limit"), [
    ("max 100000\n", None),  # no limit
    ("100000 100000\n", 1.0),  # docker run --cpus=1, or limits.cpu: "1"
    ("150000 100000\n", 1.5),
    ("50000 100000\n", 0.5),  # limits.cpu: 500m
    ("", None),  # not a cgroup v2 file
])
def test_cpu_limit_reads_cgroup_v2_cpu_max(monkeypatch, tmp_path, content, limit):
    config = load_config(monkeypatch)
    assert config["cpu_limit"](cpu_max(tmp_path, content)) == limit


def test_without_a_cgroup_file_there_is_no_limit(monkeypatch, tmp_path):
    assert load_config(monkeypatch)["cpu_limit"](tmp_path / "missing") is None


def render_workers(rows) -> str:
    lines = ["| CPUs the process may use | cgroup `cpu.max` | `WEB_CONCURRENCY` | Gunicorn workers |",
             "| --- | --- | --- | --- |"]
    lines += [f"| {cpus} | `{content}` | {env or 'unset'} | {workers} |" for cpus, content, env, workers in rows]
    return "\n".join(lines) + "\n"


def test_the_worker_count_follows_the_cpu_limit_not_the_host(monkeypatch, tmp_path):
    rows = []
    for cpus, content, env in [
        (16, "max 100000", ""),  # no limit on a 16-CPU host: the formula sees all of it
        (16, "100000 100000", ""),  # the same host, a container limited to one CPU
        (16, "150000 100000", ""),  # 1.5 CPUs round up to 2
        (16, "50000 100000", ""),  # half a CPU still gets one CPU's worth
        (2, "max 100000", ""),
        (16, "100000 100000", "4"),  # an explicit count wins over everything
    ]:
        monkeypatch.setattr(os, "sched_getaffinity", lambda pid, cpus=cpus: set(range(cpus)))
        config = load_config(monkeypatch, **({"WEB_CONCURRENCY": env} if env else {}))
        usable = config["usable_cpus"](cpu_max(tmp_path, content))
        workers = config["workers"] if env else config["worker_count"](usable)
        rows.append((cpus, content, env, workers))
    assert [row[3] for row in rows] == [33, 3, 5, 3, 5, 4]
    assert matches_recorded("examples/django_project/measured/docker-gunicorn-workers.md", render_workers(rows))


def test_the_module_level_workers_value_uses_web_concurrency_or_the_formula(monkeypatch):
    assert load_config(monkeypatch, WEB_CONCURRENCY="7")["workers"] == 7
    config = load_config(monkeypatch)
    assert config["workers"] == config["worker_count"](config["usable_cpus"]())


def test_without_sched_getaffinity_the_cpu_count_is_used(monkeypatch, tmp_path):
    monkeypatch.delattr(os, "sched_getaffinity")  # as on macOS
    monkeypatch.setattr(os, "cpu_count", lambda: 4)
    assert load_config(monkeypatch)["usable_cpus"](tmp_path / "missing") == 4


def test_the_container_settings(monkeypatch):
    config = load_config(monkeypatch)
    assert config["bind"] == "0.0.0.0:8000"  # reachable from outside the container's network namespace
    assert load_config(monkeypatch, PORT="9000")["bind"] == "0.0.0.0:9000"
    assert load_config(monkeypatch, GUNICORN_BIND="127.0.0.1:8123")["bind"] == "127.0.0.1:8123"
    assert config["worker_tmp_dir"] == "/dev/shm"
    assert config["control_socket_disable"] is True
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")
    # The platform waits 30 s (Compose's stop_grace_period, Kubernetes' default grace period)
    # before SIGKILL: Gunicorn must give up on slow requests before that.
    assert config["graceful_timeout"] == 25 < 30


def test_every_name_in_the_config_is_a_gunicorn_setting_or_a_helper(monkeypatch):
    from gunicorn.config import KNOWN_SETTINGS

    settings = {setting.name for setting in KNOWN_SETTINGS}
    names = {name for name in load_config(monkeypatch) if not name.startswith("_")}
    helpers = {"annotations", "math", "os", "Path", "CGROUP_CPU_MAX", "cpu_limit", "usable_cpus", "worker_count"}
    assert names - helpers <= settings  # a misspelt setting would be silently ignored by Gunicorn


# --- docker/entrypoint.sh -----------------------------------------------------------------------


def run_entrypoint(env: dict[str, str], *command: str) -> subprocess.CompletedProcess:
    base = {"PATH": os.environ["PATH"]}
    return subprocess.run(["/bin/sh", str(ENTRYPOINT), *command], env={**base, **env},
                          capture_output=True, text=True, timeout=30, check=False)


def test_the_entrypoint_turns_each_name_file_into_name(tmp_path):
    (tmp_path / "key").write_text("from-a-file\n", encoding="utf-8")  # editors add a final newline
    (tmp_path / "url").write_text("postgres://nexus:pw@db:5432/nexus", encoding="utf-8")
    result = run_entrypoint(
        {"DJANGO_SECRET_KEY_FILE": str(tmp_path / "key"), "DATABASE_URL_FILE": str(tmp_path / "url")},
        "sh", "-c", 'printf "%s|%s|%s" "$DJANGO_SECRET_KEY" "$DATABASE_URL" "${DJANGO_SECRET_KEY_FILE-gone}"',
    )
    assert (result.returncode, result.stdout) == (0, "from-a-file|postgres://nexus:pw@db:5432/nexus|gone")


def test_the_entrypoint_refuses_a_value_given_twice_or_a_file_it_cannot_read(tmp_path):
    (tmp_path / "key").write_text("one", encoding="utf-8")
    twice = run_entrypoint({"DJANGO_SECRET_KEY": "two", "DJANGO_SECRET_KEY_FILE": str(tmp_path / "key")}, "true")
    assert twice.returncode == 1
    assert "both DJANGO_SECRET_KEY and DJANGO_SECRET_KEY_FILE are set" in twice.stderr
    missing = run_entrypoint({"DJANGO_SECRET_KEY_FILE": str(tmp_path / "absent")}, "true")
    assert missing.returncode == 1
    assert f"names {tmp_path / 'absent'}, which cannot be read" in missing.stderr


def test_other_file_variables_stay_paths(tmp_path):
    # SSL_CERT_FILE names a certificate bundle that programs open themselves; turning it into
    # SSL_CERT=<the whole bundle> would break them (and can overflow the environment).
    bundle = tmp_path / "bundle.pem"
    bundle.write_text("-----BEGIN CERTIFICATE-----\n", encoding="utf-8")
    result = run_entrypoint(
        {"SSL_CERT_FILE": str(bundle)}, "sh", "-c", 'printf "%s|%s" "$SSL_CERT_FILE" "${SSL_CERT-unset}"'
    )
    assert (result.returncode, result.stdout) == (0, f"{bundle}|unset")


def test_without_secret_files_the_command_runs_unchanged():
    result = run_entrypoint({"GREETING": "hello"}, "sh", "-c", 'echo "$GREETING" "$#"', "x", "a", "b")
    assert (result.returncode, result.stdout) == (0, "hello 2\n")


def test_the_command_replaces_the_shell_and_keeps_its_pid():
    # exec: the process the container runtime started *is* the command, so a SIGTERM sent to
    # PID 1 reaches Gunicorn, not a shell that would ignore it.
    process = subprocess.Popen(["/bin/sh", str(ENTRYPOINT), "python3", "-c", "import os; print(os.getpid())"],
                               stdout=subprocess.PIPE, text=True)
    output, _ = process.communicate(timeout=30)
    assert int(output) == process.pid


def test_the_entrypoint_passes_shellcheck():
    import sys

    result = subprocess.run([Path(sys.executable).parent / "shellcheck", "--shell=sh", ENTRYPOINT],
                            capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout) == (0, "")


# --- docker/healthcheck.py ----------------------------------------------------------------------


def test_the_healthcheck_reports_a_closed_port_as_unhealthy():
    probe = runpy.run_path(str(HEALTHCHECK))["probe"]
    healthy, message = probe(f"http://127.0.0.1:{free_port()}/health/live/", timeout=2)
    assert healthy is False
    assert message.startswith("no answer from http://127.0.0.1:")


# --- the web process, as the container starts it ------------------------------------------------


def parse_env_file(path: Path) -> dict[str, str]:
    values = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            values[key.strip()] = value.strip()
    return values


class Web:
    """A running web process and what the tests need to talk to it."""

    def __init__(self, process, port, env, static_root, admin):
        self.process, self.port, self.env, self.static_root, self.admin = process, port, env, static_root, admin

    def get(self, path: str, host: str = "localhost", **headers: str) -> http.client.HTTPResponse:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("GET", path, headers={"Host": host, **headers})
        response = connection.getresponse()
        response.body = response.read()
        connection.close()
        return response


def wait_until_live(process, port: int, deadline: float = 60.0) -> None:
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert process.poll() is None, process.stderr.read()
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            connection.request("GET", "/health/live/", headers={"Host": "localhost"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.1)  # polling for readiness, with a deadline: not a synchronisation sleep
    pytest.fail("the web process did not answer /health/live/ in time")


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory, stages, docker_env):
    """STATIC_ROOT after the Dockerfile's own collectstatic RUN line, in the image's environment."""
    root = tmp_path_factory.mktemp("staticfiles")
    run = next(i for i in stages[-1].all("RUN") if "collectstatic" in i.arguments)
    assignments, command = docker_env.leading_assignments(run.arguments)
    env = {**docker_env.image_environment(stages), **assignments, "DJANGO_STATIC_ROOT": str(root)}
    result = subprocess.run(command, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def web(postgres, collected_static, stages, docker_env, tmp_path_factory):
    import psycopg

    admin = psycopg.connect(postgres.dsn, autocommit=True)
    admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    admin.execute(f"CREATE DATABASE {DATABASE}")
    # The Compose secrets, as files: the entrypoint reads them into the environment.
    secret_dir = tmp_path_factory.mktemp("run-secrets")
    (secret_dir / "django_secret_key").write_text(secrets.token_urlsafe(50) + "\n", encoding="utf-8")
    (secret_dir / "database_url").write_text(
        f"postgres://{postgres.user}@{postgres.host}:{postgres.port}/{DATABASE}\n", encoding="utf-8")
    port = free_port()
    final = stages[-1]
    env = {
        **docker_env.image_environment(stages),
        **parse_env_file(PROJECT / ".env.example"),  # the configuration Compose passes (env_file)
        "DJANGO_SECRET_KEY_FILE": str(secret_dir / "django_secret_key"),
        "DATABASE_URL_FILE": str(secret_dir / "database_url"),
        "DJANGO_STATIC_ROOT": str(collected_static),
        "GUNICORN_BIND": f"127.0.0.1:{port}",  # instead of 0.0.0.0: these tests stay on loopback
        "PORT": str(port),
        "WEB_CONCURRENCY": "1",
        "HOME": "/nonexistent",  # the image's user has no home directory
    }
    command = [
        docker_env.on_this_machine(word) for word in final.last("ENTRYPOINT").exec_form + final.last("CMD").exec_form
    ]
    process = subprocess.Popen(command, cwd=PROJECT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        wait_until_live(process, port)
        yield Web(process, port, env, collected_static, admin)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
        admin.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        admin.close()


def run_healthcheck(stages, docker_env, web, **env: str) -> subprocess.CompletedProcess:
    """The HEALTHCHECK command of the Dockerfile, run in the container's environment."""
    command = [docker_env.on_this_machine(word) for word in stages[-1].last("HEALTHCHECK").exec_form]
    return subprocess.run(command, cwd=PROJECT, env={**web.env, **env}, capture_output=True, text=True,
                          timeout=30, check=False)


def test_the_entrypoint_exec_ed_gunicorn_with_the_secret_read_from_its_file(web):
    environ = Path(f"/proc/{web.process.pid}/environ").read_bytes().split(b"\0")
    names = {entry.split(b"=", 1)[0].decode() for entry in environ if entry}
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL"} <= names  # exported by the entrypoint...
    assert not {"DJANGO_SECRET_KEY_FILE", "DATABASE_URL_FILE"} & names  # ...which removed the pointers
    assert Path(f"/proc/{web.process.pid}/cmdline").read_bytes().split(b"\0")[1].endswith(b"gunicorn")


def test_the_web_process_serves_probes_static_files_and_redirects_to_https(web, stages, docker_env):
    rows = []

    def record(request: str, response, shown: str) -> None:
        rows.append((request, response.status, shown))

    live = web.get("/health/live/")
    assert (live.status, json.loads(live.body)) == (200, {"status": "ok"})
    assert "no-store" in live.getheader("Cache-Control")
    record("`GET /health/live/`", live, "`{\"status\": \"ok\"}`")
    ready = web.get("/health/ready/")
    assert (ready.status, json.loads(ready.body)) == (200, {"status": "ok", "database": "ok"})
    record("`GET /health/ready/`, PostgreSQL up", ready, "`{\"status\": \"ok\", \"database\": \"ok\"}`")

    healthcheck = run_healthcheck(stages, docker_env, web)
    assert (healthcheck.returncode, healthcheck.stdout) == (0, f"200 from http://127.0.0.1:{web.port}/health/live/\n")

    wrong_host = web.get("/health/live/", host="10.1.2.3:8000")  # what a probe without a Host header sends
    assert wrong_host.status == 400
    assert b"Bad Request (400)" in wrong_host.body
    record("`GET /health/live/` with `Host: 10.1.2.3:8000`", wrong_host,
           "`Bad Request (400)`: the host is not in `ALLOWED_HOSTS`")
    login = web.get("/admin/login/")
    assert (login.status, login.getheader("Location")) == (301, "https://localhost/admin/login/")
    record("`GET /admin/login/` over plain HTTP", login, f"`Location: {login.getheader('Location')}`")

    manifest = json.loads((web.static_root / "staticfiles.json").read_text(encoding="utf-8"))
    hashed = manifest["paths"]["admin/css/base.css"]
    assert hashed != "admin/css/base.css" and (web.static_root / f"{hashed}.gz").is_file()
    # Static files too answer plain HTTP with the redirect; the TLS proxy in front says that the
    # browser used HTTPS, and SECURE_PROXY_SSL_HEADER makes Django believe it.
    https = {"X-Forwarded-Proto": "https"}
    assert web.get("/static/admin/css/base.css").status == 301
    plain = web.get("/static/admin/css/base.css", **https)
    assert plain.status == 200 and plain.getheader("Cache-Control") == "max-age=60, public"
    record("`GET /static/admin/css/base.css`, from the proxy", plain,
           f"`Cache-Control: {plain.getheader('Cache-Control')}`")
    immutable = web.get(f"/static/{hashed}", **https)
    assert immutable.status == 200
    assert immutable.getheader("Cache-Control") == "max-age=315360000, public, immutable"
    record("`GET /static/admin/css/base.<hash>.css`, from the proxy", immutable,
           f"`Cache-Control: {immutable.getheader('Cache-Control')}`")
    gzipped = web.get(f"/static/{hashed}", **https, **{"Accept-Encoding": "gzip"})
    assert gzipped.getheader("Content-Encoding") == "gzip" and len(gzipped.body) < len(immutable.body)
    record("the same with `Accept-Encoding: gzip`", gzipped,
           f"`Content-Encoding: gzip`, {round(100 * len(gzipped.body) / len(immutable.body))}% of the bytes")

    # The database goes away: the process is alive but cannot serve. Readiness says so and
    # liveness does not, so an orchestrator stops sending traffic instead of restarting it.
    web.admin.execute(f"DROP DATABASE {DATABASE} WITH (FORCE)")
    try:
        down = web.get("/health/ready/")
        assert (down.status, json.loads(down.body)) == (503, {"status": "unavailable", "database": "OperationalError"})
        record("`GET /health/ready/`, database dropped", down,
               "`{\"status\": \"unavailable\", \"database\": \"OperationalError\"}`")
        still_live = web.get("/health/live/")
        assert still_live.status == 200
        record("`GET /health/live/`, database dropped", still_live, "`{\"status\": \"ok\"}`")
        assert run_healthcheck(stages, docker_env, web).returncode == 0
        ready_check = run_healthcheck(stages, docker_env, web,
                                      HEALTHCHECK_URL=f"http://127.0.0.1:{web.port}/health/ready/")
        assert (ready_check.returncode, ready_check.stdout.strip()) == (1, f"503 from http://127.0.0.1:{web.port}/health/ready/")
    finally:
        web.admin.execute(f"CREATE DATABASE {DATABASE}")
    back = web.get("/health/ready/")
    assert back.status == 200
    record("`GET /health/ready/`, database back", back, "`{\"status\": \"ok\", \"database\": \"ok\"}`")

    table = ["| Request (`Host: localhost` unless stated) | Status | Body or header that shows it |",
             "| --- | --- | --- |"]
    table += [f"| {request} | {status} | {shown} |" for request, status, shown in rows]
    assert matches_recorded("examples/django_project/measured/docker-web-container.md", "\n".join(table) + "\n")


def test_the_healthcheck_script_exits_0_on_a_200_and_1_on_an_error_status(web, monkeypatch, capsys):
    # The same script in this process (the runs above were separate processes), for both outcomes.
    monkeypatch.delenv("HEALTHCHECK_URL", raising=False)
    monkeypatch.setenv("PORT", str(web.port))
    with pytest.raises(SystemExit) as healthy:
        runpy.run_path(str(HEALTHCHECK), run_name="__main__")
    assert (healthy.value.code, capsys.readouterr().out) == (0, f"200 from http://127.0.0.1:{web.port}/health/live/\n")
    missing = f"http://127.0.0.1:{web.port}/health/missing/"
    monkeypatch.setenv("HEALTHCHECK_URL", missing)
    with pytest.raises(SystemExit) as unhealthy:
        runpy.run_path(str(HEALTHCHECK), run_name="__main__")
    assert (unhealthy.value.code, capsys.readouterr().out) == (1, f"404 from {missing}\n")


def test_sigterm_stops_gunicorn_cleanly_within_its_graceful_timeout(web):
    started = time.monotonic()
    web.process.send_signal(signal.SIGTERM)
    assert web.process.wait(timeout=30) == 0
    assert time.monotonic() - started < 25  # graceful_timeout: no request was running
    errors = web.process.stderr.read()
    assert "Control server error" not in errors  # control_socket_disable: no $HOME needed
    assert "Booting worker" in errors and "Shutting down: Master" in errors
