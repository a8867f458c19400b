"""Every link and anchor in the built site works when served under the GitHub Pages sub-path."""

from __future__ import annotations

import re
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from sitetools import ROOT, crawl, free_port, html_pages, page_url, parse_html, serve


@pytest.fixture(scope="module")
def site_crawl(site_url):
    return crawl(site_url)


def test_every_link_resource_and_anchor_resolves(site_crawl):
    assert site_crawl.problems == []


def test_every_page_is_reachable_by_following_links(site, site_url, site_crawl):
    expected = {page_url(site, path, site_url) for path in html_pages(site)}
    assert expected - site_crawl.pages == set()


def test_every_page_is_reachable_from_the_navigation(site, site_url, site_crawl):
    expected = {page_url(site, path, site_url) for path in html_pages(site)}
    assert expected - site_crawl.nav_targets == set()


def test_unknown_address_gets_the_404_page_with_working_links(site_url):
    deep = site_url + "no/such/note/"
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(deep, timeout=10)
    assert answer.value.code == 404
    page = parse_html(answer.value.read().decode("utf-8"))
    assert "page-not-found" in page.ids
    broken = []
    for reference in page.references:
        target = urllib.parse.urljoin(deep, reference.url).partition("#")[0]
        if target.startswith(site_url.rstrip("/")) and target != deep:
            try:
                urllib.request.urlopen(target, timeout=10).close()
            except urllib.error.HTTPError as error:
                broken.append(f"{reference.url} -> {error.code}")
    assert broken == []


def test_crawler_reports_broken_links_missing_anchors_and_escaped_sub_paths(tmp_path):
    (tmp_path / "guide").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="guide/">guide</a>\n<a href="guide/#setup">setup</a>\n'
        '<a href="guide/#nowhere">bad anchor</a>\n<a href="missing/">missing</a>\n'
        '<link rel="stylesheet" href="/assets/site.css">\n',
        encoding="utf-8",
    )
    (tmp_path / "guide" / "index.html").write_text('<h2 id="setup">Setup</h2>', encoding="utf-8")

    with serve(tmp_path, free_port()) as base:
        report = crawl(base)

    assert sorted(problem.split(": ", 1)[1] for problem in report.problems) == [
        "<a> missing/ -> HTTP 404",
        "<link> /assets/site.css -> HTTP 404",
        "link guide/#nowhere -> no element with id 'nowhere'",
    ]


def linked_pages(index: Path) -> set[Path]:
    text = index.read_text(encoding="utf-8")
    return {(index.parent / target).resolve() for target in re.findall(r"\]\(([^)#\s]+\.md)(?:#[^)]*)?\)", text)}


def test_every_note_is_listed_on_its_section_index():
    docs = ROOT / "docs"
    unlisted = []
    for page in sorted(docs.rglob("*.md")):
        if page.parent == docs:
            continue
        # A note is listed by its folder's index; a folder's index by the index one level up.
        index = page.parent / "index.md" if page.name != "index.md" else page.parent.parent / "index.md"
        if index.parent == docs:
            continue
        if page.resolve() not in linked_pages(index):
            unlisted.append(f"{page.relative_to(docs)} is not linked from {index.relative_to(docs)}")
    assert unlisted == []


def test_section_index_check_finds_an_unlisted_note(tmp_path):
    (tmp_path / "index.md").write_text("See [the first note](first.md) and [a section](#part).\n", encoding="utf-8")
    assert linked_pages(tmp_path / "index.md") == {(tmp_path / "first.md").resolve()}


def test_every_program_module_links_to_at_least_one_note():
    program = ROOT / "docs" / "program" / "index.md"
    rows = [line for line in program.read_text(encoding="utf-8").splitlines() if re.match(r"^\| \d+ \|", line)]
    assert len(rows) == 17
    bare = []
    for row in rows:
        targets = {(program.parent / t).resolve() for t in re.findall(r"\]\(([^)#\s]+\.md)", row.split("|")[4])}
        if not targets or not all(target.exists() for target in targets):
            bare.append(row.split("|")[2].strip())
    assert bare == []
