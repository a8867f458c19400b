"""The two pipeline files of the CI/CD notes, read once per test."""

from __future__ import annotations

import pytest

from ci import workflow_policy
from sitetools import ROOT

WORKFLOW = ROOT / "examples" / "ci" / "github" / "django-ci.yml"
JENKINSFILE = ROOT / "examples" / "ci" / "Jenkinsfile"


@pytest.fixture
def workflow_text() -> str:
    return WORKFLOW.read_text(encoding="utf-8")


@pytest.fixture
def workflow(workflow_text) -> dict:
    return workflow_policy.load(workflow_text)


@pytest.fixture
def jenkinsfile_text() -> str:
    return JENKINSFILE.read_text(encoding="utf-8")
