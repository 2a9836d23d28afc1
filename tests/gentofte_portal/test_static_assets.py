"""Every page works on a closed municipal network: no script, stylesheet or font is loaded from a CDN or other host."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED_DIRS = (ROOT / "templates", ROOT / "static")

# A URL that leaves the portal: http://, https:// or protocol-relative //host.
EXTERNAL = r"""\s*["']?\s*(?:https?:)?//"""
EXTERNAL_SCRIPT = re.compile(r"<script\b[^>]*?\bsrc\s*=" + EXTERNAL, re.IGNORECASE)
LINK_TAG = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
LINK_EXTERNAL_HREF = re.compile(r"\bhref\s*=" + EXTERNAL, re.IGNORECASE)
LINK_REL = re.compile(r"""\brel\s*=\s*["']?([^"'>]+)""", re.IGNORECASE)
# <link> relations that only point somewhere and load nothing into the page.
NON_LOADING_RELS = {"canonical", "alternate", "author", "license", "help", "bookmark", "me", "next", "prev"}
CSS_EXTERNAL = re.compile(r"(?:@import\s+(?:url\()?|\burl\()" + EXTERNAL, re.IGNORECASE)
CDN_HOSTS = re.compile(
    r"cdn\.jsdelivr\.net|cdnjs\.cloudflare\.com|\bcdnjs\b|unpkg\.com|googleapis\.com|gstatic\.com|bootstrapcdn\.com"
    r"|code\.jquery\.com|fontawesome\.com|cdn\.tailwindcss\.com|esm\.sh|cdn\.skypack\.dev|cloudflare-cdn",
    re.IGNORECASE,
)


def external_asset_problems(text: str) -> list[str]:
    problems = [f"external script: {match.group(0)}" for match in EXTERNAL_SCRIPT.finditer(text)]
    for tag in LINK_TAG.findall(text):
        rel = LINK_REL.search(tag)
        rels = set(rel.group(1).lower().split()) if rel else set()
        if LINK_EXTERNAL_HREF.search(tag) and not (rels and rels <= NON_LOADING_RELS):
            problems.append(f"external link: {tag}")
    problems += [f"external CSS resource: {match.group(0)}" for match in CSS_EXTERNAL.finditer(text)]
    problems += [f"CDN host: {match.group(0)}" for match in CDN_HOSTS.finditer(text)]
    return problems


def scanned_files() -> list[Path]:
    return sorted(
        path for directory in SCANNED_DIRS if directory.is_dir() for path in directory.rglob("*") if path.is_file()
    )


def test_templates_and_static_files_load_nothing_from_other_hosts():
    files = scanned_files()
    assert any(path.name == "base.html" for path in files), "templates/base.html not found: nothing was scanned"
    problems = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            continue  # images and fonts: binary, cannot link anywhere
        if found := external_asset_problems(text):
            problems[str(path.relative_to(ROOT))] = found
    assert not problems, problems


@pytest.mark.parametrize(
    "snippet",
    [
        '<script src="https://cdn.jsdelivr.net/npm/bootstrap@5.3.3/dist/js/bootstrap.bundle.min.js"></script>',
        "<script defer src='//unpkg.com/htmx.org'></script>",
        '<link rel="stylesheet" href="https://example.org/site.css">',
        '<link href="//fonts.example.org/css2?family=Inter" rel="preload" as="style">',
        '@import url("https://fonts.example.org/css2?family=Inter");',
        "body { background: url(http://example.org/bg.png); }",
        "<!-- fonts.googleapis.com -->",
    ],
)
def test_detector_catches_external_assets(snippet):
    assert external_asset_problems(snippet)


@pytest.mark.parametrize(
    "snippet",
    [
        '<link rel="stylesheet" href="{% static \'bootstrap/css/bootstrap.min.css\' %}">',
        "<script src=\"{% static 'js/portal.js' %}\"></script>",
        '<a href="https://www.gentofte.dk">Gentofte Kommune</a>',
        '<link rel="canonical" href="https://portal.example.dk/">',
        "body { background: url(../img/bg.png); }",
    ],
)
def test_detector_allows_local_assets_and_plain_links(snippet):
    assert not external_asset_problems(snippet)


@pytest.mark.django_db
def test_every_page_names_an_icon_the_portal_serves(client):
    """Browsers ask for an icon on every page; without one each visit also costs a 404 page."""
    from django.contrib.staticfiles import finders

    html = client.get("/").content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', html)
    assert icon, "no <link rel=icon> in the page head"
    assert finders.find(icon.group(1)), f"{icon.group(1)} is not among the static files"
