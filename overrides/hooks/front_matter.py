"""The front matter contract, checked the same way by the build and by the tests.

Every page under docs/ starts with a YAML block that schema/front-matter.schema.json
describes; its tags come from the vocabulary in tags.yml. Each violation becomes one
build warning that names the file and line, e.g.

    docs/concepts/caching.md:4: unknown tag 'cachng' (did you mean 'caching'?)

and `mkdocs build --strict` turns warnings into a failed build. MkDocs itself drops
front matter it cannot parse without a word, so the YAML is parsed here too.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator, ValidationError

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_FILE = ROOT / "schema" / "front-matter.schema.json"
VOCABULARY_FILE = ROOT / "tags.yml"

VOCABULARY_SCHEMA = {
    "type": "object",
    "minProperties": 1,
    "propertyNames": {"pattern": "^[a-z0-9]+(-[a-z0-9]+)*$"},
    "additionalProperties": {"type": "string", "minLength": 10},
}

# Not under the "mkdocs.plugins" namespace, so messages carry no prefix; still under "mkdocs",
# so `--strict` counts them.
log = logging.getLogger("mkdocs.hooks.front_matter")


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class ContractError(Exception):
    """The contract's own files (schema, vocabulary) are broken."""


def load_vocabulary(path: Path = VOCABULARY_FILE) -> dict[str, str]:
    try:
        vocabulary = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ContractError(f"{path}: not valid YAML: {error}") from error
    errors = sorted(Draft202012Validator(VOCABULARY_SCHEMA).iter_errors(vocabulary), key=str)
    if errors:
        where = "/".join(str(part) for part in errors[0].absolute_path) or "top level"
        raise ContractError(f"{path}: {where}: {errors[0].message}")
    return vocabulary


def load_validators(vocabulary: dict[str, str], schema_file: Path = SCHEMA_FILE) -> dict[str, Draft202012Validator]:
    """One validator for notes (tags required) and one for section pages."""
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    schema["$defs"]["tag"]["enum"] = sorted(vocabulary)
    return {kind: Draft202012Validator({**schema, "$ref": f"#/$defs/{kind}"}) for kind in ("page", "note")}


def is_note(src_uri: str) -> bool:
    """Section index pages and pages at the docs root may omit tags; every other page is a note."""
    return "/" in src_uri and not src_uri.endswith("index.md")


def check_page(text: str, path: str, validator: Draft202012Validator) -> list[Problem]:
    """All contract violations in one page's source text; `path` is only used in messages."""
    lines = text.splitlines()
    if not lines or lines[0].rstrip() != "---":
        return [Problem(path, 1, "no front matter: start the page with '---', then title, description and tags")]
    closing = next((i for i, line in enumerate(lines[1:], start=1) if line.rstrip() in ("---", "...")), None)
    if closing is None:
        return [Problem(path, 1, "front matter is not closed: add a '---' line after it")]
    source = "\n".join(lines[1:closing])
    try:
        root = yaml.compose(source, Loader=yaml.SafeLoader)
        data = yaml.safe_load(source)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 2 if mark else 1
        problem = getattr(error, "problem", None) or str(error)
        return [Problem(path, line, f"front matter is not valid YAML: {problem}")]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return [Problem(path, 2, "front matter must be a mapping of fields (title: ..., description: ...)")]
    problems = [_explain(error, data, root, path) for error in validator.iter_errors(data)]
    return sorted({problem for group in problems for problem in group})


def _explain(error: ValidationError, data: dict, root: yaml.Node | None, path: str) -> list[Problem]:
    where = list(error.absolute_path)
    line = _line_of(root, where)
    field = str(where[0]) if where else ""
    kind = error.validator

    if kind == "required":
        return [
            Problem(path, 1, f"missing required field '{name}'")
            for name in error.validator_value
            if name not in error.instance
        ]
    if kind == "additionalProperties":
        known = list(error.schema.get("properties", {}))
        return [
            Problem(path, _line_of(root, [*where, name], key=True), f"unknown field '{name}'{_suggest(name, known)}")
            for name in error.instance
            if name not in known
        ]
    if kind == "enum" and field == "tags":
        suggestion = _suggest(str(error.instance), error.validator_value)
        return [Problem(path, line, f"unknown tag '{error.instance}'{suggestion}")]
    if kind == "maxLength":
        length, limit = len(error.instance), error.validator_value
        return [Problem(path, line, f"{field} is {length} characters long; the limit is {limit}")]
    if kind == "minLength":
        length, limit = len(error.instance), error.validator_value
        return [Problem(path, line, f"{field} is {length} characters long; write at least {limit}")]
    if kind == "uniqueItems":
        seen: list = []
        problems = []
        for index, item in enumerate(error.instance):
            if item in seen:
                problems.append(
                    Problem(path, _line_of(root, [*where, index]), f"{field} lists {item!r} more than once")
                )
            seen.append(item)
        return problems
    if kind == "minItems" and field == "tags":
        return [Problem(path, line, "tags is empty: a note needs at least one tag from tags.yml")]
    place = "/".join(map(str, where)) or "front matter"
    if kind == "type":
        expected, found = error.validator_value, type(error.instance).__name__
        return [Problem(path, line, f"{place} must be of type {expected}, not {found}")]
    return [Problem(path, line, f"{place}: {error.message}")]


def _suggest(word: str, choices: Any) -> str:
    match = difflib.get_close_matches(word, [str(choice) for choice in choices], n=1, cutoff=0.6)
    return f" (did you mean '{match[0]}'?)" if match else ""


def _line_of(root: yaml.Node | None, where: list, key: bool = False) -> int:
    """1-based line in the page file of the YAML node at `where` (the file's line 1 is '---').

    With `key`, the line of the last mapping key itself rather than of its value.
    """
    node = root
    if node is None:
        return 1
    for depth, step in enumerate(where, start=1):
        if isinstance(node, yaml.MappingNode):
            pair = next(((k, v) for k, v in node.value if k.value == step), None)
            node = None if pair is None else pair[0 if key and depth == len(where) else 1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            node = None
        if node is None:
            return 1
    return node.start_mark.line + 2


# --- MkDocs hook -------------------------------------------------------------------------------


def on_files(files, config):
    root = Path(config.config_file_path).parent
    vocabulary_file = root / "tags.yml"
    schema_file = root / "schema" / "front-matter.schema.json"
    validators = load_validators(load_vocabulary(vocabulary_file), schema_file)
    for file in files.documentation_pages():
        text = Path(file.abs_src_path).read_text(encoding="utf-8-sig")
        shown = os.path.relpath(file.abs_src_path, root)
        for problem in check_page(text, shown, validators["note" if is_note(file.src_uri) else "page"]):
            log.warning(str(problem))
            if os.environ.get("GITHUB_ACTIONS") == "true":
                # A workflow command: the pull request shows the message on the offending line.
                print(f"::error file={problem.path},line={problem.line}::{_escape(problem.message)}")
    return files


def _escape(message: str) -> str:
    return re.sub(r"[%\r\n]", lambda m: {"%": "%25", "\r": "%0D", "\n": "%0A"}[m.group()], message)
