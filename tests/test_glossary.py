"""The glossary and the abbreviations: only terms the notes use, each linked to a note, in order.

docs/glossary.md is a definition list (a term line, then `:   ` and the definition);
includes/abbreviations.md is appended to every page and turns each abbreviation into a tooltip.
"""

from __future__ import annotations

import html
import re
from pathlib import Path, PurePosixPath

from sitetools import ROOT

DOCS = ROOT / "docs"
GLOSSARY = DOCS / "glossary.md"
ABBREVIATIONS = ROOT / "includes" / "abbreviations.md"
NOTE_SECTIONS = ("technologies", "concepts", "challenges", "best-practices")

ENTRY = re.compile(r"^(?P<term>\S.*)\n:   (?P<definition>.*(?:\n    .*)*)", re.M)
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def glossary_entries() -> list[tuple[str, str]]:
    """(term, definition) for every entry of the glossary, in file order."""
    return [(match["term"], match["definition"]) for match in ENTRY.finditer(GLOSSARY.read_text(encoding="utf-8"))]


def abbreviations() -> list[str]:
    return re.findall(r"^\*\[([^\]]+)\]:", ABBREVIATIONS.read_text(encoding="utf-8"), re.M)


def notes_text() -> str:
    """The Markdown of every note, link targets left out and whitespace collapsed to one space."""
    paths = [path for section in NOTE_SECTIONS for path in (DOCS / section).rglob("*.md")]
    text = "\n".join(path.read_text(encoding="utf-8") for path in paths)
    return re.sub(r"\s+", " ", LINK.sub("]", text))


def searched_term(term: str) -> str:
    """The words to look for: a qualifier in parentheses, `Service (Kubernetes)`, is not part of the term."""
    return re.sub(r"\s*\([^)]*\)$", "", term)


def is_note(target: str) -> bool:
    """Whether a link target from docs/glossary.md points at a note that exists."""
    path = target.split("#", 1)[0]
    if not path.endswith(".md") or "://" in path:
        return False
    parts = PurePosixPath(path).parts
    return parts[0] in NOTE_SECTIONS and ".." not in parts and (DOCS / path).is_file()


def test_the_glossary_has_entries_and_every_abbreviation():
    entries = glossary_entries()
    assert len(entries) >= 80
    assert abbreviations()


def test_every_entry_links_to_a_note():
    unlinked = [term for term, definition in glossary_entries()
                if not any(is_note(match["target"]) for match in LINK.finditer(definition))]
    assert unlinked == []


def test_every_term_appears_in_a_note():
    text = notes_text()
    unused = [term for term, _ in glossary_entries()
              if not re.search(rf"(?<!\w){re.escape(searched_term(term))}(?!\w)", text, re.I)]
    assert unused == []


def test_entries_are_in_alphabetical_order():
    terms = [term for term, _ in glossary_entries()]
    assert terms == sorted(terms, key=str.casefold)
    assert len(set(map(str.casefold, terms))) == len(terms), "a term is defined twice"


def test_every_abbreviation_has_a_glossary_entry():
    terms = {term for term, _ in glossary_entries()}
    assert set(abbreviations()) - terms == set()


def test_every_entry_is_a_term_of_the_built_definition_list(site: Path):
    page = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    terms = re.findall(r"<dt>(.*?)</dt>", page, re.S)
    rendered = [html.unescape(re.sub(r"<[^>]+>", "", term)).strip() for term in terms]
    assert rendered == [term for term, _ in glossary_entries()]


def test_abbreviations_show_as_tooltips_on_pages(site: Path):
    page = (site / "glossary" / "index.html").read_text(encoding="utf-8")
    assert '<abbr title="Object-Relational Mapper">ORM</abbr>' in page
