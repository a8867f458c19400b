"""Mermaid diagrams reach readers as pre-rendered inline SVG: one rendering per diagram, no
diagram library downloaded, and a clear build error for a diagram that was never rendered."""

from __future__ import annotations

import re

import pytest

from diagrams import DIAGRAMS, diagram_key, fence_lines
from sitetools import ROOT, build_site, copy_project, free_port, html_pages, serve

DOCS = ROOT / "docs"


def fences() -> dict[str, str]:
    """Key of every diagram in the notes, mapped to 'file:line'."""
    found = {}
    for page in sorted(DOCS.rglob("*.md")):
        for key, line in fence_lines(page.read_text(encoding="utf-8")).items():
            found.setdefault(key, f"{page.relative_to(ROOT)}:{line}")
    return found


def test_every_diagram_has_a_rendering():
    missing = [
        f"{where} (run `make diagrams`)" for key, where in fences().items() if not (DIAGRAMS / f"{key}.svg").exists()
    ]
    assert missing == []


def test_every_rendering_belongs_to_a_diagram():
    used = set(fences())
    assert sorted(path.name for path in DIAGRAMS.glob("*.svg") if path.stem not in used) == []


@pytest.mark.parametrize("path", sorted(DIAGRAMS.glob("*.svg")), ids=lambda path: path.stem)
def test_rendering_is_self_contained_and_scoped_to_its_own_id(path):
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith(f'<svg id="nexus-diagram-{path.stem}"')
    assert "<script" not in svg
    assert not re.search(r'(?:href|src)="(?:https?:)?//', svg)
    # Colours come from Material's variables, so the same SVG follows the light and dark scheme.
    assert "var(--md-mermaid-" in svg


# How many numbers each path command takes (Z takes none); SVG's grammar for a number.
PATH_ARGUMENTS = {"M": 2, "L": 2, "T": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "A": 7, "Z": 0}
SVG_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def path_data_problems(data: str) -> list[str]:
    problems = []
    for command, arguments in re.findall(r"([MLTHVCSQAZ])([^MLTHVCSQAZ]*)", data, flags=re.IGNORECASE):
        count, needed = len(SVG_NUMBER.findall(arguments)), PATH_ARGUMENTS[command.upper()]
        if (needed == 0 and count) or (needed and (count == 0 or count % needed)):
            problems.append(f"{command}{arguments.strip()[:40]} has {count} numbers")
    return problems


def test_path_check_catches_two_numbers_run_together():
    assert path_data_problems("M1.5.5L2 3C1 2 3 4 5 6Z") == []
    assert path_data_problems("M1.5.5L2 3C1 2 3 4 5.6Z") == ["C1 2 3 4 5.6 has 5 numbers"]


@pytest.mark.parametrize("path", sorted(DIAGRAMS.glob("*.svg")), ids=lambda path: path.stem)
def test_rendering_has_well_formed_path_data(path):
    # Rounding coordinates once turned "1.04.5" (two numbers) into "1.5" (one), which the browser
    # rejects with a console error and draws nothing for.
    paths = re.findall(r'\sd="([^"]*)"', path.read_text(encoding="utf-8"))
    problems = {data[:60]: path_data_problems(data) for data in paths}
    assert {data: found for data, found in problems.items() if found} == {}


def test_key_ignores_surrounding_whitespace_but_not_content():
    assert diagram_key("flowchart LR\n  a --> b\n") == diagram_key("flowchart LR\n  a --> b")
    assert diagram_key("flowchart LR\n  a --> b") != diagram_key("flowchart LR\n  a --> c")


NEW_DIAGRAM = "\n``` mermaid\nflowchart LR\n  unrendered --> diagram\n```\n"


def test_build_fails_on_a_diagram_without_rendering_naming_file_and_line(tmp_path):
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "about" / "index.md"
    lines_before = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + NEW_DIAGRAM, encoding="utf-8")

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    expected = f"docs/about/index.md:{lines_before + 2}: this diagram has no pre-rendered SVG yet; run `make diagrams`"
    assert expected in build.output


@pytest.mark.browser
def test_diagram_page_shows_inline_svg_that_follows_the_colour_scheme(page, site_url):
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.emulate_media(color_scheme="light")
    page.goto(site_url + "program/")
    diagram = page.locator(".nexus-diagram svg").first
    diagram.wait_for(state="visible")
    assert diagram.bounding_box()["height"] > 100
    label = diagram.locator(".nodeLabel").first
    light = label.evaluate("element => getComputedStyle(element).color")
    page.emulate_media(color_scheme="dark")
    page.wait_for_function("document.body.dataset.mdColorScheme === 'slate'")
    assert label.evaluate("element => getComputedStyle(element).color") != light
    assert not [url for url in requested if "mermaid.tiny.js" in url]
    assert page.offsite == []


@pytest.mark.browser
def test_unrendered_diagram_is_drawn_in_the_browser_from_the_sites_own_copy(browser, tmp_path):
    # The fallback while writing a new diagram (`make serve`): Material draws it with the
    # bundled Mermaid through the stand-in, never from a CDN.
    project = copy_project(tmp_path / "project")
    page_source = project / "docs" / "about" / "index.md"
    page_source.write_text(page_source.read_text(encoding="utf-8") + NEW_DIAGRAM, encoding="utf-8")
    port = free_port()
    build = build_site(project, tmp_path / "site", f"http://127.0.0.1:{port}/alx-project-nexus/", strict=False)
    assert build.returncode == 0, build.output

    context = browser.new_context()
    requests = []
    context.on("request", lambda request: requests.append(request.url))
    with serve(tmp_path / "site", port) as base:
        page = context.new_page()
        page.goto(base + "about/")
        page.locator("div.mermaid").first.wait_for(state="attached")
        page.wait_for_function("document.querySelectorAll('pre.mermaid').length === 0")
    context.close()
    assert base + "assets/javascripts/vendor/mermaid.tiny.js" in requests
    assert all(url.startswith(f"http://127.0.0.1:{port}/") for url in requests)


@pytest.mark.browser
def test_drawings_are_repeatable_so_renderings_only_change_with_their_diagram(page, site_url):
    page.goto(site_url)
    page.add_script_tag(url=site_url + "assets/javascripts/mermaid-loader.js")  # a strict build leaves it out
    drawings = page.evaluate("""async () => {
      mermaid.initialize({startOnLoad: false});
      const source = "flowchart LR\\n  request --> view --> response";
      const first = await mermaid.render("repeat-a", source);
      const second = await mermaid.render("repeat-b", source);
      return [first.svg.replaceAll("repeat-a", "id"), second.svg.replaceAll("repeat-b", "id")];
    }""")
    assert drawings[0] == drawings[1]
    assert page.offsite == []


def test_a_strict_build_leaves_the_unused_mermaid_loader_out(site):
    # Every diagram is pre-rendered in a strict build, so the loader would be dead weight on every page.
    with_loader = [path.relative_to(site).as_posix() for path in html_pages(site)
                   if "mermaid-loader.js" in path.read_text(encoding="utf-8")]
    assert with_loader == []
    assert (site / "assets" / "javascripts" / "mermaid-loader.js").is_file()  # still there for `mkdocs serve`
