"""Thin: load the invitation, send its email. Sent from the outbox, once however often it is delivered."""

from celery import shared_task

from gentofte_portal.outbox.services import running_once

from .models import Invitation

RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "retry_backoff_max": 30 * 60, "max_retries": 8}


@shared_task(bind=True, name="evaluation.send_invitation", **RETRY)
def send_invitation(self, invitation_id: int, reminder: bool = False) -> bool:
    from .emails import send_invitation as send

    with running_once(self.request.id) as first:
        invitation = Invitation.objects.select_related("survey__committee", "person").filter(pk=invitation_id).first()
        # Sent already, deleted, or (a reminder) answered in the meantime.
        if not first or invitation is None or (reminder and invitation.answered) or not invitation.person.email:
            return False
        send(invitation, reminder=reminder)
        return True


@shared_task(name="evaluation.remind_due")
def remind_due() -> int:
    from .services import surveys_remind_due

    return surveys_remind_due()
