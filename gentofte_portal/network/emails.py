"""The network's emails: plain text with an HTML alternative, in the portal's language. Each carries the member's
private link (or, for the invitation to join, a signed link that proves the address)."""

import smtplib

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from .tokens import confirm_token, join_token, manage_token


class SendFailed(OSError):
    """The mail server refused or could not be reached. Raised instead of smtplib's errors, whose text holds the
    recipient's address (it would end in the logs and the outbox row); an OSError, so the task retries it."""


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _common(member=None) -> dict:
    context = {
        "privacy_url": absolute(reverse("network:privacy")),
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
    }
    if member is not None:
        context["manage_url"] = absolute(reverse("network:manage", args=[manage_token(member)]))
        context["name"] = member.name
    return context


def _send(*, subject: str, template: str, context: dict, to: str) -> None:
    text = render_to_string(f"network/email/{template}.txt", context)
    html = render_to_string(f"network/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"Mail server: {type(exc).__name__}") from None


def send_confirmation(member) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_common(),
            "name": member.name,
            "confirm_url": absolute(reverse("network:confirm", args=[confirm_token(member)])),
            "hours": settings.NETWORK_CONFIRM_HOURS,
        }
        _send(
            subject=_("Bekræft din tilmelding til Sparringsnetværket"),
            template="confirm",
            context=context,
            to=member.email,
        )


def send_already_member(member) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        _send(
            subject=_("Du er allerede med i Sparringsnetværket"),
            template="already_member",
            context=_common(member),
            to=member.email,
        )


def send_reminder(member) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **_common(member),
            "renew_url": absolute(reverse("network:renew", args=[manage_token(member)])),
            "expires_at": member.consent_expires_at,
        }
        _send(
            subject=_("Vil du fortsat være med i Sparringsnetværket?"),
            template="reminder",
            context=context,
            to=member.email,
        )


def send_invitation(invitation) -> None:
    member = invitation.member
    with translation.override(settings.LANGUAGE_CODE):
        context = {**_common(member), "invitation": invitation}
        if invitation.call_id:
            context["call_url"] = absolute(reverse("recruitment:call", args=[invitation.call_id]))
        _send(subject=_("Invitation fra Sparringsnetværket"), template="invitation", context=context, to=member.email)


def send_join_invitation(*, person, committee) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        token = join_token(name=person.name, email=person.email, committee_id=committee.pk)
        context = {
            **_common(),
            "name": person.name,
            "committee": committee.name,
            "join_url": absolute(reverse("network:join", args=[token])),
            "days": settings.NETWORK_JOIN_LINK_DAYS,
        }
        _send(subject=_("Vil du være med i Sparringsnetværket?"), template="join", context=context, to=person.email)
