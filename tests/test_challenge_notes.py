"""Every challenge note is a case study with the same fixed shape, and every figure a test records
is quoted by some note (a recorded fragment that no note includes is a measurement nobody reads)."""

from __future__ import annotations

import re

import pytest

from sitetools import ROOT

CHALLENGES = sorted(p for p in (ROOT / "docs" / "challenges").glob("*.md") if p.name != "index.md")
SECTIONS = ["Context", "Symptom", "Investigation", "Fix", "Measured result", "Lesson", "Related notes",
            "Check yourself", "References"]
FENCE = re.compile(r"^(`{3,}|~{3,}).*?^\1\s*$", flags=re.MULTILINE | re.DOTALL)


def prose(text: str) -> str:
    """The note without its fenced blocks: a `# comment` in a shell session is not a heading."""
    return FENCE.sub("", text)


def test_there_are_case_studies_to_check():
    assert len(CHALLENGES) >= 6


@pytest.mark.parametrize("note", CHALLENGES, ids=lambda p: p.name)
def test_the_case_study_has_its_sections_in_order(note):
    headings = re.findall(r"^## (.+?)\s*$", prose(note.read_text(encoding="utf-8")), flags=re.MULTILINE)
    assert headings == SECTIONS, f"docs/challenges/{note.name}: sections are {headings}, expected {SECTIONS}"


@pytest.mark.parametrize("note", CHALLENGES, ids=lambda p: p.name)
def test_the_case_study_takes_its_title_from_the_front_matter(note):
    assert not re.search(r"^# ", prose(note.read_text(encoding="utf-8")), flags=re.MULTILINE)


@pytest.mark.parametrize("note", CHALLENGES, ids=lambda p: p.name)
def test_the_measured_result_quotes_a_recorded_measurement(note):
    section = note.read_text(encoding="utf-8").split("\n## Measured result", 1)[-1].split("\n## ", 1)[0]
    assert re.search(r'--8<-- "examples/[^"]*/measured/[^"]+"', section), (
        f"docs/challenges/{note.name}: the Measured result section includes no file a test records")


def test_every_recorded_fragment_is_included_by_a_note():
    included = set()
    for page in (ROOT / "docs").rglob("*.md"):
        included |= set(re.findall(r'--8<-- "(examples/[^"]*/measured/[^"]+\.md)"', page.read_text(encoding="utf-8")))
    recorded = {p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").rglob("measured/*.md")}
    assert sorted(recorded - included) == [], "recorded by a test but quoted by no note"
    assert sorted(included - recorded) == [], "included by a note but recorded by no test"
