"""Accessible names that Material 9.8's markup leaves out, added to every built page.

axe-core reports, on a stock Material site: a search dialog without a name, a breadcrumb
landmark with the same name as the main navigation, navigation sections named after a label
that holds only an icon, and task-list checkboxes without a label. Each fix below is one
attribute; tests/test_accessibility.py runs axe-core on every page to prove they hold.
"""

from __future__ import annotations

import html
import itertools
import logging
import os
import re
from pathlib import Path

SEARCH_DIALOG = ('<div class="md-search" data-md-component="search" role="dialog">',
                 '<div class="md-search" data-md-component="search" role="dialog" aria-label="Search">')
BREADCRUMB = ('<nav class="md-path" aria-label="Navigation"', '<nav class="md-path" aria-label="Breadcrumb"')

# A nav section's title link followed by the icon-only label whose id names the section's <nav>.
SECTION_LABEL = re.compile(
    r'(<a href="[^"]*" class="md-nav__link[^"]*">(?:(?!</a>).)*?'
    r'<span class="md-ellipsis">\s*(?P<title>[^<]+?)\s*</span>'
    r'(?:(?!</a>).)*</a>\s*)'
    r'<label class="md-nav__link [^"]*" for="[^"]+" id="(?P<id>[^"]+_label)"',
    re.S,
)
TASK_BOX = re.compile(r'<input type="checkbox" disabled(?P<checked> checked)?/?>')

# Images: Markdown `![alt](src)` with empty alt text, and HTML <img> without a non-empty alt.
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]+)")
HTML_IMAGE = re.compile(r"<img\b(?P<attributes>[^>]*)>", re.I)
HTML_ALT = re.compile(r"""\balt\s*=\s*(["'])\s*[^"'\s]""", re.I)
INLINE_CODE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")

log = logging.getLogger("mkdocs.hooks.accessibility")


def images_without_alt(markdown: str) -> list[tuple[int, str]]:
    """(line, image) for every image in a page's Markdown that has no alternative text."""
    found, fence = [], None
    for number, line in enumerate(markdown.splitlines(), start=1):
        marker = re.match(r"\s*(`{3,}|~{3,})", line)
        if marker and (fence is None or marker.group(1).startswith(fence)):
            fence = None if fence else marker.group(1)
            continue
        if fence:  # code samples may show image syntax
            continue
        line = INLINE_CODE.sub("", line)  # so may inline code, such as `<img>`
        found += [(number, m.group("src")) for m in MARKDOWN_IMAGE.finditer(line) if not m.group("alt").strip()]
        found += [(number, m.group(0)) for m in HTML_IMAGE.finditer(line) if not HTML_ALT.search(m.group("attributes"))]
    return found


def empty_table_headers(markdown: str) -> list[int]:
    """Lines of table header rows with an empty cell: screen readers announce nothing for it."""
    lines = markdown.splitlines()
    found = []
    for number, (line, below) in enumerate(itertools.pairwise(lines), start=1):
        if line.lstrip().startswith("|") and re.match(r"^\s*\|?\s*:?-{3,}", below):
            cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
            if any(not cell for cell in cells):
                found.append(number)
    return found


def on_page_markdown(markdown: str, page, config, files) -> str:
    # Line numbers count from the end of the front matter: report against the source file's lines.
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    shown = os.path.relpath(page.file.abs_src_path, os.path.dirname(config.config_file_path))
    for line, image in images_without_alt(source):
        log.warning(
            f"{shown}:{line}: image {image} has no alt text; describe it in the brackets: ![what it shows](...)"
        )
    for line in empty_table_headers(source):
        log.warning(f"{shown}:{line}: a table header cell is empty; name the column (screen readers read it out)")
    return markdown


EMPTY_HEADER = re.compile(r"<th\b[^>]*>\s*</th>")


def on_page_content(content: str, page, config, files) -> str:
    # Tables included from files (measured figures) never reach on_page_markdown's check.
    source = Path(page.file.abs_src_path).read_text(encoding="utf-8-sig")
    if EMPTY_HEADER.search(content) and not empty_table_headers(source):
        shown = os.path.relpath(page.file.abs_src_path, os.path.dirname(config.config_file_path))
        log.warning(f"{shown}: a table included into this page has an empty header cell; name the column")
    return content


def on_post_page(output: str, page, config) -> str:
    return add_names(output)


def on_post_template(output: str, template_name: str, config) -> str:
    # 404.html is rendered from a template, not from a page.
    return add_names(output) if template_name.endswith(".html") else output


def add_names(output: str) -> str:
    output = output.replace(*SEARCH_DIALOG).replace(*BREADCRUMB)
    for match in SECTION_LABEL.finditer(output):
        output = output.replace(
            f'aria-labelledby="{match.group("id")}"', f'aria-label="{html.escape(match.group("title"))}"'
        )

    def labelled_checkbox(box: re.Match) -> str:
        checked = box.group("checked") or ""
        return f'<input type="checkbox" disabled{checked} aria-label="{"Done" if checked else "Not done"}">'

    return TASK_BOX.sub(labelled_checkbox, output)
