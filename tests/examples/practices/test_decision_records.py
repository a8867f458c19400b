"""docs/best-practices/document-decisions.md: this site's decision log follows its own template.

Every ADR under docs/about/decisions/ has a status and the sections Context, Options considered,
Decision and Consequences in that order, and is listed in the log's index with the same status.
The checker is examples/practices/decisions/adr_check.py; the tests below also feed it broken
logs, so a checker that silently stopped checking would fail here.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from measurements import matches_recorded
from practices.decisions.adr_check import SECTIONS, problems_in_log, problems_in_record, read_record
from sitetools import ROOT

LOG = ROOT / "docs" / "about" / "decisions"
EXAMPLES = ROOT / "examples" / "practices" / "decisions"


def test_every_adr_of_this_site_follows_the_template_and_is_listed_in_the_log():
    assert problems_in_log(LOG) == []


def test_the_log_holds_adrs_0001_to_0006_at_least():
    numbers = sorted(read_record(path).number for path in LOG.glob("[0-9]*.md"))
    assert numbers[:6] == ["0001", "0002", "0003", "0004", "0005", "0006"]


@pytest.mark.parametrize("path", sorted(LOG.glob("[0-9]*.md")), ids=lambda path: path.stem)
def test_each_adr_has_a_status_and_the_four_sections_in_order(path):
    record = read_record(path)
    assert record.status  # "accepted", "superseded by [ADR ...](...)", ...
    assert [section for section in record.sections if section in SECTIONS] == list(SECTIONS)
    assert record.bullets["Options considered"] >= 2  # a decision with one option was not a decision


def test_the_table_of_records_in_the_note_comes_from_the_records():
    lines = ["| Record | Status | Options considered | Consequences listed |", "| --- | --- | --- | --- |"]
    for path in sorted(LOG.glob("[0-9]*.md")):
        record = read_record(path)
        title = record.title.split(": ", 1)[1]
        lines.append(
            f"| [ADR {record.number}](../about/decisions/{record.file}): {title} | {record.status.capitalize()} "
            f"| {record.bullets['Options considered']} | {record.bullets['Consequences']} |"
        )
    assert matches_recorded("examples/practices/decisions/measured/decision-log.md", "\n".join(lines) + "\n")


def test_the_illustrated_supersession_passes_the_same_check():
    assert problems_in_log(EXAMPLES / "example-log") == []
    old = read_record(EXAMPLES / "example-log" / "0001-page-numbers-for-every-list.md")
    new = read_record(EXAMPLES / "example-log" / "0002-cursor-for-messages.md")
    assert old.status == "superseded by [ADR 0002](0002-cursor-for-messages.md)"
    assert new.supersedes == "[ADR 0001](0001-page-numbers-for-every-list.md)"


def test_the_template_saved_as_a_first_record_passes_the_check(tmp_path):
    text = (EXAMPLES / "template.md").read_text(encoding="utf-8").replace("ADR 0000", "ADR 0001")
    (tmp_path / "0001-use-the-template.md").write_text(text, encoding="utf-8")
    (tmp_path / "index.md").write_text(
        "| Record | Decision | Status |\n| --- | --- | --- |\n"
        "| [ADR 0001](0001-use-the-template.md) | Use the template | Proposed |\n",
        encoding="utf-8",
    )
    assert problems_in_log(tmp_path) == []
    assert read_record(tmp_path / "0001-use-the-template.md").status == "proposed"


# --- the check fails on broken logs -------------------------------------------------------------------

@pytest.fixture
def log_copy(tmp_path) -> Path:
    """A copy of the illustrated log, to break in one place per test."""
    copy = tmp_path / "log"
    shutil.copytree(EXAMPLES / "example-log", copy)
    return copy


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_missing_section_is_reported(log_copy):
    edit(log_copy / "0002-cursor-for-messages.md", "## Options considered\n", "")
    assert problems_in_log(log_copy) == [
        "0002-cursor-for-messages.md: the sections must be Context, Options considered, Decision, Consequences, "
        "once each and in that order"
    ]


def test_sections_out_of_order_are_reported(log_copy):
    path = log_copy / "0002-cursor-for-messages.md"
    edit(path, "## Decision\n", "## PLACEHOLDER\n")
    edit(path, "## Consequences\n", "## Decision\n")
    edit(path, "## PLACEHOLDER\n", "## Consequences\n")
    assert any("in that order" in problem for problem in problems_in_log(log_copy))


def test_a_record_without_a_status_line_is_reported(log_copy):
    edit(log_copy / "0002-cursor-for-messages.md", "**Status:** accepted.\n", "")
    assert (
        "0002-cursor-for-messages.md: no '**Status:** <proposed | accepted | rejected | deprecated | superseded by>.' "
        "line"
    ) in problems_in_log(log_copy)


def test_a_record_missing_from_the_index_is_reported(log_copy):
    edit(log_copy / "index.md", "| [ADR 0002](0002-cursor-for-messages.md) |", "| ADR 0002 |")
    assert problems_in_log(log_copy) == ["index.md: ADR 0002 is not listed"]


def test_a_status_that_differs_from_the_index_is_reported(log_copy):
    edit(log_copy / "0002-cursor-for-messages.md", "**Status:** accepted.", "**Status:** proposed.")
    assert problems_in_log(log_copy) == ["index.md: ADR 0002 is listed as 'Accepted', the record says 'proposed'"]


def test_a_supersession_written_on_one_side_only_is_reported(log_copy):
    edit(log_copy / "0002-cursor-for-messages.md",
         "**Supersedes:** [ADR 0001](0001-page-numbers-for-every-list.md).\n", "")
    assert problems_in_log(log_copy) == [
        "0001-page-numbers-for-every-list.md: superseded, but no record says '**Supersedes:** [ADR 0001](...).'"
    ]


def test_a_supersedes_line_without_the_old_status_changed_is_reported(log_copy):
    edit(log_copy / "0001-page-numbers-for-every-list.md",
         "**Status:** superseded by [ADR 0002](0002-cursor-for-messages.md).", "**Status:** accepted.")
    edit(log_copy / "index.md", "Superseded by [ADR 0002](0002-cursor-for-messages.md)", "Accepted")
    assert problems_in_log(log_copy) == [
        "0002-cursor-for-messages.md: supersedes [ADR 0001](0001-page-numbers-for-every-list.md), "
        "whose status does not say so"
    ]


def test_a_gap_in_the_numbering_and_a_bad_file_name_are_reported(log_copy):
    (log_copy / "0002-cursor-for-messages.md").rename(log_copy / "0003-Cursor_For_Messages.md")
    problems = problems_in_log(log_copy)
    assert "0003-Cursor_For_Messages.md: the file name is not NNNN-lowercase-words.md" in problems
    assert "0003-Cursor_For_Messages.md: the title does not start with 'ADR 0003: '" in problems
    assert "records are not numbered 0001 to 0002 without gaps: ['0001', '0003']" in problems
    assert "index.md: ADR 0002 is listed but has no file" in problems


def test_a_single_record_is_checked_without_its_log():
    record = read_record(EXAMPLES / "template.md")
    assert problems_in_record(record) == [
        "template.md: the file name is not NNNN-lowercase-words.md",
        "template.md: the title does not start with 'ADR temp: '",
    ]


def test_an_index_row_that_links_to_the_wrong_file_is_reported(log_copy):
    edit(log_copy / "index.md", "| [ADR 0002](0002-cursor-for-messages.md) |", "| [ADR 0002](0002-cursor.md) |")
    assert problems_in_log(log_copy) == ["index.md: ADR 0002 should link to 0002-cursor-for-messages.md"]
