"""What the build must produce beside the pages: sitemap, search index, 404 page, metadata."""

from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from front_matter import is_note
from sitetools import ROOT, SUBPATH, TEST_REPO_URL, html_pages, page_url

DOCS = ROOT / "docs"


def page_sources() -> list[str]:
    return sorted(path.relative_to(DOCS).as_posix() for path in DOCS.rglob("*.md"))


def built_page(site: Path, src_uri: str) -> Path:
    stem = src_uri[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return site / stem.removesuffix("index") / "index.html"
    return site / stem / "index.html"


def front_matter(src_uri: str) -> dict:
    text = (DOCS / src_uri).read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n")[1])


def meta(html: str, attribute: str, name: str) -> str | None:
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)"', html)
    return match.group(1) if match else None


def unescape(text: str) -> str:
    return text.replace("&#39;", "'").replace("&quot;", '"').replace("&amp;", "&")


def test_sitemap_lists_every_page_under_the_site_url(site, site_url):
    tree = ElementTree.parse(site / "sitemap.xml")
    listed = {element.text for element in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    assert listed == {page_url(site, path, site_url) for path in html_pages(site)}


def test_search_index_holds_every_page(site):
    index = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    indexed = {document["location"] for document in index["docs"] if "#" not in document["location"]}
    pages = {page_url(site, path, "") for path in html_pages(site)}
    assert pages - indexed == set()


def test_search_separator_keeps_code_identifiers_findable(site):
    config = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    separator = re.compile(config["separator"])
    for identifier, tokens in {
        "select_related": ["select_related"],
        "cache_page": ["cache_page"],
        "asyncio.gather": ["asyncio", "gather"],
        "docker-compose.yml": ["docker", "compose", "yml"],
    }.items():
        assert [token for token in separator.split(identifier) if token] == tokens


def test_404_page_uses_absolute_addresses_under_the_sub_path(site):
    html = (site / "404.html").read_text(encoding="utf-8")
    assets = re.findall(r'(?:href|src)="([^"#]+\.(?:css|js))"', html)
    assert assets, "the 404 page loads no styles or scripts"
    assert all(asset.startswith(SUBPATH) for asset in assets), assets


@pytest.mark.parametrize("src_uri", page_sources())
def test_page_carries_its_own_description_canonical_and_social_metadata(site, site_url, src_uri):
    html = built_page(site, src_uri).read_text(encoding="utf-8")
    fields = front_matter(src_uri)
    address = site_url + (src_uri[: -len("index.md")] if src_uri.endswith("index.md") else src_uri[: -len(".md")] + "/")

    assert unescape(meta(html, "name", "description")) == fields["description"]
    assert unescape(meta(html, "property", "og:description")) == fields["description"]
    assert unescape(meta(html, "property", "og:title")) == fields["title"]
    assert unescape(meta(html, "name", "twitter:title")) == fields["title"]
    assert f'<link rel="canonical" href="{address}">' in html
    assert meta(html, "property", "og:url") == address


@pytest.mark.parametrize("src_uri", [uri for uri in page_sources() if uri != "tags.md"])
def test_page_offers_edit_and_view_source_on_github(site, src_uri):
    html = built_page(site, src_uri).read_text(encoding="utf-8")
    assert f'href="{TEST_REPO_URL}/edit/main/docs/{src_uri}"' in html
    assert f'href="{TEST_REPO_URL}/raw/main/docs/{src_uri}"' in html


def test_repository_link_does_not_call_the_github_api(site):
    # Material fetches star and fork counts for an element marked data-md-component="source".
    html = (site / "index.html").read_text(encoding="utf-8")
    assert f'href="{TEST_REPO_URL}"' in html
    assert 'data-md-component="source"' not in html


def test_tags_page_lists_every_tagged_note(site):
    html = (site / "tags" / "index.html").read_text(encoding="utf-8")
    for src_uri in page_sources():
        if is_note(src_uri):
            for tag in front_matter(src_uri)["tags"]:
                assert f'id="tag:{tag}"' in html, f"{tag} (from {src_uri}) missing on the tags page"


def _git_date(*arguments: str) -> str:
    output = subprocess.run(["git", "log", "--format=%at", *arguments, "--", "docs/about/index.md"],
                            cwd=ROOT, capture_output=True, text=True, check=True).stdout.split()
    moment = datetime.fromtimestamp(int(output[-1]), tz=UTC)
    return f"{moment:%B} {moment.day}, {moment.year} {moment:%H:%M:%S} UTC"


def test_page_dates_come_from_git_history(site):
    html = (site / "about" / "index.html").read_text(encoding="utf-8")
    updated, created = _git_date("-1"), _git_date("--diff-filter=A")
    assert re.search(rf'title="Last update">.*?title="{updated}"', html, re.S)
    assert re.search(rf'title="Created">.*?title="{created}"', html, re.S)


@pytest.mark.parametrize("src_uri", page_sources())
def test_page_has_one_h1_and_it_is_the_front_matter_title(site, src_uri):
    html = built_page(site, src_uri).read_text(encoding="utf-8")
    article = html.split('<article class="md-content__inner md-typeset">', 1)[1].split("</article>", 1)[0]
    headings = [
        re.sub(r"<[^>]+>|¶|&para;", "", heading).strip()
        for heading in re.findall(r"<h1[^>]*>(.*?)</h1>", article, re.S)
    ]
    assert headings == [unescape(front_matter(src_uri)["title"])]
