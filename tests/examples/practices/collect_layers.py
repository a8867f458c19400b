"""A pytest plugin for the test-pyramid count: `pytest --collect-only -p collect_layers`.

It writes, for every collected test, its fixtures, its markers and whether its module starts
other programs (imports subprocess), as JSON to the file named by NEXUS_LAYERS_OUTPUT.
"""

import json
import os


def pytest_collection_modifyitems(items):
    tests = []
    for item in items:
        source = item.module.__dict__ if getattr(item, "module", None) else {}
        callspec = getattr(item, "callspec", None)
        parameters = set(callspec.params) if callspec else set()  # parametrize arguments are not fixtures
        tests.append({
            "id": item.nodeid,
            "fixtures": [name for name in getattr(item, "fixturenames", []) if name not in parameters],
            "markers": sorted({marker.name for marker in item.iter_markers()}),
            "starts_programs": "subprocess" in source,
        })
    with open(os.environ["NEXUS_LAYERS_OUTPUT"], "w", encoding="utf-8") as output:
        json.dump(tests, output)
