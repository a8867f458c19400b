"""What a reader does in a real browser: search, navigate, copy code, switch tabs and colours.

Every test waits for the state it needs (an element, a URL, an attribute), never for time.
Requests to any other origin are blocked and recorded by the `page` fixture; the check that no
page makes one runs with the accessibility check, on the same page loads
(tests/test_accessibility.py).
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from codeblocks import included_text
from sitetools import ROOT, TEST_REPO_URL, choose_scheme, open_search

pytestmark = pytest.mark.browser

SEARCH = ".md-search__input"
RESULT = ".md-search-result__item"


def search(page, query: str, expected: str) -> list[str]:
    """Type `query`, wait until `expected` appears among the results, return result titles.
    Material closes the dialog once more shortly after an instant navigation; if that lands
    while typing, the results are hidden with it, so open the dialog again and retype."""
    for attempt in range(3):
        open_search(page)
        page.locator(SEARCH).fill("")
        page.locator(SEARCH).press_sequentially(query)
        try:
            page.locator(RESULT).filter(has_text=expected).first.wait_for(state="visible", timeout=10_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
    return [item.locator("h1, h2").first.inner_text() for item in page.locator(RESULT).all()]


def at(url: str) -> re.Pattern:
    """The page `url`, scrolled anywhere: Material's anchor tracking may add the heading in view
    to the address as soon as the page is shown (after a click at the foot of the page before)."""
    return re.compile(re.escape(url) + r"(#[^/]*)?$")


# --- search ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("cache invalidation", "Caching"),
        ("select_related", "ORM performance"),
        ("asyncio.gather", "Async and await"),
        ("prefetch_related", "ORM performance"),
        ("docker-compose.yml", "Compose"),
    ],
)
def test_search_finds_the_note_in_the_first_results(page, site_url, query, expected):
    page.goto(site_url)
    titles = search(page, query, expected)
    assert any(expected in title for title in titles[:5]), titles


def test_search_finds_notes_by_tag(page, site_url):
    page.goto(site_url)
    titles = search(page, "graphql", "GraphQL")
    assert any("GraphQL" in title for title in titles[:3]), titles


def test_search_works_from_the_keyboard_alone_and_highlights_the_term(page, site_url):
    page.goto(site_url)
    search(page, "select_related", "ORM performance")
    target = page.locator(RESULT).filter(has_text="ORM performance").first
    # Arrow keys move through the results; Enter opens the focused one.
    for _ in range(10):
        page.keyboard.press("ArrowDown")
        if target.locator("a").first.evaluate(
            "link => link === document.activeElement || link.contains(document.activeElement)"
        ):
            break
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/technologies/django/orm-performance/.*"))
    assert "h=select_related" in page.url
    page.locator("mark[data-md-highlight]").first.wait_for(state="visible")
    assert page.locator("mark[data-md-highlight]").first.inner_text() == "select_related"


def test_search_still_works_after_instant_navigation(page, site_url):
    # Instant navigation takes over links only once Material has read the sitemap, which it
    # fetches after the page has loaded: a click before that is an ordinary full page load.
    with page.expect_response(lambda response: response.url.endswith("/sitemap.xml")):
        page.goto(site_url)
    page.wait_for_load_state("networkidle")
    page.evaluate("window.__samePage = true")
    page.locator(".md-tabs__link", has_text="Concepts").click()
    page.wait_for_url(at(site_url + "concepts/"))
    page.locator(".md-tabs__item--active", has_text="Concepts").wait_for()
    # Instant navigation swaps the content without a reload: the window is still the same one.
    assert page.evaluate("window.__samePage === true")
    search(page, "asyncio.gather", "Async and await")


# --- navigation ------------------------------------------------------------------------------


def test_tabs_lead_to_section_index_pages(page, site_url):
    page.goto(site_url)
    for label, path in [("Technologies", "technologies/"), ("Concepts", "concepts/"), ("About", "about/")]:
        page.locator(".md-tabs__link", has_text=label).click()
        page.wait_for_url(at(site_url + path))
        # Instant navigation updates the address first and the tabs a moment later.
        page.locator(".md-tabs__item--active", has_text=label).wait_for()
        assert page.locator("article.md-content__inner > h1").inner_text().strip() == page.title().split(" - ")[0]


def test_sidebar_is_pruned_to_the_current_section(page, site_url):
    page.goto(site_url + "technologies/python/generators/")
    sidebar = page.locator("nav.md-nav--primary")
    hrefs = sidebar.locator("a").evaluate_all("links => links.map(link => link.href)")
    assert any(href.endswith("/technologies/python/decorators/") for href in hrefs)
    # Other sections keep only their index page; the notes inside them are pruned away.
    assert any(href.endswith("/concepts/") for href in hrefs)
    assert not any("/concepts/" in href and not href.endswith("/concepts/") for href in hrefs)
    assert not any("/technologies/drf/" in href and not href.endswith("/technologies/drf/") for href in hrefs)


def test_footer_links_to_the_previous_and_next_page(page, site_url):
    page.goto(site_url + "technologies/python/decorators/")
    assert page.locator("a.md-footer__link--prev").get_attribute("href").endswith("generators/")
    page.locator("a.md-footer__link--next").click()
    page.wait_for_url(at(site_url + "technologies/python/context-managers/"))


def test_back_to_top_button_returns_to_the_top(page, site_url):
    page.goto(site_url + "technologies/python/generators/")
    page.mouse.wheel(0, 4000)
    page.wait_for_function("window.scrollY > 2000")
    # Material shows the button when the reader scrolls back up a little.
    page.mouse.wheel(0, -300)
    button = page.locator(".md-top")
    button.wait_for(state="visible")
    # Click where the reader sees it. Playwright's own click first scrolls the button into view;
    # once in a series of ten runs the button was hidden again by then (Material shows it only
    # while the reader scrolls up).
    page.wait_for_function("!document.querySelector('.md-top').hidden")
    box = button.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.wait_for_function("window.scrollY === 0")


def test_deep_link_to_an_anchor_scrolls_to_it(page, site_url):
    page.goto(site_url + "technologies/python/generators/#generator-expressions")
    heading = page.locator("#generator-expressions")
    page.wait_for_function(
        "Math.abs(document.getElementById('generator-expressions').getBoundingClientRect().top) < 200"
    )
    assert heading.is_visible()


def test_mobile_drawer_reaches_a_nested_note(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(site_url)
    drawer = page.locator("nav.md-nav--primary")
    # The navigation is pruned, so each level is reached from the page above it.
    for link, address in [("Technologies", "technologies/"), ("Python", "technologies/python/"),
                          ("Generators", "technologies/python/generators/")]:
        page.wait_for_function("!document.getElementById('__drawer').checked")
        page.locator("label.md-header__button[for='__drawer']").click()
        page.wait_for_function("document.getElementById('__drawer').checked")
        drawer.locator("a.md-nav__link", has_text=link).first.click()
        page.wait_for_url(at(site_url + address))
        # The address changes before the new content is in place.
        page.locator("article.md-content__inner > h1", has_text=link).wait_for()
    context.close()


# --- reading aids ----------------------------------------------------------------------------


def test_copy_button_puts_the_exact_code_on_the_clipboard(browser, site_url):
    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(site_url + "technologies/python/generators/")
    block = page.locator("div.highlight").first
    expected = included_text("examples/generators/basics.py:countdown", ROOT)
    assert block.locator("code").text_content().rstrip("\n") == expected.rstrip("\n")
    block.hover()
    block.locator("button.md-code__button[data-md-type='copy']").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    context.close()
    assert copied.rstrip("\n") == expected.rstrip("\n")


def test_content_tabs_stay_linked_across_blocks_and_pages(page, site_url):
    page.goto(site_url + "technologies/python/testing/")
    page.locator(".tabbed-labels label", has_text="pytest").first.click()
    checked = page.locator(".tabbed-set").evaluate_all(
        "sets => sets.map(set => set.querySelector('input:checked + label, .tabbed-labels label') && "
        "[...set.querySelectorAll(':scope > input')].findIndex(input => input.checked))"
    )
    labels = page.locator(".tabbed-set").evaluate_all(
        "sets => sets.map(set => { const input = set.querySelector(':scope > input:checked');"
        " return set.querySelector(`label[for='${input.id}']`).innerText.trim(); })"
    )
    assert checked and set(labels) == {"pytest"}
    page.reload()
    page.wait_for_load_state("load")
    first = page.locator(".tabbed-set").first.evaluate(
        "set => { const input = set.querySelector(':scope > input:checked');"
        " return set.querySelector(`label[for='${input.id}']`).innerText.trim(); }"
    )
    assert first == "pytest"


def test_palette_toggle_switches_and_persists_across_pages_and_reloads(page, site_url):
    page.emulate_media(color_scheme="light")
    page.goto(site_url)
    page.wait_for_function("document.body.dataset.mdColorScheme === 'default'")
    choose_scheme(page, "slate")
    page.locator(".md-tabs__link", has_text="Concepts").click()
    page.wait_for_url(at(site_url + "concepts/"))
    assert page.evaluate("document.body.dataset.mdColorScheme") == "slate"
    page.reload()
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")


def test_edit_this_page_opens_the_markdown_source_on_github(page, site_url):
    page.goto(site_url + "technologies/django/signals/")
    edit = page.locator("a.md-content__button[rel='edit']")
    assert edit.get_attribute("href") == f"{TEST_REPO_URL}/edit/main/docs/technologies/django/signals.md"
