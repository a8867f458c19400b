"""The page-weight budgets that are cheap to check, on the real built site (sizes gzipped)."""

from __future__ import annotations

import os

from budgets import (
    HOME_FIRST_LOAD_BUDGET,
    KB,
    NOTE_FIRST_LOAD_CEILING,
    SHARED_ASSETS_BUDGET,
    first_load,
    gzipped_size,
    loaded_files,
    search_worker,
    shared_assets,
)
from front_matter import is_note
from sitetools import ROOT, html_pages


def notes(site):
    """Built pages whose source is a note (docs/<section>/<name>.md, not an index page)."""
    return [page for page in html_pages(site) if page.parent != site
            and is_note(page.parent.relative_to(site).as_posix() + ".md")
            and (ROOT / "docs" / (page.parent.relative_to(site).as_posix() + ".md")).is_file()]


def test_the_estimate_counts_the_stylesheets_scripts_and_search_worker(site):
    files = {path.relative_to(site).as_posix() for path in loaded_files(site, site / "index.html")}
    assert "index.html" in files
    assert search_worker(site).relative_to(site).as_posix() in files
    assert any(name.startswith("assets/stylesheets/main.") for name in files)
    assert any(name.startswith("assets/javascripts/bundle.") for name in files)
    assert not any(name.endswith("search_index.json") for name in files)


def test_what_every_page_loads_stays_within_its_share_of_the_budget(site):
    shared = shared_assets(site, html_pages(site))
    weight = sum(gzipped_size(path) for path in shared)
    listing = ", ".join(f"{path.relative_to(site)} {gzipped_size(path) / KB:.1f} KB" for path in sorted(shared))
    assert weight <= SHARED_ASSETS_BUDGET, f"every page loads {weight / KB:.1f} KB: {listing}"


def test_the_home_page_meets_the_first_load_budget(site):
    assert first_load(site, site / "index.html") <= HOME_FIRST_LOAD_BUDGET


def test_there_are_notes_to_weigh(site):
    assert len(notes(site)) >= 40


def test_no_note_is_heavier_than_the_ceiling(site):
    heavy = {page.relative_to(site).parent.as_posix(): round(first_load(site, page) / KB, 1) for page in notes(site)
             if first_load(site, page) > NOTE_FIRST_LOAD_CEILING}
    assert heavy == {}, (f"over {NOTE_FIRST_LOAD_CEILING / KB:.0f} KB gzipped on first load (KB): {heavy}; "
                         "split the note, or lighten its diagrams and code (docs/about/decisions/0007-page-weight.md)")


def test_a_heavier_page_crosses_the_ceiling(site):
    # The home page plus 100 KB of random hex (about 50 KB gzipped) must weigh that much more and
    # cross the ceiling, so the check above cannot pass by measuring nothing.
    page = site / "index.html"
    probe = page.with_name("budget-probe.html")
    try:
        probe.write_bytes(page.read_bytes().replace(b"</body>", os.urandom(50 * KB).hex().encode() + b"</body>"))
        assert first_load(site, probe) - first_load(site, page) > 45 * KB
        assert first_load(site, probe) > NOTE_FIRST_LOAD_CEILING
    finally:
        probe.unlink()


def test_the_estimate_counts_only_the_first_lazy_image(tmp_path):
    # A lazy image near the top loads at once, the rest when the reader scrolls near them.
    (tmp_path / "assets" / "javascripts" / "workers").mkdir(parents=True)
    (tmp_path / "assets" / "javascripts" / "workers" / "search.test.min.js").write_text("worker")
    for name in ["first.svg", "second.svg", "eager.svg"]:
        (tmp_path / name).write_text("<svg/>")
    page = tmp_path / "index.html"
    page.write_text('<img src="first.svg" loading="lazy" alt="a"><img src="second.svg" loading="lazy" alt="b">'
                    '<img src="eager.svg" alt="c">')

    files = {path.name for path in loaded_files(tmp_path, page)}

    assert files == {"index.html", "search.test.min.js", "first.svg", "eager.svg"}
