"""Mermaid diagrams reach readers as pre-rendered SVG images: one rendering per diagram, one
image per colour scheme loaded only when shown, words for readers who cannot see it, no
diagram library downloaded, and a clear build error for a diagram without a rendering or words."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from xml.dom import minidom
from xml.parsers.expat import ExpatError

import pytest

from diagrams import (
    DIAGRAMS,
    OUTPUT,
    SCHEMES,
    VARIABLE,
    alternative_text,
    diagram_key,
    fence_lines,
    fences,
)
from render_diagrams import NUMBER, SCHEME_COLOURS, rounded
from sitetools import ROOT, build_site, choose_scheme, copy_project, free_port, html_pages, serve

DOCS = ROOT / "docs"


def diagrams_in_notes() -> dict[str, str]:
    """Key of every diagram in the notes, mapped to 'file:line'."""
    found = {}
    for page in sorted(DOCS.rglob("*.md")):
        for key, line in fence_lines(page.read_text(encoding="utf-8")).items():
            found.setdefault(key, f"{page.relative_to(ROOT)}:{line}")
    return found


def test_every_diagram_has_a_rendering():
    missing = [
        f"{where} (run `make diagrams`)"
        for key, where in diagrams_in_notes().items() if not (DIAGRAMS / f"{key}.svg").exists()
    ]
    assert missing == []


def test_every_diagram_says_in_words_what_it_shows():
    without = [
        f"{page.relative_to(ROOT)}:{line}"
        for page in sorted(DOCS.rglob("*.md"))
        for line, source in fences(page.read_text(encoding="utf-8"))
        if alternative_text(source) is None
    ]
    assert without == []


def test_alternative_text_joins_title_and_description_and_needs_both():
    describe = "flowchart LR\n  accTitle: {}\n  accDescr: A request reaches a view.\n  a --> b"
    assert alternative_text(describe.format("Request path")) == "Request path. A request reaches a view."
    assert alternative_text(describe.format("Which path?")) == "Which path? A request reaches a view."
    assert alternative_text("flowchart LR\n  accTitle: Request path\n  a --> b") is None
    assert alternative_text("flowchart LR\n  accTitle: Request path\n  accDescr:\n  a --> b") is None
    assert alternative_text("flowchart LR\n  a --> b") is None


def test_every_rendering_belongs_to_a_diagram():
    used = set(diagrams_in_notes())
    assert sorted(path.name for path in DIAGRAMS.glob("*.svg") if path.stem not in used) == []


@pytest.mark.parametrize("path", sorted(DIAGRAMS.glob("*.svg")), ids=lambda path: path.stem)
def test_rendering_is_self_contained_and_scoped_to_its_own_id(path):
    svg = path.read_text(encoding="utf-8")
    assert svg.startswith(f'<svg id="nexus-diagram-{path.stem}"')
    assert "<script" not in svg
    assert not re.search(r'(?:href|src)="(?:https?:)?//', svg)
    # Colours are Material's variables, which the build fills in once per colour scheme.
    assert "var(--md-mermaid-" in svg


def test_palette_has_every_colour_the_renderings_use_in_both_schemes():
    used = {match.group("name") for path in DIAGRAMS.glob("*.svg") for match in VARIABLE.finditer(path.read_text())}
    palette = json.loads((DIAGRAMS / "palette.json").read_text(encoding="utf-8"))
    assert sorted(palette) == sorted(SCHEMES)
    for scheme in SCHEMES:
        assert sorted(used - {name for name, value in palette[scheme].items() if value}) == [], scheme


def test_diagram_images_are_well_formed_svg_with_their_colours_filled_in(site):
    images = sorted((site / OUTPUT).glob("*.svg"))
    assert len(images) == len(SCHEMES) * len(list(DIAGRAMS.glob("*.svg")))
    problems = []
    for image in images:
        text = image.read_text(encoding="utf-8")
        try:
            root = minidom.parseString(text).documentElement  # an <img> shows nothing unless it is XML
        except ExpatError as error:
            problems.append(f"{image.name}: {error}")
            continue
        if "var(" in text:
            problems.append(f"{image.name}: a colour variable is left, which an image cannot resolve")
        if not (root.getAttribute("width") and root.getAttribute("height")):
            problems.append(f"{image.name}: no fixed size")
    assert problems == []


def test_rounding_keeps_every_number_within_a_twentieth():
    # "80.83" once came out as "8.8": dropping the zero of "0.8" also hit the zero inside "80.8".
    generator = random.Random(7)
    numbers = ["80.83", "10.54", "-110.234", "0.54", "-0.54", "100.04", "1.96", "-0.04", "12", "3.5"]
    numbers += [f"{generator.uniform(-2000, 2000):.{generator.randint(0, 6)}f}" for _ in range(2000)]
    data = "M" + " ".join(numbers)
    shortened = NUMBER.sub(rounded, data)
    after = [float(number) for number in NUMBER.findall(shortened)]
    assert len(after) == len(numbers)
    assert [(a, b) for a, b in zip(numbers, after, strict=True) if abs(float(a) - b) > 0.05 + 1e-9] == []


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


UNRENDERED = "flowchart LR\n  unrendered --> diagram"
NEW_DIAGRAM = f"\n``` mermaid\n{UNRENDERED}\n```\n"


def project_with_a_diagram(tmp_path, source: str, drawn: bool = False) -> tuple[Path, str]:
    """A small project whose about page ends with `source` as a diagram, given a rendering if
    `drawn`; returns the project and the diagram's 'file:line'."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "about" / "index.md"
    lines_before = page.read_text(encoding="utf-8").count("\n")
    page.write_text(page.read_text(encoding="utf-8") + f"\n``` mermaid\n{source}\n```\n", encoding="utf-8")
    if drawn:
        any_rendering = next(DIAGRAMS.glob("*.svg")).read_text(encoding="utf-8")
        (project / "diagrams" / f"{diagram_key(source)}.svg").write_text(any_rendering, encoding="utf-8")
    return project, f"docs/about/index.md:{lines_before + 2}"


def test_build_fails_on_a_diagram_without_rendering_or_words_naming_file_and_line(tmp_path):
    project, where = project_with_a_diagram(tmp_path, UNRENDERED)

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert f"{where}: this diagram has no pre-rendered SVG yet; run `make diagrams`" in build.output
    assert f"{where}: this diagram has no `accTitle:` line or no `accDescr:` line" in build.output


def test_build_fails_on_a_drawn_diagram_without_a_description(tmp_path):
    project, where = project_with_a_diagram(tmp_path, "flowchart LR\n  accTitle: Request path\n  a --> b", drawn=True)

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert f"{where}: this diagram has no `accTitle:` line or no `accDescr:`" in build.output
    assert "no pre-rendered SVG" not in build.output


def test_build_fails_without_the_palette_instead_of_showing_broken_images(tmp_path):
    source = "flowchart LR\n  accTitle: Request path\n  accDescr: A request reaches a view.\n  a --> b"
    project, where = project_with_a_diagram(tmp_path, source, drawn=True)
    (project / "diagrams" / "palette.json").unlink()

    build = build_site(project, tmp_path / "site", "http://127.0.0.1:8000/")

    assert build.returncode != 0
    assert f"{where}: this diagram cannot be shown as an image: diagrams/palette.json is missing" in build.output


def diagram_requests(requested: list[str], scheme: str) -> list[str]:
    return [url for url in requested if f"/{OUTPUT}/" in url and url.endswith(f".{scheme}.svg")]


def open_diagram(page, url: str, system_scheme: str) -> tuple[list[str], object]:
    """Open `url` with the system in light or dark mode, scroll to its first diagram and wait
    until the image shown is drawn; return the requests made so far and that image."""
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.emulate_media(color_scheme=system_scheme)
    page.goto(url)
    image = page.locator(".nexus-diagram__" + ("slate" if system_scheme == "dark" else "default")).first
    image.scroll_into_view_if_needed()
    wait_until_drawn(page, image)
    return requested, image


def wait_until_drawn(page, image) -> None:
    page.wait_for_function("image => image.complete && image.naturalWidth > 100", arg=image.element_handle())


@pytest.mark.browser
def test_diagram_shows_the_image_of_the_scheme_in_use_and_downloads_only_that_one(page, site_url):
    requested, light = open_diagram(page, site_url + "program/", "light")
    assert page.locator(".nexus-diagram__slate").first.is_hidden()
    assert diagram_requests(requested, "slate") == []

    choose_scheme(page, "slate")
    wait_until_drawn(page, page.locator(".nexus-diagram__slate").first)
    assert light.is_hidden()
    assert not [url for url in requested if "mermaid.tiny.js" in url]
    assert page.offsite == []


@pytest.mark.browser
def test_first_visit_in_dark_mode_downloads_no_light_diagram(page, site_url):
    # Until Material's script applies the system's scheme, the page says "default" (light); on a
    # fast connection that moment is too short to see, so keep the script away for good.
    page.route("**/assets/javascripts/bundle.*.min.js", lambda route: route.abort())
    requested, _ = open_diagram(page, site_url + "technologies/python/generators/", "dark")
    assert page.evaluate("document.body.dataset.mdColorScheme") == "default"
    assert diagram_requests(requested, "slate")
    assert diagram_requests(requested, "default") == []


@pytest.mark.browser
def test_palette_matches_the_colours_the_site_gives_each_scheme(page, site_url):
    # The images carry fixed colours: a palette change in mkdocs.yml needs `make diagrams`.
    recorded = json.loads((DIAGRAMS / "palette.json").read_text(encoding="utf-8"))
    page.goto(site_url)
    for scheme in SCHEMES:
        names = sorted(recorded[scheme])
        values = page.evaluate(SCHEME_COLOURS, [scheme, names])
        assert dict(zip(names, values, strict=True)) == recorded[scheme], f"{scheme}: run `make diagrams`"


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
