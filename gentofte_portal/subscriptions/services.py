"""Subscribe (double opt-in), confirm, change, export, delete; record publications and send them, at once or as a
weekly digest.

Guarantees: nothing is sent to an address before it is confirmed; a publication is recorded with its fan-out in the
outbox in the publishing transaction (gentofte_portal.outbox) and sent after commit; each subscriber gets each
publication once (a Delivery row per subscriber and publication, marked sent in the transaction that sends it); at
most SUBSCRIPTIONS_SEND_RATE_PER_MINUTE emails a minute leave the portal.
"""

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from committees.models import Committee
from gentofte_portal.outbox.services import outbox_enqueue, outbox_enqueue_many

from . import emails
from .models import Delivery, Publication, Subscriber

_clock = time.time  # the sending budget's clock (tests move it on)


class Throttled(Exception):
    """The minute's sending budget is spent; try again after ``wait`` seconds."""

    def __init__(self, wait: float):
        super().__init__(f"Sending budget spent; next minute in {wait:.0f} s")
        self.wait = wait


# --- Subscribing -----------------------------------------------------------------------------------------------------


def _committees(ids) -> list[Committee]:
    return list(Committee.objects.filter(pk__in=ids).order_by("name", "pk"))


@transaction.atomic
def subscription_request(*, email: str, committees: list[Committee], frequency: str, now=None) -> Subscriber:
    """Record the request and schedule the confirmation email. A new address is stored unconfirmed, with what it
    asked for; a confirmed subscriber's subscriptions change only when the link in the email is followed, so nobody
    can change another person's subscriptions by knowing their address."""
    from .tasks import send_confirmation

    now = now or timezone.now()
    if not committees:
        raise ValidationError({"committees": _("Vælg mindst ét udvalg.")})
    if frequency not in Subscriber.Frequency.values:
        raise ValidationError({"frequency": _("Vælg hvor ofte du vil have e-mails.")})
    email = email.strip().lower()
    try:
        with transaction.atomic():
            subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
                email=email, defaults={"frequency": frequency, "requested_at": now}
            )
    except IntegrityError:  # a second request for the same address raced this one
        subscriber = Subscriber.objects.select_for_update().get(email=email)
    if not subscriber.is_confirmed:
        subscriber.frequency = frequency
        subscriber.requested_at = now
        subscriber.full_clean()
        subscriber.save()
        subscriber.committees.set(committees)
    outbox_enqueue(task=send_confirmation, args=[subscriber.pk, [c.pk for c in committees], frequency])
    return subscriber


@transaction.atomic
def subscription_confirm(*, subscriber: Subscriber, committee_ids: list[int], frequency: str, now=None) -> Subscriber:
    """The confirmation link was followed: from now on the subscriber gets what the link asked for (added to what
    a confirmed subscriber had already)."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    committees = _committees(committee_ids)
    if not committees:
        raise ValidationError(_("Udvalgene i linket findes ikke længere."))
    if frequency in Subscriber.Frequency.values:
        subscriber.frequency = frequency
    if subscriber.is_confirmed:
        subscriber.committees.add(*committees)
    else:
        subscriber.confirmed_at = now or timezone.now()
        subscriber.committees.set(committees)
    subscriber.save()
    return subscriber


@transaction.atomic
def subscription_update(*, subscriber: Subscriber, committees: list[Committee], frequency: str) -> Subscriber:
    if not committees:
        raise ValidationError(
            {"committees": _("Vælg mindst ét udvalg. Vil du ikke have flere e-mails, så afmeld dig nederst.")}
        )
    if frequency not in Subscriber.Frequency.values:
        raise ValidationError({"frequency": _("Vælg hvor ofte du vil have e-mails.")})
    subscriber.frequency = frequency
    subscriber.save(update_fields=["frequency"])
    subscriber.committees.set(committees)
    return subscriber


@transaction.atomic
def subscriber_delete(*, subscriber: Subscriber) -> None:
    """Unsubscribe: the address and everything about it (what was sent included) is deleted at once."""
    Subscriber.objects.filter(pk=subscriber.pk).delete()


def subscriber_export(*, subscriber: Subscriber) -> dict:
    """Everything stored about the subscriber, as they may ask for it (GDPR art. 15 and 20)."""
    deliveries = subscriber.deliveries.select_related("publication__meeting__committee").order_by("created_at")
    return {
        "e-mail": subscriber.email,
        "udvalg": [c.name for c in subscriber.committees.order_by("name")],
        "hyppighed": subscriber.get_frequency_display(),
        "anmodet": subscriber.requested_at.isoformat(),
        "bekræftet": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "udsendelser": [
            {
                "dokument": d.publication.get_kind_display(),
                "udvalg": d.publication.meeting.committee.name,
                "møde": d.publication.meeting.starts_at.isoformat(),
                "ugentligt_overblik": d.digest,
                "sendt": d.sent_at.isoformat() if d.sent_at else None,
            }
            for d in deliveries
        ],
    }


def subscriptions_purge_unconfirmed(*, now=None) -> int:
    """Requests not confirmed within SUBSCRIPTIONS_CONFIRM_HOURS are deleted (their link has expired too)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(hours=settings.SUBSCRIPTIONS_CONFIRM_HOURS)
    _total, per_model = Subscriber.objects.filter(confirmed_at__isnull=True, requested_at__lt=cutoff).delete()
    return per_model.get(Subscriber._meta.label, 0)


# --- Publications ----------------------------------------------------------------------------------------------------


def publication_record(*, meeting, kind: str, version: str) -> Publication:
    """Called in the publishing transaction (meetings.signals): the publication and its fan-out task are stored
    with it, and the same version announced again is the same row and the same outbox message."""
    from .tasks import fan_out_publication

    publication, _created = Publication.objects.get_or_create(
        key=f"{kind}:{meeting.pk}:{version}"[:200], defaults={"meeting": meeting, "kind": kind}
    )
    outbox_enqueue(task=fan_out_publication, args=[publication.pk], key=f"subscriptions.fanout:{publication.pk}")
    return publication


def _chunks(ids: list[int]) -> list[list[int]]:
    size = max(settings.SUBSCRIPTIONS_BATCH_SIZE, 1)
    return [ids[i : i + size] for i in range(0, len(ids), size)]


@transaction.atomic
def publication_fan_out(*, publication: Publication, now=None) -> int:
    """One Delivery per confirmed subscriber of the committee, and a send task per batch of those who want it at
    once (the others wait for the digest). Returns the number of batches."""
    from .tasks import send_publication_batch

    now = now or timezone.now()
    subscribers = Subscriber.objects.filter(
        confirmed_at__isnull=False, committees=publication.meeting.committee_id
    ).values_list("pk", "frequency")
    Delivery.objects.bulk_create(
        [
            Delivery(subscriber_id=pk, publication=publication, digest=frequency == "ugentligt", created_at=now)
            for pk, frequency in subscribers
        ],
        ignore_conflicts=True,
    )
    pending = list(
        Delivery.objects.filter(publication=publication, digest=False, sent_at__isnull=True)
        .order_by("subscriber_id")
        .values_list("subscriber_id", flat=True)
    )
    batches = _chunks(pending)
    outbox_enqueue_many(
        task=send_publication_batch,
        calls=[([publication.pk, batch], f"subscriptions.batch:{publication.pk}:{batch[0]}") for batch in batches],
    )
    return len(batches)


def throttle() -> None:
    """Take one email from this minute's budget (counted in the cache, so shared by every worker with Redis), or
    raise Throttled with the seconds to wait."""
    rate = settings.SUBSCRIPTIONS_SEND_RATE_PER_MINUTE
    if not rate:
        return
    now = _clock()
    key = f"subscriptions:sent:{int(now // 60)}"
    cache.add(key, 0, timeout=120)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=120)
        count = 1
    if count > rate:
        raise Throttled(60 - now % 60 + 0.1)


def _pending(query):
    # skip_locked: a row another worker is sending right now is left to it.
    return Delivery.objects.select_for_update(skip_locked=True).filter(
        query, sent_at__isnull=True, subscriber__confirmed_at__isnull=False
    )


def publication_send_batch(*, publication_id: int, subscriber_ids: list[int]) -> int:
    """Email the publication to these subscribers, each in its own transaction: the row is marked sent with the
    send, so a retry after a failure (or a second delivery of the task) sends only what is left."""
    from django.db.models import Q

    publication = Publication.objects.select_related("meeting__committee").filter(pk=publication_id).first()
    if publication is None:
        return 0
    summary = None
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for subscriber_id in subscriber_ids:
            with transaction.atomic():
                delivery = (
                    _pending(
                        Q(
                            publication=publication,
                            digest=False,
                            subscriber_id=subscriber_id,
                            subscriber__committees=publication.meeting.committee_id,
                        )
                    )
                    .select_related("subscriber")
                    .first()
                )
                if delivery is None:
                    continue
                throttle()
                summary = summary or emails.publication_summary(publication)
                emails.send_publication(delivery.subscriber, summary)
                Delivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now())
                sent += 1
    return sent


def digest_enqueue(*, now=None) -> int:
    """Monday morning (beat): a digest task per batch of subscribers with publications waiting. Keyed by the week,
    so a second run in the same week adds nothing."""
    from .tasks import send_digest_batch

    now = now or timezone.now()
    ids = sorted(
        set(
            Delivery.objects.filter(digest=True, sent_at__isnull=True, subscriber__confirmed_at__isnull=False)
            .values_list("subscriber_id", flat=True)
            .distinct()
        )
    )
    year, week, _day = timezone.localtime(now).isocalendar()
    with transaction.atomic():
        batches = _chunks(ids)
        outbox_enqueue_many(
            task=send_digest_batch,
            calls=[([batch], f"subscriptions.digest:{year}-{week}:{batch[0]}") for batch in batches],
        )
    return len(batches)


def digest_send_batch(*, subscriber_ids: list[int]) -> int:
    """One email per subscriber listing every publication waiting for them; those rows are marked sent with it."""
    from django.db.models import Q

    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for subscriber_id in subscriber_ids:
            with transaction.atomic():
                deliveries = list(
                    _pending(Q(digest=True, subscriber_id=subscriber_id))
                    .select_related("subscriber", "publication__meeting__committee")
                    .order_by("publication__created_at", "pk")
                )
                if not deliveries:
                    continue
                throttle()
                summaries = [emails.publication_summary(d.publication) for d in deliveries]
                emails.send_digest(deliveries[0].subscriber, summaries)
                Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(sent_at=timezone.now())
                sent += 1
    return sent
