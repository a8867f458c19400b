"""Build this site with Zensical (Material's successor) and report what differs from MkDocs.

Material for MkDocs reaches end of life in May 2027. Zensical reads the same mkdocs.yml, so
this check builds the project with both and compares, page by page, what a reader gets:
the set of pages, the title, headings, code blocks, admonitions, content tabs, diagrams,
tables, abbreviation tooltips, tags, edit links and the meta description. It never fails the
build: it writes build/reports/zensical.md (and .json) for the decision log.

Usage: python bench/zensical_check.py  (`make zensical` runs it in its own virtualenv)
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "tests")]

from budgets import first_load  # noqa: E402
from sitetools import free_port, offsite_resources, serve  # noqa: E402

OUT = ROOT / "build" / "zensical"
REPORTS = ROOT / "build" / "reports"
SITE_URL = "http://127.0.0.1:8000/alx-project-nexus/"

FEATURES = {
    "h2 headings": r"<h2[ >]",
    "code blocks": r'<div class="[^"]*highlight[^"]*"',
    "admonitions": r'<div class="admonition',
    "collapsible blocks": r"<details",
    "content tab sets": r'class="tabbed-set',
    "diagrams": r'class="mermaid"',
    "tables": r"<table",
    "abbreviations": r"<abbr ",
    "footnotes": r'class="footnote"',
    "task lists": r'class="task-list',
    "tags": r'class="md-tag',
    "edit link": r'rel="edit"',
    "grid cards": r'class="grid cards',
}


# Pages whose first-load weight (gzipped, search index excluded) is compared between the engines.
WEIGHED_PAGES = ["index.html", "technologies/python/generators/index.html", "concepts/database-design/index.html"]
CDN = re.compile(r"https://(?:unpkg\.com|cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|fonts\.googleapis\.com)/[^\s\"'`)]+")


def other_origins(site: Path) -> dict[str, list[str]]:
    """What a reader's browser could fetch from another origin: references in the HTML and CSS,
    and CDN addresses written into the JavaScript (which loads them when a page needs them)."""
    scripts = sorted({match for path in site.rglob("*.js") if "vendor" not in path.parts
                      for match in CDN.findall(path.read_text(encoding="utf-8", errors="replace"))})
    return {"html_and_css": offsite_resources(site, SITE_URL), "javascript": scripts}


DRAWN = """() => [...document.querySelectorAll(".mermaid")].map(
  element => element.offsetHeight > 0 && element.textContent.trim() === "")"""


def diagrams_in_browser(site: Path, pages: list[str]) -> dict:
    """Open each page in headless Chromium with every other origin blocked, and report which
    diagrams were drawn (the element has a height and its Mermaid source text is gone) and
    every request that tried to leave the site."""
    found = subprocess.run([str(ROOT / "scripts" / "find-chromium"), "--no-install"], capture_output=True,
                           text=True, check=False)
    if found.returncode != 0:
        return {"skipped": "no Chromium or Chrome on this machine"}
    from playwright.sync_api import TimeoutError as PlaywrightTimeout, sync_playwright

    port, blocked, drawn = free_port(), [], {}
    with serve(site, port) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=found.stdout.strip(),
                                             args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        origin = f"http://127.0.0.1:{port}/"
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(origin)
                   else (blocked.append(route.request.url), route.abort()))
        for path in pages:
            page.goto(base + path.removesuffix("index.html"), wait_until="networkidle")
            with contextlib.suppress(PlaywrightTimeout):  # what was not drawn is what the report shows
                page.wait_for_function(f"({DRAWN})().every(Boolean)", timeout=15000)
            drawn[path] = page.evaluate(DRAWN)
        browser.close()
    return {"drawn": drawn, "blocked": sorted(set(blocked))}


def build(command: list[str], site: Path, environment: dict) -> tuple[float, str, int]:
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, env=environment, check=False)
    return time.perf_counter() - started, result.stdout + result.stderr, result.returncode


def describe(site: Path) -> dict[str, dict]:
    pages = {}
    for path in sorted(site.rglob("*.html")):
        relative = path.relative_to(site).as_posix()
        if relative.startswith(("assets/", "hooks/", "search/")):
            continue
        html = path.read_text(encoding="utf-8", errors="replace")
        article = html.split("<article", 1)[-1].split("</article>", 1)[0]
        title = re.search(r"<title>(.*?)</title>", html, re.S)
        h1 = re.search(r"<h1[^>]*>(.*?)</h1>", article, re.S)
        description = re.search(r'<meta name="description" content="([^"]*)"', html)
        pages[relative] = {
            "title": title.group(1).strip() if title else None,
            "h1": re.sub(r"<[^>]+>|¶|&para;", "", h1.group(1)).strip() if h1 else None,
            "description": description.group(1) if description else None,
            **{
                name: len(re.findall(pattern, article if name not in {"edit link"} else html))
                for name, pattern in FEATURES.items()
            },
        }
    return pages


def main() -> int:
    zensical = Path(os.environ.get("ZENSICAL", shutil.which("zensical") or "zensical"))
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    environment = {**os.environ, "SITE_URL": SITE_URL, "NO_MKDOCS_2_WARNING": "1",
                   "REPO_URL": os.environ.get("REPO_URL") or "https://github.com/nexus-check/alx-project-nexus"}

    mkdocs_site, zensical_site = OUT / "mkdocs", OUT / "zensical"
    # Strict, as the published site is built (a strict build also leaves the unused Mermaid loader out).
    mkdocs_command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(mkdocs_site)]
    mkdocs_time, mkdocs_log, mkdocs_code = build(mkdocs_command, mkdocs_site, environment)
    # Zensical writes to the config's site_dir: give it its own, through a copy of the config that
    # sits beside the original so that every relative path in it still resolves.
    config = ROOT / ".zensical-check.yml"
    config.write_text((ROOT / "mkdocs.yml").read_text(encoding="utf-8") + f"\nsite_dir: {zensical_site}\n",
                      encoding="utf-8")
    try:
        zensical_time, zensical_log, zensical_code = build([str(zensical), "build", "--config-file", str(config)],
                                                           zensical_site, environment)
    finally:
        config.unlink()

    report = {"mkdocs_seconds": round(mkdocs_time, 2), "zensical_seconds": round(zensical_time, 2),
              "mkdocs_exit": mkdocs_code, "zensical_exit": zensical_code, "zensical_log": zensical_log[-4000:],
              "mkdocs_log": mkdocs_log[-4000:]}
    if zensical_code == 0 and mkdocs_code == 0:
        ours, theirs = describe(mkdocs_site), describe(zensical_site)
        report["only_mkdocs"] = sorted(set(ours) - set(theirs))
        report["only_zensical"] = sorted(set(theirs) - set(ours))
        differences = {}
        for page in sorted(set(ours) & set(theirs)):
            changed = {
                key: [ours[page][key], theirs[page][key]] for key in ours[page] if ours[page][key] != theirs[page][key]
            }
            if changed:
                differences[page] = changed
        report["pages_compared"] = len(set(ours) & set(theirs))
        report["differences"] = differences
        report["extra_files"] = sorted(p.relative_to(zensical_site).as_posix() for p in zensical_site.rglob("*.py"))
        report["other_origins"] = {name: other_origins(site) for name, site in
                                   (("mkdocs", mkdocs_site), ("zensical", zensical_site))}
        diagram_pages = [page for page, described in theirs.items() if described["diagrams"]][:5]
        report["browser"] = diagrams_in_browser(zensical_site, diagram_pages)
        report["first_load"] = {
            page: {name: first_load(site, site / page) for name, site in
                   (("mkdocs", mkdocs_site), ("zensical", zensical_site))}
            for page in WEIGHED_PAGES if (mkdocs_site / page).exists() and (zensical_site / page).exists()
        }
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "zensical.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    (REPORTS / "zensical.md").write_text(render(report), encoding="utf-8")
    print(render(report))
    return 0


def render(report: dict) -> str:
    lines = ["# Zensical compatibility report", ""]
    lines += [f"- MkDocs build: exit {report['mkdocs_exit']}, {report['mkdocs_seconds']} s",
              f"- Zensical build: exit {report['zensical_exit']}, {report['zensical_seconds']} s"]
    if "differences" not in report:
        for engine in ("mkdocs", "zensical"):
            if report[f"{engine}_exit"] != 0:
                lines += ["", f"The {engine} build failed, so nothing was compared; its log ends with:", "",
                          "```text", report[f"{engine}_log"], "```"]
        return "\n".join(lines) + "\n"
    lines += [f"- Pages compared: {report['pages_compared']}",
              f"- Pages only MkDocs builds: {', '.join(report['only_mkdocs']) or 'none'}",
              f"- Pages only Zensical builds: {', '.join(report['only_zensical']) or 'none'}",
              f"- Python files Zensical copies into the site: {', '.join(report['extra_files']) or 'none'}", ""]
    lines += ["First load, gzipped, search index excluded:", "",
              "| Page | MkDocs | Zensical |", "| --- | ---: | ---: |"]
    lines += [f"| {page} | {sizes['mkdocs'] / 1000:.1f} KB | {sizes['zensical'] / 1000:.1f} KB |"
              for page, sizes in report["first_load"].items()]
    lines += [""]
    for name, found in report["other_origins"].items():
        addresses = ", ".join(f"`{url}`" for url in found["javascript"]) or "none"
        lines.append(f"- {name}: {len(found['html_and_css'])} references to other origins in HTML and CSS; "
                     f"CDN addresses in its JavaScript: {addresses}")
    browser = report["browser"]
    if "skipped" in browser:
        lines.append(f"- Diagrams in a browser: not checked ({browser['skipped']})")
    else:
        drawn = [flag for flags in browser["drawn"].values() for flag in flags]
        lines.append(f"- Diagrams in headless Chromium, on {len(browser['drawn'])} Zensical pages: {sum(drawn)} of "
                     f"{len(drawn)} drawn; requests to other origins (blocked): "
                     f"{', '.join(f'`{url}`' for url in browser['blocked']) or 'none'}")
    lines += [""]
    totals: dict[str, int] = {}
    for changed in report["differences"].values():
        for key in changed:
            totals[key] = totals.get(key, 0) + 1
    lines += ["| What differs | Pages |", "| --- | ---: |"]
    lines += [f"| {key} | {count} |" for key, count in sorted(totals.items())]
    lines += ["", "| Page | What | MkDocs | Zensical |", "| --- | --- | --- | --- |"]
    for page, changed in report["differences"].items():
        for key, (ours, theirs) in changed.items():
            lines.append(f"| {page} | {key} | {str(ours)[:60]} | {str(theirs)[:60]} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
