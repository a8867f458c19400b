"""examples/django_project/requirements.txt: what the image installs is what the tests ran.

The pins must equal those of requirements-test.txt (the test suite's own), and every
third-party module the project imports, in code or by name in its settings, must come from a
distribution the image installs, directly or as a dependency of one.
"""

from __future__ import annotations

import ast
import importlib.metadata
import sys

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from sitetools import ROOT

PROJECT = ROOT / "examples" / "django_project"


def pinned(path) -> dict[str, tuple[str, frozenset[str]]]:
    """{canonical name: (version, extras)} of every `name[extras]==version` line."""
    pins = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-r"):
            continue
        requirement = Requirement(line)
        (specifier,) = requirement.specifier  # exactly one, and it must be ==
        assert specifier.operator == "==", line
        pins[canonicalize_name(requirement.name)] = (specifier.version, frozenset(requirement.extras))
    return pins


def installed_closure(names: dict[str, frozenset[str]]) -> set[str]:
    """The distributions pip installs for these requirements: each one and, recursively, what it
    requires (with the extras asked for, and markers evaluated for this platform)."""
    seen: set[str] = set()
    pending = list(names.items())
    while pending:
        name, extras = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        for text in importlib.metadata.requires(name) or []:
            requirement = Requirement(text)
            environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
            if requirement.marker is None or any(requirement.marker.evaluate(env) for env in environments):
                pending.append((canonicalize_name(requirement.name), frozenset(requirement.extras)))
    return seen


def project_imports() -> set[str]:
    """Top-level names of every absolute import in the project's code."""
    names = set()
    for path in PROJECT.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(alias.name.split(".")[0] for alias in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return names


def settings_imports() -> set[str]:
    """Top-level names of the dotted paths the settings modules name as strings (apps,
    middleware, storage backends ...), which Django imports at run time."""
    import importlib.util
    import re

    dotted = re.compile(r"[a-z_][a-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+")
    names = set()
    for path in (PROJECT / "nexus").glob("settings*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and dotted.fullmatch(node.value):
                top = node.value.split(".")[0]
                if importlib.util.find_spec(top) is not None:
                    names.add(top)
    return names


def test_the_image_pins_exactly_what_the_test_suite_installs():
    image = pinned(PROJECT / "requirements.txt")
    tests = pinned(ROOT / "requirements-test.txt")
    assert image and {name: tests.get(name) for name in image} == image


def test_every_third_party_module_the_project_imports_is_installed_in_the_image():
    local = {path.name for path in PROJECT.iterdir() if path.is_dir()} | {"manage"}
    modules = (project_imports() | settings_imports()) - local - set(sys.stdlib_module_names) - {"__future__"}
    owners = importlib.metadata.packages_distributions()
    closure = installed_closure({name: extras for name, (_, extras) in pinned(PROJECT / "requirements.txt").items()})
    missing = {module: owners.get(module) for module in modules
               if not {canonicalize_name(dist) for dist in owners.get(module, [])} & closure}
    assert missing == {}
    assert {"django", "rest_framework", "celery", "graphene", "whitenoise"} <= modules  # the scan sees them


def test_a_module_from_an_unlisted_distribution_would_be_reported():
    closure = installed_closure({"django": frozenset()})
    owners = importlib.metadata.packages_distributions()
    assert "asgiref" in closure  # a dependency of Django comes along
    assert not {canonicalize_name(dist) for dist in owners["celery"]} & closure  # celery does not
