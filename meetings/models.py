"""Meetings of standing and task committees. Agendas, items and minutes build on this (see the meetings issue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinaert", _("Ordinært møde")
        EXTRAORDINARY = "ekstraordinaert", _("Ekstraordinært møde")

    committee = models.ForeignKey("committees.Committee", on_delete=models.PROTECT, related_name="meetings")
    starts_at = models.DateTimeField(_("mødetidspunkt"))
    location = models.CharField(_("mødested"), max_length=200, blank=True)
    kind = models.CharField(_("mødetype"), max_length=20, choices=Kind.choices, default=Kind.ORDINARY)

    class Meta:
        verbose_name = _("møde")
        verbose_name_plural = _("møder")
        ordering = ["-starts_at"]
        indexes = [models.Index(fields=["starts_at"])]

    def __str__(self):
        return f"{self.committee} {self.starts_at:%d-%m-%Y %H:%M}"
