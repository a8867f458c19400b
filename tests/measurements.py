"""Numbers that a note quotes are written by the test that measures them.

A note includes a small Markdown file, `examples/<topic>/measured/<name>.md`, through
pymdownx.snippets. The test that takes the measurement renders that text and calls
`matches_recorded(path, text)`:

- same text as the committed file: pass;
- different text: fail with both versions, so a change in behaviour cannot go unnoticed;
- with NEXUS_RECORD=1 (`make measure`): write the new text instead, to review and commit.

Render numbers that vary between runs (timings) coarsely enough to be stable, e.g. a ratio
rounded to a whole number, and assert the claim itself (faster, fewer queries) separately.
"""

from __future__ import annotations

import os
from pathlib import Path

from sitetools import ROOT

RECORDING = os.environ.get("NEXUS_RECORD") == "1"


def matches_recorded(path: str | Path, text: str) -> bool:
    target = ROOT / path
    if RECORDING:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        return True
    recorded = target.read_text(encoding="utf-8") if target.exists() else "(no recorded file yet: run `make measure`)"
    assert recorded == text, (
        f"{Path(path)} no longer matches what the test measured.\n"
        f"--- recorded ---\n{recorded}\n--- measured now ---\n{text}\n"
        "If the change is expected, run `make measure` and commit the file."
    )
    return True
