"""The citizens' network (Sparringsnetværket): citizens who agreed to be asked again, by staff, to sit on a task
committee or give sparring, matched by the competences and interests they chose.

A member's data is personal: it is kept only while their consent lasts (NETWORK_CONSENT_DAYS, 2 years, renewable
from a reminder NETWORK_REMINDER_DAYS before), seen only by the Sekretariat on the workspace, never on a public
page and never in logs (rows are named by their id). An unconfirmed signup is deleted after NETWORK_CONFIRM_HOURS.
"""

import datetime as dt
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from recruitment.models import DISTRICTS


class ListEntry(models.Model):
    """An entry of a list staff maintain (admin): members choose from it, staff search by it."""

    name = models.CharField(_("navn"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("rækkefølge"), default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class Competence(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("kompetence")
        verbose_name_plural = _("kompetencer")


class Interest(ListEntry):
    class Meta(ListEntry.Meta):
        verbose_name = _("interesse")
        verbose_name_plural = _("interesser")


class Member(models.Model):
    class Source(models.TextChoices):
        SIGNUP = "tilmelding", _("Tilmelding på portalen")
        APPLICATION = "ansoegning", _("Fra en ansøgning")
        COMMITTEE = "udvalg", _("Medlem af et afsluttet opgaveudvalg")

    # Signed into the member's private links (tokens.py); never shown otherwise.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    district = models.CharField(_("bydel"), max_length=20, choices=DISTRICTS)
    competences = models.ManyToManyField(Competence, blank=True, related_name="members", verbose_name=_("kompetencer"))
    interests = models.ManyToManyField(Interest, blank=True, related_name="members", verbose_name=_("interesser"))
    source = models.CharField(_("kilde"), max_length=20, choices=Source.choices, default=Source.SIGNUP)
    requested_at = models.DateTimeField(default=timezone.now)
    # The consent: given when the signup is confirmed, renewed from the reminder; it lapses NETWORK_CONSENT_DAYS on.
    consent_at = models.DateTimeField(_("samtykke givet"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("netværksmedlem")
        verbose_name_plural = _("netværksmedlemmer")
        indexes = [models.Index(fields=["consent_at"], name="network_member_consent")]

    def __str__(self):  # never the name or address: this is what logs and the audit log would show
        return f"Netværksmedlem {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.consent_at is not None

    @property
    def consent_expires_at(self):
        if self.consent_at is None:
            return None
        return self.consent_at + dt.timedelta(days=settings.NETWORK_CONSENT_DAYS)


class Invitation(models.Model):
    """Staff asked a member to apply to a call or to give sparring on a task; the member may decline."""

    class Kind(models.TextChoices):
        CALL = "opslag", _("Opslag til et opgaveudvalg")
        SPARRING = "sparring", _("Sparringsopgave")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="invitations")
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    call = models.ForeignKey(
        "recruitment.Call", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("opslag")
    )
    task = models.TextField(_("opgave"), blank=True, max_length=2000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    declined_at = models.DateTimeField(_("afslået"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitationer")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"Invitation {self.pk} ({self.kind})"
