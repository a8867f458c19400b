"""Shared pieces of the Docker and Compose notes' tests: the files, a Dockerfile parser, and the
environment the image gives its processes, rebuilt on this machine.

Docker is not installed where these tests run, so nothing here builds an image or starts a
container. The tests read the Dockerfile, the Compose file and the .dockerignore the way Docker
reads them, and run the image's own commands (collectstatic, the entrypoint, Gunicorn with the
image's configuration, the HEALTHCHECK, the Celery pings) as ordinary processes on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

from sitetools import ROOT

PROJECT = ROOT / "examples" / "django_project"
DOCKERFILE = PROJECT / "Dockerfile"
COMPOSE = PROJECT / "compose.yaml"
VENV_BIN = Path(sys.executable).parent
# Variables of the developer's shell that would change what the project's processes do.
OWN_VARIABLES = ("DJANGO_", "DATABASE_URL", "GUNICORN_", "WEB_CONCURRENCY", "CELERY_", "PORT", "HEALTHCHECK_URL")


# --- a Dockerfile, parsed ----------------------------------------------------------------------


@dataclass
class Instruction:
    line: int  # where the instruction starts, 1-based
    keyword: str  # FROM, RUN, COPY ... upper case
    arguments: str  # everything after the keyword, continuation lines joined

    @property
    def exec_form(self) -> list[str] | None:
        """The JSON array of an exec-form CMD, ENTRYPOINT or RUN; None for the shell form."""
        text = self.arguments
        if self.keyword == "HEALTHCHECK":
            text = text.split(" CMD ", 1)[-1] if " CMD " in f" {text}" else ""
            text = text.removeprefix("CMD ").strip()
        try:
            value = json.loads(text)
        except json.JSONDecodeError:
            return None
        return value if isinstance(value, list) and all(isinstance(item, str) for item in value) else None

    @property
    def words(self) -> list[str]:
        return shlex.split(self.arguments, comments=False)


@dataclass
class Stage:
    base: str  # the image of FROM
    name: str | None  # the name after AS
    instructions: list[Instruction] = field(default_factory=list)

    def all(self, keyword: str) -> list[Instruction]:
        return [instruction for instruction in self.instructions if instruction.keyword == keyword]

    def last(self, keyword: str) -> Instruction | None:
        found = self.all(keyword)
        return found[-1] if found else None


def parse_dockerfile(text: str) -> list[Stage]:
    """The stages of a Dockerfile: comment lines dropped (also inside a continuation, as Docker
    does), lines ending in a backslash joined, each FROM starting a new stage."""
    stages: list[Stage] = []
    pending: list[str] = []
    start = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if not pending:
            start = number
        continued = line.endswith("\\")
        pending.append(line[:-1].strip() if continued else line)
        if continued:
            continue
        keyword, _, arguments = " ".join(pending).partition(" ")
        pending = []
        instruction = Instruction(start, keyword.upper(), arguments.strip())
        if instruction.keyword == "FROM":
            words = instruction.words
            words = [word for word in words if not word.startswith("--")]  # --platform=...
            name = words[2] if len(words) >= 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif stages:
            stages[-1].instructions.append(instruction)
    return stages


def env_assignments(instruction: Instruction) -> dict[str, str]:
    """The variables of an ENV or ARG instruction (KEY=value form; ARG without a default is '')."""
    values = {}
    for word in instruction.words:
        key, _, value = word.partition("=")
        values[key] = value
    return values


def leading_assignments(command: str) -> tuple[dict[str, str], list[str]]:
    """`A=1 B=2 python x.py` -> ({"A": "1", "B": "2"}, ["python", "x.py"]), as a shell reads it."""
    words = shlex.split(command)
    assignments = {}
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0]):
        key, _, value = words.pop(0).partition("=")
        assignments[key] = value
    return assignments, words


# --- what the image does at run time, on this machine ----------------------------------------------


def clean_environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items() if not name.startswith(OWN_VARIABLES)}


def on_this_machine(value: str) -> str:
    """A path or command of the image, moved from /app and /opt/venv to this checkout."""
    return value.replace("/opt/venv/bin", str(VENV_BIN)).replace("/app/", f"{PROJECT}/").replace("/app", str(PROJECT))


def image_environment(stages: list[Stage]) -> dict[str, str]:
    """The environment the final stage's ENV instructions give every process of the image,
    on top of this machine's (PATH first: the image's PATH extends the base image's)."""
    env = clean_environment()
    for instruction in stages[-1].all("ENV"):
        for key, value in env_assignments(instruction).items():
            env[key] = on_this_machine(value.replace("$PATH", env.get("PATH", "")))
    return env


@pytest.fixture(scope="session")
def stages() -> list[Stage]:
    return parse_dockerfile(DOCKERFILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


# The helpers as fixtures: a test module cannot import a conftest by name (every test folder has one).


@pytest.fixture(scope="session")
def dockerfile_parser():
    """dockerfile_parser(text) -> the list of Stage of that Dockerfile."""
    return parse_dockerfile


@pytest.fixture(scope="session")
def docker_env():
    """Helpers that rebuild the image's environment on this machine."""
    from types import SimpleNamespace

    return SimpleNamespace(
        image_environment=image_environment,
        leading_assignments=leading_assignments,
        env_assignments=env_assignments,
        on_this_machine=on_this_machine,
        clean_environment=clean_environment,
    )
