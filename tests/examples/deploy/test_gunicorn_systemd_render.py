"""The Gunicorn config, the systemd unit and the Render Blueprint: each is read by the program
that will read it in production (Gunicorn, systemd-analyze) or parsed and checked field by field."""

from __future__ import annotations

import configparser
import os
import runpy
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from sitetools import ROOT

DEPLOY = ROOT / "examples" / "deploy"
PROJECT = ROOT / "examples" / "django_project"
GUNICORN_CONF = DEPLOY / "gunicorn.conf.py"
UNIT = DEPLOY / "systemd" / "nexus.service"
GUNICORN = Path(sys.executable).parent / "gunicorn"


# --- Gunicorn ------------------------------------------------------------------------------


def load_config(monkeypatch, cores: int, **env: str) -> dict:
    """Execute the config file as Gunicorn does, on a machine with `cores` CPUs."""
    for name in ("WEB_CONCURRENCY", "GUNICORN_BIND"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(os, "cpu_count", lambda: cores)
    return runpy.run_path(str(GUNICORN_CONF))


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (4, 9), (8, 17)])
def test_the_worker_count_is_two_per_core_plus_one(monkeypatch, cores, workers):
    assert load_config(monkeypatch, cores)["workers"] == workers


def test_web_concurrency_overrides_the_formula(monkeypatch):
    # A PaaS instance with a fraction of a CPU on a 16-core host: the formula would say 33.
    config = load_config(monkeypatch, 16, WEB_CONCURRENCY="2")
    assert config["workers"] == 2
    assert config["worker_count"]() == 33


def test_an_unknown_cpu_count_counts_as_one_core(monkeypatch):
    assert load_config(monkeypatch, None)["workers"] == 3  # os.cpu_count() may return None


def test_the_config_sets_timeouts_recycling_and_logs_to_the_standard_streams(monkeypatch):
    config = load_config(monkeypatch, 2)
    assert (config["timeout"], config["graceful_timeout"]) == (30, 30)
    assert (config["max_requests"], config["max_requests_jitter"]) == (1000, 100)
    assert (config["accesslog"], config["errorlog"]) == ("-", "-")
    assert config["bind"] == "127.0.0.1:8000"


def test_gunicorn_reads_the_file_and_the_command_line_wins(monkeypatch):
    env = {name: value for name, value in os.environ.items() if name not in ("WEB_CONCURRENCY", "GUNICORN_BIND")}
    env["WEB_CONCURRENCY"] = "3"
    # The application is the standard library's demo WSGI app: --print-config loads it, and
    # loading Django would only make the test slower; the configuration is what is under test.
    result = subprocess.run([str(GUNICORN), "--print-config", "-c", str(GUNICORN_CONF), "--bind", "0.0.0.0:10000",
                             "wsgiref.simple_server:demo_app"], env=env, capture_output=True, text=True, timeout=60,
                            check=True)
    printed = dict(line.split(" = ", 1) for line in result.stdout.splitlines() if " = " in line)
    printed = {name.strip(): value.strip() for name, value in printed.items()}
    assert printed["workers"] == "3"
    assert printed["bind"] == "['0.0.0.0:10000']"  # the option beat the file's 127.0.0.1:8000
    assert printed["max_requests_jitter"] == "100"


# --- systemd ---------------------------------------------------------------------------------


def unit_sections() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # systemd keys are case-sensitive
    parser.read_string(UNIT.read_text())
    return parser


def test_systemd_analyze_accepts_the_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: install Debian's `systemd` package"
    # The one change: the unit's ExecStart points at the server's virtualenv, which this machine
    # does not have; verify refuses a command that does not exist.
    text = UNIT.read_text()
    assert text.count("/srv/nexus/venv/bin/gunicorn") == 1
    (tmp_path / "nexus.service").write_text(text.replace("/srv/nexus/venv/bin/gunicorn", str(GUNICORN)))
    result = subprocess.run([analyze, "verify", str(tmp_path / "nexus.service")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # not even a warning about an unknown key


def test_the_unit_runs_gunicorn_with_the_production_settings_on_a_unix_socket():
    service = unit_sections()["Service"]
    assert service["Type"] == "notify"
    environment = [line for line in UNIT.read_text().splitlines() if line.startswith("Environment=")]
    assert "Environment=DJANGO_SETTINGS_MODULE=nexus.settings_production" in environment
    assert "Environment=GUNICORN_BIND=unix:/run/nexus/gunicorn.sock" in environment
    assert service["RuntimeDirectory"] == "nexus"  # /run/nexus exists while the service runs
    assert service["EnvironmentFile"] == "/etc/nexus/nexus.env"  # secrets stay out of the unit
    command = shlex.split(service["ExecStart"])
    assert command[1:3] == ["-c", "/srv/nexus/app/examples/deploy/gunicorn.conf.py"]
    assert command[-1] == "nexus.wsgi"
    assert service["ExecReload"] == "/bin/kill -s HUP $MAINPID"  # graceful reload of the workers


def test_the_unit_socket_is_the_one_nginx_proxies_to():
    nginx = (DEPLOY / "nginx" / "nexus.conf").read_text()
    assert "server unix:/run/nexus/gunicorn.sock fail_timeout=0;" in nginx
    assert "GUNICORN_BIND=unix:/run/nexus/gunicorn.sock" in UNIT.read_text()


def test_systemd_waits_longer_than_gunicorn_s_graceful_timeout(monkeypatch):
    stop_timeout = int(unit_sections()["Service"]["TimeoutStopSec"])
    assert stop_timeout > load_config(monkeypatch, 1)["graceful_timeout"]


# --- Render ------------------------------------------------------------------------------------


def blueprint() -> dict:
    return yaml.safe_load((DEPLOY / "render.yaml").read_text())


def test_the_blueprint_defines_a_python_web_service_and_a_database():
    spec = blueprint()
    assert set(spec) == {"services", "databases"}
    (service,) = spec["services"]
    assert (service["type"], service["runtime"]) == ("web", "python")
    assert spec["databases"] == [{"name": "nexus-db"}]


def test_the_blueprint_takes_secrets_from_render_not_from_the_file():
    variables = {entry["key"]: entry for entry in blueprint()["services"][0]["envVars"]}
    assert variables["DJANGO_SETTINGS_MODULE"]["value"] == "nexus.settings_production"
    assert variables["DJANGO_SECRET_KEY"] == {"key": "DJANGO_SECRET_KEY", "generateValue": True}
    assert variables["DJANGO_ALLOWED_HOSTS"] == {"key": "DJANGO_ALLOWED_HOSTS", "sync": False}
    assert variables["NEXUS_RATELIMIT_REDIS_URL"] == {"key": "NEXUS_RATELIMIT_REDIS_URL", "sync": False}
    assert variables["DATABASE_URL"]["fromDatabase"] == {"name": "nexus-db", "property": "connectionString"}
    assert variables["WEB_CONCURRENCY"]["value"] == "2"
    # Every variable the production settings require is provided.
    assert {"DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL"} <= set(variables)


def test_the_blueprint_commands_point_at_files_that_exist():
    service = blueprint()["services"][0]
    build = shlex.split(service["buildCommand"])
    assert build == ["bash", "examples/deploy/render-build.sh"]
    assert (ROOT / build[1]).is_file()
    start = service["startCommand"]
    assert start.startswith("cd examples/django_project && gunicorn -c ../deploy/gunicorn.conf.py ")
    assert '--bind "0.0.0.0:$PORT"' in start and start.endswith(" nexus.wsgi")
    assert (PROJECT / "../deploy/gunicorn.conf.py").resolve() == GUNICORN_CONF
    assert service["healthCheckPath"] == "/health/ready/"
    assert (PROJECT / "nexus" / "health.py").is_file()


def test_the_build_script_stops_at_the_first_failing_step():
    script = (DEPLOY / "render-build.sh").read_text().splitlines()
    assert script[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in script
    steps = [line for line in script if line.startswith(("python", "cd "))]
    assert steps == [
        "python -m pip install --requirement examples/django_project/requirements.txt",
        "cd examples/django_project",
        "python manage.py collectstatic --no-input",
        "python manage.py migrate --no-input",
    ]
