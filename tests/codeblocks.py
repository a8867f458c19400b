"""Find the fenced code blocks in a note, and say which ones break the "nothing unrun" rule.

A Python block must either consist only of snippet lines that include code from examples/
(which the tests run), or be marked explicitly as not run, with a title that says what it is:

    ``` { .python .not-run title="Shell session: what the REPL prints" }

Blocks in languages a tool can check are checked: YAML and JSON must parse, shell scripts must
pass shellcheck. A block whose content is included from a file is checked as included.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})[ \t]*(?P<info>.*)$")
SNIPPET_LINE = re.compile(r"""^-{1,}8<-{1,}[ \t]+(["'])(?P<target>.+?)\1[ \t]*$""")
PYTHON = {"python", "py", "python3", "py3", "pycon"}
SHELL = {"bash", "sh", "shell"}


@dataclass
class Block:
    path: str
    line: int  # line of the opening fence, 1-based
    language: str
    classes: list[str] = field(default_factory=list)
    options: dict[str, str] = field(default_factory=dict)
    content: str = ""

    @property
    def snippet_targets(self) -> list[str] | None:
        """The included targets when the block is made only of snippet lines, else None."""
        lines = [line.strip() for line in self.content.splitlines() if line.strip()]
        matches = [SNIPPET_LINE.match(line) for line in lines]
        if not lines or not all(matches):
            return None
        return [match.group("target") for match in matches]


def parse_info(info: str) -> tuple[str, list[str], dict[str, str]]:
    """Language, classes and options of a fence's info string, in either of Superfences' forms:
    `python title="x"` or `{ .python .not-run title="x" }`."""
    info = info.strip()
    if info.startswith("{") and info.endswith("}"):
        words = shlex.split(info[1:-1])
        classes = [word[1:] for word in words if word.startswith(".")]
        options = dict(word.split("=", 1) for word in words if "=" in word)
        return (classes[0].lower() if classes else ""), classes[1:], options
    words = shlex.split(info) if info else []
    language = words[0].lower() if words and "=" not in words[0] else ""
    options = dict(word.split("=", 1) for word in words if "=" in word)
    return language, [], options


def find_blocks(text: str, path: str) -> list[Block]:
    blocks: list[Block] = []
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if not opening:
            index += 1
            continue
        start = index + 1
        fence, indent = opening.group("fence"), len(opening.group("indent"))
        language, classes, options = parse_info(opening.group("info"))
        body: list[str] = []
        index += 1
        while index < len(lines):
            closing = FENCE.match(lines[index])
            if (closing and closing.group("fence")[0] == fence[0] and len(closing.group("fence")) >= len(fence)
                    and not closing.group("info").strip()):
                break
            body.append(lines[index][indent:] if lines[index][:indent].strip() == "" else lines[index])
            index += 1
        blocks.append(Block(path, start, language, classes, options, "\n".join(body) + "\n"))
        index += 1
    return blocks


def included_text(target: str, root: Path) -> str:
    """The text a snippet target includes: a whole file, or the lines of one named section."""
    path, _, section = target.partition(":")
    text = (root / path).read_text(encoding="utf-8")
    if not section:
        return text
    inside, kept = False, []
    for line in text.splitlines():
        if f"--8<-- [start:{section}]" in line:
            inside = True
        elif f"--8<-- [end:{section}]" in line:
            inside = False
        elif inside:
            kept.append(line)
    return "\n".join(kept) + "\n"


def problems_in(block: Block, root: Path) -> list[str]:
    where = f"{block.path}:{block.line}"
    targets = block.snippet_targets
    if block.language in PYTHON:
        if targets is not None:
            outside = [target for target in targets if not target.startswith("examples/")]
            return [f"{where}: Python block includes {target!r}, which is not under examples/" for target in outside]
        if "not-run" in block.classes and block.options.get("title"):
            return []
        return [
            f"{where}: Python block is neither included from examples/ nor marked as not run "
            '(write ``` { .python .not-run title="what this shows" })'
        ]
    if "not-run" in block.classes:
        return []
    content = "".join(included_text(target, root) for target in targets) if targets else block.content
    if block.language in {"yaml", "yml"}:
        try:
            list(yaml.safe_load_all(content))
        except yaml.YAMLError as error:
            return [f"{where}: YAML block does not parse: {error}".replace("\n", " ")]
    if block.language == "json":
        try:
            json.loads(content)
        except json.JSONDecodeError as error:
            return [f"{where}: JSON block does not parse: {error}"]
    if block.language in SHELL:
        result = subprocess.run(
            [str(Path(sys.executable).parent / "shellcheck"), "--shell=bash", "--format=gcc", "-"],
            input=content, capture_output=True, text=True, check=False,
        )
        return [f"{where}: shellcheck: {line.split(':', 3)[-1].strip()} (block line {line.split(':')[1]})"
                for line in result.stdout.splitlines()]
    return []
