"""Render every Mermaid diagram of the site to SVG, the way Material draws it in a browser.

Builds the site with the diagrams left as fences, opens each page that has one in headless
Chromium, and captures the SVG that Mermaid returns to Material (through the stand-in in
docs/assets/javascripts/mermaid-loader.js). Writes diagrams/<key>.svg, the key being a hash of
the diagram's source, and removes renderings no page uses any more. Also records, in
diagrams/palette.json, the colours Material's light and dark schemes give the variables the
renderings use, which the hook fills in to make one image per scheme. `make diagrams` runs it.
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests"), str(ROOT / "overrides" / "hooks")]

from diagrams import DIAGRAMS, SCHEMES, VARIABLE, diagram_key  # noqa: E402
from sitetools import (  # noqa: E402
    CHROMIUM_ARGS,
    SUBPATH,
    build_site,
    find_chromium,
    free_port,
    html_pages,
    page_url,
    serve,
)

# One number as SVG writes them; path data runs numbers together ("1.5.96" is 1.5 then .96).
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def rounded(match: re.Match) -> str:
    """A number to a tenth, written so that it cannot merge with the number after it."""
    text = match.group()
    if "e" in text.lower() or len(text.partition(".")[2]) < 2:
        return text
    short = f"{float(text):.1f}".rstrip("0").rstrip(".")
    short = "0" if short == "-0" else re.sub(r"^(-?)0\.", r"\1.", short)  # "0.5" -> ".5", never "80.5" -> "8.5"
    before = match.string[match.start() - 1:match.start()]
    after = match.string[match.end():match.end() + 1]
    if short[0].isdigit() and (before.isdigit() or before == "."):
        short = " " + short  # ".96" after "1.5" became "1": it must not read as "1.51"
    if after == "." and "." not in short:
        short += " "  # "3.04" before ".5" became "3": it must not read as "3.5"
    return short


def normalise(svg: str, key: str) -> str:
    """Give the SVG an id of its own (Mermaid scopes its CSS by the id Material passed in), and
    round coordinates to a tenth of a pixel: Mermaid writes 15 digits, which more than doubles
    the file for no visible difference."""
    old = re.search(r'<svg[^>]*\bid="([^"]+)"', svg).group(1)
    svg = svg.replace(old, f"nexus-diagram-{key}")
    shorter = lambda text: NUMBER.sub(rounded, text)  # noqa: E731
    # Only geometry: a label such as "Python 3.11" must keep its digits.
    svg = re.sub(r'(\s(?:d|points|transform|x|y|x1|y1|x2|y2|cx|cy|r|rx|ry|width|height|viewBox)=")([^"]*)(")',
                 lambda m: m.group(1) + shorter(m.group(2)) + m.group(3), svg)
    svg = re.sub(r"(max-width:\s*)([\d.]+)", lambda m: m.group(1) + shorter(m.group(2)), svg)
    return svg.strip() + "\n"


# The value of each named variable under one colour scheme, with that scheme's primary and
# accent colours from the palette toggle in mkdocs.yml, as the page computes it.
SCHEME_COLOURS = """([scheme, names]) => {
  const choice = document.querySelector(`input[name="__palette"][data-md-color-scheme="${scheme}"]`);
  document.body.setAttribute("data-md-color-scheme", scheme);
  for (const part of ["primary", "accent"]) {
    const value = choice && choice.getAttribute(`data-md-color-${part}`);
    if (value) document.body.setAttribute(`data-md-color-${part}`, value);
  }
  const style = getComputedStyle(document.body);
  return names.map(name => style.getPropertyValue(name).trim().split(/\\s+/).join(" "));
}"""


def scheme_colours(page, names: list[str]) -> dict[str, dict[str, str]]:
    return {scheme: dict(zip(names, page.evaluate(SCHEME_COLOURS, [scheme, names]), strict=True))
            for scheme in SCHEMES}


def main() -> int:
    from playwright.sync_api import sync_playwright

    port = free_port()
    with tempfile.TemporaryDirectory() as scratch:
        site = Path(scratch) / "site"
        build = build_site(ROOT, site, f"http://127.0.0.1:{port}{SUBPATH}", strict=False,
                           env={"NEXUS_DIAGRAMS": "browser"})
        if build.returncode != 0:
            print(build.output, file=sys.stderr)
            return 1
        pages = [path for path in html_pages(site) if '<pre class="mermaid">' in path.read_text(encoding="utf-8")]
        rendered: dict[str, str] = {}
        with serve(site, port) as base, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
            page = browser.new_page()
            captured: list[tuple[str, str]] = []
            errors: list[str] = []
            page.expose_function("__nexusCaptureDiagram", lambda text, svg: captured.append((text, svg)))
            page.on("pageerror", lambda error: errors.append(str(error)))
            for path in pages:
                expected = path.read_text(encoding="utf-8").count('<pre class="mermaid">')
                captured.clear()
                errors.clear()
                page.goto(page_url(site, path, base))
                deadline = time.monotonic() + 60
                while len(captured) < expected and not errors and time.monotonic() < deadline:
                    page.wait_for_timeout(100)
                if len(captured) < expected:
                    source = path.relative_to(site).parent.as_posix() or "/"
                    detail = (errors[0].splitlines()[:4] if errors
                              else ["no error from Mermaid, and no rendering after 60 s"])
                    print(f"{source}: a diagram did not render:\n  " + "\n  ".join(detail), file=sys.stderr)
                    browser.close()
                    return 1
                for text, svg in captured:
                    key = diagram_key(text)
                    rendered[key] = normalise(svg, key)
                print(f"{path.relative_to(site).parent.as_posix() or '/'}: {expected} diagram(s)")
            names = sorted({match.group("name") for svg in rendered.values() for match in VARIABLE.finditer(svg)})
            palette = scheme_colours(page, names)
            browser.close()
    DIAGRAMS.mkdir(exist_ok=True)
    for key, svg in rendered.items():
        target = DIAGRAMS / f"{key}.svg"
        if not target.exists() or target.read_text(encoding="utf-8") != svg:
            target.write_text(svg, encoding="utf-8")
    (DIAGRAMS / "palette.json").write_text(json.dumps(palette, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    for stale in set(DIAGRAMS.glob("*.svg")) - {DIAGRAMS / f"{key}.svg" for key in rendered}:
        stale.unlink()
    print(f"{len(rendered)} diagrams in {DIAGRAMS.relative_to(ROOT)}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
