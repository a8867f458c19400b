"""axe-core on every built page, in both colour schemes, at desktop and mobile widths: zero
violations and no allow-list. Also keyboard basics: a working skip link and visible focus."""

from __future__ import annotations

import pytest

from accessibility import images_without_alt
from sitetools import ROOT, build_site, choose_scheme, copy_project, html_pages, page_url

pytestmark = pytest.mark.browser

AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
SCHEMES = {"light": "default", "dark": "slate"}
# Transitions only delay the final colours; without them every check sees the settled page.
NO_MOTION = "*, *::before, *::after { transition: none !important; animation: none !important; }"
# Material makes a code block that overflows focusable (tabindex 0) from a resize observer, a
# moment after the width changes: axe must see the page after that, not before.
SCROLLABLE_CODE_SETTLED = """() => [...document.querySelectorAll("pre > code")]
  .every(code => code.scrollWidth <= code.clientWidth || code.tabIndex === 0)"""
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


def violations(page) -> list[str]:
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(content=AXE)
    return page.evaluate(RUN_AXE)


PARTS = 4


@pytest.mark.parametrize("part", range(PARTS))
def test_every_page_has_zero_axe_violations_and_requests_nothing_from_another_origin(page, site, site_url, part):
    # One load per page serves two checks: axe in every scheme and width (the palette toggle
    # switches the scheme in place), and privacy (the `page` fixture blocks and records every
    # request that leaves the site's origin). The pages are dealt into parts so that test
    # workers can share them.
    found = {}
    addresses = [page_url(site, path, site_url) for path in html_pages(site)] + [site_url + "no/such/page/"]
    assert len(addresses) == len(html_pages(site)) + 1
    for address in addresses[part::PARTS]:
        page.goto(address, wait_until="load")
        page.add_style_tag(content=NO_MOTION)
        for scheme, attribute in SCHEMES.items():
            page.set_viewport_size(VIEWPORTS["desktop"])
            choose_scheme(page, attribute)
            for viewport, size in VIEWPORTS.items():
                page.set_viewport_size(size)
                page.wait_for_function(SCROLLABLE_CODE_SETTLED)
                problems = violations(page)
                if problems:
                    found[f"{address.removeprefix(site_url) or '/'} [{scheme}, {viewport}]"] = problems
    assert found == {}
    assert page.offsite == []


def test_axe_reports_a_page_that_breaks_the_rules(browser):
    page = browser.new_page()
    page.set_content(
        '<html lang="en"><body><main><img src="chart.png">'
        '<p style="color:#999;background:#aaa">faint</p></main></body></html>'
    )
    problems = violations(page)
    page.close()
    assert any(problem.startswith("image-alt") for problem in problems)
    assert any(problem.startswith("color-contrast") for problem in problems)


def test_skip_link_is_the_first_stop_and_moves_to_the_content(page, site_url):
    page.goto(site_url + "about/how-this-site-is-built/")
    page.keyboard.press("Tab")
    skip = page.locator(".md-skip")
    assert skip.evaluate("element => element === document.activeElement")
    assert skip.is_visible()
    target = skip.get_attribute("href")
    page.keyboard.press("Enter")
    page.wait_for_function(f"location.hash === '{target[target.index('#'):]}'")


FOCUS_STYLE = """element => {
  // A visually hidden input (the palette toggle) shows its focus on the label after it.
  const shown = element.offsetWidth === 0 && element.nextElementSibling?.tagName === "LABEL"
    ? element.nextElementSibling : element;
  const style = getComputedStyle(shown);
  return ["outlineStyle", "outlineWidth", "outlineColor", "boxShadow", "backgroundColor", "color",
          "textDecorationLine", "borderColor"].map(name => style[name]).join(" | ");
}"""


def test_keyboard_focus_is_always_visible(page, site_url):
    # For each Tab stop, the focused element (or the label that stands for it) must look different
    # from the same element without focus.
    page.goto(site_url + "about/contributing/")
    page.add_style_tag(content=NO_MOTION)
    invisible = []
    for _ in range(40):
        page.keyboard.press("Tab")
        focused = page.evaluate_handle("document.activeElement")
        if focused.evaluate("element => element === document.body"):
            break
        with_focus = focused.evaluate(FOCUS_STYLE)
        focused.evaluate("element => element.blur()")
        without_focus = focused.evaluate(FOCUS_STYLE)
        focused.evaluate("element => element.focus()")
        if with_focus == without_focus:
            invisible.append(focused.evaluate("element => element.tagName + '.' + element.className"))
    assert invisible == []


def test_build_fails_on_an_image_without_alt_text(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "about" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![](../assets/images/favicon.svg)\n", encoding="utf-8")

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert "docs/about/index.md:" in build.output and "has no alt text" in build.output


def test_images_named_in_inline_code_or_code_blocks_are_not_images():
    markdown = 'Two `<img>` elements and ``<img src="x.svg">``.\n\n```html\n<img src="x.svg">\n```\n<img src="y.svg">\n'
    assert images_without_alt(markdown) == [(6, '<img src="y.svg">')]


def test_build_fails_on_a_table_with_an_empty_header_cell(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "about" / "index.md"
    text = page.read_text(encoding="utf-8")
    table = "\n| | Sessions | Tokens |\n| --- | --- | --- |\n| Storage | server | client |\n"
    page.write_text(text + table, encoding="utf-8")

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert f"docs/about/index.md:{text.count(chr(10)) + 2}: a table header cell is empty" in build.output
