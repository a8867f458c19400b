"""examples/deploy/nginx/nexus.conf: `nginx -t` accepts it, its directives say what the note says,
and a real Nginx in front of a real Gunicorn (production settings) answers as described.

Nginx runs with a prefix in a temporary folder, so neither root nor /etc/nginx is needed. The
site file is used as written except for the lines that name this machine's places: the listen
ports, the certificate, Gunicorn's socket and the static folder. Each is replaced exactly once.
"""

from __future__ import annotations

import contextlib
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from measurements import matches_recorded
from sitetools import ROOT, free_port

SITE = ROOT / "examples" / "deploy" / "nginx" / "nexus.conf"
GUNICORN_CONF = ROOT / "examples" / "deploy" / "gunicorn.conf.py"
PROJECT = ROOT / "examples" / "django_project"
HOST = "nexus.example.com"


def nginx_binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None)
    assert found, "nginx is missing: install Debian's `nginx` package (`make test` does it as root)"
    return found


# --- reading the configuration -------------------------------------------------------------------


def parse(text: str) -> list:
    """Nginx configuration as nested [name, [args], children] lists (children None for a simple directive)."""
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|#[^\n]*|[{};]|[^\s{};"\']+', text)
    stack, current, words = [], [], []
    for token in tokens:
        if token.startswith("#"):
            continue
        if token == ";":
            current.append([words[0], words[1:], None])
            words = []
        elif token == "{":
            block = [words[0], words[1:], []]
            current.append(block)
            stack.append(current)
            current, words = block[2], []
        elif token == "}":
            current = stack.pop()
        else:
            words.append(token.strip("\"'") if token[0] in "\"'" else token)
    assert not stack and not words, "unbalanced configuration"
    return current


def find(directives: list, name: str, *args: str) -> list:
    return [item for item in directives if item[0] == name and (not args or item[1][: len(args)] == list(args))]


def values(block: list, name: str) -> list[list[str]]:
    return [item[1] for item in find(block, name)]


@pytest.fixture(scope="module")
def site() -> list:
    return parse(SITE.read_text())


def https_server(site: list) -> list:
    (server,) = [block for block in find(site, "server") if ["443", "ssl"] in values(block[2], "listen")]
    return server[2]


def test_plain_http_only_redirects_to_https(site):
    (server,) = [block for block in find(site, "server") if ["80"] in values(block[2], "listen")]
    assert values(server[2], "return") == [["301", "https://$host$request_uri"]]


def test_the_app_location_passes_the_headers_django_needs(site):
    (app,) = find(https_server(site), "location", "/")
    headers = {args[0]: args[1] for args in values(app[2], "proxy_set_header")}
    assert headers == {
        "Host": "$host",
        "X-Forwarded-For": "$proxy_add_x_forwarded_for",
        "X-Forwarded-Proto": "$scheme",  # overwrites whatever the client sent
    }
    assert values(app[2], "proxy_pass") == [["http://nexus_app"]]
    # A little longer than Gunicorn's 30 s timeout, so Gunicorn gives up first and logs why.
    assert values(app[2], "proxy_read_timeout") == [["35s"]]


def test_static_files_are_cached_for_a_year_only_under_hashed_names(site):
    (static,) = find(https_server(site), "location", "/static/")
    assert values(static[2], "alias") == [["/srv/nexus/staticfiles/"]]  # alias keeps the trailing slash
    assert values(static[2], "expires") == [["1h"]]
    (hashed,) = find(static[2], "location", "~")
    assert re.search(hashed[1][1], "admin/css/base.96c479cedf7a.css")
    assert not re.search(hashed[1][1], "admin/css/base.css")
    assert values(hashed[2], "expires") == [["1y"]]
    assert values(hashed[2], "add_header") == [["Cache-Control", "public, immutable"]]


def test_request_bodies_are_limited_before_they_reach_django(site):
    assert values(https_server(site), "client_max_body_size") == [["10m"]]


# --- nginx -t ------------------------------------------------------------------------------------------


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    assert openssl, "openssl is missing: install Debian's `openssl` package"
    cert, key = folder / "fullchain.pem", folder / "privkey.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                    "-days", "1", "-subj", f"/CN={HOST}", "-addext", f"subjectAltName=DNS:{HOST}",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True)
    return cert, key


def local_site(prefix: Path, *, http_port: int, https_port: int, socket_path: Path, static: Path) -> str:
    text = SITE.read_text()
    cert, key = self_signed_certificate(prefix)
    replacements = {
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen 443 ssl;": f"listen 127.0.0.1:{https_port} ssl;",
        f"/etc/letsencrypt/live/{HOST}/fullchain.pem": str(cert),
        f"/etc/letsencrypt/live/{HOST}/privkey.pem": str(key),
        "unix:/run/nexus/gunicorn.sock": f"unix:{socket_path}",
        "/srv/nexus/staticfiles/": f"{static}/",
    }
    for old, new in replacements.items():
        assert text.count(old) == 1, f"{old!r} should appear exactly once in {SITE.name}"
        text = text.replace(old, new)
    return text


def write_main_config(prefix: Path, site_text: str) -> Path:
    """The nginx.conf a distribution would provide, with every path inside the prefix."""
    for folder in ("conf", "logs", "temp"):
        (prefix / folder).mkdir(exist_ok=True)
    (prefix / "conf" / "nexus.conf").write_text(site_text)
    # As root, Nginx's workers would switch to an unprivileged user who cannot read this
    # temporary folder; the test keeps them as root. As any other user the line is not needed.
    user = "user root;\n" if os.geteuid() == 0 else ""
    temp = prefix / "temp"
    main = prefix / "conf" / "nginx.conf"
    main.write_text(f"""{user}worker_processes 1;
pid {prefix}/nginx.pid;
error_log {prefix}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    types {{ text/css css; application/javascript js; text/html html; }}
    default_type application/octet-stream;
    access_log {prefix}/logs/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include {prefix}/conf/nexus.conf;
}}
""")
    return main


def nginx_test(prefix: Path, main: Path) -> subprocess.CompletedProcess:
    return subprocess.run([nginx_binary(), "-t", "-q", "-e", "stderr", "-p", str(prefix), "-c", str(main)],
                          capture_output=True, text=True, timeout=30, check=False)


def test_nginx_t_accepts_the_configuration(tmp_path):
    text = local_site(tmp_path, http_port=free_port(), https_port=free_port(),
                      socket_path=tmp_path / "gunicorn.sock", static=tmp_path)
    result = nginx_test(tmp_path, write_main_config(tmp_path, text))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # -q: silent unless something is wrong, warnings included


def test_nginx_t_rejects_a_broken_configuration_and_names_the_line(tmp_path):
    text = local_site(tmp_path, http_port=free_port(), https_port=free_port(),
                      socket_path=tmp_path / "gunicorn.sock", static=tmp_path)
    broken = text.replace("client_max_body_size 10m;", "client_max_body_size 10m")  # the classic missing ;
    result = nginx_test(tmp_path, write_main_config(tmp_path, broken))
    assert result.returncode == 1
    assert re.search(r"\[emerg\] .* in .*/conf/nexus\.conf:\d+", result.stderr), result.stderr


# --- a real request through Nginx and Gunicorn -----------------------------------------------------------


def wait_until_connectable(address, family: int, process: subprocess.Popen, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{what} exited with status {process.returncode}"
        with contextlib.suppress(OSError), socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.settimeout(0.2)
            probe.connect(address)
            return
        time.sleep(0.05)  # polling for readiness, with a deadline; not a wait for an outcome
    raise AssertionError(f"{what} did not accept connections within {timeout:.0f} s")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def stack(collected_static, production_environment):
    """Gunicorn (production settings, the example config) behind Nginx (the example site)."""
    # Under /tmp itself: a Unix socket path must stay under about 100 characters.
    prefix = Path(tempfile.mkdtemp(prefix="nexus-nginx-", dir="/tmp"))
    socket_path = prefix / "gunicorn.sock"
    http_port, https_port = free_port(), free_port()
    env = production_environment(f"sqlite:///{prefix}/db.sqlite3", WEB_CONCURRENCY="1",
                                 DJANGO_STATIC_ROOT=str(collected_static))
    gunicorn = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", str(GUNICORN_CONF), "--bind", f"unix:{socket_path}",
         "--control-socket", str(prefix / "gunicorn.ctl"), "nexus.wsgi"],
        cwd=PROJECT, env=env, stdout=(prefix / "gunicorn.out").open("w"), stderr=subprocess.STDOUT)
    nginx = None
    try:
        wait_until_connectable(str(socket_path), socket.AF_UNIX, gunicorn, "Gunicorn")
        text = local_site(prefix, http_port=http_port, https_port=https_port, socket_path=socket_path,
                          static=collected_static)
        main = write_main_config(prefix, text)
        nginx = subprocess.Popen([nginx_binary(), "-e", "stderr", "-p", str(prefix), "-c", str(main),
                                  "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for port in (http_port, https_port):
            wait_until_connectable(("127.0.0.1", port), socket.AF_INET, nginx, "Nginx")
        context = ssl.create_default_context(cafile=str(prefix / "fullchain.pem"))
        context.check_hostname = False  # the certificate is checked; the test connects to 127.0.0.1 by address
        yield {"http": http_port, "https": https_port, "tls": context, "static": collected_static}
    finally:
        if nginx is not None:
            stop(nginx)
        stop(gunicorn)
        shutil.rmtree(prefix, ignore_errors=True)


def fetch(stack: dict, method: str, path: str, *, tls: bool = True, headers: dict | None = None,
          declared_length: int | None = None) -> http.client.HTTPResponse:
    if tls:
        connection = http.client.HTTPSConnection("127.0.0.1", stack["https"], context=stack["tls"], timeout=30)
    else:
        connection = http.client.HTTPConnection("127.0.0.1", stack["http"], timeout=30)
    connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    connection.putheader("Host", HOST)
    for name, value in (headers or {}).items():
        connection.putheader(name, value)
    if declared_length is not None:
        # Only the header: Nginx decides from Content-Length alone, before reading any body.
        connection.putheader("Content-Length", str(declared_length))
    connection.endheaders()
    response = connection.getresponse()
    response.body = response.read()
    connection.close()
    return response


def hashed_base_css(stack: dict) -> str:
    manifest = json.loads((stack["static"] / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["admin/css/base.css"]


def test_plain_http_gets_a_redirect_from_nginx(stack):
    response = fetch(stack, "GET", "/admin/login/", tls=False)
    assert response.status == 301
    assert response.getheader("Location") == f"https://{HOST}/admin/login/"


def test_https_reaches_django_which_sees_a_secure_request(stack):
    response = fetch(stack, "GET", "/admin/login/")
    # 200, not Django's own redirect to https: X-Forwarded-Proto arrived and was trusted.
    assert response.status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=3600; includeSubDomains"
    assert response.getheader("X-Frame-Options") == "DENY"  # set by Django: the request got there
    assert "; Secure" in response.getheader("Set-Cookie")


def test_the_readiness_endpoint_answers_through_the_whole_stack(stack):
    # Gunicorn, Django and the SQLite database of this test all answered.
    response = fetch(stack, "GET", "/health/ready/")
    assert response.status == 200
    assert response.body == b'{"status": "ok", "database": "ok"}'


def test_nginx_serves_hashed_static_files_with_a_year_of_caching_and_gzip(stack):
    response = fetch(stack, "GET", hashed_base_css(stack), headers={"Accept-Encoding": "gzip"})
    assert response.status == 200
    assert response.getheader("X-Frame-Options") is None  # Django never saw this request
    assert response.msg.get_all("Cache-Control") == ["max-age=31536000", "public, immutable"]
    assert response.getheader("Content-Encoding") == "gzip"  # the .gz copy, sent as is


def test_nginx_serves_unhashed_static_files_with_an_hour_of_caching(stack):
    response = fetch(stack, "GET", "/static/admin/css/base.css")
    assert response.status == 200
    assert response.msg.get_all("Cache-Control") == ["max-age=3600"]


def test_a_body_over_the_limit_is_refused_by_nginx(stack):
    response = fetch(stack, "POST", "/admin/login/", declared_length=11 * 1024 * 1024)
    assert response.status == 413


def test_what_each_request_got_is_recorded_for_the_note(stack):
    hashed = hashed_base_css(stack)
    requests = [
        ("`GET http://…/admin/login/`", dict(method="GET", path="/admin/login/", tls=False)),
        ("`GET https://…/admin/login/`", dict(method="GET", path="/admin/login/")),
        ("`GET https://…/health/ready/`", dict(method="GET", path="/health/ready/")),
        ("`GET https://…/static/admin/css/base.<hash>.css` (gzip accepted)",
         dict(method="GET", path=hashed, headers={"Accept-Encoding": "gzip"})),
        ("`GET https://…/static/admin/css/base.css`", dict(method="GET", path="/static/admin/css/base.css")),
        ("`POST https://…/admin/login/`, 11 MiB body", dict(method="POST", path="/admin/login/",
                                                          declared_length=11 * 1024 * 1024)),
    ]
    rows = []
    for label, request in requests:
        response = fetch(stack, request.pop("method"), request.pop("path"), **request)
        answered = "Django" if response.getheader("X-Frame-Options") else "Nginx"
        notes = []
        if response.getheader("Location"):
            notes.append(f"`Location: {response.getheader('Location')}`")
        if response.getheader("Strict-Transport-Security"):
            notes.append(f"`Strict-Transport-Security: {response.getheader('Strict-Transport-Security')}`")
        for value in response.msg.get_all("Cache-Control") or []:
            if answered == "Nginx":
                notes.append(f"`Cache-Control: {value}`")
        if response.getheader("Content-Encoding"):
            notes.append(f"`Content-Encoding: {response.getheader('Content-Encoding')}`")
        rows.append(f"| {label} | {response.status} | {answered} | {', '.join(notes) or '(none)'} |")
    text = ("| Request | Status | Answered by | Headers that matter |\n| --- | ---: | --- | --- |\n"
            + "\n".join(rows) + "\n")
    assert matches_recorded("examples/deploy/measured/nginx-gunicorn-requests.md", text)
