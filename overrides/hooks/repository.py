"""Edit and view-source actions only when the repository's address is known.

`repo_url` comes from REPO_URL (the Pages workflow and the Makefile set it). A clone without a
GitHub remote has none; MkDocs would then warn on every page that the edit link is not a URL,
which fails the strict build. Without an address the actions are simply left out.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger("repository")


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    if not config.repo_url:
        config.edit_uri = None
        config.edit_uri_template = None
        log.info("REPO_URL is not set: pages are built without 'edit this page' and 'view source' links")
    return config
