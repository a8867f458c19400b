"""The Mermaid copy the site serves is exactly the npm release that package.json pins."""

from __future__ import annotations

import json

from sitetools import ROOT

VENDORED = ROOT / "docs" / "assets" / "javascripts" / "vendor" / "mermaid.tiny.js"
PACKAGE = ROOT / "node_modules" / "@mermaid-js" / "tiny"


def test_vendored_mermaid_matches_the_pinned_npm_release():
    pinned = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))["devDependencies"]["@mermaid-js/tiny"]
    installed = json.loads((PACKAGE / "package.json").read_text(encoding="utf-8"))["version"]
    assert installed == pinned, "run `npm ci` after changing package.json"
    assert VENDORED.read_bytes() == (PACKAGE / "dist" / "mermaid.tiny.js").read_bytes(), (
        "docs/assets/javascripts/vendor/mermaid.tiny.js differs from the npm release: run `make vendor`"
    )


def test_mermaid_licence_ships_with_it():
    assert "MIT License" in (VENDORED.parent / "mermaid.LICENSE.txt").read_text(encoding="utf-8")
