"""What the pages app owns itself: the accessibility statement."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AccessibilityStatement(models.Model):
    """The municipality's accessibility statement (tilgængelighedserklæring), which webtilgængelighedsloven requires
    every public website to publish and keep current. Edited by the secretariat in the admin, with its history;
    until one is saved, the portal shows a default text. One row: the newest is the statement."""

    body = models.TextField(
        _("erklæring"),
        help_text=_("Markdown: # Overskrift, **fed**, lister og links. Anden HTML fjernes."),
    )
    body_en = models.TextField(
        _("erklæring på engelsk"),
        blank=True,
        help_text=_("Vises for brugere, der har valgt engelsk. Tom: den danske tekst vises."),
    )
    body_html = models.TextField(editable=False, blank=True)
    body_en_html = models.TextField(editable=False, blank=True)
    updated_at = models.DateTimeField(_("senest opdateret"), auto_now=True)
    # The tables keep the names they had when the statement lived in the project package.
    history = HistoricalRecords(table_name="gentofte_portal_historicalaccessibilitystatement")

    class Meta:
        db_table = "gentofte_portal_accessibilitystatement"
        verbose_name = _("tilgængelighedserklæring")
        verbose_name_plural = _("tilgængelighedserklæringer")

    def __str__(self):
        return str(_("Tilgængelighedserklæring"))

    def save(self, *args, **kwargs):
        from gentofte_portal.common.markdown import render_markdown

        self.body_html = render_markdown(self.body, first_heading=2)
        self.body_en_html = render_markdown(self.body_en, first_heading=2)
        super().save(*args, **kwargs)
