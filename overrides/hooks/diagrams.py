"""Mermaid diagrams as pre-rendered SVG, so readers download no diagram library at all.

A note keeps its diagram as a ```mermaid fence (portable: any Mermaid-aware tool renders
it). `make diagrams` renders every fence once in a real browser, through Material's own
Mermaid set-up, into diagrams/<key>.svg, where the key is a hash of the diagram's source.
This hook swaps each fence for its SVG inline in the page. The SVG's colours are Material's
CSS variables, so one rendering serves the light and the dark scheme.

A fence without a rendering (a new or edited diagram) stays a fence, which the browser then
draws with the bundled Mermaid, and the build warns naming the page, the line and the
command to run; the strict build of a pull request therefore fails until it is rendered.
"""

from __future__ import annotations

import hashlib
import html
import logging
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DIAGRAMS = ROOT / "diagrams"
FENCE = re.compile(r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S)
MARKDOWN_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*\{?[ \t]*\.?mermaid\b.*$")

log = logging.getLogger("mkdocs.hooks.diagrams")


def diagram_key(source: str) -> str:
    return hashlib.sha256(source.strip().encode("utf-8")).hexdigest()[:16]


def fence_lines(markdown: str) -> dict[str, int]:
    """Key of each mermaid fence in a page's Markdown source, mapped to its opening line."""
    found: dict[str, int] = {}
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
        found.setdefault(diagram_key("\n".join(body)), start)
        index += 1
    return found


def rendering(key: str, directory: Path = DIAGRAMS) -> str | None:
    path = directory / f"{key}.svg"
    return path.read_text(encoding="utf-8") if path.exists() else None


def on_page_content(content: str, page, config, files) -> str:
    if os.environ.get("NEXUS_DIAGRAMS") == "browser":  # `make diagrams` renders from the fences
        return content
    directory = Path(config.config_file_path).parent / "diagrams"
    source_path = page.file.abs_src_path
    lines = fence_lines(Path(source_path).read_text(encoding="utf-8-sig"))
    shown = os.path.relpath(source_path, os.path.dirname(config.config_file_path))

    def swap(match: re.Match) -> str:
        key = diagram_key(html.unescape(match.group("source")))
        svg = rendering(key, directory)
        if svg is None:
            log.warning(
                f"{shown}:{lines.get(key, 1)}: this diagram has no pre-rendered SVG yet; "
                f"run `make diagrams` and commit diagrams/{key}.svg"
            )
            return match.group(0)
        return f'<div class="nexus-diagram" data-diagram="{key}">{svg}</div>'

    return FENCE.sub(swap, content)


LOADER = re.compile(r'<script src="[^"]*assets/javascripts/mermaid-loader\.js"></script>\n?')


def on_post_page(output: str, page, config) -> str:
    """Leave the Mermaid loader out of pages that have nothing left for it to draw. Only in a
    strict build, where a diagram without its rendering fails the build, so no page of the site
    has one; `mkdocs serve` keeps it everywhere, since instant navigation may bring a page with a
    new diagram after a page without one, and Material would then fetch Mermaid from its CDN."""
    if config.strict and '<pre class="mermaid">' not in output:
        return LOADER.sub("", output)
    return output
