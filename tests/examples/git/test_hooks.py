"""The Git hooks of examples/git/, installed in throw-away repositories and exercised with real
`git commit` calls: bad commits are refused with the hook's message, good ones go through."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from measurements import matches_recorded
from sitetools import ROOT

HOOKS = ROOT / "examples" / "git"
# Built from pieces so that this file itself never contains a secret-looking string; the
# value is AWS's own documented example key, not a real one.
AWS_EXAMPLE_KEY = "AKIA" + "IOSFODNN7EXAMPLE"
PRIVATE_KEY_HEADER = "-----BEGIN " + "OPENSSH PRIVATE KEY-----"


class Repo:
    """A fresh repository with its own configuration: nothing from the user's ~/.gitconfig."""

    def __init__(self, path: Path):
        self.path = path
        self.env = {
            "PATH": os.environ["PATH"],
            "HOME": str(path.parent),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": str(path.parent / "gitconfig"),
            "LC_ALL": "C",
            "GIT_AUTHOR_NAME": "Alice", "GIT_AUTHOR_EMAIL": "alice@example.com",
            "GIT_COMMITTER_NAME": "Alice", "GIT_COMMITTER_EMAIL": "alice@example.com",
        }
        self.git("init", "--quiet", "--initial-branch=main", str(path), cwd=path.parent)

    def git(self, *args: str, cwd: Path | None = None, check: bool = True, env: dict | None = None):
        return subprocess.run(["git", *args], cwd=cwd or self.path, env={**self.env, **(env or {})},
                              capture_output=True, text=True, timeout=30, check=check)

    def write(self, name: str, text: str) -> None:
        (self.path / name).parent.mkdir(parents=True, exist_ok=True)
        (self.path / name).write_text(text)

    def commit(self, message: str, *files: str, **kwargs) -> subprocess.CompletedProcess:
        if files:
            self.git("add", *files)
        return self.git("commit", "--quiet", "-m", message, check=False, **kwargs)

    def count(self) -> int:
        result = self.git("rev-list", "--count", "HEAD", check=False)
        return int(result.stdout) if result.returncode == 0 else 0


@pytest.fixture
def repo(tmp_path):
    """A repository with both hooks copied into .git/hooks, the classic installation."""
    repository = Repo(tmp_path / "repo")
    for hook in ("pre-commit", "commit-msg"):
        shutil.copy(HOOKS / hook, repository.path / ".git" / "hooks" / hook)
    return repository


# --- pre-commit --------------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "content", "rule"), [
    ("deploy/id_nexus", f"{PRIVATE_KEY_HEADER}\nb3BlbnNzaC1rZXktdjEAAAAA\n", "private key"),
    ("config/aws.env", f"AWS_ACCESS_KEY_ID={AWS_EXAMPLE_KEY}\n", "AWS access key ID"),
    ("nexus/local_settings.py", 'SECRET_KEY = "x9#kq2!vLr8$wz1@p0mn"\n', "hard-coded secret"),
    ("messaging/views.py", "def inbox(request):\n    breakpoint()\n", "debugger call"),
    ("messaging/tasks.py", "import pdb\n", "debugger call"),
])
def test_pre_commit_refuses_secrets_and_debugger_calls(repo, name, content, rule):
    repo.write(name, content)
    result = repo.commit("feat: add a file", name)
    assert result.returncode == 1
    assert f"pre-commit: {rule} in staged changes:" in result.stderr
    assert f"    {name}:" in result.stderr  # the file and the line number, for the editor
    assert repo.count() == 0


def test_pre_commit_lets_ordinary_code_through(repo):
    repo.write("nexus/settings.py", 'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]\n')
    repo.write("docs/debugging.md", "Call breakpoint() where you want to stop.\n")  # not a .py file
    result = repo.commit("feat: read the key from the environment", ".")
    assert result.returncode == 0, result.stderr
    assert repo.count() == 1


def test_pre_commit_checks_what_is_staged_not_the_working_tree(repo):
    # Staged with a breakpoint, then fixed in the working tree only: still refused.
    repo.write("app.py", "def f():\n    breakpoint()\n")
    repo.git("add", "app.py")
    repo.write("app.py", "def f():\n    return 1\n")
    assert repo.commit("feat: add f").returncode == 1
    # The opposite: the staged version is clean, the breakpoint is only in the working tree.
    repo.git("add", "app.py")
    repo.write("app.py", "def f():\n    breakpoint()\n")
    assert repo.commit("feat: add f").returncode == 0
    assert repo.git("show", "HEAD:app.py").stdout == "def f():\n    return 1\n"


def test_a_file_being_deleted_is_not_scanned(repo):
    repo.write("old.py", "x = 1\n")
    repo.commit("feat: add old.py", "old.py")
    repo.git("rm", "--quiet", "old.py")
    assert repo.commit("refactor: remove old.py").returncode == 0


def test_no_verify_skips_both_hooks(repo):
    # Which is why the same checks must also run in CI, where nobody can skip them.
    repo.write("app.py", "breakpoint()\n")
    repo.git("add", "app.py")
    result = repo.git("commit", "--quiet", "--no-verify", "-m", "wip", check=False)
    assert result.returncode == 0
    assert repo.count() == 1


# --- commit-msg --------------------------------------------------------------------------------


@pytest.mark.parametrize("message", [
    "feat: add conversation search",
    "fix(api): return 409 for a duplicate direct conversation",
    "docs(deployment)!: require DATABASE_URL in production",
    "feat: add search\n\nThe body explains why, after a blank line.",
    "Merge branch 'feat/search'",  # written by git merge
    'Revert "feat: add conversation search"',  # written by git revert
    "fixup! feat: add conversation search",  # git commit --fixup, for git rebase --autosquash
    "squash! feat: add conversation search",  # git commit --squash
    "amend! feat: add conversation search",  # git commit --fixup=amend:<commit>
])
def test_commit_msg_accepts_conventional_subjects_and_git_s_own(repo, message):
    repo.write("a.txt", message)
    result = repo.commit(message, "a.txt")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("message", "problem"), [
    ("Fixed stuff", "start with a type and a colon"),
    ("feature: add search", "start with a type and a colon"),  # not one of the types
    ("feat:add search", "start with a type and a colon"),  # the space after the colon
    ("feat(API): add search", "start with a type and a colon"),  # scopes are lower case
    ("feat: add search.", "not end with a full stop"),
    ("feat: " + "x" * 70, "be at most 72 characters long (it has 76)"),
    ("feat: add search\nand a body without a blank line", "be followed by a blank line before the body"),
])
def test_commit_msg_refuses_a_bad_subject_line_and_says_why(repo, message, problem):
    repo.write("a.txt", "a")
    result = repo.commit(message, "a.txt")
    assert result.returncode == 1
    assert f'commit-msg: the subject line "{message.splitlines()[0]}" must:' in result.stderr
    assert f"  - {problem}" in result.stderr
    assert repo.count() == 0
    # Nothing is lost: Git leaves the refused message in .git/COMMIT_EDITMSG.
    assert (repo.path / ".git" / "COMMIT_EDITMSG").read_text().startswith(message.splitlines()[0])


def test_commit_msg_ignores_the_comments_of_the_editor_template(repo, tmp_path):
    # An "editor" that writes a message above the "# Please enter the commit message..." lines
    # Git puts in the file; the hook must read the message, not the comments.
    editor = tmp_path / "editor"
    editor.write_text('#!/bin/sh\n{ printf "feat: add a file\\n\\n"; cat "$1"; } > "$1.new" && mv "$1.new" "$1"\n')
    editor.chmod(0o755)
    repo.write("a.txt", "a")
    repo.git("add", "a.txt")
    result = repo.git("commit", "--quiet", "--verbose", check=False, env={"GIT_EDITOR": str(editor)})
    assert result.returncode == 0, result.stderr
    assert repo.git("log", "-1", "--format=%s").stdout == "feat: add a file\n"


def test_a_hook_without_the_executable_bit_is_skipped_with_only_a_hint(repo):
    # A hook copied without `chmod +x` never runs: the bad message is committed, and Git's only
    # signal is a hint on standard error.
    (repo.path / ".git" / "hooks" / "commit-msg").chmod(0o644)
    repo.write("a.txt", "a")
    result = repo.commit("Fixed stuff.", "a.txt")
    assert result.returncode == 0
    assert "hint: The '.git/hooks/commit-msg' hook was ignored because it's not set as executable." in result.stderr
    assert repo.count() == 1


def test_core_hooks_path_runs_the_hooks_straight_from_a_versioned_folder(tmp_path):
    # The team-wide installation: the hooks live in the repository, one config line per clone.
    repository = Repo(tmp_path / "shared")
    repository.git("config", "core.hooksPath", str(HOOKS))
    repository.write("a.txt", "a")
    assert repository.commit("Add a file", "a.txt").returncode == 1
    assert repository.commit("feat: add a file").returncode == 0


def test_the_refusals_are_recorded_for_the_note(repo):
    repo.write("messaging/views.py", "def inbox(request):\n    breakpoint()\n    return None\n")
    repo.write("nexus/local_settings.py", 'SECRET_KEY = "x9#kq2!vLr8$wz1@p0mn"\n')
    first = repo.commit("feat: add the inbox view", ".")
    repo.write("messaging/views.py", "def inbox(request):\n    return None\n")
    repo.git("rm", "--quiet", "--cached", "nexus/local_settings.py")  # unstaged; stays on disk only
    second = repo.commit("Added the inbox view.", "messaging/views.py")
    third = repo.commit("feat(messaging): add the inbox view")
    assert (first.returncode, second.returncode, third.returncode) == (1, 1, 0)
    text = ("``` text title=\"Terminal\"\n"
            f"$ git commit -m \"feat: add the inbox view\"\n{first.stderr}"
            f"$ git commit -m \"Added the inbox view.\"\n{second.stderr}"
            "$ git commit -m \"feat(messaging): add the inbox view\"\n"
            f"$ git log --oneline | wc -l\n{repo.count()}\n```\n")
    assert matches_recorded("examples/git/measured/hook-refusals.md", text)
