"""`manage.py check --deploy` on development settings and with ip_tracking/hardening.py applied."""

from __future__ import annotations

from django.conf import global_settings
from django.core.checks import Tags, run_checks

from ip_tracking.hardening import PRODUCTION_SECURITY
from measurements import matches_recorded

DEV_KEY = "dev-only-insecure-key-never-use-in-production"  # the project's default, from nexus/settings.py
STRONG_KEY = "k3W9-not-a-real-secret-but-long-and-random-enough-1f0b7c2e9a"  # a test value, as an env var would be


def deploy_warnings() -> list:
    """What `check --deploy` reports from Django's security checks."""
    return sorted(run_checks(include_deployment_checks=True, tags=[Tags.security]), key=lambda message: message.id)


def apply(settings, values: dict) -> None:
    for name, value in values.items():
        setattr(settings, name, value)


def test_check_deploy_flags_the_development_settings_and_passes_the_production_ones(settings):
    # Development: every setting the production dict changes, at Django's default, and DEBUG on.
    apply(settings, {name: getattr(global_settings, name) for name in PRODUCTION_SECURITY})
    apply(settings, {"DEBUG": True, "SECRET_KEY": DEV_KEY})
    development = deploy_warnings()

    apply(settings, PRODUCTION_SECURITY)
    settings.SECRET_KEY = STRONG_KEY
    assert deploy_warnings() == []

    ids = [message.id for message in development]
    assert ids == ["security.W004", "security.W008", "security.W009", "security.W012", "security.W016",
                   "security.W018"]
    rows = ["| Check | What it found in the development settings | Fixed by |", "| --- | --- | --- |"]
    fixes = {"security.W004": "`SECURE_HSTS_SECONDS`", "security.W008": "`SECURE_SSL_REDIRECT`",
             "security.W009": "`SECRET_KEY` from the environment", "security.W012": "`SESSION_COOKIE_SECURE`",
             "security.W016": "`CSRF_COOKIE_SECURE`", "security.W018": "`DEBUG = False`"}
    for message in development:
        first_sentence = message.msg.split(". ")[0].rstrip(".") + "."
        rows.append(f"| `{message.id}` | {first_sentence} | {fixes[message.id]} |")
    assert matches_recorded("examples/django_project/ip_tracking/measured/check-deploy.md", "\n".join(rows) + "\n")
