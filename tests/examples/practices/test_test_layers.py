"""docs/best-practices/test-early-test-often.md: the layers of this repository's own test suite.

pytest collects every test under tests/ in a subprocess (nothing runs); the plugin
collect_layers.py writes each test's fixtures and markers, and layer() sorts them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from measurements import matches_recorded
from practices.testing.pyramid import count_layers, layer
from sitetools import ROOT

HERE = Path(__file__).parent


def collected_tests(tmp_path) -> list[dict]:
    output = tmp_path / "layers.json"
    environment = {**os.environ, "NEXUS_LAYERS_OUTPUT": str(output),
                   "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")]))}
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "--no-cov", "-p", "no:cacheprovider",
         "-p", "collect_layers", "tests"],
        cwd=ROOT, env=environment, capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return json.loads(output.read_text(encoding="utf-8"))


def about(number: float, step: int) -> int:
    return int(round(number / step) * step)


def test_the_layers_of_this_repository_in_the_note_come_from_collecting_its_tests(tmp_path):
    tests = collected_tests(tmp_path)
    layers = count_layers(tests)
    total = sum(layers.values())
    assert total == len(tests) > 1000
    assert set(layers) == {"unit", "integration", "end-to-end"}
    assert layers["end-to-end"] == min(layers.values())  # the slow top stays the smallest layer
    assert layers["integration"] > layers["unit"]  # the note says this suite is integration-heavy
    # Shares rounded to 5% and the total rounded down to 500s, so that the figures stay the same
    # while tests are added one by one: the shape is the point, not the exact count.
    lines = ["| Layer | Share of the tests |", "| --- | --- |"]
    lines += [f"| {name.capitalize()} | about {about(100 * layers[name] / total, 5)}% |"
              for name in ("end-to-end", "integration", "unit")]
    lines.append(f"| All | more than {total // 500 * 500:,} tests |")
    assert matches_recorded("examples/practices/testing/measured/test-layers.md", "\n".join(lines) + "\n")


def test_a_browser_or_a_live_server_makes_a_test_end_to_end():
    assert layer(["page", "site_url"], [], False) == "end-to-end"
    assert layer(["live_server", "db"], ["django_db"], False) == "end-to-end"
    assert layer([], ["browser"], False) == "end-to-end"


def test_a_database_a_server_or_another_program_makes_a_test_integration():
    assert layer(["client"], [], False) == "integration"
    assert layer([], ["django_db"], False) == "integration"
    assert layer(["postgres"], [], False) == "integration"
    assert layer(["tmp_path"], [], True) == "integration"  # its module runs git, nginx or a linter


def test_everything_else_is_a_unit_test():
    assert layer(["tmp_path", "monkeypatch"], ["parametrize"], False) == "unit"
