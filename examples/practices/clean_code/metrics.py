"""Measure functions with the ast module: length, complexity and type hints.

The clean-code note (docs/best-practices/clean-code.md) compares before.py and after.py with
these numbers. Complexity is counted the way the mccabe checker counts it: one path through
the function, plus one for every `if` or `elif`, loop and `except` clause.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

BRANCHES = (ast.If, ast.For, ast.AsyncFor, ast.While, ast.ExceptHandler)


# --8<-- [start:metrics]
@dataclass(frozen=True)
class FunctionMetrics:
    name: str
    lines: int  # from the `def` line to the last line of the body, docstring included
    complexity: int  # 1 + if/elif + loops + except clauses
    type_hinted: bool  # every parameter and the return value are annotated


def measure(function: ast.FunctionDef | ast.AsyncFunctionDef) -> FunctionMetrics:
    branches = sum(isinstance(node, BRANCHES) for node in ast.walk(function))
    arguments = function.args
    parameters = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
    parameters += [extra for extra in (arguments.vararg, arguments.kwarg) if extra is not None]
    hinted = function.returns is not None and all(parameter.annotation for parameter in parameters)
    return FunctionMetrics(function.name, function.end_lineno - function.lineno + 1, 1 + branches, hinted)


def functions_in(path: Path) -> list[FunctionMetrics]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    definitions = (ast.FunctionDef, ast.AsyncFunctionDef)
    return [measure(node) for node in ast.walk(tree) if isinstance(node, definitions)]
    # --8<-- [end:metrics]


def short_names(path: Path, shorter_than: int = 3) -> set[str]:
    """Parameter and variable names a reader has to decode: `t`, `d1`, `c`."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parameters = {node.arg for node in ast.walk(tree) if isinstance(node, ast.arg)}
    assigned = (node for node in ast.walk(tree) if isinstance(node, ast.Name))
    variables = {node.id for node in assigned if isinstance(node.ctx, ast.Store)}
    return {name for name in parameters | variables if len(name) < shorter_than}
