"""Email subscriptions to committees, for anyone, without an account (issue 14).

An address is personal data: it is kept only while the subscription lasts, never shown on a public page and never
logged (rows are named by their id). An unconfirmed request is deleted after SUBSCRIPTIONS_CONFIRM_HOURS.
"""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Subscriber(models.Model):
    class Frequency(models.TextChoices):
        IMMEDIATE = "straks", _("Med det samme")
        WEEKLY = "ugentligt", _("Ugentligt overblik")

    # Signed into the subscriber's private links (tokens.py); never shown otherwise.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail"), max_length=254, unique=True)
    committees = models.ManyToManyField("committees.Committee", related_name="+", verbose_name=_("udvalg"))
    frequency = models.CharField(_("hyppighed"), max_length=10, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    # When the last request was made: an unconfirmed subscriber is deleted this long after (the link expires too).
    requested_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abonnent")
        verbose_name_plural = _("abonnenter")
        indexes = [
            models.Index(
                fields=["requested_at"], condition=models.Q(confirmed_at__isnull=True), name="subscriber_unconfirmed"
            )
        ]

    def __str__(self):  # never the address: this is what logs and the admin's history would show
        return f"Abonnent {self.pk}"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Publication(models.Model):
    """One publication of a document: an agenda, a referat, or a correction of one. ``key`` names the version, so
    the same publication announced twice is one row, and its emails go out once."""

    class Kind(models.TextChoices):
        AGENDA = "dagsorden", _("Dagsorden")
        MINUTES = "referat", _("Referat")
        CORRECTION = "rettelse", _("Rettet referat")

    key = models.CharField(max_length=200, unique=True)
    meeting = models.ForeignKey("meetings.Meeting", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("offentliggørelse")
        verbose_name_plural = _("offentliggørelser")

    def __str__(self):
        return self.key


class Delivery(models.Model):
    """One subscriber told of one publication: at once, or in the weekly digest. Unique, so never sent twice."""

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    publication = models.ForeignKey(Publication, on_delete=models.CASCADE, related_name="deliveries")
    digest = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("udsendelse")
        verbose_name_plural = _("udsendelser")
        constraints = [
            models.UniqueConstraint(fields=["subscriber", "publication"], name="delivery_once_per_publication")
        ]
        indexes = [models.Index(fields=["digest", "sent_at"], name="delivery_pending")]

    def __str__(self):
        return f"{self.publication} → {self.subscriber}"
