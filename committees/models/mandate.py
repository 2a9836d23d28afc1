"""The mandate (kommissorium) of a task committee: drafted by staff and politicians, approved by the council.

Each approval is a revision; an approved revision is read-only and a change starts revision N+1 as a new draft.
Every save is kept as a version (django-simple-history) so staff can compare and restore.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from .council import Committee

# The text sections of a kommissorium, in document order: (field, Danish heading).
TEXT_SECTIONS = [
    ("background", _("Baggrund")),
    ("purpose", _("Formål")),
    ("task", _("Opgave")),
    ("composition_note", _("Sammensætning, uddybning")),
    ("meeting_cadence", _("Mødekadence")),
    ("working_method", _("Arbejdsform")),
    ("economy", _("Økonomi og ressourcer")),
    ("secretariat", _("Sekretariat")),
]
# Sections a politician can comment on: the text sections plus the structured ones.
COMMENT_SECTIONS = [
    ("background", _("Baggrund")),
    ("purpose", _("Formål")),
    ("task", _("Opgave")),
    ("deliverables", _("Leverancer")),
    ("composition", _("Sammensætning")),
    ("timeline", _("Tidsplan")),
    ("meeting_cadence", _("Mødekadence")),
    ("working_method", _("Arbejdsform")),
    ("economy", _("Økonomi og ressourcer")),
    ("secretariat", _("Sekretariat")),
]


class Mandate(models.Model):
    class Status(models.TextChoices):
        DRAFT = "kladde", _("Kladde")
        IN_DISCUSSION = "til_droeftelse", _("Til drøftelse i stående udvalg")
        RECOMMENDED = "indstillet", _("Indstillet til Økonomiudvalget")
        APPROVED = "godkendt", _("Godkendt af Kommunalbestyrelsen")
        PUBLISHED = "offentliggjort", _("Offentliggjort")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="mandates")
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Optimistic locking: a save must name the version it was edited from, so no one overwrites silently.
    lock_version = models.PositiveIntegerField(default=1)

    # Text sections: Markdown as typed, and the sanitised HTML made from it on save.
    background = models.TextField(_("baggrund"), blank=True)
    background_html = models.TextField(blank=True, editable=False)
    purpose = models.TextField(_("formål"), blank=True)
    purpose_html = models.TextField(blank=True, editable=False)
    task = models.TextField(_("opgave"), blank=True)
    task_html = models.TextField(blank=True, editable=False)
    composition_note = models.TextField(_("sammensætning, uddybning"), blank=True)
    composition_note_html = models.TextField(blank=True, editable=False)
    meeting_cadence = models.TextField(_("mødekadence"), blank=True)
    meeting_cadence_html = models.TextField(blank=True, editable=False)
    working_method = models.TextField(_("arbejdsform"), blank=True)
    working_method_html = models.TextField(blank=True, editable=False)
    economy = models.TextField(_("økonomi og ressourcer"), blank=True)
    economy_html = models.TextField(blank=True, editable=False)
    secretariat = models.TextField(_("sekretariat"), blank=True)
    secretariat_html = models.TextField(blank=True, editable=False)

    # Structured sections, kept as JSON so a version holds the whole mandate:
    # deliverables: [{"title", "description", "due_on"}] numbered by position; milestones: [{"date", "title"}].
    deliverables = models.JSONField(_("leverancer"), default=list, blank=True)
    politician_count = models.PositiveSmallIntegerField(_("antal politikere"), null=True, blank=True)
    citizen_count = models.PositiveSmallIntegerField(_("antal borgere"), null=True, blank=True)
    competences = models.JSONField(_("ønskede kompetencer og baggrunde"), default=list, blank=True)
    age_min = models.PositiveSmallIntegerField(_("mindstealder"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("højeste alder"), null=True, blank=True)
    starts_on = models.DateField(_("start"), null=True, blank=True)
    ends_on = models.DateField(_("slut"), null=True, blank=True)
    milestones = models.JSONField(_("milepæle"), default=list, blank=True)

    approved_on = models.DateField(_("godkendt af Kommunalbestyrelsen den"), null=True, blank=True)
    approval_reference = models.CharField(_("mødereference"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("offentliggjort"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("kommissorium")
        verbose_name_plural = _("kommissorier")
        ordering = ["committee__name", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "revision"], name="mandate_unique_revision"),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="mandate_age_range_ordered",
            ),
        ]

    def __str__(self):
        return _("Kommissorium for %(committee)s, revision %(n)s") % {"committee": self.committee, "n": self.revision}

    @property
    def is_read_only(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.PUBLISHED)

    @property
    def numbered_deliverables(self) -> list[dict]:
        return [{"number": i, **d} for i, d in enumerate(self.deliverables, start=1)]

    def text_sections(self) -> list[dict]:
        """The text sections in document order, with their sanitised HTML, for templates."""
        return [
            {"key": key, "title": title, "source": getattr(self, key), "html": getattr(self, f"{key}_html")}
            for key, title in TEXT_SECTIONS
        ]


class MandateTransition(models.Model):
    """Who moved a mandate from one status to another, and when (the workflow's record)."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="transitions")
    name = models.CharField(_("overgang"), max_length=40)
    from_status = models.CharField(max_length=20, choices=Mandate.Status.choices)
    to_status = models.CharField(max_length=20, choices=Mandate.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.CharField(_("bemærkning"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = pgettext_lazy("one", "statusskift")
        verbose_name_plural = pgettext_lazy("several", "statusskift")

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class MandateComment(models.Model):
    """A politician's or staff member's comment on one section of a draft."""

    mandate = models.ForeignKey(Mandate, on_delete=models.CASCADE, related_name="comments")
    section = models.CharField(_("afsnit"), max_length=30, choices=COMMENT_SECTIONS)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("kommentar"), max_length=3000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("kommentar")
        verbose_name_plural = _("kommentarer")

    def __str__(self):
        return f"{self.get_section_display()}: {self.text[:40]}"
