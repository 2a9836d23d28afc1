"""The outbox: record follow-up work in the transaction of the change, send it after commit, and again if it is
lost; run it once however often it is delivered.

Guarantees (README, "When something fails"): a row is written with the change or not at all; it is sent to the
broker after commit, or by the sweep once the broker is reachable; a message lost in Redis or held by a killed
worker is sent again after ``PORTAL_REQUEUE_AFTER_SECONDS`` (doubling with each resend, to at most an hour); a task
run through ``running_once`` does its work and marks the row done in one transaction, so a second delivery finds it
done and does nothing. An email can still go out twice only if a worker dies after the mail server accepted it and
before that transaction committed.
"""

import datetime as dt
import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import partial

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.db.models import Count, Min, Q
from django.utils import timezone

from .broker import publish
from .models import Message

logger = logging.getLogger("gentofte_portal.outbox")

# Rows younger than this are left to the dispatch that their own commit started.
GRACE = dt.timedelta(seconds=2)
# A message that has not finished after this many sends is marked failed (and shown in /healthz).
MAX_DISPATCHES = 8
SWEEP_BATCH = 500


def outbox_enqueue(*, task, args: list, key: str | None = None) -> Message:
    """Record ``task(*args)`` in the current transaction and send it after commit."""
    return outbox_enqueue_many(task=task, calls=[(args, key)])[0]


def outbox_enqueue_many(*, task, calls: Iterable[tuple[list, str | None]]) -> list[Message]:
    """Several calls of one task, sent together after commit (one broker connection)."""
    messages = []
    for args, key in calls:
        if key:
            message, _created = Message.objects.get_or_create(key=key, defaults={"task": task.name, "args": args})
        else:
            message = Message.objects.create(task=task.name, args=args)
        messages.append(message)
    pending = [m.pk for m in messages if m.status == Message.Status.PENDING]
    if pending:
        # robust: the change is committed whatever happens here; what is not sent now, the sweep sends.
        transaction.on_commit(partial(outbox_dispatch, pending), robust=True)
    return messages


def outbox_dispatch(pks: list) -> int:
    """Send these pending messages to the broker; returns how many were sent."""
    messages = list(Message.objects.filter(pk__in=pks, status=Message.Status.PENDING).order_by("created_at"))
    return _send(messages)


def _send(messages: list[Message]) -> int:
    sent = publish([(m.task, m.args, str(m.pk)) for m in messages])
    if sent:
        now = timezone.now()
        for message in messages:
            if str(message.pk) in sent:
                message.dispatched_at = now
                message.dispatch_count += 1
        Message.objects.bulk_update([m for m in messages if str(m.pk) in sent], ["dispatched_at", "dispatch_count"])
    return len(sent)


def _resend_after(message: Message) -> dt.timedelta:
    bound = settings.PORTAL_REQUEUE_AFTER_SECONDS
    return dt.timedelta(seconds=min(bound * 2 ** max(message.dispatch_count - 1, 0), 3600))


def outbox_sweep(*, now=None) -> dict:
    """Send what was never sent (the broker was down at commit) and again what was sent but has not finished in
    time (lost with a Redis restart, or held by a worker that died). Run by beat and at every worker's start."""
    now = now or timezone.now()
    with transaction.atomic():
        # skip_locked: a row a worker is running right now is locked by running_once, and is not resent.
        candidates = list(
            Message.objects.select_for_update(skip_locked=True)
            .filter(status=Message.Status.PENDING)
            .filter(
                Q(dispatched_at__isnull=True, created_at__lt=now - GRACE)
                | Q(dispatched_at__lt=now - dt.timedelta(seconds=settings.PORTAL_REQUEUE_AFTER_SECONDS))
            )
            .order_by("created_at")[:SWEEP_BATCH]
        )
        due, given_up = [], []
        for message in candidates:
            if message.dispatched_at is None or message.dispatched_at <= now - _resend_after(message):
                (given_up if message.dispatch_count >= MAX_DISPATCHES else due).append(message)
        for message in given_up:
            message.status = Message.Status.FAILED
            message.error = (message.error + f"\nNot finished after {message.dispatch_count} sends.").strip()
            logger.error(
                "Outbox message %s (%s) failed: not finished after %s sends",
                message.pk,
                message.task,
                message.dispatch_count,
            )
        Message.objects.bulk_update(given_up, ["status", "error"])
        sent = _send(due)
    if due:
        logger.info("Outbox sweep: %s of %s due messages sent", sent, len(due))
    return {"due": len(due), "sent": sent, "failed": len(given_up)}


@contextmanager
def running_once(message_id) -> Iterator[bool]:
    """In a task sent from the outbox: yields True when this delivery should do the work, False when the work is
    done already or another worker is doing it now. The work and the row's 'done' commit together. A task called
    some other way (not from the outbox) always runs.

    The row's lock is waited for, briefly: whoever sent the task (the commit's dispatch, or the sweep inside its
    transaction) still holds it for the moment it takes to record the send, and a worker fast enough to arrive in
    that moment used to skip the row as if another worker ran it, leaving the mail for the next sweep a minute on.
    A lock held longer than RUN_ONCE_LOCK_WAIT is another worker's run; this delivery then does nothing."""
    try:
        with transaction.atomic():
            message = _lock_message(message_id)
            if message is _BUSY:
                yield False
                return
            if message is None:
                yield message_id is None or not Message.objects.filter(pk=message_id).exists()
                return
            if message.status != Message.Status.PENDING:
                yield False
                return
            yield True
            Message.objects.filter(pk=message.pk).update(status=Message.Status.DONE, done_at=timezone.now(), error="")
    except Exception as exc:
        Message.objects.filter(pk=message_id, status=Message.Status.PENDING).update(error=repr(exc)[:2000])
        raise


_BUSY = object()
# How long a delivery waits for the row's lock before taking it as another worker's run (PostgreSQL).
RUN_ONCE_LOCK_WAIT = dt.timedelta(seconds=5)


def _lock_message(message_id):
    """The row, locked for this transaction; None when there is none; _BUSY when its lock stays held."""
    if message_id is None:
        return None
    if connection.vendor != "postgresql":  # SQLite has no row locks: a writer has the database to itself
        return Message.objects.filter(pk=message_id).first()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = %s", [f"{int(RUN_ONCE_LOCK_WAIT.total_seconds() * 1000)}ms"])
    try:
        with transaction.atomic():
            return Message.objects.select_for_update().filter(pk=message_id).first()
    except OperationalError as exc:
        if getattr(exc.__cause__, "pgcode", None) != "55P03":  # lock_not_available
            raise
        return _BUSY
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = DEFAULT")


def outbox_backlog(*, now=None) -> dict:
    """For /healthz: what waits, for how long, and what failed."""
    now = now or timezone.now()
    row = Message.objects.aggregate(
        pending=Count("pk", filter=Q(status=Message.Status.PENDING)),
        failed=Count("pk", filter=Q(status=Message.Status.FAILED)),
        oldest=Min("created_at", filter=Q(status=Message.Status.PENDING)),
    )
    oldest = round((now - row["oldest"]).total_seconds()) if row["oldest"] else 0
    return {"pending": row["pending"], "failed": row["failed"], "oldest_pending_seconds": oldest}
