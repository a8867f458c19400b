"""Say once, clearly, when page dates cannot come from git history.

The git-revision-date-localized plugin falls back to the build date when there is no
repository (a tarball) and reads wrong "created" dates from a shallow clone. Both builds
must still succeed locally, so this hook only informs there. On GitHub Actions the
published dates must be right, so a shallow clone is an error that says how to fix it.
"""

from __future__ import annotations

import logging
import os
import subprocess

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("git_history")
# The dates plugin's own logger: without history it repeats its fallback notice for every page.
DATES_PLUGIN_LOG = logging.getLogger("mkdocs.plugins.mkdocs_git_revision_date_localized_plugin")
# ... and the logger of its page hook, which warns about a page that is not committed yet.
DATES_PAGE_LOG = logging.getLogger("mkdocs.plugins.mkdocs_git_revision_date_localized_plugin.plugin")


class NewPageDates(logging.Filter):
    """A page that is not committed yet has no history, so the plugin takes "now" twice, once
    for the update and once for the creation, and warns that one is older than the other. That
    warning would fail the strict build of every new note until it is committed; drop it for
    pages Git does not track, and keep it for real history quirks."""

    def __init__(self, docs_dir: str):
        super().__init__()
        self.docs_dir = docs_dir

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "First revision timestamp is older than last revision timestamp for page" not in message:
            return True
        page = message.split(" for page ", 1)[1].split(". ", 1)[0]
        tracked = subprocess.run(["git", "ls-files", "--error-unmatch", page], cwd=self.docs_dir,
                                 capture_output=True, check=False).returncode == 0
        return tracked


def history_state(directory: str) -> str:
    """Return "full", "shallow" or "none" for the git history around `directory`."""
    try:
        result = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"],
            cwd=directory,
            capture_output=True,
            text=True,
            check=False,
        )
    except FileNotFoundError:
        return "none"
    if result.returncode != 0:
        return "none"
    return "shallow" if result.stdout.strip() == "true" else "full"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    for old in [f for f in DATES_PAGE_LOG.filters if isinstance(f, NewPageDates)]:
        DATES_PAGE_LOG.removeFilter(old)
    DATES_PAGE_LOG.addFilter(NewPageDates(config.docs_dir))
    state = history_state(config.docs_dir)
    if state == "full":
        return config
    if state == "shallow" and os.environ.get("GITHUB_ACTIONS") == "true":
        raise PluginError(
            "git history is shallow, so page creation dates would be wrong: "
            "check out with `fetch-depth: 0` (actions/checkout) before building"
        )
    DATES_PLUGIN_LOG.setLevel(logging.WARNING)
    if state == "shallow":
        log.info("shallow clone: 'created' dates are those of the oldest commit present, not the real ones")
    else:
        log.info("no git repository: page 'created' and 'updated' dates fall back to the build date")
    return config
