"""The front matter contract: the code the build runs, checked on every page and on bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from front_matter import ContractError, check_page, is_note, load_validators, load_vocabulary
from sitetools import ROOT, build_site, copy_project

DOCS = ROOT / "docs"
VALIDATORS = load_validators(load_vocabulary())


def all_pages() -> list[Path]:
    return sorted(DOCS.rglob("*.md"))


@pytest.mark.parametrize("page", all_pages(), ids=lambda page: page.relative_to(DOCS).as_posix())
def test_every_page_meets_the_contract(page):
    src_uri = page.relative_to(DOCS).as_posix()
    validator = VALIDATORS["note" if is_note(src_uri) else "page"]
    assert check_page(page.read_text(encoding="utf-8"), f"docs/{src_uri}", validator) == []


def test_notes_need_tags_and_section_pages_do_not():
    assert is_note("concepts/caching.md")
    assert is_note("about/contributing.md")
    assert not is_note("concepts/index.md")
    assert not is_note("glossary.md")


GOOD = "title: Caching strategies\ndescription: Where to cache and how to keep a cache fresh.\ntags:\n  - caching\n"

BAD_PAGES = {
    "unknown tag with a suggestion": (
        "---\ntitle: Caching strategies\ndescription: Where to cache and how to keep a cache fresh.\n"
        "tags:\n  - cachng\n---\n",
        ["docs/concepts/caching.md:5: unknown tag 'cachng' (did you mean 'caching'?)"],
    ),
    "invalid YAML": (
        "---\ntitle: Caching strategies\ndescription: [unclosed\ntags:\n  - caching\n---\n",
        ["docs/concepts/caching.md:4: front matter is not valid YAML: expected ',' or ']', but got ':'"],
    ),
    "missing description": (
        "---\ntitle: Caching strategies\ntags:\n  - caching\n---\n",
        ["docs/concepts/caching.md:1: missing required field 'description'"],
    ),
    "missing tags on a note": (
        "---\ntitle: Caching strategies\ndescription: Where to cache and how to keep a cache fresh.\n---\n",
        ["docs/concepts/caching.md:1: missing required field 'tags'"],
    ),
    "over-long description": (
        "---\ntitle: Caching strategies\ndescription: " + "x" * 161 + "\ntags:\n  - caching\n---\n",
        ["docs/concepts/caching.md:3: description is 161 characters long; the limit is 160"],
    ),
    "misspelt field": (
        "---\ntitle: Caching strategies\ndescripton: Where to cache and how to keep a cache fresh.\n"
        "tags:\n  - caching\n---\n",
        [
            "docs/concepts/caching.md:1: missing required field 'description'",
            "docs/concepts/caching.md:3: unknown field 'descripton' (did you mean 'description'?)",
        ],
    ),
    "tags as a string": (
        "---\ntitle: Caching strategies\ndescription: Where to cache and how to keep a cache fresh.\n"
        "tags: caching\n---\n",
        ["docs/concepts/caching.md:4: tags must be of type array, not str"],
    ),
    "repeated tag": (
        "---\n" + GOOD + "  - caching\n---\n",
        ["docs/concepts/caching.md:6: tags lists 'caching' more than once"],
    ),
    "no front matter": (
        "Just text.\n",
        ["docs/concepts/caching.md:1: no front matter: start the page with '---', then title, description and tags"],
    ),
    "front matter never closed": (
        "---\n" + GOOD,
        ["docs/concepts/caching.md:1: front matter is not closed: add a '---' line after it"],
    ),
    "front matter that is a list": (
        "---\n- caching\n---\n",
        ["docs/concepts/caching.md:2: front matter must be a mapping of fields (title: ..., description: ...)"],
    ),
}


@pytest.mark.parametrize("case", BAD_PAGES, ids=list(BAD_PAGES))
def test_bad_front_matter_is_rejected_with_file_and_line(case):
    text, expected = BAD_PAGES[case]
    problems = check_page(text, "docs/concepts/caching.md", VALIDATORS["note"])
    assert [str(problem) for problem in problems] == expected


def test_good_front_matter_passes():
    assert check_page("---\n" + GOOD + "---\n\nBody.\n", "docs/concepts/caching.md", VALIDATORS["note"]) == []


def test_vocabulary_with_a_badly_formed_tag_is_rejected(tmp_path):
    vocabulary = tmp_path / "tags.yml"
    vocabulary.write_text("Caching Strategies: Tags are lower-case words joined by hyphens.\n", encoding="utf-8")
    with pytest.raises(ContractError, match="does not match"):
        load_vocabulary(vocabulary)


def test_build_fails_on_an_unknown_tag_naming_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs/about/contributing.md"
    misspelt = page.read_text(encoding="utf-8").replace("  - knowledge-base\n", "  - knowledge-bas\n", 1)
    page.write_text(misspelt, encoding="utf-8")

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert "docs/about/contributing.md:5: unknown tag 'knowledge-bas' (did you mean 'knowledge-base'?)" in build.output


def test_front_matter_errors_become_pull_request_annotations_on_github(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs/about/contributing.md"
    misspelt = page.read_text(encoding="utf-8").replace("  - knowledge-base\n", "  - knowledge-bas\n", 1)
    page.write_text(misspelt, encoding="utf-8")

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/", env={"GITHUB_ACTIONS": "true"})

    assert "::error file=docs/about/contributing.md,line=5::unknown tag 'knowledge-bas'" in build.output


def test_note_templates_in_contributing_meet_the_contract():
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    templates = [block for block in text.split("````markdown\n")[1:] if block.startswith("---\n")]
    assert len(templates) == 3
    for template in templates:
        assert check_page(template.split("````")[0], "CONTRIBUTING.md", VALIDATORS["note"]) == []
