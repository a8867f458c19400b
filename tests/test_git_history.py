"""Page dates: a build without full Git history still succeeds, except where dates must be right."""

from __future__ import annotations

import logging
import subprocess

import pytest

from sitetools import ROOT, build_site, copy_project

LOCAL_URL = "http://127.0.0.1:8000/alx-project-nexus/"


def test_build_from_an_archive_falls_back_to_the_build_date_and_says_so_once(tmp_path):
    project = copy_project(tmp_path / "unpacked-archive")

    build = build_site(project, tmp_path / "site", LOCAL_URL)

    assert build.returncode == 0, build.output
    assert build.output.count("no git repository: page 'created' and 'updated' dates fall back to the build date") == 1
    # The dates plugin announces its fallback once while it configures; no line per page.
    assert build.output.count("Falling back to build date") <= 1


@pytest.fixture
def shallow_clone(tmp_path):
    clone = tmp_path / "shallow"
    subprocess.run(["git", "clone", "--quiet", "--depth", "1", f"file://{ROOT}", str(clone)], check=True)
    return clone


def test_shallow_clone_builds_locally_with_a_notice(shallow_clone, tmp_path):
    build = build_site(shallow_clone, tmp_path / "site", LOCAL_URL)

    assert build.returncode == 0, build.output
    assert "shallow clone: 'created' dates are those of the oldest commit present" in build.output


def test_shallow_clone_fails_on_github_actions_and_says_how_to_fix_it(shallow_clone, tmp_path):
    build = build_site(shallow_clone, tmp_path / "site", LOCAL_URL, env={"GITHUB_ACTIONS": "true"})

    assert build.returncode != 0
    assert "git history is shallow" in build.output
    assert "fetch-depth: 0" in build.output


def test_dates_warning_is_dropped_for_an_uncommitted_page_and_kept_for_a_committed_one():
    # Without history the dates plugin takes "now" twice for a page, and whenever the second
    # reading is later it warns that the creation is newer than the update. That warning would
    # fail the strict build of a contributor's new note at random, until the note is committed.
    from git_history import NewPageDates

    page_filter = NewPageDates(str(ROOT / "docs"))

    def record(page: str) -> logging.LogRecord:
        message = f"First revision timestamp is older than last revision timestamp for page {page}. This can be..."
        return logging.LogRecord("dates", logging.WARNING, __file__, 1, message, None, None)

    assert page_filter.filter(record("about/index.md")) is True
    assert page_filter.filter(record("about/not-committed-yet.md")) is False
    other = logging.LogRecord("dates", logging.WARNING, __file__, 1, "something else", None, None)
    assert page_filter.filter(other) is True
