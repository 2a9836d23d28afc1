from celery import shared_task


@shared_task(name="outbox.sweep", ignore_result=True)
def sweep() -> dict:
    """Periodic (beat) and at every worker's start: resend what the outbox still holds (services.outbox_sweep)."""
    from .services import outbox_sweep

    return outbox_sweep()


def sweep_on_worker_start(sender=None, **kwargs) -> None:
    """A worker that starts after a crash or a broker restart sends at once what was waiting."""
    sweep.delay()
