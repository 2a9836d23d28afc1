"""Recruitment of citizens to task committees. Applications and D'Hondt build on this (see the recruitment issue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    """A public call for applications (opslag) to a task committee."""

    committee = models.ForeignKey("committees.Committee", on_delete=models.PROTECT, related_name="calls")
    title = models.CharField(_("titel"), max_length=300)
    text = models.TextField(_("tekst"), blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)
    deadline = models.DateTimeField(_("ansøgningsfrist"))

    class Meta:
        verbose_name = _("opslag")
        verbose_name_plural = _("opslag")
        ordering = ["deadline"]

    def __str__(self):
        return self.title
