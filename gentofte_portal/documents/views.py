"""Serving a document's PDF: the stored file once it is rendered for the current text; meanwhile a page that
says "PDF'en dannes …". Entitled users get the full variant from the same URL; the two never share a cache entry
(Vary: Cookie, and the full one is private and not stored). A small JSON status answers whether that PDF is ready
yet, so the waiting pages update themselves (static/js/document-status.js)."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.text import Truncator

from gentofte_portal.common.permissions import staff_required
from gentofte_portal.common.roles import is_secretariat

from .models import Document
from .services import document_for, document_retry, documents_request


def serve_document(request, *, kind: str, object_id: int, full: bool, title: str, back_url: str, status_url: str = ""):
    document = document_for(kind=kind, object_id=object_id, full=full)
    if document is None:
        # Published before PDFs were made (or by the demo loader): ask for them now.
        with transaction.atomic():
            documents_request(kind=kind, object_id=object_id)
        document = document_for(kind=kind, object_id=object_id, full=full)
    if document is not None and document.is_current:
        response = FileResponse(
            document.file.open("rb"), content_type="application/pdf", filename=f"{title}.pdf", as_attachment=False
        )
        response["Cache-Control"] = (
            "private, no-store" if document.variant == Document.Variant.FULL else ("public, max-age=300")
        )
    else:
        failed = document is not None and document.status == Document.Status.FAILED
        response = render(
            request,
            "documents/pending.html",
            {"title": title, "back_url": back_url, "failed": failed, "status_url": status_url},
            status=503 if failed else 202,
        )
        response["Cache-Control"] = "no-store"
        response["Retry-After"] = "5"
    patch_vary_headers(response, ["Cookie"])
    return response


def document_state(document: Document | None) -> str:
    """What a reader is told: ready only when the stored file is for the current text (as serve_document)."""
    if document is not None and document.is_current:
        return Document.Status.READY
    if document is not None and document.status == Document.Status.FAILED:
        return Document.Status.FAILED
    return Document.Status.PENDING


def _status_response(document: Document | None, **extra) -> JsonResponse:
    state = document_state(document)
    response = JsonResponse({"state": state, "label": str(Document.Status(state).label), **extra})
    # The state changes within seconds and may be of the full variant: never kept by any cache.
    response["Cache-Control"] = "no-store"
    patch_vary_headers(response, ["Cookie"])
    return response


def document_status(request, *, kind: str, object_id: int, full: bool, url: str):
    """The state of the PDF that serve_document answers for the same request. The caller decides access exactly as
    for the PDF (one function for both), so a document the requester may not see is 404 here too. Read-only: unlike
    serve_document it never asks for a missing render."""
    document = document_for(kind=kind, object_id=object_id, full=full)
    return _status_response(document, **({"url": url} if document_state(document) == Document.Status.READY else {}))


@staff_required(is_secretariat)
def document_status_staff(request, pk: int):
    """A document's state for its row on /arbejde/dokumenter/ (the secretariat may see every document)."""
    document = get_object_or_404(Document, pk=pk)
    return _status_response(document, error=Truncator(document.error).chars(200))  # as the page shows it


@staff_required(is_secretariat)
def documents_staff(request):
    """Staff see documents that are waiting or failed, with the error, and can retry either (a waiting one is sent
    to the workers again; a render already running is not doubled, see tasks.render_document)."""
    if request.method == "POST":
        try:
            pk = int(request.POST.get("dokument", ""))
        except ValueError:  # not a document number: a tampered form, not a server error
            raise Http404 from None
        document = get_object_or_404(Document, pk=pk, status__in=[Document.Status.FAILED, Document.Status.PENDING])
        with transaction.atomic():
            document_retry(document=document)
        messages.success(request, "PDF'en dannes igen.")
        return redirect("documents_staff")
    documents = Document.objects.exclude(status=Document.Status.READY).order_by("-requested_at")[:200]
    ready = Document.objects.filter(status=Document.Status.READY).count()
    return render(request, "documents/staff.html", {"documents": documents, "ready": ready})
