"""examples/kubernetes/: the manifests of the Kubernetes note, checked without a cluster.

There is no kubectl and no cluster where these tests run. The manifests are parsed, and the
relations a cluster would only reveal at run time are checked here: a Service that selects no
pod, a probe on a port that does not exist or with a Host that Django rejects, a container
without requests, a floating image tag, an autoscaler aimed at the wrong Deployment, a blue-green
switch that changes more than the selector. Each check also runs on manifests that break it.
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path

import pytest
import yaml

from measurements import matches_recorded
from sitetools import ROOT

K8S = ROOT / "examples" / "kubernetes"
PROJECT = ROOT / "examples" / "django_project"
VARIANTS = ("rolling", "blue-green")


# --- loading --------------------------------------------------------------------------------------


def load(path: Path) -> list[dict]:
    return [document for document in yaml.safe_load_all(path.read_text(encoding="utf-8")) if document]


def objects_of(variant: str) -> list[dict]:
    """What `kubectl apply -f base/ -f <variant>/` creates, plus the Secret it expects to exist."""
    paths = sorted((K8S / "base").glob("*.yaml")) + sorted((K8S / variant).glob("*.yaml"))
    return [document for path in [*paths, K8S / "secret.example.yaml"] for document in load(path)]


def of_kind(objects: list[dict], kind: str) -> list[dict]:
    return [item for item in objects if item["kind"] == kind]


def named(objects: list[dict], kind: str, name: str) -> dict | None:
    return next((item for item in of_kind(objects, kind) if item["metadata"]["name"] == name), None)


def workloads(objects: list[dict]) -> list[dict]:
    return of_kind(objects, "Deployment") + of_kind(objects, "Job")


def pod_spec(workload: dict) -> dict:
    return workload["spec"]["template"]["spec"]


def selects(selector: dict, labels: dict) -> bool:
    return bool(selector) and all(labels.get(key) == value for key, value in selector.items())


def quantity(value: str | int) -> float:
    """CPU ("250m", "1") and memory ("256Mi") quantities as plain numbers."""
    text = str(value)
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}
    for suffix, factor in units.items():
        if text.endswith(suffix):
            return float(text[: -len(suffix)]) * factor
    return float(text)


def allowed_hosts(objects: list[dict]) -> list[str]:
    config = named(objects, "ConfigMap", "nexus-config")
    return [host.strip() for host in config["data"]["DJANGO_ALLOWED_HOSTS"].split(",")]


def dockerfile_uid() -> int:
    users = [line.split()[1] for line in (PROJECT / "Dockerfile").read_text().splitlines() if line.startswith("USER ")]
    return int(users[-1].split(":")[0])


# --- the checks ---------------------------------------------------------------------------------


def selector_problems(objects: list[dict]) -> list[str]:
    problems = []
    deployments = of_kind(objects, "Deployment")
    for deployment in deployments:
        name, selector = deployment["metadata"]["name"], deployment["spec"]["selector"]["matchLabels"]
        if not selects(selector, deployment["spec"]["template"]["metadata"]["labels"]):
            problems.append(f"Deployment {name}: its selector does not match its own pods")
        for other in deployments:
            if other is not deployment and selects(selector, other["spec"]["template"]["metadata"]["labels"]):
                problems.append(f"Deployment {name}: its selector also matches the pods of {other['metadata']['name']}")
    for service in of_kind(objects, "Service"):
        name, selector = service["metadata"]["name"], service["spec"]["selector"]
        targets = [d for d in deployments if selects(selector, d["spec"]["template"]["metadata"]["labels"])]
        if len(targets) != 1:
            problems.append(f"Service {name}: its selector matches {len(targets)} Deployments, not exactly one")
            continue
        ports = {
            port.get("name") for container in pod_spec(targets[0])["containers"] for port in container.get("ports", [])
        }
        for port in service["spec"]["ports"]:
            if isinstance(port["targetPort"], str) and port["targetPort"] not in ports:
                problems.append(f"Service {name}: targetPort {port['targetPort']} is not a port of the pods")
    return problems


def ingress_problems(objects: list[dict]) -> list[str]:
    problems = []
    for ingress in of_kind(objects, "Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                backend = path["backend"]["service"]
                service = named(objects, "Service", backend["name"])
                if service is None:
                    problems.append(f"Ingress {ingress['metadata']['name']}: no Service {backend['name']}")
                elif backend["port"].get("name") not in {port.get("name") for port in service["spec"]["ports"]}:
                    problems.append(f"Ingress {ingress['metadata']['name']}: "
                                    f"Service {backend['name']} has no port {backend['port']}")
    return problems


def container_problems(objects: list[dict]) -> list[str]:
    problems = []
    hosts = allowed_hosts(objects)
    for workload in workloads(objects):
        long_running = workload["kind"] == "Deployment"
        for container in pod_spec(workload)["containers"]:
            where = f"{workload['metadata']['name']}/{container['name']}"
            image, _, tag = container["image"].rpartition(":")
            if not image or tag == "latest" or "/" in tag:
                problems.append(f"{where}: image {container['image']} has no fixed tag")
            resources = container.get("resources", {})
            for kind in ("cpu", "memory"):
                request = resources.get("requests", {}).get(kind)
                limit = resources.get("limits", {}).get(kind)
                if request is None or limit is None:
                    problems.append(f"{where}: no {kind} request or limit")
                elif quantity(request) > quantity(limit):
                    problems.append(f"{where}: {kind} request above its limit")
            if long_running and "livenessProbe" not in container:
                problems.append(f"{where}: no liveness probe")
            if long_running and container.get("ports"):
                for probe in ("readinessProbe", "startupProbe"):
                    if probe not in container:
                        problems.append(f"{where}: serves a port but has no {probe}")
            port_names = {port.get("name") for port in container.get("ports", [])}
            for probe_name in ("livenessProbe", "readinessProbe", "startupProbe"):
                http = container.get(probe_name, {}).get("httpGet")
                if http is None:
                    continue
                if http["port"] not in port_names:
                    problems.append(f"{where}: {probe_name} on port {http['port']}, which the container does not name")
                host = {header["name"]: header["value"] for header in http.get("httpHeaders", [])}.get("Host")
                if host not in hosts:
                    problems.append(
                        f"{where}: {probe_name} sends Host {host or 'the pod IP'}, which ALLOWED_HOSTS rejects"
                    )
    return problems


def security_problems(objects: list[dict]) -> list[str]:
    problems = []
    for workload in workloads(objects):
        context = pod_spec(workload).get("securityContext", {})
        name = workload["metadata"]["name"]
        if context.get("runAsNonRoot") is not True:
            problems.append(f"{name}: runAsNonRoot is not set")
        if context.get("runAsUser") != dockerfile_uid():
            problems.append(f"{name}: runAsUser is not the image's USER")
        for container in pod_spec(workload)["containers"]:
            if container.get("securityContext", {}).get("allowPrivilegeEscalation") is not False:
                problems.append(f"{name}/{container['name']}: privilege escalation allowed")
    return problems


def reference_problems(objects: list[dict]) -> list[str]:
    problems = []
    for workload in workloads(objects):
        for container in pod_spec(workload)["containers"]:
            for source in container.get("envFrom", []):
                for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                    if key in source and named(objects, kind, source[key]["name"]) is None:
                        problems.append(f"{workload['metadata']['name']}: no {kind} {source[key]['name']}")
    return problems


def scaling_problems(objects: list[dict]) -> list[str]:
    problems = []
    for hpa in of_kind(objects, "HorizontalPodAutoscaler"):
        target = hpa["spec"]["scaleTargetRef"]
        deployment = named(objects, target["kind"], target["name"])
        if deployment is None:
            problems.append(f"HPA {hpa['metadata']['name']}: no {target['kind']} {target['name']}")
            continue
        if "replicas" in deployment["spec"]:
            problems.append(f"Deployment {target['name']}: sets replicas although an HPA scales it")
        if any("cpu" not in c.get("resources", {}).get("requests", {}) for c in pod_spec(deployment)["containers"]):
            problems.append(f"HPA {hpa['metadata']['name']}: CPU utilisation needs CPU requests")
        if not 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]:
            problems.append(f"HPA {hpa['metadata']['name']}: minReplicas above maxReplicas")
    scaled = {hpa["spec"]["scaleTargetRef"]["name"] for hpa in of_kind(objects, "HorizontalPodAutoscaler")}
    for deployment in of_kind(objects, "Deployment"):
        name = deployment["metadata"]["name"]
        if name not in scaled and "replicas" not in deployment["spec"]:
            problems.append(f"Deployment {name}: neither replicas nor an HPA")
        command = pod_spec(deployment)["containers"][0].get("command", [])
        if "beat" in command and (deployment["spec"].get("replicas") != 1
                                  or deployment["spec"].get("strategy", {}).get("type") != "Recreate"):
            problems.append(f"Deployment {name}: beat must be one pod, replaced with Recreate")
    return problems


def all_problems(objects: list[dict]) -> list[str]:
    return (selector_problems(objects) + ingress_problems(objects) + container_problems(objects)
            + security_problems(objects) + reference_problems(objects) + scaling_problems(objects))


# --- the real manifests -------------------------------------------------------------------------


def test_every_manifest_parses_and_names_its_kind():
    paths = sorted(K8S.rglob("*.yaml"))
    assert len(paths) == 13
    for path in paths:
        for document in load(path):
            assert {"apiVersion", "kind", "metadata"} <= set(document), path
            assert re.fullmatch(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?", document["metadata"]["name"]), path


@pytest.mark.parametrize("variant", VARIANTS)
def test_each_variant_follows_every_rule_of_the_note(variant):
    assert all_problems(objects_of(variant)) == []


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_service_sends_traffic_to_the_web_pods_only(variant):
    objects = objects_of(variant)
    service = named(objects, "Service", "nexus-web")
    matched = [d["metadata"]["name"] for d in of_kind(objects, "Deployment")
               if selects(service["spec"]["selector"], d["spec"]["template"]["metadata"]["labels"])]
    assert matched == (["nexus-web"] if variant == "rolling" else ["nexus-web-blue"])
    assert service["spec"]["ports"] == [{"name": "http", "port": 80, "targetPort": "http"}]


def test_the_autoscaler_targets_the_web_deployment_which_leaves_replicas_to_it():
    objects = objects_of("rolling")
    hpa = named(objects, "HorizontalPodAutoscaler", "nexus-web")
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "nexus-web"}
    assert (hpa["spec"]["minReplicas"], hpa["spec"]["maxReplicas"]) == (2, 6)
    assert "replicas" not in named(objects, "Deployment", "nexus-web")["spec"]


def test_the_rolling_update_never_goes_below_the_wanted_count():
    strategy = named(objects_of("rolling"), "Deployment", "nexus-web")["spec"]["strategy"]
    assert strategy == {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}}


def test_the_probes_ask_the_endpoints_that_exist_in_the_project(db):
    from django.urls import resolve

    web = pod_spec(named(objects_of("rolling"), "Deployment", "nexus-web"))["containers"][0]
    paths = {name: web[name]["httpGet"]["path"] for name in ("startupProbe", "livenessProbe", "readinessProbe")}
    assert paths == {
        "startupProbe": "/health/live/", "livenessProbe": "/health/live/", "readinessProbe": "/health/ready/"
    }
    assert {resolve(path).url_name for path in paths.values()} == {"health-live", "health-ready"}


# What each probe asks and what a failure costs; the numbers come from the manifest below.
PROBES = {
    "startupProbe": ("startup", "has the process finished starting?",
                     "the other probes wait; after {failureThreshold} failures in a row, restart"),
    "livenessProbe": ("liveness", "is the process still able to work at all?",
                      "after {failureThreshold} failures in a row, restart the container"),
    "readinessProbe": ("readiness", "can it serve requests right now?",
                       "after {failureThreshold} failures in a row, remove the pod from the Service, no restart"),
}


def test_the_probe_table_in_the_note_is_the_manifest(db):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    web = pod_spec(named(objects_of("rolling"), "Deployment", "nexus-web"))["containers"][0]
    # The readiness endpoint's one query, as the table says: asked of the real view.
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(web["readinessProbe"]["httpGet"]["path"]).status_code == 200
    assert [query["sql"] for query in queries] == ["SELECT 1"]

    rows = ["| Probe | Question | Asks | On failure |", "| --- | --- | --- | --- |"]
    for key, (name, question, on_failure) in PROBES.items():
        probe = web[key]
        asks = f"GET `{probe['httpGet']['path']}`"
        if key == "readinessProbe":
            asks += " (one `SELECT 1`)"
        asks += f" every {probe['periodSeconds']} s"
        if "timeoutSeconds" in probe:
            asks += f", {probe['timeoutSeconds']} s timeout"
        rows.append(f"| {name} | {question} | {asks} | {on_failure.format(**probe)} |")
    assert matches_recorded("examples/kubernetes/measured/kubernetes-probes.md", "\n".join(rows) + "\n")


def test_the_manifests_run_the_image_and_commands_the_compose_file_runs():
    compose = yaml.safe_load((PROJECT / "compose.yaml").read_text(encoding="utf-8"))["services"]
    objects = objects_of("rolling")
    compose_image = compose["web"]["image"]  # nexus-django:1.0.0
    for name, service in (("nexus-worker", "worker"), ("nexus-beat", "beat"), ("nexus-migrate-1-0-0", "migrate")):
        workload = named(objects, "Job" if service == "migrate" else "Deployment", name)
        container = pod_spec(workload)["containers"][0]
        assert container["image"] == f"registry.example.com/{compose_image}"
        assert container["command"] == compose[service]["command"]
    web = pod_spec(named(objects, "Deployment", "nexus-web"))["containers"][0]
    assert web["image"] == f"registry.example.com/{compose_image}" and "command" not in web  # the image's CMD


def test_the_configuration_and_secrets_match_what_compose_provides():
    objects = objects_of("rolling")
    config = named(objects, "ConfigMap", "nexus-config")["data"]
    env_example = dict(line.split("=", 1) for line in (PROJECT / ".env.example").read_text().splitlines()
                       if "=" in line and not line.startswith("#"))
    for key in ("DJANGO_ALLOWED_HOSTS", "DJANGO_LOG_LEVEL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND"):
        assert key in config and key in env_example
    secret = named(objects, "Secret", "nexus-secrets")
    compose = yaml.safe_load((PROJECT / "compose.yaml").read_text(encoding="utf-8"))
    from_files = {key.removesuffix("_FILE") for key in compose["services"]["web"]["environment"]}
    assert set(secret["stringData"]) == from_files == {"DJANGO_SECRET_KEY", "DATABASE_URL"}


def test_the_example_secret_holds_no_real_secret():
    (secret,) = load(K8S / "secret.example.yaml")
    assert "data" not in secret  # nothing hidden in base64
    assert all("change-me" in value for value in secret["stringData"].values())


def test_gunicorn_finishes_before_kubernetes_kills_the_pod():
    objects = objects_of("rolling")
    graceful = int(named(objects, "ConfigMap", "nexus-config")["data"]["GUNICORN_GRACEFUL_TIMEOUT"])
    for name in ("nexus-web",):
        assert pod_spec(named(objects, "Deployment", name))["terminationGracePeriodSeconds"] > graceful


def test_the_pods_run_as_the_images_numeric_user():
    assert dockerfile_uid() == 10001
    for variant in VARIANTS:
        for workload in workloads(objects_of(variant)):
            assert pod_spec(workload)["securityContext"]["runAsUser"] == 10001


# --- blue-green ---------------------------------------------------------------------------------


def differences(old, new, path: str = "") -> list[tuple[str, object, object]]:
    """Every leaf where two parsed manifests differ, as (path, old value, new value)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return [change for key in sorted(set(old) | set(new), key=str)
                for change in differences(old.get(key), new.get(key), f"{path}.{key}" if path else str(key))]
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return [change for i, (a, b) in enumerate(zip(old, new, strict=True))
                for change in differences(a, b, f"{path}[{i}]")]
    return [] if old == new else [(path, old, new)]


def test_the_switch_from_blue_to_green_changes_only_the_service_selector():
    (blue,) = load(K8S / "blue-green" / "service-blue.yaml")
    (green,) = load(K8S / "blue-green" / "service-green.yaml")
    assert differences(blue, green) == [("spec.selector.track", "blue", "green")]


def test_blue_and_green_differ_only_in_name_track_and_image_tag():
    (blue,) = load(K8S / "blue-green" / "deployment-blue.yaml")
    (green,) = load(K8S / "blue-green" / "deployment-green.yaml")
    assert differences(blue, green) == [
        ("metadata.labels.track", "blue", "green"),
        ("metadata.name", "nexus-web-blue", "nexus-web-green"),
        ("spec.selector.matchLabels.track", "blue", "green"),
        ("spec.template.metadata.labels.track", "blue", "green"),
        ("spec.template.spec.containers[0].image",
         "registry.example.com/nexus-django:1.0.0", "registry.example.com/nexus-django:1.1.0"),
    ]


def test_blue_runs_the_very_pod_of_the_rolling_deployment():
    (blue,) = load(K8S / "blue-green" / "deployment-blue.yaml")
    (rolling,) = load(K8S / "rolling" / "deployment.yaml")
    assert pod_spec(blue) == pod_spec(rolling)  # another rollout strategy, not another pod
    assert blue["spec"]["replicas"] == 3


# --- the checks fail on manifests that break them -----------------------------------------------------


def test_each_check_fails_on_manifests_that_break_it():
    objects = copy.deepcopy(objects_of("rolling"))
    web = named(objects, "Deployment", "nexus-web")
    container = pod_spec(web)["containers"][0]
    container["image"] = "registry.example.com/nexus-django:latest"
    del container["readinessProbe"]
    del container["resources"]["limits"]["memory"]
    container["livenessProbe"]["httpGet"]["httpHeaders"] = []
    container["startupProbe"]["httpGet"]["port"] = 8000
    web["spec"]["replicas"] = 3
    pod_spec(web)["securityContext"] = {"runAsUser": 0}
    del container["securityContext"]["allowPrivilegeEscalation"]
    named(objects, "Service", "nexus-web")["spec"]["selector"]["track"] = "canary"
    named(objects, "HorizontalPodAutoscaler", "nexus-web")["spec"]["scaleTargetRef"]["name"] = "nexus"
    backend = named(objects, "Ingress", "nexus")["spec"]["rules"][0]["http"]["paths"][0]["backend"]
    backend["service"]["port"] = {"name": "web"}
    worker = named(objects, "Deployment", "nexus-worker")
    del pod_spec(worker)["containers"][0]["livenessProbe"]
    pod_spec(worker)["containers"][0]["envFrom"][1]["secretRef"]["name"] = "nexus-secret"
    beat = named(objects, "Deployment", "nexus-beat")
    beat["spec"]["strategy"] = {"type": "RollingUpdate"}
    beat["spec"]["selector"]["matchLabels"] = {"app": "nexus"}  # now also selects web and worker pods
    problems = "\n".join(all_problems(objects))
    for expected in [
        "Service nexus-web: its selector matches 0 Deployments",
        "Deployment nexus-beat: its selector also matches the pods of nexus-web",
        "nexus-web/web: image registry.example.com/nexus-django:latest has no fixed tag",
        "nexus-web/web: no memory request or limit",
        "nexus-web/web: serves a port but has no readinessProbe",
        "nexus-web/web: livenessProbe sends Host the pod IP, which ALLOWED_HOSTS rejects",
        "nexus-web/web: startupProbe on port 8000, which the container does not name",
        "nexus-web: runAsNonRoot is not set",
        "nexus-web: runAsUser is not the image's USER",
        "nexus-web/web: privilege escalation allowed",
        "nexus-worker/worker: no liveness probe",
        "nexus-worker: no Secret nexus-secret",
        "HPA nexus-web: no Deployment nexus",
        "Ingress nexus: Service nexus-web has no port",
        "Deployment nexus-beat: beat must be one pod, replaced with Recreate",
    ]:
        assert expected in problems
    assert "Deployment nexus-web: sets replicas although an HPA scales it" not in problems  # the HPA aims elsewhere now


def test_the_scaling_checks_catch_the_remaining_mistakes():
    objects = copy.deepcopy(objects_of("rolling"))
    named(objects, "Deployment", "nexus-web")["spec"]["replicas"] = 3
    hpa = named(objects, "HorizontalPodAutoscaler", "nexus-web")
    hpa["spec"]["minReplicas"] = 8
    del pod_spec(named(objects, "Deployment", "nexus-web"))["containers"][0]["resources"]["requests"]["cpu"]
    del named(objects, "Deployment", "nexus-worker")["spec"]["replicas"]
    named(objects, "Deployment", "nexus-worker")["spec"]["template"]["metadata"]["labels"]["app"] = "other"
    pod_spec(named(objects, "Deployment", "nexus-beat"))["containers"][0]["resources"]["requests"]["cpu"] = "2"
    problems = "\n".join(all_problems(objects))
    for expected in [
        "Deployment nexus-web: sets replicas although an HPA scales it",
        "HPA nexus-web: CPU utilisation needs CPU requests",
        "HPA nexus-web: minReplicas above maxReplicas",
        "Deployment nexus-worker: neither replicas nor an HPA",
        "Deployment nexus-worker: its selector does not match its own pods",
        "nexus-beat/beat: cpu request above its limit",
    ]:
        assert expected in problems
    service = named(objects, "Service", "nexus-web")
    service["spec"]["ports"][0]["targetPort"] = "web"
    assert "Service nexus-web: targetPort web is not a port of the pods" in selector_problems(objects)
    objects.remove(service)
    assert ingress_problems(objects) == ["Ingress nexus: no Service nexus-web"]


# --- the numbers the note quotes --------------------------------------------------------------------


def rollout_bounds(replicas: int, max_surge: int | str, max_unavailable: int | str) -> tuple[int, int]:
    """(most pods at once, fewest available pods) during a rolling update, as the Deployment
    controller computes them: a percentage of maxSurge rounds up, of maxUnavailable rounds down."""
    def absolute(value, rounding):
        return rounding(replicas * int(value[:-1]) / 100) if isinstance(value, str) else value

    surge, unavailable = absolute(max_surge, math.ceil), absolute(max_unavailable, math.floor)
    if surge == 0 and unavailable == 0:
        raise ValueError("maxSurge and maxUnavailable cannot both be 0: the update could never start")
    return replicas + surge, replicas - unavailable


def test_the_rollout_bounds_of_the_manifest_against_the_default():
    strategy = named(objects_of("rolling"), "Deployment", "nexus-web")["spec"]["strategy"]["rollingUpdate"]
    rows = ["| Wanted pods | Default 25% / 25%: most pods, fewest available "
            "| This Deployment (1 / 0): most, fewest available |",
            "| --- | --- | --- |"]
    for replicas in (2, 4, 6, 10):
        default = rollout_bounds(replicas, "25%", "25%")
        ours = rollout_bounds(replicas, strategy["maxSurge"], strategy["maxUnavailable"])
        assert ours == (replicas + 1, replicas)  # one extra pod at most, never one missing
        rows.append(f"| {replicas} | {default[0]}, {default[1]} | {ours[0]}, {ours[1]} |")
    with pytest.raises(ValueError, match="cannot both be 0"):
        rollout_bounds(4, 0, 0)
    assert matches_recorded("examples/kubernetes/measured/kubernetes-rollout-bounds.md", "\n".join(rows) + "\n")
