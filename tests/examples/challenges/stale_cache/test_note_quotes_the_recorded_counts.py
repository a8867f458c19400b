"""The counts that docs/challenges/stale-data-after-caching.md repeats in its prose are the recorded ones."""

from __future__ import annotations

from sitetools import ROOT

NOTE = ROOT / "docs" / "challenges" / "stale-data-after-caching.md"
MEASURED = ROOT / "examples" / "challenges" / "stale_cache" / "measured"

def test_the_counts_in_the_prose_are_the_recorded_ones():
    text = " ".join(NOTE.read_text(encoding="utf-8").split())
    stale = (MEASURED / "stale-reads.md").read_text(encoding="utf-8")
    assert "| **all three** | **60 of 90** | **30 of 90** | **0 of 90** |" in stale
    assert "from 30 of 90 with the app's invalidation (60 of 90 with the program's first version) to 0" in text
    assert "| the reader misses inside the writer's transaction | 30 of 30 | 0 of 30 | 0 of 30 |" in stale
    assert "shows 30 of 30 against 0 of 30" in text
