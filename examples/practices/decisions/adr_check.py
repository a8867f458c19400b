"""Check a folder of architecture decision records (ADRs) and the index that lists them.

The note docs/best-practices/document-decisions.md describes the format; this module is what
keeps a decision log in that format. Each record is a Markdown file named `NNNN-slug.md`, with a
title "ADR NNNN: ...", a status line, and four sections in a fixed order. The folder's index.md
lists every record in a table with its status.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

# --8<-- [start:format]
SECTIONS = ("Context", "Options considered", "Decision", "Consequences")
STATUSES = ("proposed", "accepted", "rejected", "deprecated", "superseded by")
FILE_NAME = re.compile(r"^(?P<number>[0-9]{4})-[a-z0-9]+(?:-[a-z0-9]+)*\.md$")
STATUS_LINE = re.compile(r"^\*\*Status:\*\* (?P<status>.+)\.$", re.MULTILINE)
SUPERSEDES_LINE = re.compile(r"^\*\*Supersedes:\*\* (?P<link>.+)\.$", re.MULTILINE)
LINK = re.compile(r"^\[ADR (?P<number>[0-9]{4})\]\((?P<file>[^)]+)\)$")
INDEX_ROW = re.compile(
    r"^\| (?P<link>\[ADR [0-9]{4}\]\([^)]+\)) \| [^|]+ \| (?P<status>[^|]+) \|$", re.MULTILINE
)
# --8<-- [end:format]


@dataclass(frozen=True)
class Record:
    file: str
    title: str
    status: str  # as written, without the final full stop: "accepted", "superseded by [ADR 0002](...)"
    supersedes: str | None  # the link on the **Supersedes:** line, if there is one
    sections: tuple[str, ...]  # every second-level heading, in order
    bullets: dict[str, int]  # top-level list items per section

    @property
    def number(self) -> str:
        return self.file[:4]


def read_record(path: Path) -> Record:
    text = path.read_text(encoding="utf-8")
    _, front_matter, body = text.split("---\n", 2)
    status = STATUS_LINE.search(body)
    supersedes = SUPERSEDES_LINE.search(body)
    sections: list[str] = []
    bullets: dict[str, int] = {}
    for line in body.splitlines():
        if line.startswith("## "):
            sections.append(line[3:].strip())
            bullets[sections[-1]] = 0
        elif line.startswith("- ") and sections:
            bullets[sections[-1]] += 1
    return Record(
        file=path.name,
        title=str(yaml.safe_load(front_matter).get("title", "")),
        status=status.group("status") if status else "",
        supersedes=supersedes.group("link") if supersedes else None,
        sections=tuple(sections),
        bullets=bullets,
    )


# --8<-- [start:record]
def problems_in_record(record: Record) -> list[str]:
    """What is wrong with one record on its own: name, title, status, sections."""
    problems = []
    if not FILE_NAME.match(record.file):
        problems.append(f"{record.file}: the file name is not NNNN-lowercase-words.md")
    if not record.title.startswith(f"ADR {record.number}: "):
        problems.append(f"{record.file}: the title does not start with 'ADR {record.number}: '")
    if not record.status.startswith(STATUSES):
        problems.append(f"{record.file}: no '**Status:** <{' | '.join(STATUSES)}>.' line")
    if [section for section in record.sections if section in SECTIONS] != list(SECTIONS):
        order = ", ".join(SECTIONS)
        problems.append(f"{record.file}: the sections must be {order}, once each and in that order")
    return problems
    # --8<-- [end:record]


def linked_number(link: str) -> str | None:
    match = LINK.match(link)
    return match.group("number") if match else None


def superseded_by(record: Record) -> str | None:
    """The number in "superseded by [ADR 0002](...)", or None."""
    if not record.status.startswith("superseded by "):
        return None
    return linked_number(record.status.removeprefix("superseded by "))


def supersedes(record: Record) -> str | None:
    return linked_number(record.supersedes) if record.supersedes else None


# --8<-- [start:log]
def problems_in_log(folder: Path) -> list[str]:
    """Every record on its own, then the log as a whole: numbering, supersession, the index."""
    records = {record.number: record for record in map(read_record, sorted(folder.glob("[0-9]*.md")))}
    problems = [problem for record in records.values() for problem in problems_in_record(record)]
    expected = [f"{number:04d}" for number in range(1, len(records) + 1)]
    if sorted(records) != expected:
        problems.append(f"records are not numbered 0001 to {expected[-1]} without gaps: {sorted(records)}")
    problems += problems_in_supersession(records)
    problems += problems_in_index(records, (folder / "index.md").read_text(encoding="utf-8"))
    return problems


def problems_in_supersession(records: dict[str, Record]) -> list[str]:
    """A replaced record and its replacement must name each other."""
    problems = []
    for number, record in records.items():
        newer = records.get(superseded_by(record) or "")
        if record.status.startswith("superseded by") and (newer is None or supersedes(newer) != number):
            problems.append(
                f"{record.file}: superseded, but no record says '**Supersedes:** [ADR {number}](...).'"
            )
        older = records.get(supersedes(record) or "")
        if record.supersedes is not None and (older is None or superseded_by(older) != number):
            problems.append(f"{record.file}: supersedes {record.supersedes}, whose status does not say so")
    return problems


def problems_in_index(records: dict[str, Record], index: str) -> list[str]:
    """The index lists every record once, links to its file and shows its current status."""
    listed = {linked_number(row["link"]): row for row in INDEX_ROW.finditer(index)}
    problems = []
    for number, record in records.items():
        row = listed.get(number)
        if row is None:
            problems.append(f"index.md: ADR {number} is not listed")
        elif row["link"] != f"[ADR {number}]({record.file})":
            problems.append(f"index.md: ADR {number} should link to {record.file}")
        elif row["status"].strip().lower() != record.status.lower():
            listed_as, says = row["status"].strip(), record.status
            problems.append(f"index.md: ADR {number} is listed as {listed_as!r}, the record says {says!r}")
    unknown = sorted(listed.keys() - records.keys())
    return problems + [f"index.md: ADR {number} is listed but has no file" for number in unknown]
    # --8<-- [end:log]
