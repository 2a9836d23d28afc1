"""The one module that imports WeasyPrint: HTML in, an accessible (tagged, PDF/UA-1) A4 PDF out.

Fonts come from the machine (DejaVu from Debian's fonts-dejavu-core); nothing is fetched from the network: the
URL fetcher refuses every URL but the portal's own static files.
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def _fetcher(url: str, *args, **kwargs):
    """Serve /static/ files from the staticfiles finders; refuse everything else (no network)."""
    from weasyprint.urls import URLFetcherResponse

    prefix = "file:///static/"
    path = finders.find(url[len(prefix) :]) if url.startswith(prefix) else None
    if not path:
        raise ValueError(f"PDF'er henter ikke eksterne ressourcer: {url}")
    content_type = "text/css" if path.endswith(".css") else "application/octet-stream"
    return URLFetcherResponse(url, body=Path(path).read_bytes(), headers={"Content-Type": content_type})


def render_html(template_name: str, context: dict) -> str:
    """The document's HTML, always in the municipality's language: a document is the official record, whatever
    language the user who caused the rendering had chosen."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(template_name, {**context, "municipality_name": settings.PORTAL_MUNICIPALITY_NAME})


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template to PDF bytes (PDF/UA-1: tagged, with language, title and bookmarks)."""
    return html_to_pdf(render_html(template_name, context))


def html_to_pdf(html: str) -> bytes:
    import weasyprint

    document = weasyprint.HTML(string=html, base_url="file:///", url_fetcher=_fetcher)
    return document.write_pdf(pdf_variant="pdf/ua-1")
