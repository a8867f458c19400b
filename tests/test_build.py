"""The strict build: zero warnings on the real site, and a failed build for each kind of mistake."""

from __future__ import annotations

import pytest

from sitetools import build_site, copy_project

LOCAL_URL = "http://127.0.0.1:8000/alx-project-nexus/"


def test_real_site_builds_strict_with_no_warnings(site_build):
    assert site_build.returncode == 0, site_build.output
    assert site_build.warnings == []


def test_build_output_has_no_end_of_life_banner(site_build):
    # NO_MKDOCS_2_WARNING keeps Material's notice out of every command's output.
    assert "MkDocs 2.0" not in site_build.output


MISTAKES = {
    "broken link": (
        "docs/about/index.md",
        "\nSee [the missing page](no-such-page.md).\n",
        ["about/index.md", "no-such-page.md"],
    ),
    "broken anchor": (
        "docs/about/index.md",
        "\nSee [a missing section](contributing.md#no-such-heading).\n",
        ["about/index.md", "#no-such-heading"],
    ),
    "root-absolute link that ignores the sub-path": (
        "docs/about/index.md",
        "\nSee [contributing](/about/contributing/).\n",
        ["about/index.md", "/about/contributing/"],
    ),
    "missing snippet file": (
        "docs/about/index.md",
        '\n``` python\n--8<-- "examples/no_such_file.py"\n```\n',
        ["no_such_file.py"],
    ),
    "page left out of the nav": (
        "docs/about/orphan.md",
        "---\ntitle: Orphan page\ndescription: A page that no navigation entry points to.\n"
        "tags: [knowledge-base]\n---\n\nText.\n",
        ["about/orphan.md", "not included in the \"nav\""],
    ),
}


@pytest.mark.parametrize("mistake", MISTAKES, ids=list(MISTAKES))
def test_strict_build_fails_and_names_the_cause(tmp_path, mistake):
    relative, text, expected = MISTAKES[mistake]
    project = copy_project(tmp_path / "project")
    page = project / relative
    page.write_text((page.read_text(encoding="utf-8") if page.exists() else "") + text, encoding="utf-8")

    build = build_site(project, tmp_path / "site", LOCAL_URL)

    assert build.returncode != 0, build.output
    for fragment in expected:
        assert fragment in build.output, build.output


def test_nav_entry_without_a_file_fails_the_build(tmp_path):
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("  - Tags: tags.md", "  - Tags: tags.md\n  - Ghost: ghost.md"),
        encoding="utf-8",
    )

    build = build_site(project, tmp_path / "site", LOCAL_URL)

    assert build.returncode != 0
    assert "ghost.md" in build.output


def test_build_without_a_repository_address_leaves_out_edit_links(tmp_path):
    build = build_site(copy_project(tmp_path / "project"), tmp_path / "site", LOCAL_URL, env={"REPO_URL": ""})

    assert build.returncode == 0, build.output
    assert "REPO_URL is not set" in build.output
    assert 'rel="edit"' not in (tmp_path / "site" / "about" / "index.html").read_text(encoding="utf-8")
