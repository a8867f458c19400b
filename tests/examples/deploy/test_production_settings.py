"""nexus/settings_production.py: secrets from the environment or no start, HTTPS behind a proxy,
a database from one URL, logs on standard output, and a clean `check --deploy`."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import Client

from measurements import matches_recorded

HOST = "nexus.example.com"  # the host name the production environment of these tests serves
REQUIRED = ("DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL")


# --- required variables ---------------------------------------------------------------------


@pytest.mark.parametrize("name", REQUIRED)
@pytest.mark.parametrize("value", [None, "", "   "], ids=["unset", "empty", "blank"])
def test_a_missing_required_variable_stops_the_import_and_names_the_variable(
    production_env, monkeypatch, name, value, load_production_settings
):
    if value is None:
        monkeypatch.delenv(name)
    else:
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured, match=f"^{name} is not set"):
        load_production_settings()


def test_with_every_required_variable_the_settings_are_production_settings(
    production_env, monkeypatch, load_production_settings
):
    monkeypatch.setenv("DJANGO_ALLOWED_HOSTS", f" {HOST}, www.{HOST} ,")
    monkeypatch.setenv("DJANGO_CSRF_TRUSTED_ORIGINS", "https://app.example.org")
    settings = load_production_settings()
    assert settings.DEBUG is False
    assert settings.SECRET_KEY == production_env["DJANGO_SECRET_KEY"]
    assert settings.ALLOWED_HOSTS == [HOST, f"www.{HOST}"]
    assert settings.CSRF_TRUSTED_ORIGINS == ["https://app.example.org"]
    assert settings.SECURE_PROXY_SSL_HEADER == ("HTTP_X_FORWARDED_PROTO", "https")
    assert settings.SECURE_SSL_REDIRECT and settings.SESSION_COOKIE_SECURE and settings.CSRF_COOKIE_SECURE
    assert settings.SECURE_HSTS_SECONDS == 3600  # the cautious start the note recommends


def test_debug_cannot_be_switched_on_from_the_environment(production_env, monkeypatch, load_production_settings):
    monkeypatch.setenv("DJANGO_DEBUG", "true")  # the base settings would obey this
    assert load_production_settings().DEBUG is False


def test_the_whole_process_refuses_to_start_without_a_secret_key(tmp_path, manage, production_environment):
    env = production_environment(f"sqlite:///{tmp_path}/db.sqlite3")
    del env["DJANGO_SECRET_KEY"]
    result = manage("check", env=env)
    assert result.returncode == 1
    assert "ImproperlyConfigured: DJANGO_SECRET_KEY is not set" in result.stderr


# --- WhiteNoise in the middleware list ---------------------------------------------------------


def test_whitenoise_comes_right_after_the_security_middleware(production_env, load_production_settings):
    middleware = load_production_settings().MIDDLEWARE
    position = middleware.index("whitenoise.middleware.WhiteNoiseMiddleware")
    assert middleware[position - 1] == "django.middleware.security.SecurityMiddleware"
    assert middleware.count("whitenoise.middleware.WhiteNoiseMiddleware") == 1


def test_the_base_settings_lists_are_not_modified(production_env, load_production_settings):
    from django.conf import settings

    before = list(settings.MIDDLEWARE), dict(settings.LOGGING["handlers"]["console"])
    load_production_settings()
    assert (list(settings.MIDDLEWARE), dict(settings.LOGGING["handlers"]["console"])) == before


# --- DATABASE_URL ----------------------------------------------------------------------------------


def test_a_postgres_url_becomes_a_complete_databases_entry(production_env, load_production_settings):
    settings = load_production_settings()
    entry = settings.database_from_url("postgres://nexus:p%40ss%3Aword@db.internal:6543/nexus_prod?sslmode=require")
    assert entry == {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "nexus_prod",
        "USER": "nexus",
        "PASSWORD": "p@ss:word",  # percent-encoded in the URL, decoded here
        "HOST": "db.internal",
        "PORT": "6543",
        "OPTIONS": {"sslmode": "require"},
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }


def test_a_url_without_port_or_password_leaves_them_to_the_driver_defaults(production_env, load_production_settings):
    entry = load_production_settings().database_from_url("postgresql://nexus@db.internal/nexus_prod")
    assert (entry["PORT"], entry["PASSWORD"], entry["OPTIONS"]) == ("", "", {})


def test_a_sqlite_url_with_four_slashes_is_an_absolute_path(production_env, tmp_path, load_production_settings):
    settings = load_production_settings()
    assert settings.DATABASES["default"] == {"ENGINE": "django.db.backends.sqlite3", "NAME": f"{tmp_path}/db.sqlite3"}


def test_an_unknown_database_scheme_is_refused(production_env, load_production_settings):
    with pytest.raises(ImproperlyConfigured, match="Unsupported database URL scheme 'mysql'"):
        load_production_settings().database_from_url("mysql://nexus@db.internal/nexus")


def test_the_database_url_reaches_a_real_postgresql(postgres, manage, production_environment):
    """The same URL shape a PaaS gives: the production settings connect with it."""
    import psycopg

    with psycopg.connect(postgres.dsn, autocommit=True) as connection:
        connection.execute("DROP DATABASE IF EXISTS nexus_deploy")
        connection.execute("CREATE DATABASE nexus_deploy")
    env = production_environment(f"postgres://{postgres.user}@{postgres.host}:{postgres.port}/nexus_deploy")
    script = ("from django.db import connection; connection.ensure_connection(); "
              "print(connection.vendor, connection.settings_dict['NAME'], connection.pg_version >= 150000)")
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["postgresql", "nexus_deploy", "True"]


# --- logging -------------------------------------------------------------------------------------


def test_errors_are_logged_to_standard_output_with_level_and_logger(tmp_path, manage, production_environment):
    env = production_environment(f"sqlite:///{tmp_path}/db.sqlite3")
    script = "import logging; logging.getLogger('django.request').error('Internal Server Error: /boom/')"
    result = manage("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert re.search(r"^\d{4}-\d\d-\d\d [\d:,]+ ERROR django\.request: Internal Server Error: /boom/$",
                     result.stdout, re.MULTILINE), result.stdout
    assert "boom" not in result.stderr  # standard output only: one stream for the platform to collect


# --- HTTPS behind a proxy, in the request cycle -------------------------------------------------------


@pytest.fixture
def behind_proxy(settings, production_env, load_production_settings):
    """The test project with the production HTTPS settings switched on."""
    production = load_production_settings()
    for name in ("SECURE_PROXY_SSL_HEADER", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                 "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_REDIRECT_EXEMPT"):
        setattr(settings, name, getattr(production, name))
    settings.ALLOWED_HOSTS = [HOST]
    # A failed login still hashes the password once (against timing attacks); keep that cheap.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return settings


def test_a_plain_http_request_is_redirected_to_https(behind_proxy, client):
    response = client.get("/admin/login/", HTTP_HOST=HOST)
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/admin/login/"


@pytest.mark.django_db
def test_health_checks_over_plain_http_are_not_redirected(behind_proxy, client):
    # A platform's health check or a container probe speaks plain HTTP from inside; the base
    # settings exempt ^health/ from SECURE_SSL_REDIRECT, and the production settings keep that.
    assert behind_proxy.SECURE_REDIRECT_EXEMPT == [r"^health/"]
    assert client.get("/health/ready/", HTTP_HOST=HOST).status_code == 200


@pytest.mark.django_db
def test_the_forwarded_proto_header_makes_django_see_https(behind_proxy, client):
    response = client.get("/admin/login/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"
    assert response.cookies["csrftoken"]["secure"] is True


def test_without_secure_proxy_ssl_header_https_requests_redirect_forever(behind_proxy, client):
    """The proxy already speaks HTTPS to the browser, but Django only sees the plain HTTP the
    proxy sends it, so it redirects to https:// again: the browser loops until it gives up."""
    behind_proxy.SECURE_PROXY_SSL_HEADER = None
    response = client.get("/admin/login/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301
    assert response["Location"] == f"https://{HOST}/admin/login/"  # the very URL just requested


@pytest.mark.django_db
@pytest.mark.parametrize(("forwarded_proto", "trusted", "status"), [
    ("https", [], 200),  # the proxy says https: same origin, no list needed
    (None, [], 403),  # the header is missing: Django compares with http://... and refuses
    (None, [f"https://{HOST}"], 200),  # adding your own origin "fixes" it and hides the real problem
], ids=["header-sent", "header-missing", "header-missing-but-trusted"])
def test_the_csrf_origin_check_depends_on_the_forwarded_proto(behind_proxy, forwarded_proto, trusted, status):
    behind_proxy.SECURE_SSL_REDIRECT = False  # let the plain request through to the CSRF check
    behind_proxy.CSRF_TRUSTED_ORIGINS = trusted
    browser = Client(enforce_csrf_checks=True)
    extra = {"HTTP_HOST": HOST, "HTTP_ORIGIN": f"https://{HOST}"}
    if forwarded_proto:
        extra["HTTP_X_FORWARDED_PROTO"] = forwarded_proto
    token = browser.get("/admin/login/", **extra).cookies["csrftoken"].value
    response = browser.post("/admin/login/", {"username": "nobody", "password": "wrong",
                                              "csrfmiddlewaretoken": token}, **extra)
    assert response.status_code == status  # 200: the login form again, with "enter a correct username"


# --- manage.py check --deploy --------------------------------------------------------------------------


def security_warnings(output: str) -> list[tuple[str, str]]:
    """(id, first sentence) of every security warning in `check` output."""
    found = re.findall(r"\(security\.(W\d+)\) (.+?\.)(?: |$)", output, re.MULTILINE)
    return sorted(set(found))


@pytest.fixture(scope="module")
def deploy_checks(tmp_path_factory, manage, production_environment, clean_environment):
    """`manage.py check --deploy --fail-level WARNING`, run once with each settings module."""
    folder = tmp_path_factory.mktemp("checks")
    production = production_environment(f"sqlite:///{folder}/production.sqlite3")
    # The base settings as a developer runs them on a laptop: debug pages on.
    development = clean_environment()
    development.update(DJANGO_SETTINGS_MODULE="nexus.settings", DJANGO_DEBUG="true",
                       DJANGO_SQLITE_PATH=str(folder / "development.sqlite3"))
    with ThreadPoolExecutor(max_workers=2) as pool:  # two independent processes: run them side by side
        runs = [pool.submit(manage, "check", "--deploy", "--fail-level", "WARNING", env=env)
                for env in (production, development)]
        return tuple(run.result() for run in runs)


def test_check_deploy_passes_with_the_production_settings(deploy_checks):
    production, _ = deploy_checks
    assert production.returncode == 0, production.stdout + production.stderr
    # "(N silenced)": W021 here, plus whatever the base settings silence for other notes.
    assert re.fullmatch(r"System check identified no issues \(\d+ silenced\)\.", production.stdout.strip())


def test_check_deploy_lists_what_the_development_settings_leave_open(deploy_checks):
    production, development = deploy_checks
    assert development.returncode == 1  # --fail-level WARNING: warnings fail the command
    found = security_warnings(development.stderr)
    assert [check for check, _ in found] == ["W004", "W008", "W009", "W012", "W016", "W018"]

    rows = [f"| `security.{check}` | {sentence} |" for check, sentence in found]
    text = ("| Warning | What Django says (first sentence) |\n| --- | --- |\n" + "\n".join(rows) + "\n\n"
            f"With `DJANGO_SETTINGS_MODULE=nexus.settings_production` and its variables set, the same "
            f"command prints:\n\n``` text\n{production.stdout.strip()}\n```\n")
    assert matches_recorded("examples/deploy/measured/check-deploy.md", text)
