"""The rules the CI/CD note sets for a GitHub Actions workflow, as code that names each breach.

actionlint checks that a workflow is valid and zizmor looks for known security mistakes; neither
knows this project's own rules: no permission unless a job asks for it, images pushed and
deployments made only from main, every action pinned to a commit with its version beside it.
`problems(text)` returns one message per breach, so a test can assert an empty list for the
real workflow and a precise message for a broken copy.
"""

from __future__ import annotations

import re

import yaml

# --8<-- [start:pins]
USES = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<target>\S+)(?P<rest>.*)$")
PINNED = re.compile(r"^(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})$")
VERSION_COMMENT = re.compile(r"^\s+#\s*v\d+\.\d+\.\d+\s*$")
IMAGE_DIGEST = re.compile(r"^[\w./:-]+@sha256:[0-9a-f]{64}$")


def pin_problems(text: str) -> list[str]:
    """Each `uses:` must name a full commit SHA, followed by a `# vX.Y.Z` comment."""
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        match = USES.match(line)
        if match is None or match.group("target").startswith("./"):  # a local action is part of the repository
            continue
        if not PINNED.match(match.group("target")):
            found.append(f"line {number}: {match.group('target')} is not pinned to a full commit SHA")
        elif not VERSION_COMMENT.match(match.group("rest")):
            found.append(f"line {number}: {match.group('target')} has no '# vX.Y.Z' comment saying which release it is")
    return found
# --8<-- [end:pins]


def load(text: str) -> dict:
    """The workflow as a dict. YAML 1.1 reads the key `on` as True; give it its name back."""
    workflow = yaml.safe_load(text)
    if True in workflow:
        workflow["on"] = workflow.pop(True)
    return workflow


def pushes_an_image(job: dict) -> bool:
    return any(
        str(step.get("uses", "")).startswith("docker/build-push-action@")
        and str(step.get("with", {}).get("push", "false")).lower() == "true"
        for step in job.get("steps", [])
    )


def only_on_push_to_main(job: dict) -> bool:
    condition = str(job.get("if", ""))
    return "github.ref == 'refs/heads/main'" in condition and "github.event_name == 'push'" in condition


# --8<-- [start:rules]
def problems(text: str) -> list[str]:
    """Every breach of the note's rules in one workflow file."""
    workflow = load(text)
    found = pin_problems(text)
    if workflow.get("permissions") != {}:
        found.append("the workflow must start with `permissions: {}`: every job then asks for what it needs")
    for name, job in workflow.get("jobs", {}).items():
        permissions = job.get("permissions")
        if not isinstance(permissions, dict):
            found.append(f"job {name}: no `permissions:` of its own (a mapping, even if empty)")
            permissions = {}
        for scope, access in permissions.items():
            if access == "write" and not (scope == "packages" and pushes_an_image(job)):
                found.append(f"job {name}: {scope}: write is more than this job needs")
        deploys = "environment" in job
        if (pushes_an_image(job) or deploys) and not only_on_push_to_main(job):
            found.append(f"job {name}: pushes or deploys without `if: github.event_name == 'push' && "
                         "github.ref == 'refs/heads/main'`")
        if (pushes_an_image(job) or deploys) and not job.get("needs"):
            found.append(f"job {name}: pushes or deploys without waiting for the tests (`needs:`)")
        for service, container in job.get("services", {}).items():
            if "--health-cmd" not in str(container.get("options", "")):
                found.append(
                    f"job {name}: service {service} has no health check, so steps may start before it is ready"
                )
            if not IMAGE_DIGEST.match(str(container.get("image", ""))):
                found.append(f"job {name}: service {service} image is not pinned by digest")
        for step in job.get("steps", []):
            if "${{ secrets." in str(step.get("run", "")):
                found.append(f"job {name}: step '{step.get('name')}' writes a secret into its script; pass it in env:")
    return found
# --8<-- [end:rules]
