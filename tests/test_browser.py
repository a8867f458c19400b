"""The built site in a real headless Chromium: pages load, search answers, nothing leaves the origin."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_home_page_loads_with_styles_and_no_offsite_requests(page, site_url):
    page.goto(site_url)
    assert page.title() == "ALX Project Nexus"
    assert page.locator(".md-header").is_visible()
    # Material's stylesheet has loaded when its layout applies.
    assert page.locator(".md-header").evaluate("element => getComputedStyle(element).position") == "sticky"
    assert page.offsite == []


def test_search_finds_a_page_by_a_word_in_its_text(page, site_url):
    page.goto(site_url)
    page.locator(".md-search__input").click()
    page.locator(".md-search__input").press_sequentially("roadmap")

    items = page.locator(".md-search-result__item")
    items.filter(has_text="Roadmap").first.wait_for(state="visible")
    titles = [item.locator("h1, h2").first.inner_text() for item in items.all()[:3]]
    assert "Roadmap" in titles


def test_unknown_address_shows_the_styled_404_page(page, site_url):
    response = page.goto(site_url + "no/such/note/")
    assert response.status == 404
    assert page.locator("article h1").inner_text() == "Page not found"
    assert page.locator(".md-header").evaluate("element => getComputedStyle(element).position") == "sticky"
    assert page.offsite == []
