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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from gentofte_portal.outbox.broker import publish
from gentofte_portal.outbox.services import GRACE

from .models import Document
from .pdf import render_html

V = Document.Variant


@dataclass(frozen=True)
class DocumentKind:
    """How one kind of document is made; registered by the app that owns its data (register_document_kind)."""

    template: str  # the print layout under templates/pdf/
    context: Callable[[int, str], dict]  # (object id, variant) -> the layout's context, from the app's selectors
    published: Callable[[], Iterable[int]]  # the ids of every object that has a public document now
    variants: tuple[str, ...]


_KINDS: dict[str, DocumentKind] = {}


def register_document_kind(kind: str, **spec) -> None:
    """Called from an app's ``ready()``: the documents module knows no domain app, the apps know it. What a
    variant may show is the app's own rule (for meetings the same selectors as the pages), written once."""
    _KINDS[kind] = DocumentKind(**spec)


def variants_for(kind: str) -> list[str]:
    return list(_KINDS[kind].variants)


def document_html(kind: str, object_id: int, variant: str) -> str:
    """The HTML a document is rendered from: the same partials as the pages, in the print layout."""
    spec = _KINDS[kind]
    return render_html(spec.template, spec.context(object_id, variant))


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
    variant = V.FULL if full and V.FULL in _KINDS[kind].variants else V.PUBLIC
    return Document.objects.filter(kind=kind, object_id=object_id, variant=variant).first()


def documents_of(*, object_id: int, kinds: Iterable[str], full: bool) -> dict[str, Document]:
    """One object's documents (a meeting's dagsorden and referat) in the variant the user may have, by kind, in one
    query: a page shows whether each PDF is ready without touching the model."""
    variant = V.FULL if full else V.PUBLIC
    return {d.kind: d for d in Document.objects.filter(object_id=object_id, kind__in=list(kinds), variant=variant)}


def published_sources():
    """Every (kind, object_id) that has a public document: published mandates, agendas and minutes."""
    for kind, spec in _KINDS.items():
        for object_id in spec.published():
            yield kind, object_id


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
