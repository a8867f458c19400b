"""examples/django_project/Dockerfile: what the Docker note says about it, checked without Docker.

hadolint lints it, and a parser checks each property the note claims: pinned base images,
two stages on one base, requirements before code, no secrets in ENV or ARG, a numeric non-root
USER, a HEALTHCHECK, Gunicorn started in exec form. Every check also runs on a Dockerfile that
breaks it, to prove the check can fail.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from sitetools import ROOT

PROJECT = ROOT / "examples" / "django_project"
DOCKERFILE = PROJECT / "Dockerfile"
HADOLINT = Path(sys.executable).parent / "hadolint"
SECRET_NAME = re.compile(r"SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE|CREDENTIAL", re.IGNORECASE)
URL_WITH_PASSWORD = re.compile(r"://[^/\s:@]+:[^/\s@]+@")


# --- the checks ---------------------------------------------------------------------------------


def base_image_problems(stages) -> list[str]:
    """Each FROM names an exact release (3.11.14, not 3.11 or latest), or a digest."""
    problems = []
    for stage in stages:
        image, _, digest = stage.base.partition("@")
        _, _, tag = image.rpartition(":") if ":" in image.rsplit("/", 1)[-1] else ("", "", "")
        if digest:
            continue
        if not tag or tag == "latest":
            problems.append(f"FROM {stage.base}: no tag, or latest, which moves")
        elif not re.match(r"\d+\.\d+\.\d+", tag):
            problems.append(f"FROM {stage.base}: {tag} is not an exact version")
    return problems


def stage_problems(stages) -> list[str]:
    """A builder and a runtime stage on the same base image, the runtime copying from the builder."""
    problems = []
    if len(stages) < 2:
        return ["a single stage: the build tools and caches end up in the image"]
    if len({stage.base for stage in stages}) != 1:
        problems.append("the stages use different base images: a virtual environment copied between them breaks")
    builder_names = {stage.name for stage in stages[:-1]}
    copies_from_builder = [copy for copy in stages[-1].all("COPY") if any(
        word.removeprefix("--from=") in builder_names for word in copy.words if word.startswith("--from="))]
    if not copies_from_builder:
        problems.append("the final stage copies nothing from an earlier stage")
    return problems


def layer_order_problems(stages) -> list[str]:
    """requirements.txt is copied and installed before the code, so code changes keep the
    dependency layers cached."""
    problems = []
    instructions = [instruction for stage in stages for instruction in stage.instructions]
    installs = [i for i, instruction in enumerate(instructions)
                if instruction.keyword == "RUN" and "pip install" in instruction.arguments]
    code_copies = [i for i, instruction in enumerate(instructions)
                   if instruction.keyword == "COPY" and instruction.words[:1] == ["."]]
    requirement_copies = [i for i, instruction in enumerate(instructions)
                          if instruction.keyword == "COPY" and "requirements.txt" in instruction.words[:-1]]
    if not installs:
        return ["no `pip install`"]
    if not requirement_copies or requirement_copies[0] > installs[0]:
        problems.append("requirements.txt is not copied on its own before `pip install`")
    if code_copies and code_copies[0] < installs[-1]:
        problems.append("the code is copied before the dependencies are installed: every code change reinstalls them")
    return problems


def secret_problems(stages, assignments) -> list[str]:
    """No secret in ENV or ARG (both stay in the image's configuration and history). A RUN line
    may give a secret-named variable a value only if the value says it is not a secret."""
    problems = []
    for stage in stages:
        for instruction in stage.all("ENV") + stage.all("ARG"):
            for key, value in instruction_assignments(instruction).items():
                if SECRET_NAME.search(key):
                    problems.append(f"line {instruction.line}: {instruction.keyword} {key} looks like a secret")
                if URL_WITH_PASSWORD.search(value):
                    problems.append(f"line {instruction.line}: {instruction.keyword} {key} holds a URL with a password")
        for instruction in stage.all("RUN"):
            for key, value in assignments(instruction.arguments)[0].items():
                if SECRET_NAME.search(key) and "not-a-secret" not in value:
                    problems.append(f"line {instruction.line}: RUN sets {key} to what may be a real secret")
    return problems


def instruction_assignments(instruction) -> dict[str, str]:
    values = {}
    for word in instruction.words:
        key, _, value = word.partition("=")
        values[key] = value
    return values


def runtime_problems(stages) -> list[str]:
    """The final stage runs as a numeric non-root user, checks its health, and starts Gunicorn in
    exec form (so Gunicorn is PID 1, or is exec'd by the entrypoint, and receives SIGTERM)."""
    final = stages[-1]
    problems = []
    user = final.last("USER")
    uid = user.arguments.split(":")[0] if user else "0"
    if not uid.isdigit():
        problems.append(f"USER {uid}: a name, which Kubernetes' runAsNonRoot cannot verify")
    elif int(uid) == 0:
        problems.append("the final stage runs as root")
    healthcheck = final.last("HEALTHCHECK")
    if healthcheck is None or healthcheck.arguments.strip().upper() == "NONE":
        problems.append("no HEALTHCHECK")
    cmd = final.last("CMD")
    if cmd is None or cmd.exec_form is None:
        problems.append("CMD is missing or in shell form (/bin/sh -c would be PID 1 and swallow SIGTERM)")
    elif cmd.exec_form[0] != "gunicorn":
        problems.append(f"CMD starts {cmd.exec_form[0]}, not gunicorn")
    entrypoint = final.last("ENTRYPOINT")
    if entrypoint is not None and entrypoint.exec_form is None:
        problems.append("ENTRYPOINT in shell form: the CMD would be ignored")
    return problems


def all_problems(stages, assignments) -> list[str]:
    return (base_image_problems(stages) + stage_problems(stages) + layer_order_problems(stages)
            + secret_problems(stages, assignments) + runtime_problems(stages))


# --- the real Dockerfile ------------------------------------------------------------------------


def test_hadolint_finds_nothing_in_the_dockerfile():
    result = subprocess.run([HADOLINT, DOCKERFILE], capture_output=True, text=True, check=False)
    assert (result.returncode, result.stdout + result.stderr) == (0, "")


def test_the_dockerfile_has_every_property_the_note_claims(stages, docker_env):
    assert all_problems(stages, docker_env.leading_assignments) == []


def test_both_stages_start_from_one_exact_python_release(stages):
    assert [stage.name for stage in stages] == ["builder", "runtime"]
    assert {stage.base for stage in stages} == {"python:3.11.14-slim-trixie"}


def test_the_base_image_runs_the_python_minor_version_the_tests_run_on(stages):
    # The tests of this knowledge base run the project on this interpreter; the image must not
    # quietly move to another minor version.
    version = re.search(r"python:(\d+)\.(\d+)\.", stages[0].base).groups()
    assert tuple(map(int, version)) == sys.version_info[:2]


def test_the_final_user_is_the_numeric_user_the_image_creates(stages):
    final = stages[-1]
    created = " ".join(run.arguments for run in final.all("RUN"))
    assert final.last("USER").arguments == "10001:10001"
    assert "--uid 10001" in created and "--gid 10001" in created


def test_the_final_stage_starts_gunicorn_through_the_entrypoint_with_the_image_config(stages):
    final = stages[-1]
    assert final.last("ENTRYPOINT").exec_form == ["/bin/sh", "/app/docker/entrypoint.sh"]
    assert final.last("CMD").exec_form == ["gunicorn", "--config", "/app/docker/gunicorn.conf.py", "nexus.wsgi"]
    assert final.last("HEALTHCHECK").exec_form == ["python", "/app/docker/healthcheck.py"]
    assert "--interval=30s" in final.last("HEALTHCHECK").arguments


def test_the_image_runs_the_production_settings_and_sets_no_secret(stages, docker_env):
    env = {}
    for instruction in stages[-1].all("ENV"):
        env.update(docker_env.env_assignments(instruction))
    assert env["DJANGO_SETTINGS_MODULE"] == "nexus.settings_production"
    assert not [name for name in env if SECRET_NAME.search(name)]


def test_every_file_the_dockerfile_names_exists_in_the_build_context(stages):
    named = ["requirements.txt", "manage.py",
             "docker/entrypoint.sh", "docker/gunicorn.conf.py", "docker/healthcheck.py"]
    text = DOCKERFILE.read_text(encoding="utf-8")
    for path in named:
        assert path in text
        assert (PROJECT / path).is_file(), path


# --- the same checks on Dockerfiles that break them ---------------------------------------------

BAD_DOCKERFILE = """\
FROM python:latest
ARG GITHUB_TOKEN
ENV DJANGO_SECRET_KEY=s3cr3t DATABASE_URL=postgres://nexus:hunter2@db/nexus
WORKDIR /app
COPY . .
RUN pip install -r requirements.txt
RUN API_KEY=abc123 python manage.py collectstatic --noinput
USER app
CMD gunicorn nexus.wsgi
"""


def test_each_check_fails_on_a_dockerfile_that_breaks_it(dockerfile_parser, docker_env):
    stages = dockerfile_parser(BAD_DOCKERFILE)
    problems = "\n".join(all_problems(stages, docker_env.leading_assignments))
    for expected in [
        "FROM python:latest: no tag, or latest",
        "a single stage",
        "requirements.txt is not copied on its own",
        "the code is copied before the dependencies are installed",
        "ARG GITHUB_TOKEN looks like a secret",
        "ENV DJANGO_SECRET_KEY looks like a secret",
        "ENV DATABASE_URL holds a URL with a password",
        "RUN sets API_KEY to what may be a real secret",
        "USER app: a name",
        "no HEALTHCHECK",
        "CMD is missing or in shell form",
    ]:
        assert expected in problems


def test_the_checks_catch_subtler_mistakes_too(dockerfile_parser, docker_env):
    stages = dockerfile_parser(
        "FROM python:3.11-slim AS builder\nRUN pip install --no-cache-dir gunicorn\n"
        "FROM python:3.12.1-slim\nCOPY . .\nUSER 0\nHEALTHCHECK NONE\n"
        "ENTRYPOINT /bin/sh start.sh\nCMD [\"python\", \"manage.py\", \"runserver\"]\n"
    )
    problems = "\n".join(all_problems(stages, docker_env.leading_assignments))
    for expected in [
        "3.11-slim is not an exact version",
        "the stages use different base images",
        "the final stage copies nothing from an earlier stage",
        "the final stage runs as root",
        "no HEALTHCHECK",
        "CMD starts python, not gunicorn",
        "ENTRYPOINT in shell form",
    ]:
        assert expected in problems


def test_a_digest_pin_counts_as_pinned_and_a_missing_install_is_reported(dockerfile_parser):
    digest = "sha256:" + "0" * 64  # the form of a digest; no real image has this one
    stages = dockerfile_parser(f"FROM python@{digest}\nCOPY . .\n")
    assert base_image_problems(stages) == []
    assert layer_order_problems(stages) == ["no `pip install`"]


def test_hadolint_reports_the_bad_dockerfile(tmp_path):
    bad = tmp_path / "Dockerfile"
    bad.write_text(BAD_DOCKERFILE, encoding="utf-8")
    result = subprocess.run([HADOLINT, "--no-color", bad], capture_output=True, text=True, check=False)
    assert result.returncode != 0
    for rule in ("DL3007", "DL3042", "DL3025"):  # latest tag, pip cache, CMD not in JSON form
        assert rule in result.stdout
