"""Which documents exist, how each is rendered, and when: a kommissorium once published, a dagsorden once
published (and after every change), a referat once published (and after a correction).

The PDF is rendered by a Celery task started on commit. Its input (the HTML) is hashed: an unchanged document is
never rendered twice. Agendas and minutes come in two variants: the public one shows closed items only as
"Lukket" with their number and Sags ID, the full one is for the secretariat and the committee's members.
"""

import hashlib

from django.db import transaction

from .models import Document
from .pdf import render_html

K, V = Document.Kind, Document.Variant


def variants_for(kind: str) -> list[str]:
    return [V.PUBLIC] if kind == K.MANDATE else [V.PUBLIC, V.FULL]


def document_html(kind: str, object_id: int, variant: str) -> str:
    """The HTML a document is rendered from: the same partials as the pages, in the print layout."""
    if kind == K.MANDATE:
        from committees.models import Mandate

        mandate = Mandate.objects.select_related("committee", "committee__term").get(pk=object_id)
        return render_html("pdf/mandate.html", {"mandate": mandate, "committee": mandate.committee})
    from meetings.models import Meeting
    from meetings.selectors import ClosedItem

    meeting = Meeting.objects.select_related("committee").get(pk=object_id)
    items = list(meeting.items.prefetch_related("attachments").order_by("position", "pk"))
    if variant == V.PUBLIC:
        items = [i if not i.is_closed else ClosedItem(i.position, i.case_number, i.pk) for i in items]
    context = {
        "meeting": meeting,
        "items": items,
        "committee": meeting.committee,
        "variant": variant,
        "is_minutes": kind == K.MINUTES,
    }
    if kind == K.MINUTES:
        minutes = meeting.minutes
        attendance = list(minutes.attendance.select_related("person"))
        context.update(
            minutes=minutes,
            present=[a for a in attendance if a.presence == "tilstede"],
            absent=[a for a in attendance if a.presence == "fravaerende"],
        )
    return render_html("pdf/meeting.html", context)


def input_hash(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def documents_stale(*, kind: str, object_id: int) -> list[Document]:
    """Each variant's document, marked wanted for the current text; returns those whose PDF does not match it
    (an unchanged document is never rendered twice)."""
    stale = []
    for variant in variants_for(kind):
        wanted = input_hash(document_html(kind, object_id, variant))
        document, _created = Document.objects.get_or_create(kind=kind, object_id=object_id, variant=variant)
        if document.is_current and document.input_hash == wanted:
            continue
        document.wanted_hash = wanted
        if document.status == Document.Status.FAILED:
            document.attempts = 0
        document.status = Document.Status.PENDING
        document.save(update_fields=["wanted_hash", "status", "attempts", "requested_at"])
        stale.append(document)
    return stale


def documents_request(*, kind: str, object_id: int) -> list[Document]:
    """Render the stale variants by a Celery task after commit."""
    from .tasks import render_document

    stale = documents_stale(kind=kind, object_id=object_id)
    for document in stale:
        transaction.on_commit(lambda pk=document.pk: render_document.delay(pk))
    return stale


def document_for(*, kind: str, object_id: int, full: bool) -> Document | None:
    variant = V.FULL if full and kind != K.MANDATE else V.PUBLIC
    return Document.objects.filter(kind=kind, object_id=object_id, variant=variant).first()


def published_sources():
    """Every (kind, object_id) that has a public document: published mandates, agendas and minutes."""
    from committees.models import Mandate
    from meetings.models import Meeting, Minutes

    for pk in Mandate.objects.filter(status=Mandate.Status.PUBLISHED).values_list("pk", flat=True):
        yield K.MANDATE, pk
    for pk in Meeting.objects.filter(agenda_published_at__isnull=False).values_list("pk", flat=True):
        yield K.AGENDA, pk
    for pk in Minutes.objects.filter(status=Minutes.Status.PUBLISHED).values_list("meeting_id", flat=True):
        yield K.MINUTES, pk


def document_retry(*, document: Document) -> Document:
    """Staff retry a failed render (from the workspace)."""
    from .tasks import render_document

    document.status = Document.Status.PENDING
    document.attempts = 0
    document.error = ""
    document.save(update_fields=["status", "attempts", "error", "requested_at"])
    transaction.on_commit(lambda: render_document.delay(document.pk))
    return document
