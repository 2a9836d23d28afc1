"""Serving a document's PDF: the stored file once it is rendered for the current text; meanwhile a page that
says "PDF'en dannes …". Entitled users get the full variant from the same URL; the two never share a cache entry
(Vary: Cookie, and the full one is private and not stored)."""

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers

from gentofte_portal.common.permissions import staff_required
from gentofte_portal.common.roles import is_secretariat

from .models import Document
from .services import document_for, document_retry, documents_request


def serve_document(request, *, kind: str, object_id: int, full: bool, title: str, back_url: str):
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
            {"title": title, "back_url": back_url, "failed": failed},
            status=503 if failed else 202,
        )
        response["Cache-Control"] = "no-store"
        response["Retry-After"] = "5"
    patch_vary_headers(response, ["Cookie"])
    return response


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
