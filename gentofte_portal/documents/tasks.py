from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from . import pdf
from .locks import work_lock
from .models import Document
from .services import document_html, documents_requeue, input_hash

MAX_ATTEMPTS = 3


@shared_task(name="portal.render_document", bind=True, max_retries=MAX_ATTEMPTS)
def render_document(self, document_id: int) -> str:
    """Render one document to PDF and store it with the hash of its input. Retries with backoff; after the last
    attempt the document is marked failed and staff can retry it from the workspace. The same render delivered
    twice (a requeue, Redis redelivering a killed worker's message) runs once: the second waits for no lock and
    finds the document rendered, or leaves it to the one holding the lock."""
    with work_lock("render_document", document_id) as mine:
        if not mine:
            return "busy"
        return _render(self, document_id)


def _render(task, document_id: int) -> str:
    document = Document.objects.filter(pk=document_id).first()
    if document is None:
        return "gone"
    if document.is_current:  # rendered for the newest text already (a duplicate delivery)
        return "unchanged"
    html = document_html(document.kind, document.object_id, document.variant)
    digest = input_hash(html)
    if document.status == Document.Status.READY and document.input_hash == digest and document.file:
        return "unchanged"
    attempt = document.attempts + 1  # counted in the database, so a retry on another worker knows it too
    Document.objects.filter(pk=document.pk).update(attempts=attempt)
    old = document.file.name if document.file else None
    try:
        data = pdf.html_to_pdf(html)
        document.file.save("dokument.pdf", ContentFile(data), save=False)
    except Exception as exc:  # rendering or storing: both are retried
        if attempt >= MAX_ATTEMPTS:
            Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED, error=repr(exc)[:2000])
            raise
        # Staff see why a document still waits (/arbejde/dokumenter/) while the retries run.
        Document.objects.filter(pk=document.pk).update(error=repr(exc)[:2000])
        raise task.retry(exc=exc, countdown=2**attempt, max_retries=MAX_ATTEMPTS) from exc
    document.input_hash = digest
    document.status = Document.Status.READY
    document.error = ""
    document.rendered_at = timezone.now()
    document.save(update_fields=["input_hash", "file", "status", "error", "rendered_at"])
    if old and old != document.file.name:
        document.file.storage.delete(old)
    return "rendered"


@shared_task(name="portal.requeue_documents", ignore_result=True)
def requeue_documents() -> int:
    """Periodic (beat) and at every worker's start: send again the renders owed and not done."""
    return documents_requeue()


def requeue_documents_on_worker_start(sender=None, **kwargs) -> None:
    requeue_documents.delay()
