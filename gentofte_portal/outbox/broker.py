"""Handing tasks to the Celery broker from the request path: bounded in time and never raising.

Celery's own publish waits for the broker (retries, and a result-backend subscription that retried for 19 s and
then gave up for good). Here a fresh connection is tried once with a short timeout, behind a circuit breaker, and
whatever could not be sent stays in the outbox for the sweep.
"""

import logging

from django.conf import settings
from kombu.exceptions import KombuError

from ..common.breaker import breaker

logger = logging.getLogger("gentofte_portal.outbox")


def broker_breaker():
    return breaker("Redis (broker)", retry_after=settings.PORTAL_BROKER_RETRY_SECONDS)


def publish(calls: list[tuple[str, list, str]]) -> list[str]:
    """Send each (task name, args, task id); returns the ids that reached the broker, in order. In eager mode (no
    REDIS_URL) the tasks run here and now; one that raises is logged and left for a later try."""
    from gentofte_portal.celery import app

    if not calls:
        return []
    if settings.CELERY_TASK_ALWAYS_EAGER:
        sent = []
        for name, args, task_id in calls:
            try:
                result = app.tasks[name].apply(args=args, task_id=task_id)
                result.maybe_throw()
            except Exception:
                logger.exception("Task %s %s failed in-process; it stays in the outbox", name, task_id)
            else:
                sent.append(task_id)
        return sent
    guard = broker_breaker()
    if not guard.allows():
        return []
    sent = []
    try:
        with app.connection_for_write() as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, interval_step=0.2, timeout=settings.PORTAL_BROKER_TIMEOUT
            )
            for name, args, task_id in calls:
                app.tasks[name].apply_async(args=args, task_id=task_id, connection=connection, retry=False)
                sent.append(task_id)
    except (KombuError, OSError) as exc:
        guard.failed(exc, fallback="tasks wait in the outbox (PostgreSQL) until the sweep sends them")
        return sent
    guard.succeeded()
    return sent
