"""Session fixtures: the real site, built once and served under the GitHub Pages sub-path."""

from __future__ import annotations

import os

import pytest

from sitetools import CHROMIUM_ARGS, ROOT, SUBPATH, Build, build_site, find_chromium, free_port, origin_of, serve


@pytest.fixture(scope="session")
def site_port() -> int:
    return free_port()


@pytest.fixture(scope="session")
def site_build(tmp_path_factory, site_port) -> Build:
    return build_site(ROOT, tmp_path_factory.mktemp("site"), f"http://127.0.0.1:{site_port}{SUBPATH}")


@pytest.fixture(scope="session")
def site(site_build):
    """The built site's directory; every test that needs it fails if the build failed."""
    if site_build.returncode != 0:
        pytest.fail(f"the site did not build:\n{site_build.output}")
    return site_build.site_dir


@pytest.fixture(scope="session")
def site_url(site, site_port):
    with serve(site, site_port) as url:
        yield url


# --- a real browser ------------------------------------------------------------------------------

def chromium_path() -> str:
    try:
        return find_chromium()
    except RuntimeError as error:
        pytest.fail(str(error))


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    # Chromium leaves profile folders behind in TMPDIR when a launch fails.
    os.environ["TMPDIR"] = str(tmp_path_factory.mktemp("chromium"))
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, site_url):
    """A fresh page whose requests to any other origin are blocked and recorded in `page.offsite`."""
    context = browser.new_context()
    page = context.new_page()
    page.offsite = []

    def guard(route):
        if origin_of(route.request.url) == origin_of(site_url):
            route.continue_()
        else:
            page.offsite.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    yield page
    context.close()


# --- real database and cache servers (started only for the tests that ask for them) ------------


@pytest.fixture(scope="session")
def postgres():
    from services import postgres_server

    with postgres_server() as server:
        yield server


@pytest.fixture(scope="session")
def redis(tmp_path_factory):
    from services import redis_server

    with redis_server(tmp_path_factory.mktemp("redis")) as server:
        yield server
