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


class SearchEntry(models.Model):
    """One thing an anonymous visitor may find with /soeg/, as the public sees it: built from the apps' public
    selectors (gentofte_portal.pages.search_index), so a closed item is here only by the title its publish level
    shows and a closed item's bilag not at all. A derived table: the rows a change touches are rebuilt in its
    transaction, and all of them by ``manage.py rebuild_search_index``. Anonymous search is one query on it
    instead of a union over every table (README: Search). On PostgreSQL migration 0002 adds a stored
    ``search_vector`` (title and keywords A, body B) with a GIN index and a trigram index on the title; the model
    does not declare them, as SQLite has no such column."""

    kind = models.CharField(max_length=20)  # a key of gentofte_portal.pages.search.SOURCES
    object_id = models.PositiveIntegerField()
    committee_id = models.PositiveIntegerField()
    term_id = models.PositiveIntegerField(null=True)
    meeting_id = models.PositiveIntegerField(null=True)
    date = models.DateField(null=True)  # shown, filtered by year, and the order after the rank
    title = models.TextField(blank=True)  # matched as words, by similarity and as a substring; shown
    keywords = models.TextField(blank=True)  # matched with the title's weight, not shown (an item's Sags ID)
    body = models.TextField(blank=True)  # matched and cut into snippets: only what the public may read
    shown_from = models.DateTimeField(null=True)  # a call is found from its publication …
    shown_until = models.DateTimeField(null=True)  # … until its deadline, without a rebuild
    url = models.CharField(max_length=300)
    details = models.JSONField(default=dict)  # the parts of the hit's title and context, worded per language

    class Meta:
        db_table = "pages_searchentry"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="pages_searchentry_kind_object")]
        indexes = [
            models.Index(fields=["meeting_id"], name="pages_searchentry_meeting"),
            models.Index(fields=["committee_id"], name="pages_searchentry_committee"),
        ]

    def __str__(self):
        return f"{self.kind} {self.object_id}"
