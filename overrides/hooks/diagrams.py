"""Mermaid diagrams as pre-rendered SVG images, so readers download no diagram library at all.

A note keeps its diagram as a ```mermaid fence (portable: any Mermaid-aware tool renders
it), with `accTitle:` and `accDescr:` lines that say in words what it shows. `make diagrams`
renders every fence once in a real browser, through Material's own Mermaid set-up, into
diagrams/<key>.svg (the key is a hash of the diagram's source), and records the colours of
Material's light and dark schemes in diagrams/palette.json.

This hook swaps each fence for two images, one per colour scheme, with the diagram's title
and description as their text alternative. The images are files loaded lazily, so a diagram
costs nothing until the reader scrolls to it, and the stylesheet shows the one that matches
the scheme. The files are the rendering with Material's colour variables filled in: an image
cannot read the page's variables.

A fence without a rendering (a new or edited diagram) stays a fence, which the browser then
draws with the bundled Mermaid; a fence without `accTitle:` and `accDescr:` gets no image
text. Either way the build warns naming the page and the line, so the strict build of a pull
request fails.
"""

from __future__ import annotations

import hashlib
import html
import json
import logging
import os
import re
from pathlib import Path

from mkdocs.utils import get_relative_url

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / "diagrams"
SCHEMES = ("default", "slate")  # Material's light and dark schemes, as in mkdocs.yml's palette
OUTPUT = "assets/diagrams"  # where the images go in the built site
FENCE = re.compile(r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S)
MARKDOWN_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?mermaid\b.*$")
ACCESSIBLE_TEXT = re.compile(r"^[ \t]*(?P<kind>accTitle|accDescr)[ \t]*:[ \t]*(?P<text>.*?)[ \t]*$", re.M)
VARIABLE = re.compile(r"var\((?P<name>--[\w-]+)\)")
ROOT_SIZE = re.compile(r'(<svg\b[^>]*?) width="100%"([^>]*?) style="max-width: [\d.]+px;"')
VIEW_BOX = re.compile(r'<svg\b[^>]*\bviewBox="[-\d.]+ [-\d.]+ (?P<width>[\d.]+) (?P<height>[\d.]+)"')

log = logging.getLogger("mkdocs.hooks.diagrams")


def diagram_key(source: str) -> str:
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:16]


def fences(markdown: str) -> list[tuple[int, str]]:
    """(opening line, source) of each mermaid fence in a page's Markdown."""
    found = []
    lines = markdown.splitlines()
    index = 0
    while index < len(lines):
        opening = MARKDOWN_FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        indent, fence, start, body = len(opening.group("indent")), opening.group("fence"), index + 1, []
        index += 1
        while index < len(lines) and not lines[index].strip().startswith(fence):
            body.append(lines[index][indent:])
            index += 1
        found.append((start, "\n".join(body)))
        index += 1
    return found


def fence_lines(markdown: str) -> dict[str, int]:
    """Key of each mermaid fence in a page's Markdown source, mapped to its opening line."""
    found: dict[str, int] = {}
    for line, source in fences(markdown):
        found.setdefault(diagram_key(source), line)
    return found


def rendering(key: str, directory: Path = DIAGRAMS) -> str | None:
    path = directory / f"{key}.svg"
    return path.read_text(encoding="utf-8") if path.exists() else None


def alternative_text(source: str) -> str | None:
    """The diagram's `accTitle:` and `accDescr:` lines as one text; None unless it has both."""
    found = {match.group("kind"): match.group("text") for match in ACCESSIBLE_TEXT.finditer(source)}
    title, description = found.get("accTitle"), found.get("accDescr")
    if not (title and description):
        return None
    return f"{title} {description}" if title.endswith((".", "?", "!")) else f"{title}. {description}"


def palette(directory: Path = DIAGRAMS) -> dict[str, dict[str, str]] | None:
    path = directory / "palette.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def missing_colours(svg: str, colours: dict[str, dict[str, str]]) -> list[str]:
    """The colour variables a rendering uses that the palette lacks in some scheme."""
    used = {match.group("name") for match in VARIABLE.finditer(svg)}
    return sorted(name for name in used for scheme in SCHEMES if name not in colours.get(scheme, {}))


def for_scheme(svg: str, colours: dict[str, str]) -> str:
    """The rendering as a file an <img> can show: colours filled in, XML rather than HTML line
    breaks, and a fixed size (Mermaid makes an inline drawing as wide as its container)."""
    svg = VARIABLE.sub(lambda match: colours[match.group("name")], svg)
    svg = svg.replace("<br>", "<br/>")
    size = VIEW_BOX.search(svg)
    return ROOT_SIZE.sub(
        lambda match: f'{match.group(1)} width="{size.group("width")}" height="{size.group("height")}"{match.group(2)}',
        svg, count=1,
    )


def image_size(svg: str) -> tuple[int, int] | None:
    size = VIEW_BOX.search(svg)
    return (round(float(size.group("width"))), round(float(size.group("height")))) if size else None


SHOWN: set[str] = set()  # keys of the renderings this build shows as images


def on_pre_build(config) -> None:
    SHOWN.clear()  # `mkdocs serve` rebuilds in the same process


def on_page_content(content: str, page, config, files) -> str:
    if os.environ.get("NEXUS_DIAGRAMS") == "browser":  # `make diagrams` renders from the fences
        return content
    if not FENCE.search(content):  # most pages: no source to read, no palette to load
        return content
    directory = Path(config.config_file_path).parent / "diagrams"
    source_path = page.file.abs_src_path
    lines = fence_lines(Path(source_path).read_text(encoding="utf-8-sig"))
    shown = os.path.relpath(source_path, os.path.dirname(config.config_file_path))

    colours = palette(directory)

    def swap(match: re.Match) -> str:
        source = html.unescape(match.group("source"))
        key = diagram_key(source)
        where = f"{shown}:{lines.get(key, 1)}"
        text = alternative_text(source)
        if text is None:
            log.warning(f"{where}: this diagram has no `accTitle:` line or no `accDescr:` line; add both, "
                        "one line each, saying what it shows, for readers who cannot see it")
        svg = rendering(key, directory)
        if svg is None:
            log.warning(f"{where}: this diagram has no pre-rendered SVG yet; "
                        f"run `make diagrams` and commit diagrams/{key}.svg")
            return match.group(0)  # the browser draws it with the bundled Mermaid
        missing = [] if colours is None else missing_colours(svg, colours)
        size = image_size(svg)
        problem = (
            "diagrams/palette.json is missing" if colours is None
            else f"diagrams/palette.json lacks {', '.join(missing)}" if missing
            else f"diagrams/{key}.svg has no viewBox" if size is None
            else None
        )
        if problem:
            log.warning(f"{where}: this diagram cannot be shown as an image: {problem}; run `make diagrams`")
            return match.group(0)
        SHOWN.add(key)
        width, height = size
        images = "".join(
            f'<img class="nexus-diagram__{scheme}" src="{get_relative_url(f"{OUTPUT}/{key}.{scheme}.svg", page.url)}"'
            f' alt="{html.escape(text or "")}" width="{width}" height="{height}" loading="lazy" decoding="async">'
            for scheme in SCHEMES
        )
        return f'<div class="nexus-diagram" data-diagram="{key}">{images}</div>'

    return FENCE.sub(swap, content)


def on_post_build(config) -> None:
    """Write each rendering the pages show once per colour scheme, where their images point."""
    if not SHOWN:
        return
    directory = Path(config.config_file_path).parent / "diagrams"
    output = Path(config.site_dir) / OUTPUT
    output.mkdir(parents=True, exist_ok=True)
    colours = palette(directory)
    for key in sorted(SHOWN):
        svg = rendering(key, directory)
        for scheme in SCHEMES:
            (output / f"{key}.{scheme}.svg").write_text(for_scheme(svg, colours[scheme]), encoding="utf-8")


LOADER = re.compile(r'<script src="[^"]*assets/javascripts/mermaid-loader\.js"></script>\n?')


def on_post_page(output: str, page, config) -> str:
    """Leave the Mermaid loader out of pages that have nothing left for it to draw. Only in a
    strict build, where a diagram without its rendering fails the build, so no page of the site
    has one; `mkdocs serve` keeps it everywhere, since instant navigation may bring a page with a
    new diagram after a page without one, and Material would then fetch Mermaid from its CDN."""
    if config.strict and '<pre class="mermaid">' not in output:
        return LOADER.sub("", output)
    return output
