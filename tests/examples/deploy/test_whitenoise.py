"""WhiteNoise with CompressedManifestStaticFilesStorage, as settings_production.py configures them:
collectstatic writes hashed, gzipped files, and Django itself serves them with long cache headers."""

from __future__ import annotations

import gzip
import json
import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.template import engines
from django.test import Client

from measurements import matches_recorded

HASHED = re.compile(r"^admin/css/base\.[0-9a-f]{12}\.css$")


@pytest.fixture
def whitenoise(settings, production_env, load_production_settings, collected_static):
    """The test project with the production static-file settings and the collected files."""
    production = load_production_settings()
    settings.MIDDLEWARE = production.MIDDLEWARE
    settings.STORAGES = production.STORAGES
    settings.STATIC_ROOT = str(collected_static)
    settings.DEBUG = False
    return collected_static


def test_collectstatic_writes_hashed_names_gzip_copies_and_a_manifest(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = manifest["paths"]["admin/css/base.css"]
    assert HASHED.match(hashed)
    # The hashed copy's url(...) references were rewritten to hashed names too, so a page that
    # loads base.<hash>.css also gets icons it may cache for ever; the original keeps the old names.
    rewritten = (collected_static / hashed).read_text()
    original = (collected_static / "admin/css/base.css").read_text()
    assert 'url("../img/icon-yes.' in rewritten
    assert re.search(r'url\("\.\./img/icon-yes\.[0-9a-f]{12}\.svg"\)', rewritten)
    assert "url(../img/icon-yes.svg)" in original
    compressed = collected_static / f"{hashed}.gz"
    assert gzip.decompress(compressed.read_bytes()) == (collected_static / hashed).read_bytes()


def test_the_static_tag_prints_the_hashed_url(whitenoise):
    template = engines["django"].from_string("{% load static %}{% static 'admin/css/base.css' %}")
    assert HASHED.match(template.render().removeprefix("/static/"))


def test_a_missing_file_is_an_error_at_render_time_not_a_silent_404(whitenoise):
    # The manifest storage is strict: a typo in {% static %} raises (a 500 in production)
    # instead of printing a URL that will 404.
    with pytest.raises(ValueError, match=re.escape("Missing staticfiles manifest entry for 'admin/css/nope.css'")):
        staticfiles_storage.url("admin/css/nope.css")


def test_whitenoise_serves_the_hashed_file_with_a_cache_header_for_ever(whitenoise):
    url = staticfiles_storage.url("admin/css/base.css")
    response = Client().get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=315360000, public, immutable"  # ten years
    assert response["Content-Type"].startswith("text/css")
    body = b"".join(response.streaming_content)
    assert body == (whitenoise / url.removeprefix("/static/")).read_bytes()


def test_whitenoise_sends_the_gzip_copy_to_a_client_that_accepts_it(whitenoise):
    url = staticfiles_storage.url("admin/css/base.css")
    response = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert response["Vary"] == "Accept-Encoding"  # caches keep the two versions apart
    assert gzip.decompress(b"".join(response.streaming_content)) == (whitenoise / url[len("/static/"):]).read_bytes()


def test_an_unhashed_name_is_served_with_a_short_cache_only(whitenoise):
    response = Client().get("/static/admin/css/base.css")
    assert response.status_code == 200
    assert response["Cache-Control"] == "max-age=60, public"  # it may change at the next deploy


@pytest.mark.django_db
def test_static_responses_never_reach_the_session_middleware(whitenoise, django_assert_num_queries):
    # WhiteNoise answers before SessionMiddleware and AuthenticationMiddleware run: the same
    # session cookie costs a query on a page and nothing on a static file.
    client = Client()
    client.cookies["sessionid"] = "a-session-key-that-has-to-be-looked-up"
    with django_assert_num_queries(1):  # SELECT ... FROM django_session
        assert client.get("/admin/login/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get(staticfiles_storage.url("admin/css/base.css")).status_code == 200


def test_the_headers_are_recorded_for_the_note(whitenoise):
    hashed = staticfiles_storage.url("admin/css/base.css")
    rows = []
    for label, url, accept in [
        ("hashed name", hashed, ""),
        ("hashed name, gzip accepted", hashed, "gzip"),
        ("unhashed name", "/static/admin/css/base.css", ""),
    ]:
        response = Client().get(url, HTTP_ACCEPT_ENCODING=accept)
        encoding = response.get("Content-Encoding", "(none)")
        shown = url.replace(hashed.rsplit(".", 2)[1], "<hash>")
        rows.append(f"| {label} | `{shown}` | {response.status_code} | `{response['Cache-Control']}` | {encoding} |")
    text = ("| Request | Path | Status | Cache-Control | Content-Encoding |\n| --- | --- | ---: | --- | --- |\n"
            + "\n".join(rows) + "\n")
    assert matches_recorded("examples/deploy/measured/whitenoise-headers.md", text)
