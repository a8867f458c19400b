"""No page loads anything from an origin other than the site's own."""

from __future__ import annotations

from sitetools import offsite_resources


def test_built_site_loads_nothing_from_other_origins(site, site_url):
    assert offsite_resources(site, site_url) == []


def test_scanner_finds_fonts_scripts_images_frames_and_css_imports(tmp_path):
    (tmp_path / "index.html").write_text(
        "<html><head>\n"
        '<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">\n'
        '<link rel="canonical" href="https://elsewhere.example/">\n'
        '<script src="https://unpkg.com/mermaid@11/dist/mermaid.min.js"></script>\n'
        "</head><body>\n"
        '<img src="//cdn.example/logo.png" alt="logo">\n'
        '<iframe src="https://video.example/embed"></iframe>\n'
        '<a href="https://docs.djangoproject.com/">links to other sites are fine</a>\n'
        '<div style="background: url(https://img.example/bg.png)"></div>\n'
        "</body></html>\n",
        encoding="utf-8",
    )
    (tmp_path / "extra.css").write_text('@import "https://fonts.example/x.css";\n', encoding="utf-8")

    found = offsite_resources(tmp_path, "http://127.0.0.1:8000/alx-project-nexus/")

    assert found == [
        "index.html:2: <link> loads https://fonts.googleapis.com/css?family=Roboto",
        "index.html:4: <script> loads https://unpkg.com/mermaid@11/dist/mermaid.min.js",
        "index.html:6: <img> loads //cdn.example/logo.png",
        "index.html:7: <iframe> loads https://video.example/embed",
        "index.html:9: <div> loads https://img.example/bg.png",
        "extra.css:1: <css> loads https://fonts.example/x.css",
    ]
