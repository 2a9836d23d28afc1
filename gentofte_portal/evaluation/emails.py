"""The invitation and reminder emails, in Danish: plain text with the member's personal link."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .tokens import invitation_token


class SendFailed(OSError):
    """The mail server refused or could not be reached; raised without smtplib's text, which holds the address."""


def send_invitation(invitation, *, reminder: bool = False) -> None:
    committee = invitation.survey.committee
    url = settings.PORTAL_BASE_URL.rstrip("/") + reverse("evaluation:answer", args=[invitation_token(invitation)])
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "name": invitation.person.name,
            "committee": committee.name,
            "url": url,
            "reminder": reminder,
            "statements": invitation.survey.statements.count(),
            "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
        }
        subject = (_("Påmindelse: ") if reminder else "") + _("Evaluering af %(committee)s") % {
            "committee": committee.name
        }
        body = render_to_string("evaluation/email/invitation.txt", context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [invitation.person.email])
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"Mail server: {type(exc).__name__}") from None
