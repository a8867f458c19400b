"""Shared pieces of the deployment tests: paths, a production environment, a fresh settings module."""

from __future__ import annotations

import importlib.util
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

from sitetools import ROOT

PROJECT = ROOT / "examples" / "django_project"
DEPLOY = ROOT / "examples" / "deploy"
PRODUCTION_SETTINGS = PROJECT / "nexus" / "settings_production.py"
HOST = "nexus.example.com"
# Variables that would leak from the developer's shell into a test and change its outcome.
OWN_VARIABLES = ("DJANGO_", "DATABASE_URL", "GUNICORN_", "WEB_CONCURRENCY", "NEXUS_RATELIMIT_REDIS_URL")


def _clean_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith(OWN_VARIABLES)}


def _production_environment(database: str, **overrides: str) -> dict[str, str]:
    """What a server has: the production settings module and its required variables."""
    env = _clean_environment()
    env.update(
        DJANGO_SETTINGS_MODULE="nexus.settings_production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),  # 67 random characters, as a real key
        DJANGO_ALLOWED_HOSTS=HOST,
        DATABASE_URL=database,
        # A shared cache for the rate limits, as production needs with several workers (see the
        # security note). Nothing in these tests contacts it: checks read settings only.
        NEXUS_RATELIMIT_REDIS_URL="redis://127.0.0.1:6379/4",
    )
    env.update(overrides)
    return env


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    """Run manage.py in its own process, as a deploy step does."""
    return subprocess.run([sys.executable, "manage.py", *args], cwd=PROJECT, env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def _load_production_settings():
    """Execute settings_production.py again as a new module, with whatever the environment
    holds now; the settings Django already loaded for the other tests stay untouched."""
    spec = importlib.util.spec_from_file_location("nexus._production_under_test", PRODUCTION_SETTINGS)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    """The required variables in this process's environment, for load_production_settings()."""
    for name in list(os.environ):
        if name.startswith(OWN_VARIABLES):
            monkeypatch.delenv(name)
    for name, value in _production_environment(f"sqlite:///{tmp_path}/db.sqlite3").items():
        monkeypatch.setenv(name, value)
    return os.environ


@pytest.fixture(scope="session")
def collected_static(tmp_path_factory) -> Path:
    """STATIC_ROOT after `manage.py collectstatic` with the production settings.

    Only the admin's files: the other apps' (Swagger UI, ReDoc) take ten times as long to
    hash and compress and go through exactly the same steps."""
    root = tmp_path_factory.mktemp("staticfiles")
    database = tmp_path_factory.mktemp("db") / "db.sqlite3"
    env = _production_environment(f"sqlite:///{database}", DJANGO_STATIC_ROOT=str(root))
    result = _manage("collectstatic", "--no-input", "-i", "drf_spectacular_sidecar", "-i", "rest_framework",
                    "-i", "graphene_django", env=env)
    assert result.returncode == 0, result.stderr
    return root


# The helpers as fixtures: test modules cannot import this conftest by name (every test folder has one).


@pytest.fixture(scope="session")
def clean_environment():
    """clean_environment() -> os.environ without the variables these tests set themselves."""
    return _clean_environment


@pytest.fixture(scope="session")
def production_environment():
    """production_environment(database_url, **overrides) -> the environment of a production process."""
    return _production_environment


@pytest.fixture(scope="session")
def manage():
    """manage(*args, env=...) -> the CompletedProcess of `python manage.py *args`."""
    return _manage


@pytest.fixture(scope="session")
def load_production_settings():
    """load_production_settings() -> settings_production executed afresh as a module."""
    return _load_production_settings
