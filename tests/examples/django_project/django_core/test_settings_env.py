"""nexus/settings.py takes every per-environment value from the environment, with dev defaults."""

from __future__ import annotations

import importlib.util

import pytest

import nexus.settings as project_settings
from nexus.settings import env_bool, env_list

VARIABLES = ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "DJANGO_ALLOWED_HOSTS", "DJANGO_SQLITE_PATH")


def fresh_settings():
    """Execute settings.py again as a new, unregistered module, so the running project's
    settings (already loaded by Django) stay untouched."""
    spec = importlib.util.spec_from_file_location("settings_under_test", project_settings.__file__)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("raw", ["1", "true", "True", " yes ", "on"])
def test_env_bool_reads_the_usual_spellings_of_true(monkeypatch, raw):
    monkeypatch.setenv("NEXUS_FLAG", raw)
    assert env_bool("NEXUS_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "no", "off", "", "enabled"])
def test_env_bool_treats_anything_else_as_false(monkeypatch, raw):
    monkeypatch.setenv("NEXUS_FLAG", raw)
    assert env_bool("NEXUS_FLAG", True) is False


def test_env_bool_falls_back_to_the_default_only_when_the_variable_is_unset(monkeypatch):
    monkeypatch.delenv("NEXUS_FLAG", raising=False)
    assert env_bool("NEXUS_FLAG", True) is True
    assert env_bool("NEXUS_FLAG", False) is False


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("NEXUS_HOSTS", " example.org, api.example.org,, ")
    assert env_list("NEXUS_HOSTS", "localhost") == ["example.org", "api.example.org"]
    monkeypatch.delenv("NEXUS_HOSTS")
    assert env_list("NEXUS_HOSTS", "localhost,127.0.0.1") == ["localhost", "127.0.0.1"]


def test_the_environment_changes_the_settings(monkeypatch, tmp_path):
    monkeypatch.setenv("DJANGO_SECRET_KEY", "from-the-environment")
    monkeypatch.setenv("DJANGO_DEBUG", "true")
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", "example.org,api.example.org")
    monkeypatch.setenv("DJANGO_SQLITE_PATH", str(tmp_path / "nexus.sqlite3"))
    settings = fresh_settings()
    assert settings.SECRET_KEY == "from-the-environment"
    assert settings.DEBUG is True
    assert settings.ALLOWED_HOSTS == ["example.org", "api.example.org"]
    assert settings.DATABASES["default"]["NAME"] == str(tmp_path / "nexus.sqlite3")


def test_without_the_environment_the_defaults_are_safe_for_development_only(monkeypatch):
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    settings = fresh_settings()
    assert settings.DEBUG is False  # debug pages are opt-in, never a default
    assert settings.SECRET_KEY.startswith("dev-only-insecure")
    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "testserver"]
    assert settings.DATABASES["default"]["NAME"].endswith("db.sqlite3")
