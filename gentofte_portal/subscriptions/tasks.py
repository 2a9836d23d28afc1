"""Subscription emails and housekeeping. Thin: load the rows, call a service.

Sent from the outbox (gentofte_portal.outbox). The send tasks are idempotent by their Delivery rows, not by
``running_once`` (which would hold one transaction over a whole batch and, on a failure halfway, roll back the
marks of the emails already sent); ``running_once`` only marks the outbox message done at the end.
"""

from time import sleep

from celery import shared_task
from django.conf import settings

from gentofte_portal.outbox.services import running_once

from . import services
from .models import Publication, Subscriber

# With a worker: a mail server that fails (SendFailed is an OSError) is tried again after 30 s, 60 s, ... up to
# 30 minutes apart, 8 times; then the outbox sweep sends the message again later.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "retry_backoff_max": 30 * 60, "max_retries": 8}
# In-process (no REDIS_URL) Celery cannot retry later, so a send is tried again here, after 1 s and 2 s; what still
# fails stays in the outbox.
EAGER_TRIES = 3


def _sending(task, run):
    """Run ``run()``. When the minute's sending budget is spent, wait for the next minute: in-process by sleeping,
    with a worker by retrying later without using up the task's retries. A mail server failure in-process is tried
    again at once (EAGER_TRIES); with a worker it goes to Celery's retry with backoff."""
    eager = settings.CELERY_TASK_ALWAYS_EAGER or task.request.is_eager
    tries = 0
    while True:
        try:
            return run()
        except services.Throttled as exc:
            if eager:
                sleep(exc.wait)
                continue
            raise task.retry(countdown=exc.wait, max_retries=task.request.retries + 1) from None
        except OSError:
            tries += 1
            if not eager or tries >= EAGER_TRIES:
                raise
            sleep(tries)


@shared_task(bind=True, name="subscriptions.send_confirmation", **RETRY)
def send_confirmation(self, subscriber_id: int, committee_ids: list[int], frequency: str) -> bool:
    from .emails import send_confirmation as send

    with running_once(self.request.id) as first:
        subscriber = Subscriber.objects.filter(pk=subscriber_id).first()
        if not first or subscriber is None:  # sent already, or deleted before the mail went out
            return False
        committees = services._committees(committee_ids)
        if not committees:
            return False
        send(subscriber, committees=committees, frequency=frequency)
        return True


@shared_task(bind=True, name="subscriptions.fan_out_publication", **RETRY)
def fan_out_publication(self, publication_id: int) -> int:
    with running_once(self.request.id) as first:
        publication = Publication.objects.select_related("meeting").filter(pk=publication_id).first()
        if not first or publication is None:
            return 0
        return services.publication_fan_out(publication=publication)


@shared_task(bind=True, name="subscriptions.send_publication_batch", **RETRY)
def send_publication_batch(self, publication_id: int, subscriber_ids: list[int]) -> int:
    sent = _sending(
        self, lambda: services.publication_send_batch(publication_id=publication_id, subscriber_ids=subscriber_ids)
    )
    with running_once(self.request.id):
        pass
    return sent


@shared_task(bind=True, name="subscriptions.send_digest_batch", **RETRY)
def send_digest_batch(self, subscriber_ids: list[int]) -> int:
    sent = _sending(self, lambda: services.digest_send_batch(subscriber_ids=subscriber_ids))
    with running_once(self.request.id):
        pass
    return sent


@shared_task(name="subscriptions.weekly_digest")
def weekly_digest() -> int:
    return services.digest_enqueue()


@shared_task(name="subscriptions.purge_unconfirmed")
def purge_unconfirmed() -> int:
    return services.subscriptions_purge_unconfirmed()
