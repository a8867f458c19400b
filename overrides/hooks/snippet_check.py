"""Check every `--8<--` include before any page is rendered.

pymdownx.snippets (with `check_paths: true`) stops the build at the first missing file with
a traceback that names neither the page nor the line. This hook finds every missing file or
named section first and stops the build with one message listing them all, e.g.

    docs/concepts/caching.md:42: snippet 'examples/caching/views.py:cache_page' has no
    section 'cache_page' (add '# --8<-- [start:cache_page]' and '[end:cache_page]' markers)
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

SINGLE = re.compile(r"""^[ \t]*(?P<escape>;*)-{1,}8<-{1,}[ \t]+(?P<quote>["'])(?P<target>.+?)(?P=quote)[ \t]*$""")
BLOCK_FENCE = re.compile(r"^[ \t]*(?P<escape>;*)-{2,}8<-{2,}[ \t]*$")
LINES_SUFFIX = re.compile(r"(?::-?\d*){1,2}(?:,(?:-?\d*)(?::-?\d*)?)*$")


def snippet_targets(text: str):
    """Yield (line number, target) for every snippet include in Markdown source."""
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        fence = BLOCK_FENCE.match(line)
        if fence:
            if not fence.group("escape"):
                in_block = not in_block
            continue
        if in_block:
            target = line.strip()
            if target and not target.startswith(";"):
                yield number, target
            continue
        single = SINGLE.match(line)
        if single and not single.group("escape"):
            yield number, single.group("target")


def problem_with(target: str, base_paths: list[Path]) -> str | None:
    """Why `target` (a path, optionally with ':section' or ':start:end') cannot be included."""
    path, section = target, None
    if not LINES_SUFFIX.search(target) and ":" in target:
        path, _, section = target.rpartition(":")
    elif LINES_SUFFIX.search(target):
        path = LINES_SUFFIX.sub("", target)
    found = next((base / path for base in base_paths if (base / path).is_file()), None)
    if found is None:
        return f"snippet '{target}' not found (paths are relative to the repository root)"
    if section:
        content = found.read_text(encoding="utf-8")
        missing = [marker for marker in ("start", "end") if f"--8<-- [{marker}:{section}]" not in content]
        if missing:
            return (
                f"snippet '{target}' has no section '{section}' (add '# --8<-- [start:{section}]' "
                f"and '# --8<-- [end:{section}]' markers to {path})"
            )
    return None


def on_files(files, config):
    root = Path(config.config_file_path).parent
    options = config.mdx_configs.get("pymdownx.snippets", {})
    base_paths = [(root / base).resolve() for base in options.get("base_path", ["."])]
    problems = []
    for file in files.documentation_pages():
        text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        shown = os.path.relpath(file.abs_src_path, root)
        for line, target in snippet_targets(text):
            problem = problem_with(target, base_paths)
            if problem:
                problems.append(f"{shown}:{line}: {problem}")
    if problems:
        raise PluginError("snippet includes that cannot be resolved:\n  " + "\n  ".join(problems))
    return files
