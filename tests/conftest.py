"""Session fixtures: the real site, built once and served under the GitHub Pages sub-path."""

from __future__ import annotations

import pytest

from sitetools import ROOT, SUBPATH, Build, build_site, free_port, serve


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
