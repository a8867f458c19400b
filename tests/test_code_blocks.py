"""Every code block in a note was run, or is checked, or says plainly that it is not run."""

from __future__ import annotations

import pytest

from codeblocks import find_blocks, problems_in
from sitetools import ROOT

DOCS = ROOT / "docs"
EXAMPLES = ROOT / "examples"
TESTS = ROOT / "tests" / "examples"


@pytest.mark.parametrize("page", sorted(DOCS.rglob("*.md")), ids=lambda page: page.relative_to(DOCS).as_posix())
def test_code_blocks_in_note_are_run_checked_or_marked(page):
    shown = page.relative_to(ROOT).as_posix()
    blocks = find_blocks(page.read_text(encoding="utf-8"), shown)
    assert [problem for block in blocks for problem in problems_in(block, ROOT)] == []


def test_every_example_topic_has_tests():
    topics = sorted(path.name for path in EXAMPLES.iterdir() if path.is_dir() and not path.name.startswith(("_", ".")))
    assert topics
    missing = [topic for topic in topics if not list((TESTS / topic).rglob("test_*.py"))]
    assert missing == [], "each examples/<topic>/ needs tests under tests/examples/<topic>/"


NOTE = '''---
title: A note
---

``` python
print("typed into the page, never run")
```

``` python
--8<-- "examples/django_project/nexus/settings.py:environment"
```

``` { .python .not-run title="Broken on purpose" }
print("not run, and says so")
```

``` { .python .not-run }
print("marked, but without a title saying what it is")
```

``` python
--8<-- "mkdocs.yml"
```

!!! example

    ``` yaml
    key: [unclosed
    ```

``` json
{"trailing": "comma",}
```

``` bash
rm -rf $TARGET/
```

````markdown
``` python
print("inside a Markdown example, not a block of its own")
```
````
'''


def test_scanner_reports_each_bad_block_with_file_and_line():
    problems = [problem for block in find_blocks(NOTE, "docs/a.md") for problem in problems_in(block, ROOT)]
    assert [problem.split(": ", 1)[0] for problem in problems] == [
        "docs/a.md:5", "docs/a.md:17", "docs/a.md:21", "docs/a.md:27", "docs/a.md:31", "docs/a.md:35", "docs/a.md:35",
    ]
    assert "neither included from examples/ nor marked as not run" in problems[0]
    assert "not under examples/" in problems[2]
    assert "YAML block does not parse" in problems[3]
    assert "JSON block does not parse" in problems[4]
    assert "[SC2115]" in problems[5] and "[SC2086]" in problems[6]
