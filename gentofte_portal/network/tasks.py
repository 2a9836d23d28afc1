"""The network's emails and housekeeping. Thin: load the rows, call a service or send. Sent from the outbox
(gentofte_portal.outbox); ``running_once`` makes a second delivery do nothing."""

from celery import shared_task

from committees.models import Committee, Person
from gentofte_portal.outbox.services import running_once

from . import emails, services
from .models import Invitation, Member

# With a worker: a failing mail server (SendFailed is an OSError) is tried again with backoff; the outbox sweep
# sends what is still left later.
RETRY = {"autoretry_for": (OSError,), "retry_backoff": 30, "retry_backoff_max": 30 * 60, "max_retries": 8}


@shared_task(bind=True, name="network.send_confirmation", **RETRY)
def send_confirmation(self, member_id: int) -> bool:
    with running_once(self.request.id) as first:
        member = Member.objects.filter(pk=member_id, consent_at__isnull=True).first()
        if not first or member is None:
            return False
        emails.send_confirmation(member)
        return True


@shared_task(bind=True, name="network.send_already_member", **RETRY)
def send_already_member(self, member_id: int) -> bool:
    with running_once(self.request.id) as first:
        member = Member.objects.filter(pk=member_id, consent_at__isnull=False).first()
        if not first or member is None:
            return False
        emails.send_already_member(member)
        return True


@shared_task(bind=True, name="network.send_reminder", **RETRY)
def send_reminder(self, member_id: int) -> bool:
    with running_once(self.request.id) as first:
        member = Member.objects.filter(pk=member_id, consent_at__isnull=False).first()
        if not first or member is None:
            return False
        emails.send_reminder(member)
        return True


@shared_task(bind=True, name="network.send_invitation", **RETRY)
def send_invitation(self, invitation_id: int) -> bool:
    with running_once(self.request.id) as first:
        invitation = Invitation.objects.select_related("member", "call").filter(pk=invitation_id).first()
        if not first or invitation is None:
            return False
        emails.send_invitation(invitation)
        return True


@shared_task(bind=True, name="network.send_join_invitation", **RETRY)
def send_join_invitation(self, committee_id: int, person_id: int) -> bool:
    with running_once(self.request.id) as first:
        person = Person.objects.filter(pk=person_id).exclude(email="").first()
        committee = Committee.objects.filter(pk=committee_id).first()
        if not first or person is None or committee is None:
            return False
        if Member.objects.filter(email=person.email.strip().lower(), consent_at__isnull=False).exists():
            return False  # already in the network
        emails.send_join_invitation(person=person, committee=committee)
        return True


@shared_task(name="network.housekeeping")
def housekeeping() -> dict:
    return services.network_housekeeping()
