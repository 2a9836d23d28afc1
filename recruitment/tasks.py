"""Emails and housekeeping for recruitment. Thin: load the row, call a service or send the mail.

The emails are sent from the outbox (gentofte_portal.outbox): ``running_once`` makes a second delivery of the same
message (a resend after a lost message, Redis redelivering a killed worker's task) send nothing.
"""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse

from gentofte_portal.outbox.services import running_once

from .models import Application
from .tokens import application_token


def _status_url(application) -> str:
    path = reverse("recruitment:status", args=[application_token(application)])
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _send(application, template: str, subject: str) -> None:
    context = {
        "application": application,
        "call": application.call,
        "status_url": _status_url(application),
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        "retention_days": settings.RECRUITMENT_RETENTION_DAYS,
    }
    body = render_to_string(template, context)
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.email])


@shared_task(
    bind=True,
    name="recruitment.send_application_confirmation",
    autoretry_for=(OSError,),
    retry_backoff=True,
    max_retries=5,
)
def send_application_confirmation(self, application_id: int) -> bool:
    with running_once(self.request.id) as first:
        application = Application.objects.select_related("call", "call__committee").filter(pk=application_id).first()
        if not first or application is None:  # sent already, or withdrawn before the mail went out
            return False
        _send(application, "recruitment/email/confirmation.txt", f"Kvittering: {application.call.title}")
        return True


@shared_task(
    bind=True, name="recruitment.send_appointment_result", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def send_appointment_result(self, application_id: int) -> bool:
    with running_once(self.request.id) as first:
        application = Application.objects.select_related("call", "call__committee").filter(pk=application_id).first()
        if not first or application is None:
            return False
        if application.status == Application.Status.APPOINTED:
            _send(application, "recruitment/email/appointed.txt", f"Du er udpeget til {application.call.committee}")
        else:
            subject = f"Svar på din ansøgning: {application.call.title}"
            _send(application, "recruitment/email/not_appointed.txt", subject)
        return True


@shared_task(name="recruitment.purge_applications")
def purge_applications() -> int:
    from .services import applications_purge

    return applications_purge()
