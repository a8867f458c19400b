"""nexus/health.py through Django's test client: what each probe costs and answers.

The same endpoints under Gunicorn, with the production settings and a real PostgreSQL, are in
test_image_runtime.py; these tests pin down the details: query counts, methods, cache headers,
the Host header a probe must send, and the exemption from the HTTPS redirect.
"""

from __future__ import annotations

import pytest
from django.db import OperationalError, connections

from measurements import matches_recorded

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/live/")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_readiness_costs_exactly_one_query(client, django_assert_num_queries):
    with django_assert_num_queries(1) as captured:
        response = client.get("/health/ready/")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})
    assert captured.captured_queries[0]["sql"] == "SELECT 1"


def test_readiness_says_503_and_names_only_the_error_class_when_the_database_fails(client, monkeypatch):
    def refuse():
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr(connections["default"], "cursor", refuse)
    response = client.get("/health/ready/")
    assert (response.status_code, response.json()) == (503, {"status": "unavailable", "database": "OperationalError"})
    assert b"db.internal" not in response.content  # host names stay out of the probe's answer


@pytest.mark.parametrize("path", ["/health/live/", "/health/ready/"])
def test_probes_are_never_cached_and_accept_only_safe_methods(client, path):
    response = client.get(path)
    assert "no-store" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert client.head(path).status_code == 200
    assert client.post(path).status_code == 405


def test_a_probe_must_send_a_host_that_allowed_hosts_accepts(client, settings):
    # Kubernetes' HTTP probes send the pod's IP as Host unless the probe sets the header.
    settings.ALLOWED_HOSTS = ["nexus.example.com", "localhost"]
    assert client.get("/health/live/", HTTP_HOST="10.1.2.3:8000").status_code == 400
    assert client.get("/health/live/", HTTP_HOST="localhost").status_code == 200


def test_the_health_paths_are_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True  # what the production settings switch on
    assert client.get("/health/live/").status_code == 200
    assert client.get("/health/ready/").status_code == 200
    assert client.get("/admin/login/").status_code == 301


def test_the_cost_of_each_probe(client, django_assert_num_queries):
    rows = []
    for path, queries in [("/health/live/", 0), ("/health/ready/", 1)]:
        with django_assert_num_queries(queries):
            status = client.get(path).status_code
        rows.append(f"| `GET {path}` | {status} | {queries} |")
    table = "| Probe | Status | Database queries |\n| --- | --- | --- |\n" + "\n".join(rows) + "\n"
    assert matches_recorded("examples/django_project/measured/docker-health-queries.md", table)
