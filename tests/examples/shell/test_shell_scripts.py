"""The shell automation examples, run for real with bash, curl and jq against a local stand-in for
the messaging API (a Python http.server on 127.0.0.1) that can fail on purpose."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from measurements import matches_recorded
from sitetools import ROOT, free_port

SHELL = ROOT / "examples" / "shell"
TOKEN = "test-token-7f3a9c"  # what NEXUS_API_TOKEN holds in these tests
USERS = {1: "alice", 2: "bob", 3: "carol"}


def conversation(number: int) -> dict:
    """The ConversationSerializer shape of the DRF notes, with awkward titles for CSV."""
    titles = {1: "", 2: "Trip, planning", 3: 'The "big" launch', 5: "Café ☕"}
    participants = [1, 2] if number % 2 else [1, 2, 3]
    return {
        "url": f"http://127.0.0.1/api/v1/conversations/{number}/",
        "id": number,
        "title": titles.get(number, f"Conversation {number}"),
        "participants": [{"id": user, "username": USERS[user]} for user in participants],
        "message_count": number * 3 % 7,
        "messages_url": f"http://127.0.0.1/api/v1/conversations/{number}/messages/",
        "created_at": f"2026-01-{number:02d}T09:00:00Z",
    }


class FakeAPI(ThreadingHTTPServer):
    """Pages of conversations at /api/v1/conversations/ and health URLs at /health/<name>."""

    daemon_threads = True

    def __init__(self, conversations: int = 7):
        super().__init__(("127.0.0.1", 0), Handler)
        # Newest first, as an API often lists them: the script must sort.
        self.conversations = [conversation(number) for number in range(conversations, 0, -1)]
        self.grow_after_first_page = False  # True: a conversation is created right after page 1 is sent
        self.fail_first = 0  # answer this many conversation requests with 503 first
        self.status_for_page: dict[int, int] = {}  # page -> status to answer every time
        self.barrier: threading.Barrier | None = None  # pages >= 2 wait here for each other
        self.hang = threading.Event()  # set: page 2 is held until `release` is set
        self.release = threading.Event()
        self.flaky = 0  # /health/flaky answers 503 this many times, then 200
        self.together = threading.Barrier(2, timeout=10)  # /health/together-* wait for each other
        self.log: list[tuple[str, int, str]] = []  # (path, status, Authorization header)
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}"

    def statuses(self, page: int) -> list[int]:
        return [status for path, status, _ in self.log if f"&page={page}" in path or path.endswith(f"?page={page}")]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output quiet
        pass

    def reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        with self.server.lock:
            self.server.log.append((self.path, status, self.headers.get("Authorization", "")))
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        server: FakeAPI = self.server
        url = urlsplit(self.path)
        if url.path.startswith("/health/"):
            return self.health(url.path.removeprefix("/health/"))
        if url.path != "/api/v1/conversations/":
            return self.reply(404, {"code": "not_found"})
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self.reply(401, {"code": "not_authenticated"})
        query = {name: int(values[0]) for name, values in parse_qs(url.query).items()}
        page, size = query.get("page", 1), min(query.get("page_size", 10), 50)
        with server.lock:
            failing = server.fail_first > 0
            server.fail_first -= failing
        if failing:
            return self.reply(503, {"code": "unavailable"})
        if page in server.status_for_page:
            return self.reply(server.status_for_page[page], {"code": "error"})
        if page == 2 and server.hang.is_set():
            server.hang.clear()
            server.release.wait(timeout=30)
        if page >= 2 and server.barrier is not None:
            try:
                server.barrier.wait()  # returns only when every page after the first is in flight
            except threading.BrokenBarrierError:
                return self.reply(500, {"code": "requests_were_not_parallel"})
        with server.lock:
            rows = server.conversations[(page - 1) * size: page * size]
            count = len(server.conversations)
        if not rows:
            return self.reply(404, {"code": "not_found", "message": "Invalid page."})
        self.reply(200, {"count": count, "next": None, "previous": None, "results": rows})
        if page == 1 and server.grow_after_first_page:
            with server.lock:  # someone starts a conversation: every later page shifts by one
                server.conversations.insert(0, conversation(count + 1))

    def health(self, name: str) -> None:
        server: FakeAPI = self.server
        if name == "flaky":
            with server.lock:
                failing = server.flaky > 0
                server.flaky -= failing
            return self.reply(503 if failing else 200, {"status": "starting" if failing else "ok"})
        if name.startswith("together-"):
            try:
                server.together.wait()
            except threading.BrokenBarrierError:
                return self.reply(500, {"status": "checks_were_not_parallel"})
            return self.reply(200, {"status": "ok"})
        if name == "down":
            return self.reply(500, {"status": "broken"})
        return self.reply(200, {"status": "ok"})


@pytest.fixture
def api():
    server = FakeAPI()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()


def run(script: str, *args: str, env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", str(SHELL / script), *args], env=env, capture_output=True, text=True,
                          timeout=60, check=False, **kwargs)


@pytest.fixture
def env(api, tmp_path):
    """The scripts' environment: the local API, the token, and a private TMPDIR to inspect."""
    (tmp_path / "tmp").mkdir()
    return {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "LC_ALL": "C.UTF-8",
        "TMPDIR": str(tmp_path / "tmp"),
        "NEXUS_API_URL": f"{api.url}/api/v1",
        "NEXUS_API_TOKEN": TOKEN,
        "NEXUS_PAGE_SIZE": "3",
        "NEXUS_JOBS": "4",
    }


def csv_rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# --- conversation_report.sh ---------------------------------------------------------------------


def test_the_report_is_every_conversation_as_csv_in_id_order(api, env):
    api.barrier = threading.Barrier(2, timeout=10)  # pages 2 and 3 must be requested at the same time
    result = run("conversation_report.sh", env=env)
    assert result.returncode == 0, result.stderr
    assert result.stderr == "7 conversations on 3 pages\n"
    rows = csv_rows(result.stdout)
    assert rows[0] == ["id", "title", "participants", "messages", "created_at"]
    assert [row[0] for row in rows[1:]] == [str(number) for number in range(1, 8)]
    # Commas, quotes and non-ASCII survive the trip through @csv and back.
    assert rows[2][1] == "Trip, planning" and rows[3][1] == 'The "big" launch' and rows[5][1] == "Café ☕"
    assert rows[1] == ["1", "", "alice bob", "3", "2026-01-01T09:00:00Z"]
    assert rows[2][2] == "alice bob carol"


def test_a_transient_error_is_retried_and_the_run_is_recorded(api, env):
    api.fail_first = 1  # the very first request gets 503 Service Unavailable
    command = "NEXUS_API_TOKEN=... conversation_report.sh > conversations.csv"
    result = run("conversation_report.sh", env=env)
    assert result.returncode == 0, result.stderr
    assert api.statuses(1) == [503, 200]  # curl --retry waited and asked again
    assert api.statuses(2) == [200] and api.statuses(3) == [200]

    requests = "\n".join(f"| {page} | {', '.join(map(str, api.statuses(page)))} |" for page in (1, 2, 3))
    text = (f"``` text title=\"Terminal: standard error\"\n$ {command}\n{result.stderr}```\n\n"
            f"``` text title=\"conversations.csv\"\n{result.stdout}```\n\n"
            f"What the stand-in API answered, page by page:\n\n| Page | Answers, in order |\n| ---: | --- |\n"
            f"{requests}\n")
    assert matches_recorded("examples/shell/measured/conversation-report.md", text)


def test_a_page_that_is_not_found_fails_at_once_and_leaves_nothing_behind(api, env, tmp_path):
    api.status_for_page[3] = 404
    result = run("conversation_report.sh", env=env)
    assert result.returncode == 123  # xargs: one of the commands failed
    assert "The requested URL returned error: 404" in result.stderr
    assert api.statuses(3) == [404]  # not retried: a 404 will not fix itself
    assert result.stdout == ""  # no half-written CSV
    assert list((tmp_path / "tmp").iterdir()) == []  # the EXIT trap removed the work folder


def test_the_trap_cleans_up_when_the_script_is_terminated(api, env, tmp_path):
    api.hang.set()  # page 2 will not answer until the test says so
    script = subprocess.Popen(["bash", str(SHELL / "conversation_report.sh")], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while api.hang.is_set():  # cleared by the server once page 2 is being requested
            assert time.monotonic() < deadline and script.poll() is None
            time.sleep(0.02)  # polling for the request to arrive, with a deadline
        assert len(list((tmp_path / "tmp").iterdir())) == 1  # the work folder exists right now
        script.terminate()  # SIGTERM, as systemd or a CI runner would send
        script.wait(timeout=30)
    finally:
        api.release.set()
    assert script.returncode == -15  # bash ran the EXIT trap, then died of the signal
    assert list((tmp_path / "tmp").iterdir()) == []


def test_retries_run_out_and_the_script_fails(api, env):
    api.status_for_page[2] = 503
    result = run("conversation_report.sh", env={**env, "NEXUS_RETRIES": "1"})
    assert result.returncode == 123
    assert api.statuses(2) == [503, 503]  # the request and one retry
    assert result.stdout == ""


def test_a_wrong_token_is_not_retried(api, env):
    result = run("conversation_report.sh", env={**env, "NEXUS_API_TOKEN": "expired"})
    assert result.returncode == 22  # curl --fail: HTTP error
    assert "The requested URL returned error: 401" in result.stderr
    assert [status for _, status, _ in api.log] == [401]


def test_without_a_token_nothing_is_requested(api, env):
    without_token = {name: value for name, value in env.items() if name != "NEXUS_API_TOKEN"}
    result = run("conversation_report.sh", env=without_token)
    assert result.returncode == 1
    assert "NEXUS_API_TOKEN: set NEXUS_API_TOKEN to an API access token" in result.stderr
    assert api.log == []


def test_a_conversation_created_while_reading_is_detected(api, env):
    # Page 1 is [7, 6, 5]; then conversation 8 arrives first in the list, so page 2 is
    # [5, 4, 3]: conversation 5 would appear twice in the CSV.
    api.grow_after_first_page = True
    result = run("conversation_report.sh", env=env)
    assert result.returncode == 1
    assert "the API changed while reading it: expected 7 conversations, got 8" in result.stderr
    assert result.stdout == ""


def test_the_token_reaches_the_server_but_never_a_command_line(api, env, tmp_path):
    # A `curl` first on PATH that records its arguments, then runs the real curl.
    spy = tmp_path / "bin"
    spy.mkdir()
    (spy / "curl").write_text(f'#!/usr/bin/env bash\nprintf "%s\\n" "$*" >> {tmp_path}/curl-args\n'
                              f'exec {shutil.which("curl")} "$@"\n')
    (spy / "curl").chmod(0o755)
    result = run("conversation_report.sh", env={**env, "PATH": f"{spy}:{env['PATH']}"})
    assert result.returncode == 0, result.stderr
    arguments = (tmp_path / "curl-args").read_text()
    assert arguments.count("--config -") == 3  # one curl per page
    assert TOKEN not in arguments
    assert {authorization for _, _, authorization in api.log} == {f"Bearer {TOKEN}"}


# --- smoke_test.sh ---------------------------------------------------------------------------------


def test_the_smoke_test_retries_with_backoff_until_the_app_is_up(api, env):
    api.flaky = 3
    result = run("smoke_test.sh", f"{api.url}/health/flaky", f"{api.url}/health/live",
                 env={**env, "NEXUS_RETRY_DELAY_MS": "10"})
    assert result.returncode == 0
    assert sorted(result.stdout.splitlines()) == [
        f"ok     {api.url}/health/flaky (attempt 4)",
        f"ok     {api.url}/health/live (attempt 1)",
    ]
    assert [status for path, status, _ in api.log if path == "/health/flaky"] == [503, 503, 503, 200]


def test_the_smoke_test_fails_if_any_url_never_answers_200(api, env):
    closed = f"http://127.0.0.1:{free_port()}/"  # nothing listens here: curl reports status 000
    urls = [f"{api.url}/health/live", f"{api.url}/health/down", closed]
    result = run("smoke_test.sh", *urls, env={**env, "NEXUS_RETRY_DELAY_MS": "10", "NEXUS_ATTEMPTS": "3"})
    assert result.returncode == 1
    assert sorted(result.stdout.splitlines()) == sorted([
        f"ok     {api.url}/health/live (attempt 1)",
        f"FAILED {api.url}/health/down (last status 500 after 3 attempts)",
        f"FAILED {closed} (last status 000 after 3 attempts)",
    ])

    def shown(text: str) -> str:  # the ports change from run to run
        return text.replace(api.url, "http://127.0.0.1:<port>").replace(closed, "http://127.0.0.1:<closed-port>/")

    # The checks run in parallel, so their lines come in any order: sorted here, ok first.
    lines = sorted(map(shown, result.stdout.splitlines()), key=lambda line: (line.startswith("FAILED"), line))
    text = ("``` text title=\"Terminal\"\n"
            f"$ NEXUS_ATTEMPTS=3 NEXUS_RETRY_DELAY_MS=10 smoke_test.sh {' '.join(shown(url) for url in urls)}\n"
            + "\n".join(lines) + f"\n$ echo $?\n{result.returncode}\n```\n")
    assert matches_recorded("examples/shell/measured/smoke-test.md", text)


def test_the_smoke_test_checks_all_urls_at_the_same_time(api, env):
    # Each of these two URLs answers only once the other one has been requested too.
    result = run("smoke_test.sh", f"{api.url}/health/together-a", f"{api.url}/health/together-b", env=env)
    assert result.returncode == 0, result.stdout


def test_the_smoke_test_needs_at_least_one_url(env):
    result = run("smoke_test.sh", env=env)
    assert result.returncode == 2
    assert result.stderr.startswith("usage: ")


def bash(command: str) -> str:
    return subprocess.run(["bash", "-c", command], capture_output=True, text=True, check=False).stdout


def test_pipefail_makes_a_pipeline_fail_when_an_earlier_command_fails():
    assert bash("false | true; echo $?") == "0\n"
    assert bash("set -o pipefail; false | true; echo $?") == "1\n"


def test_local_with_a_command_substitution_hides_the_failure_from_set_e():
    assert bash("set -e; f() { local value=$(false); echo survived; }; f") == "survived\n"
    assert bash("set -e; f() { local value; value=$(false); echo survived; }; f") == ""


def test_set_e_is_off_inside_a_function_called_as_a_condition():
    assert bash("set -e; f() { false; echo survived; }; if f; then :; fi") == "survived\n"
    assert bash("set -e; f() { false; echo survived; }; f") == ""


def test_a_bare_wait_hides_a_failed_job_and_wait_pid_does_not():
    bare = subprocess.run(["bash", "-c", "false & wait; echo $?"], capture_output=True, text=True, check=True)
    by_pid = subprocess.run(["bash", "-c", "false & wait $!; echo $?"], capture_output=True, text=True, check=True)
    assert (bare.stdout, by_pid.stdout) == ("0\n", "1\n")


# --- every script ---------------------------------------------------------------------------------

SCRIPTS = sorted([*SHELL.glob("*.sh"), *(ROOT / "examples" / "deploy").glob("*.sh"),
                  ROOT / "examples" / "git" / "pre-commit", ROOT / "examples" / "git" / "commit-msg"])


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_script_passes_shellcheck(script):
    shellcheck = Path(sys.executable).parent / "shellcheck"
    result = subprocess.run(
        [str(shellcheck), "--severity=style", str(script)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda path: path.name)
def test_every_script_is_strict_bash_and_executable(script):
    lines = script.read_text().splitlines()
    assert lines[0] == "#!/usr/bin/env bash"
    assert "set -euo pipefail" in lines
    assert os.access(script, os.X_OK)
