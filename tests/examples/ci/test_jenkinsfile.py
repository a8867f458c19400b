"""The example Jenkinsfile, read by examples/ci/jenkinsfile.py since no Jenkins runs here.

The reader is tested on its own first (strings and comments never count as braces, unbalanced
files are refused with a line number), then used to check every structural claim of the note,
and each rule is shown to fail on a Jenkinsfile broken in exactly that way.
"""

from __future__ import annotations

import re

import pytest

from ci import jenkinsfile, workflow_policy
from ci.jenkinsfile import JenkinsfileError, parse, problems, stages
from measurements import matches_recorded
from sitetools import ROOT

WORKFLOW = ROOT / "examples" / "ci" / "github" / "django-ci.yml"
DOCKERFILE = ROOT / "examples" / "django_project" / "Dockerfile"
STAGES = ["Checkout", "Set up Python", "Install", "Lint", "Test", "Build image", "Push image", "Deploy"]


def broken(text: str, old: str, new: str) -> str:
    assert old in text, f"the Jenkinsfile no longer contains {old!r}"
    return text.replace(old, new, 1)


def stage(text: str, name: str) -> jenkinsfile.Stage:
    return next(found for found in stages(parse(text)) if found.name == name)


# --- the reader ---------------------------------------------------------------------------------


def test_braces_in_strings_and_comments_do_not_open_blocks():
    root = parse(
        "pipeline {\n"
        "    // a comment with { an unbalanced brace\n"
        "    /* and a block comment }} */\n"
        "    stages {\n"
        "        stage('A {weird} name') {\n"
        "            steps {\n"
        "                sh '''echo \"{\" and '}' '''\n"
        "                echo \"${[1, 2].collect { it * 2 }}\"\n"
        "            }\n"
        "        }\n"
        "    }\n"
        "}\n"
    )
    [only] = stages(root)
    assert only.name == "A {weird} name"
    assert [statement.tokens[0].text for statement in only.block.block("steps").statements()] == ["sh", "echo"]


def test_an_escaped_quote_does_not_end_a_string():
    [statement] = parse("echo 'it\\'s { fine'\n").statements()
    assert [token.text for token in statement.tokens] == ["echo", "'it\\'s { fine'"]


def test_a_triple_quoted_string_may_span_lines_but_must_end():
    [statement] = parse("sh \'\'\'\n    make\n\'\'\'\nsh 'next'\n").statements()[:1]
    assert statement.tokens[1].text == "\'\'\'\n    make\n\'\'\'"
    with pytest.raises(JenkinsfileError, match="line 1: string never closed"):
        parse("sh \'\'\'\n    make\n")


def test_a_statement_continues_until_its_brackets_close():
    root = parse("withEnv([\n    'A=1',\n    'B=2',\n]) {\n    sh 'env'\n}\n")
    [block] = root.blocks()
    assert block.name == "withEnv" and "'B=2'" in block.head_text
    assert [statement.text for statement in block.statements()] == ["sh 'env'"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("pipeline {\n    stages {\n", "line 2: '{' is never closed"),
        ("pipeline {\n}\n}\n", "line 3: '}' without a matching '{'"),
        ("pipeline {\n    echo 'unclosed\n}\n", "line 2: string never closed"),
        ("pipeline {\n    /* never closed\n}\n", "line 2: comment never closed"),
        ("pipeline {\n    foo(1))\n}\n", "line 2: ')' without a matching opening bracket"),
        ("pipeline {\n    foo(\n}\n", "line 3: '}' inside an unclosed bracket"),
        ("foo(\n", "line 1: bracket never closed"),
        ("pipeline {\n    foo({ bar })\n}\n", "line 2: a block inside brackets is not supported"),
    ],
)
def test_the_reader_refuses_what_it_cannot_read_and_says_where(text, message):
    with pytest.raises(JenkinsfileError) as error:
        parse(text)
    assert str(error.value) == message


def test_a_file_without_a_pipeline_block_is_not_declarative():
    with pytest.raises(JenkinsfileError, match="no `pipeline"):
        problems("node {\n    sh 'make'\n}\n")


# --- what the note says about the Jenkinsfile -------------------------------------------------


def test_the_stages_run_in_the_order_the_note_gives(jenkinsfile_text):
    assert [found.name for found in stages(parse(jenkinsfile_text))] == STAGES


def test_the_jenkinsfile_breaks_none_of_the_notes_rules(jenkinsfile_text):
    assert problems(jenkinsfile_text) == []


def test_only_push_and_deploy_are_limited_to_main(jenkinsfile_text):
    guarded = [found.name for found in stages(parse(jenkinsfile_text)) if jenkinsfile.only_on_main(found)]
    assert guarded == ["Push image", "Deploy"]


def test_the_deploy_stage_asks_for_approval_after_checking_the_branch(jenkinsfile_text):
    deploy = stage(jenkinsfile_text, "Deploy")
    assert jenkinsfile.when_statements(deploy) == ["beforeInput true", "branch 'main'"]
    approval = deploy.block.block("input")
    assert [statement.text for statement in approval.statements()] == [
        "message 'Deploy this build to production?'", "ok 'Deploy'", "submitter 'release-managers'"]
    # The agent comes after the input: nothing holds an executor while the build waits.
    names = [item.name for item in deploy.block.blocks()]
    assert names.index("input") < names.index("agent") < names.index("steps")
    assert [statement.text for statement in deploy.block.block("options").statements()] == [
        "timeout ( time : 1 , unit : 'DAYS' )"]


def test_only_the_work_is_time_limited_never_the_wait_for_approval(jenkinsfile_text):
    pipeline = jenkinsfile.pipeline_block(parse(jenkinsfile_text))
    # A timeout in the top-level options would also count the hours spent waiting in `input`.
    top = [statement.text for statement in pipeline.block("options").statements()]
    assert not any(option.startswith("timeout") for option in top)
    assert "disableConcurrentBuilds ( abortPrevious : true )" in top
    assert pipeline.block("agent") is None and "agent none" in [s.text for s in pipeline.statements()]
    group = pipeline.block("stages").block("stage")
    assert [s.text for s in group.block("options").statements()] == ["timeout ( time : 1 , unit : 'HOURS' )"]


def test_secrets_come_from_the_credentials_store_and_stay_in_single_quotes(jenkinsfile_text):
    root = parse(jenkinsfile_text)
    assert set(jenkinsfile.secret_variables(root)) >= {"REGISTRY_USER", "REGISTRY_PASSWORD", "DEPLOY_HOOK_URL"}
    push = stage(jenkinsfile_text, "Push image")
    [binding] = [block for block in push.block.walk() if block.name == "withCredentials"]
    assert "credentialsId : 'registry-credentials'" in binding.head_text
    [login] = jenkinsfile.shell_steps(binding)
    assert login.tokens[1].text.startswith("'''")  # the shell expands $REGISTRY_PASSWORD, not Groovy
    assert "--password-stdin" in login.tokens[1].text
    deploy_environment = stage(jenkinsfile_text, "Deploy").block.block("environment")
    assert [statement.text for statement in deploy_environment.statements()] == [
        "DEPLOY_HOOK_URL = credentials ( 'deploy-hook-url' )"]


def test_postgresql_runs_as_a_sidecar_for_the_tests_with_the_workflows_settings(jenkinsfile_text):
    test = stage(jenkinsfile_text, "Test")
    heads = [block.head_text for block in test.block.walk()]
    assert any(head.startswith("docker.image ( POSTGRES_IMAGE ) .withRun") for head in heads)
    assert heads.count('docker.image ( PYTHON_IMAGE ) .inside ( "--link ${db.id}:postgres" )') == 1
    [environment] = [block for block in test.block.walk() if block.name == "withEnv"]
    variables = dict(re.findall(r"'(DJANGO_DB_\w+)=([^']*)'", environment.head_text))
    job = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))["jobs"]["test"]
    # The same variables as the workflow's test job; the host is the sidecar's link name, and
    # the port is left to its default (5432) because the link reaches the container directly.
    assert set(variables) | {"DJANGO_DB_PORT"} == set(job["env"])
    assert variables["DJANGO_DB_HOST"] == "postgres"
    assert {name: value for name, value in variables.items() if name != "DJANGO_DB_HOST"} == {
        name: value for name, value in job["env"].items() if name not in {"DJANGO_DB_HOST", "DJANGO_DB_PORT"}}


def test_lint_and_test_run_the_same_commands_as_the_workflow(jenkinsfile_text):
    workflow = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))
    scripts = " ".join(step.get("run", "") for step in workflow["jobs"]["test"]["steps"])
    shells = " ".join(step.text for step in jenkinsfile.shell_steps(parse(jenkinsfile_text)))
    for command in ("manage.py makemigrations --check --dry-run", "-m pytest tests/examples/django_project --no-cov -q",
                    "-m pip install --requirement requirements-test.txt", "manage.py check"):
        assert command in scripts and command in shells


def images(text: str) -> dict[str, str]:
    return dict(re.findall(r"^(\w+_IMAGE) = '([^']+)'$", text, flags=re.MULTILINE))


def test_the_tests_run_on_the_python_release_the_image_ships(jenkinsfile_text):
    # Testing on another Python than the one in production hides version-specific failures:
    # the Python stages use the exact tag both stages of the Dockerfile start from.
    dockerfile = DOCKERFILE.read_text(encoding="utf-8")
    bases = set(re.findall(r"^FROM (\S+) AS \w+$", dockerfile, flags=re.MULTILINE))
    assert set(images(jenkinsfile_text)) == {"PYTHON_IMAGE", "POSTGRES_IMAGE"}
    assert bases == {images(jenkinsfile_text)["PYTHON_IMAGE"]} == {"python:3.11.14-slim-trixie"}


def test_postgresql_is_the_workflows_image_pinned_by_digest(jenkinsfile_text):
    workflow = workflow_policy.load(WORKFLOW.read_text(encoding="utf-8"))
    postgres = images(jenkinsfile_text)["POSTGRES_IMAGE"]
    assert postgres == workflow["jobs"]["test"]["services"]["postgres"]["image"]
    assert re.fullmatch(r"postgres:15\.[\w.-]+@sha256:[0-9a-f]{64}", postgres)


def test_the_pipeline_reports_failures_and_cleans_its_agent(jenkinsfile_text):
    root = parse(jenkinsfile_text)
    post = jenkinsfile.pipeline_block(root).block("post")
    assert [block.name for block in post.blocks()] == ["success", "failure", "aborted"]
    group = jenkinsfile.pipeline_block(root).block("stages").block("stage")
    assert [statement.text for statement in group.block("post").block("cleanup").statements()] == ["deleteDir ( )"]
    test_post = stage(jenkinsfile_text, "Test").block.block("post").block("always")
    assert test_post.statements()[0].text.startswith("junit")


# --- each rule fails on a Jenkinsfile broken in its way -----------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("                    when {\n                        branch 'main'\n                    }\n", "",
         "stage 'Push image' runs on every branch"),
        ("                beforeInput true // decide on the branch first: other branches are never asked\n", "",
         "stage 'Deploy' asks for approval before checking its branch"),
        ("            input {\n                message 'Deploy this build to production?'\n"
         "                ok 'Deploy'\n                submitter 'release-managers'\n            }\n", "",
         "stage 'Deploy' deploys without an input"),
        ("sh 'curl --fail-with-body", "sh \"curl ${env.DEPLOY_HOOK_URL}\" // 'curl --fail-with-body",
         "secret DEPLOY_HOOK_URL is interpolated by Groovy"),
        ("withCredentials([usernamePassword(credentialsId: 'registry-credentials',",
         "withEnv([usernamePassword(credentialsId: 'registry-credentials',",
         "stage 'Push image' pushes without credentials from the credentials store"),
        ("--password-stdin", "--password hunter2", "a password written into the Jenkinsfile"),
        ("    post {\n        success {", "    notify {\n        success {", "no post { failure { } }"),
    ],
    ids=["push-on-any-branch", "input-before-when", "no-input", "secret-in-gstring",
         "no-credentials-binding", "inline-password", "no-post"],
)
def test_each_rule_names_the_breach(jenkinsfile_text, old, new, expected):
    found = problems(broken(jenkinsfile_text, old, new))
    assert any(expected in problem for problem in found), found


def test_a_secret_in_a_triple_double_quoted_script_is_interpolated_by_groovy(jenkinsfile_text):
    # sh """...""" looks like the safe sh '''...''', but Groovy fills in $REGISTRY_PASSWORD first.
    opening = "sh '''\n                                printf"
    closing = "docker push \"$IMAGE:$IMAGE_TAG\"\n                            '''"
    text = broken(jenkinsfile_text, opening, opening.replace("'''", '"""'))
    text = broken(text, closing, closing.replace("'''", '"""'))
    found = problems(text)
    assert any("secret REGISTRY_PASSWORD is interpolated by Groovy" in problem for problem in found), found


def test_an_input_step_at_the_start_of_deploy_steps_also_counts_as_approval():
    text = (
        "pipeline {\n    agent any\n    stages {\n        stage('Deploy') {\n            when { branch 'main' }\n"
        "            steps {\n                input 'Deploy?'\n                sh './deploy'\n            }\n"
        "        }\n    }\n    post { always { echo 'done' } }\n}\n"
    )
    assert problems(text) == []
    assert "deploys without an input" in " ".join(problems(text.replace("input 'Deploy?'", "echo 'no approval'")))


def test_an_empty_pipeline_is_reported():
    empty = "pipeline {\n    agent any\n    post { failure { echo 'x' } }\n}\n"
    assert problems(empty) == ["line 1: the pipeline has no stages"]


def test_the_stages_table_in_the_note_is_the_jenkinsfile(jenkinsfile_text):
    rows = ["| Stage | Runs in | Runs when | Before it runs |", "| --- | --- | --- | --- |"]
    python = images(jenkinsfile_text)["PYTHON_IMAGE"].partition("@")[0]
    for found in stages(parse(jenkinsfile_text)):
        agent = found.block.block("agent")
        if agent is None:
            runs_in = "the `docker` agent of *Build and test*"
        elif agent.block("docker") is not None:
            runs_in = f"a `{python}` container on that agent"
        else:
            runs_in = "a new `docker` agent"
        heads = [block.head_text for block in found.block.walk()]
        if any(".withRun" in head for head in heads) and any("PYTHON_IMAGE ) .inside" in head for head in heads):
            runs_in = f"a PostgreSQL sidecar and a `{python}` container on that agent"
        runs_when = "`main` only" if jenkinsfile.only_on_main(found) else "every branch"
        approval = found.block.block("input")
        before = f"approval by `{approval.statements()[2].tokens[1].text.strip(chr(39))}`" if approval else "-"
        rows.append(f"| {found.name} | {runs_in} | {runs_when} | {before} |")
    assert matches_recorded("examples/ci/measured/jenkins-stages.md", "\n".join(rows) + "\n")
