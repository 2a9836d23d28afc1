"""The subscription emails: plain text with an HTML alternative, and the RFC 8058 one-click unsubscribe headers.

Item titles come from meetings.selectors.agenda_for as an anonymous visitor sees them, the same redaction as the
public meeting page: a closed item reaches this module as a stub and is written "Punkt N: Lukket".
"""

import smtplib

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from meetings.selectors import agenda_for

from .tokens import confirm_token, manage_token, unsubscribe_token


class SendFailed(OSError):
    """The mail server refused or could not be reached. Raised instead of smtplib's errors, whose text holds the
    recipient's address (it would end in the logs and the outbox row); an OSError, so the task retries it."""


def absolute(path: str) -> str:
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def _links(subscriber) -> dict:
    return {
        "manage_url": absolute(reverse("subscriptions:manage", args=[manage_token(subscriber)])),
        "unsubscribe_url": absolute(reverse("subscriptions:unsubscribe", args=[unsubscribe_token(subscriber)])),
        "privacy_url": absolute(reverse("subscriptions:privacy")),
        "municipality_name": settings.PORTAL_MUNICIPALITY_NAME,
    }


def _headers(links: dict) -> dict:
    targets = [f"<{links['unsubscribe_url']}>"]
    if settings.SUBSCRIPTIONS_UNSUBSCRIBE_MAILTO:
        targets.append(f"<mailto:{settings.SUBSCRIPTIONS_UNSUBSCRIBE_MAILTO}?subject=afmeld>")
    return {"List-Unsubscribe": ", ".join(targets), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def _send(*, subject: str, template: str, context: dict, to: str, headers: dict | None = None) -> None:
    text = render_to_string(f"subscriptions/email/{template}.txt", context)
    html = render_to_string(f"subscriptions/email/{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to], headers=headers or {})
    message.attach_alternative(html, "text/html")
    try:
        message.send()
    except (smtplib.SMTPException, OSError) as exc:
        raise SendFailed(f"Mail server: {type(exc).__name__}") from None


def publication_summary(publication) -> dict:
    """What an email says of one publication: the committee, when and where, the items as the public sees them,
    and the links to the page and the PDF."""
    meeting = publication.meeting
    kind = publication.kind
    pdf = "meetings:agenda_pdf" if kind == "dagsorden" else "meetings:minutes_pdf"
    items = []
    for item in agenda_for(meeting=meeting, user=AnonymousUser()):
        # As the public meeting page writes it: a closed item shows the title its publish level allows, or
        # only "Lukket".
        if not getattr(item, "redacted", False):
            items.append(_("Punkt %(n)s: %(t)s") % {"n": item.position, "t": item.title})
        elif item.public_title:
            items.append(_("Punkt %(n)s: %(t)s (Lukket)") % {"n": item.position, "t": item.public_title})
        else:
            items.append(_("Punkt %(n)s: Lukket") % {"n": item.position})
    label = {"dagsorden": _("Dagsorden"), "referat": _("Referat"), "rettelse": _("Rettet referat")}[kind]
    page = reverse("meetings:detail", args=[meeting.pk]) + ("" if kind == "dagsorden" else "#referat")
    return {
        "label": label,
        "committee": meeting.committee.name,
        "when": date_format(timezone.localtime(meeting.starts_at), "DATETIME_FORMAT"),
        "short_date": date_format(timezone.localtime(meeting.starts_at), "SHORT_DATE_FORMAT"),
        "place": meeting.location,
        "items": items,
        "page_url": absolute(page),
        "pdf_url": absolute(reverse(pdf, args=[meeting.pk])),
    }


def send_confirmation(subscriber, *, committees, frequency: str) -> None:
    links = _links(subscriber)
    token = confirm_token(subscriber, committee_ids=[c.pk for c in committees], frequency=frequency)
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            **links,
            "confirm_url": absolute(reverse("subscriptions:confirm", args=[token])),
            "committees": [c.name for c in committees],
            "frequency": dict(subscriber.Frequency.choices).get(frequency, ""),
            "hours": settings.SUBSCRIPTIONS_CONFIRM_HOURS,
        }
        # No unsubscribe headers: nothing is subscribed yet, and ignoring the mail is enough.
        _send(subject=_("Bekræft dit abonnement"), template="confirm", context=context, to=subscriber.email)


def send_publication(subscriber, summary: dict) -> None:
    links = _links(subscriber)
    with translation.override(settings.LANGUAGE_CODE):
        subject = f"{summary['label']}: {summary['committee']} {summary['short_date']}"
        context = {**links, "p": summary}
        _send(subject=subject, template="publication", context=context, to=subscriber.email, headers=_headers(links))


def send_digest(subscriber, summaries: list[dict]) -> None:
    links = _links(subscriber)
    with translation.override(settings.LANGUAGE_CODE):
        context = {**links, "publications": summaries}
        subject = _("Ugens dagsordener og referater")
        _send(subject=subject, template="digest", context=context, to=subscriber.email, headers=_headers(links))
