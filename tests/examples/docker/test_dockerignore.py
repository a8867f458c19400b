"""examples/django_project/.dockerignore: which paths reach the builder, by Docker's own rules.

The matcher below follows moby/patternmatcher, the code `docker build` uses (the Docker
documentation links to it): each line is trimmed and cleaned like a path, a leading slash is
dropped; `*` and `?` never cross a `/`, `**` crosses any number of directories; a pattern that
matches a parent directory excludes everything under it; `!` re-includes; the last matching line
wins. Patterns are anchored at the root of the build context, which is the rule people miss.
"""

from __future__ import annotations

import posixpath
import re

import pytest

from sitetools import ROOT

PROJECT = ROOT / "examples" / "django_project"


# --- the matcher --------------------------------------------------------------------------------


def read_patterns(text: str) -> list[tuple[bool, re.Pattern]]:
    """(is_exception, regex) for each pattern line, as ignorefile.ReadAll and patternmatcher.New read it."""
    patterns = []
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        pattern = line.strip()
        if not pattern:
            continue
        exception = pattern.startswith("!")
        if exception:
            pattern = pattern[1:].strip()
        pattern = posixpath.normpath(pattern)
        if len(pattern) > 1 and pattern.startswith("/"):
            pattern = pattern[1:]
        if pattern == ".":  # "for historical reasons, the pattern . is ignored"
            continue
        patterns.append((exception, re.compile(to_regex(pattern))))
    return patterns


def to_regex(pattern: str) -> str:
    """patternmatcher's translation of one cleaned pattern into a regular expression."""
    regex, i = "^", 0
    while i < len(pattern):
        char = pattern[i]
        if char == "*" and pattern[i + 1:i + 2] == "*":
            i += 1
            if pattern[i + 1:i + 2] == "/":
                i += 1
            regex += ".*" if i + 1 >= len(pattern) else "(.*/)?"  # any number of directories, even none
        elif char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char in ".+()|{}$":
            regex += "\\" + char
        elif char == "\\" and i + 1 < len(pattern):
            i += 1
            regex += "\\" + pattern[i]
        else:
            regex += char  # letters, digits, / and [...] classes mean the same in both syntaxes
        i += 1
    return regex + "$"


def excluded(path: str, patterns) -> bool:
    """MatchesOrParentMatches: a pattern matches the path or one of its parent directories; the
    last pattern that matches decides."""
    parents = path.split("/")[:-1]
    candidates = [path] + ["/".join(parents[:n]) for n in range(1, len(parents) + 1)]
    result = False
    for exception, regex in patterns:
        if exception != result:  # an exclusion cannot change an excluded path, nor an exception an included one
            continue
        if any(regex.match(candidate) for candidate in candidates):
            result = not exception
    return result


def sensitive(path: str) -> bool:
    """What must never be in an image: secrets, local databases, caches of this machine."""
    name = posixpath.basename(path)
    return (name == ".env" or name.startswith(".env.") or path.startswith("secrets/")
            or name.endswith((".sqlite3", ".pyc", ".pem", ".key")) or "__pycache__" in path.split("/"))


def leaks(text: str, paths: list[str]) -> list[str]:
    patterns = read_patterns(text)
    return [path for path in paths if sensitive(path) and not excluded(path, patterns)]


@pytest.fixture(scope="module")
def patterns():
    return read_patterns((PROJECT / ".dockerignore").read_text(encoding="utf-8"))


# --- the project's .dockerignore ----------------------------------------------------------------

EXCLUDED = [
    ".env", ".env.production", ".env.example", "secrets/django_secret_key", "secrets/database_url",
    "db.sqlite3", "travel/db.sqlite3", "deploy/tls/server.key", "deploy/tls/server.pem",
    ".venv/bin/python", "venv/lib/python3.11/site-packages/django/__init__.py",
    "__pycache__/manage.cpython-311.pyc", "messaging/__pycache__/models.cpython-311.pyc",
    "messaging/api/__pycache__/views.cpython-311.pyc", "nexus/settings.pyc",
    "staticfiles/admin/css/base.css", "measured/django-orm-query-counts.md", "crm/measured/n_plus_one.md",
    "tests/test_views.py", "messaging/tests/test_models.py", ".git/HEAD", ".pytest_cache/README.md",
    "gunicorn.log", "Dockerfile", ".dockerignore", "compose.yaml",
]
INCLUDED = [
    "manage.py", "requirements.txt", "nexus/settings.py", "nexus/settings_production.py", "nexus/health.py",
    "nexus/wsgi.py", "docker/entrypoint.sh", "docker/gunicorn.conf.py", "docker/healthcheck.py",
    "messaging/models.py", "messaging/migrations/0001_initial.py", "crm/operations/queries.graphql",
    "travel/cron/nexus.crontab",
]


@pytest.mark.parametrize("path", EXCLUDED)
def test_the_path_stays_out_of_the_build_context(path, patterns):
    assert excluded(path, patterns)


@pytest.mark.parametrize("path", INCLUDED)
def test_the_path_reaches_the_builder(path, patterns):
    assert not excluded(path, patterns)


def test_nothing_sensitive_in_this_checkout_would_reach_the_builder(patterns):
    # Whatever this machine has lying around right now (a db.sqlite3, __pycache__ folders ...).
    paths = [path.relative_to(PROJECT).as_posix() for path in PROJECT.rglob("*") if path.is_file()]
    assert [path for path in paths if sensitive(path) and not excluded(path, patterns)] == []
    assert "manage.py" in paths and not excluded("manage.py", patterns)


def test_a_naive_dockerignore_leaks_what_the_real_one_keeps_out():
    naive = ".env\n__pycache__\n*.sqlite3\n"  # looks right, is anchored at the root
    paths = ["messaging/__pycache__/models.cpython-311.pyc", "travel/db.sqlite3", "secrets/database_url",
             ".env.production", "db.sqlite3", ".env"]
    assert leaks(naive, paths) == paths[:4]
    assert leaks((PROJECT / ".dockerignore").read_text(encoding="utf-8"), paths) == []


# --- Docker's documented examples, to show the matcher follows Docker's rules ------------------


def decide(text: str, path: str) -> bool:
    return excluded(path, read_patterns(text))


def test_star_stays_within_one_directory_level():
    rules = "# comment\n*/temp*\n*/*/temp*\ntemp?\n"  # the example of Docker's build context page
    assert decide(rules, "somedir/temporary.txt") and decide(rules, "somedir/temp")
    assert decide(rules, "somedir/subdir/temporary.txt")
    assert decide(rules, "tempa") and not decide(rules, "tempab") and not decide(rules, "temp")
    assert not decide(rules, "temporary.txt")  # */temp* needs a directory before it


def test_double_star_crosses_directories_and_a_bare_name_does_not():
    assert decide("**/*.go\n", "main.go") and decide("**/*.go\n", "cmd/server/main.go")
    assert decide("__pycache__\n", "__pycache__/x.pyc")
    assert not decide("__pycache__\n", "app/__pycache__/x.pyc")  # anchored at the root
    assert decide("**/__pycache__\n", "app/__pycache__/x.pyc")


@pytest.mark.parametrize("pattern", ["/foo/bar/", "/foo/bar", "foo/bar/", "foo/bar"])
def test_leading_and_trailing_slashes_do_not_matter(pattern):
    assert decide(pattern, "foo/bar") and decide(pattern, "foo/bar/baz.txt")
    assert not decide(pattern, "bar") and not decide(pattern, "x/foo/bar")


def test_the_last_matching_line_wins():
    assert not decide("*.md\n!README.md\n", "README.md")
    assert decide("*.md\n!README.md\n", "CHANGES.md")
    assert not decide("*.md\n!README.md\n", "docs/guide.md")  # *.md is anchored too
    assert decide("*.md\n!README*.md\nREADME-secret.md\n", "README-secret.md")
    assert not decide("*.md\nREADME-secret.md\n!README*.md\n", "README-secret.md")


def test_escapes_question_marks_and_the_ignored_dot():
    assert decide("notes\\*.txt\n", "notes*.txt") and not decide("notes\\*.txt\n", "notesX.txt")
    assert decide("a+b(1).txt\n", "a+b(1).txt")  # regex characters are literal
    assert not decide(".\n", "manage.py")  # the pattern "." is ignored, as Docker ignores it
    assert decide("**\n!keep.txt\n", "anything/at/all") and not decide("**\n!keep.txt\n", "keep.txt")
