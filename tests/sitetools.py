"""Build, serve and inspect the site the way GitHub Pages would publish it.

The tests build the real configuration (or a copy of the project with one file broken),
serve the result under the Pages sub-path on 127.0.0.1, and look at what a reader gets.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUBPATH = "/alx-project-nexus/"
TEST_REPO_URL = "https://github.com/nexus-tests/alx-project-nexus"


# --- building -----------------------------------------------------------------------------------


@dataclass
class Build:
    returncode: int
    output: str
    site_dir: Path

    @property
    def warnings(self) -> list[str]:
        return [line for line in self.output.splitlines() if line.startswith(("WARNING", "ERROR"))]


def build_site(project: Path, site_dir: Path, site_url: str, *, strict: bool = True, env: dict | None = None) -> Build:
    command = [sys.executable, "-m", "mkdocs", "build",
               "--site-dir", str(site_dir), "--config-file", str(project / "mkdocs.yml")]
    if strict:
        command.append("--strict")
    environment = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": site_url, "REPO_URL": TEST_REPO_URL}
    environment.pop("GITHUB_ACTIONS", None)
    environment.update(env or {})
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, env=environment, check=False)
    return Build(result.returncode, result.stdout + result.stderr, site_dir)


SMALL_DOCS = {
    "index.md": (
        "---\ntitle: Small site\n"
        "description: The home page of a small copy of the site that tests break on purpose.\n---\n\n"
        "Start with [About](about/index.md).\n"
    ),
    "about/index.md": (
        "---\ntitle: About\n"
        "description: A section index page in the small copy of the site used by the build tests.\n---\n\n"
        "## Read more\n\nSee [Contributing](contributing.md).\n"
    ),
    "about/contributing.md": (
        "---\ntitle: Contributing\n"
        "description: A note in the small copy of the site, with tags, used by the build tests.\ntags:\n"
        "  - knowledge-base\n  - documentation\n---\n\n## Fix a mistake\n\nBack to [About](index.md).\n"
    ),
    "tags.md": (
        "---\ntitle: Tags\n"
        "description: The tags index of the small copy of the site used by the build tests.\n---\n\n"
        "<!-- material/tags -->\n"
    ),
}
SMALL_NAV = (
    "nav:\n  - Home: index.md\n  - About:\n      - about/index.md\n      - Contributing: about/contributing.md\n"
    "  - Tags: tags.md\n"
)


def copy_project(destination: Path) -> Path:
    """A small project outside any Git repository, for tests that break something on purpose:
    this site's real configuration, hooks, overrides and assets, with four short pages instead
    of the notes (a full build takes several seconds; this one, about one)."""
    destination.mkdir(parents=True, exist_ok=True)
    for name in ["overrides", "includes", "schema", "tags.yml", "diagrams", "docs/assets"]:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, destination / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, destination / name)
    for name, text in SMALL_DOCS.items():
        (destination / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (destination / "docs" / name).write_text(text, encoding="utf-8")
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8").split("\nnav:\n", 1)[0]
    (destination / "mkdocs.yml").write_text(config + "\n" + SMALL_NAV, encoding="utf-8")
    return destination


# --- serving ------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class PagesHandler(http.server.SimpleHTTPRequestHandler):
    """Serves a built site the way GitHub Pages serves a project site: only under the
    sub-path, `dir/` as `dir/index.html`, 404.html (with status 404) for anything else, and,
    with `gzip`, text compressed for clients that accept it."""

    site_dir: Path
    subpath: str
    gzip: bool = False
    COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".map")

    def log_message(self, format, *args):  # keep test output quiet
        pass

    def translate_path(self, path: str) -> str:
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
        if not path.startswith(self.subpath):
            return str(self.site_dir / ".outside-the-sub-path")
        return str(self.site_dir / path[len(self.subpath):])

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not urllib.parse.urlsplit(self.path).path.endswith("/"):
                return super().send_head()  # the redirect to "dir/"
            path = path / "index.html"
        if not (self.gzip and path.is_file() and path.suffix in self.COMPRESSIBLE
                and "gzip" in self.headers.get("Accept-Encoding", "")):
            return super().send_head()
        body = _gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)

    def send_error(self, code, message=None, explain=None):
        page = self.site_dir / "404.html"
        if code != 404 or not page.exists():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@functools.lru_cache(maxsize=512)
def _gzipped(path: Path) -> bytes:
    return gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)


@contextlib.contextmanager
def serve(site_dir: Path, port: int, subpath: str = SUBPATH, gzip: bool = False):
    handler = type("Handler", (PagesHandler,), {"site_dir": Path(site_dir), "subpath": subpath, "gzip": gzip})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}{subpath}"
    finally:
        server.shutdown()
        server.server_close()


# --- reading HTML -------------------------------------------------------------------------------


# Attributes that make the browser fetch something, per element.
RESOURCE_ATTRIBUTES = {
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "iframe": ("src",),
    "frame": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "use": ("href", "xlink:href"),
    "image": ("href", "xlink:href"),
}
# <link rel=...> values that load something (canonical, prev, next and alternate only point).
LOADING_LINK_RELS = {"stylesheet", "icon", "shortcut", "apple-touch-icon", "preload", "modulepreload",
                     "prefetch", "preconnect", "dns-prefetch", "manifest", "mask-icon"}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""")


@dataclass
class Reference:
    line: int
    tag: str
    url: str
    loads: bool  # True if the browser fetches it; False for plain links
    deferred: bool = False  # fetched only once the reader scrolls near it (loading="lazy")


@dataclass
class ParsedPage:
    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)
    nav_links: list[str] = field(default_factory=list)


class _PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = ParsedPage()
        self._nav_depth = 0
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        line = self.getpos()[0]
        for name in ("id", "name") if tag == "a" else ("id",):
            if attributes.get(name):
                self.page.ids.add(attributes[name])
        classes = (attributes.get("class") or "").split()
        if tag == "nav" and ("md-nav--primary" in classes or "md-tabs" in classes):
            self._nav_depth = 1
        elif tag == "nav" and self._nav_depth:
            self._nav_depth += 1
        if tag == "a" and attributes.get("href"):
            self.page.references.append(Reference(line, tag, attributes["href"], loads=False))
            if self._nav_depth:
                self.page.nav_links.append(attributes["href"])
        if tag == "link" and attributes.get("href"):
            rels = set((attributes.get("rel") or "").lower().split())
            self.page.references.append(Reference(line, tag, attributes["href"], loads=bool(rels & LOADING_LINK_RELS)))
        for name in RESOURCE_ATTRIBUTES.get(tag, ()):
            value = attributes.get(name)
            if value:
                if name == "srcset":
                    urls = [part.strip().split()[0] for part in value.split(",") if part.strip()]
                else:
                    urls = [value]
                deferred = (attributes.get("loading") or "").lower() == "lazy"
                self.page.references.extend(Reference(line, tag, url, loads=True, deferred=deferred) for url in urls)
        if attributes.get("style"):
            self._add_css(attributes["style"], line, tag)
        if tag == "style":
            self._in_style = True

    def handle_endtag(self, tag):
        if tag == "nav" and self._nav_depth:
            self._nav_depth -= 1
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self._add_css(data, self.getpos()[0], "style")

    def _add_css(self, css: str, line: int, tag: str):
        for match in CSS_URL.finditer(css):
            self.page.references.append(Reference(line, tag, match.group(1) or match.group(2), loads=True))


def parse_html(text: str) -> ParsedPage:
    parser = _PageParser()
    parser.feed(text)
    parser.close()
    return parser.page


def css_references(text: str) -> list[Reference]:
    return [
        Reference(text.count("\n", 0, match.start()) + 1, "css", match.group(1) or match.group(2), loads=True)
        for match in CSS_URL.finditer(text)
    ]


# --- checks over a built site -------------------------------------------------------------------


def html_pages(site_dir: Path) -> list[Path]:
    return sorted(path for path in site_dir.rglob("*.html") if path.name != "404.html")


def page_url(site_dir: Path, path: Path, base_url: str) -> str:
    relative = path.relative_to(site_dir).as_posix()
    relative = relative[: -len("index.html")] if relative.endswith("index.html") else relative
    return base_url + relative


def offsite_resources(site_dir: Path, site_url: str) -> list[str]:
    """Every reference in HTML or CSS that would make a browser fetch from another origin."""
    origin = origin_of(site_url)
    problems = []
    candidates = [
        (path, parse_html(path.read_text(encoding="utf-8")).references) for path in sorted(site_dir.rglob("*.html"))
    ]
    candidates += [(path, css_references(path.read_text(encoding="utf-8"))) for path in sorted(site_dir.rglob("*.css"))]
    for path, references in candidates:
        for reference in references:
            if not reference.loads:
                continue
            absolute = urllib.parse.urljoin(site_url, reference.url)
            if absolute.startswith(("http:", "https:")) and origin_of(absolute) != origin:
                problems.append(
                    f"{path.relative_to(site_dir)}:{reference.line}: <{reference.tag}> loads {reference.url}"
                )
    return problems


def origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


@dataclass
class CrawlReport:
    pages: set[str] = field(default_factory=set)
    nav_targets: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def crawl(start_url: str) -> CrawlReport:
    """Follow every same-origin link and resource from `start_url`; report any that does not
    answer 200 and any #fragment that names no element on its target page."""
    origin = origin_of(start_url)
    report = CrawlReport()
    parsed: dict[str, ParsedPage | None] = {}
    status: dict[str, int] = {}
    fragments: list[tuple[str, str, str]] = []
    queue = [start_url]

    def fetch(url: str) -> int:
        if url not in status:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    status[url] = response.status
                    if "text/html" in response.headers.get("Content-Type", ""):
                        parsed[url] = parse_html(response.read().decode("utf-8"))
            except urllib.error.HTTPError as error:
                status[url] = error.code
        return status[url]

    while queue:
        url = queue.pop()
        if url in report.pages:
            continue
        report.pages.add(url)
        if fetch(url) != 200 and url == start_url:
            report.problems.append(f"{url}: the start page answered HTTP {status[url]}")
        page = parsed.get(url)
        if page is None:
            continue
        for reference in page.references:
            target = urllib.parse.urljoin(url, reference.url)
            if origin_of(target) != origin or target.startswith(("mailto:", "javascript:")):
                continue
            address, _, fragment = target.partition("#")
            address = address.split("?")[0]
            code = fetch(address)
            if code != 200:
                report.problems.append(f"{url} line {reference.line}: <{reference.tag}> {reference.url} -> HTTP {code}")
                continue
            if fragment:
                fragments.append((url, reference.url, target))
            if address in parsed and address not in report.pages:
                queue.append(address)
        for href in page.nav_links:
            report.nav_targets.add(urllib.parse.urljoin(url, href).partition("#")[0])

    for source, written, target in fragments:
        address, _, fragment = target.partition("#")
        page = parsed.get(address.split("?")[0])
        if page is not None and urllib.parse.unquote(fragment) not in page.ids:
            report.problems.append(f"{source}: link {written} -> no element with id '{urllib.parse.unquote(fragment)}'")
    report.pages = {url for url in report.pages if url in parsed}
    return report


# --- in the browser -------------------------------------------------------------------------------


def open_search(page):
    # Material closes search about 125 ms after each page change; wait for the dialog to be
    # open (its toggle checked) before typing, and press the key again if it closed meanwhile.
    page.wait_for_load_state("load")
    for _ in range(3):
        # A closed dialog may leave the focus in its input, where "/" would be typed instead.
        page.evaluate("document.activeElement && document.activeElement.blur()")
        page.keyboard.press("/")
        try:
            page.wait_for_function("document.getElementById('__search').checked", timeout=2000)
            page.locator(".md-search__input").wait_for(state="visible")
            return
        except Exception:  # the dialog closed again; try once more
            continue
    raise AssertionError("the search dialog did not open")


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Chromium resolves Google hosts in the background even with the flags above.
    "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
]


def find_chromium() -> str:
    """CHROMIUM from the environment (the Makefile sets it), else what scripts/find-chromium finds."""
    path = os.environ.get("CHROMIUM")
    if path and os.access(path, os.X_OK):
        return path
    found = subprocess.run([str(ROOT / "scripts" / "find-chromium")], capture_output=True, text=True, check=False)
    if found.returncode != 0:
        raise RuntimeError(found.stderr)
    return found.stdout.strip()


def choose_scheme(page, scheme: str) -> None:
    """Switch to Material's colour scheme `scheme` ("default" or "slate") with the palette toggle,
    as a reader does; it cycles system, light, dark. (Emulating the system's preference instead
    left a page in the old scheme now and then: Material did not always act on the change.)"""
    for _ in range(3):
        if page.evaluate("document.body.dataset.mdColorScheme") == scheme:
            break
        page.locator("form[data-md-component='palette'] label:visible").click()
    page.wait_for_function(f"document.body.dataset.mdColorScheme === '{scheme}'")
