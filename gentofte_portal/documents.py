"""Which documents exist, how each is rendered, and when: a kommissorium once published, a dagsorden once
published (and after every change), a referat once published (and after a correction).

The PDF is rendered by a Celery task started on commit. Its input (the HTML) is hashed: an unchanged document is
never rendered twice. The document's own row is the record that a render is owed: it is marked pending in the
transaction of the change, sent to the broker after commit, and sent again by ``documents_requeue`` (beat, and at
every worker's start) until it is rendered. Agendas and minutes come in two variants: the public one shows closed
items only as "Lukket" with their number and Sags ID, the full one is for the secretariat and the committee's
members.
"""

import datetime as dt
import hashlib
import uuid
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from .models import Document
from .outbox.broker import publish
from .outbox.services import GRACE
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
    stale = documents_stale(kind=kind, object_id=object_id)
    if stale:
        # robust: the change is committed whatever happens here; a render not sent now is sent by the requeue.
        transaction.on_commit(partial(documents_dispatch, [d.pk for d in stale]), robust=True)
    return stale


def documents_dispatch(pks: list[int]) -> int:
    """Hand these documents' renders to the broker (bounded in time; what is not sent waits for the requeue)."""
    calls = {f"render-{pk}-{uuid.uuid4().hex}": pk for pk in pks}
    ids = [calls[task_id] for task_id in publish([("portal.render_document", [pk], t) for t, pk in calls.items()])]
    # update(): the bookkeeping is no change to the document that the page cache or the history should see.
    Document.objects.filter(pk__in=ids).update(queued_at=timezone.now())
    return len(ids)


def documents_requeue(*, now=None) -> int:
    """Send again every render owed and not done: never sent (the broker was down), or sent and not rendered within
    PORTAL_REQUEUE_AFTER_SECONDS (the message was lost with a Redis restart, or its worker was killed). A render
    that is running holds a lock (tasks.render_document), so a duplicate does nothing."""
    now = now or timezone.now()
    bound = now - dt.timedelta(seconds=settings.PORTAL_REQUEUE_AFTER_SECONDS)
    grace = now - GRACE  # younger: left to the dispatch its own commit started
    pks = list(
        Document.objects.filter(status=Document.Status.PENDING)
        .filter(Q(queued_at__isnull=True, requested_at__lt=grace) | Q(queued_at__lt=bound))
        .order_by("requested_at")
        .values_list("pk", flat=True)[:500]
    )
    return documents_dispatch(pks) if pks else 0


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
    """Staff retry a failed render, or one that has waited too long (from the workspace)."""
    document.status = Document.Status.PENDING
    document.attempts = 0
    document.error = ""
    document.save(update_fields=["status", "attempts", "error", "requested_at"])
    transaction.on_commit(partial(documents_dispatch, [document.pk]), robust=True)
    return document


def documents_backlog(*, now=None) -> dict:
    """For /healthz: renders owed, and how long the oldest has waited."""
    now = now or timezone.now()
    row = Document.objects.filter(status=Document.Status.PENDING).aggregate(n=Count("pk"), oldest=Min("requested_at"))
    oldest = round((now - row["oldest"]).total_seconds()) if row["oldest"] else 0
    return {"pending": row["n"], "oldest_pending_seconds": oldest}
