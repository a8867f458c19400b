"""axe-core on every built page, in both colour schemes, at desktop and mobile widths: zero
violations and no allow-list. Also keyboard basics: a working skip link and visible focus."""

from __future__ import annotations

import pytest

from sitetools import ROOT, build_site, copy_project, html_pages, page_url

pytestmark = pytest.mark.browser

AXE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "mobile": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => `${v.id} (${v.impact}): ${v.nodes.map(n => n.target.join(" ")).join(", ")}`);
}"""


def violations(page) -> list[str]:
    page.add_script_tag(content=AXE)
    return page.evaluate(RUN_AXE)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_every_page_has_zero_axe_violations(browser, site, site_url, scheme, viewport):
    context = browser.new_context(viewport=VIEWPORTS[viewport], color_scheme=scheme)
    page = context.new_page()
    found = {}
    addresses = [page_url(site, path, site_url) for path in html_pages(site)] + [site_url + "no/such/page/"]
    for address in addresses:
        page.goto(address)
        page.wait_for_load_state("networkidle")
        problems = violations(page)
        if problems:
            found[address.removeprefix(site_url) or "/"] = problems
    context.close()
    assert found == {}


def test_axe_reports_a_page_that_breaks_the_rules(browser):
    page = browser.new_page()
    page.set_content('<html lang="en"><body><main><img src="chart.png"><p style="color:#999;background:#aaa">faint</p></main></body></html>')
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


def test_keyboard_focus_is_always_visible(page, site_url):
    page.goto(site_url + "about/contributing/")
    invisible = []
    for _ in range(25):
        page.keyboard.press("Tab")
        state = page.evaluate("""() => {
          const element = document.activeElement;
          const style = getComputedStyle(element);
          const outline = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
          return {name: element.tagName + "." + element.className, visible: outline || style.boxShadow !== "none"};
        }""")
        if not state["visible"]:
            invisible.append(state["name"])
    assert invisible == []


def test_build_fails_on_an_image_without_alt_text(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "about" / "index.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n![](../assets/images/favicon.svg)\n", encoding="utf-8")

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert "docs/about/index.md:" in build.output and "has no alt text" in build.output
