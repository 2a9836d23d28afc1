"""Rendered documents (PDFs of kommissorier, dagsordener and referater), stored with a hash of their input so an
unchanged document is never rendered twice, and downloads stream the stored file."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


def _private_storage():
    # The full variant holds closed items: documents are served only through views that check permission.
    from gentofte_portal.common.storage import private_storage

    return private_storage()


def document_path(instance, filename):
    return f"dokumenter/{instance.kind}/{instance.object_id}-{instance.variant}-{instance.input_hash[:12]}.pdf"


class Document(models.Model):
    class Kind(models.TextChoices):
        MANDATE = "kommissorium", _("Kommissorium")
        AGENDA = "dagsorden", _("Dagsorden")
        MINUTES = "referat", _("Referat")

    class Variant(models.TextChoices):
        PUBLIC = "offentlig", _("Offentlig udgave")  # closed items as "Lukket"
        FULL = "fuld", _("Fuld udgave")  # for the secretariat and the committee's members

    class Status(models.TextChoices):
        PENDING = "venter", _("Venter")
        READY = "klar", _("Klar")
        FAILED = "fejlet", _("Fejlet")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    variant = models.CharField(max_length=20, choices=Variant.choices)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    input_hash = models.CharField(max_length=64, blank=True)
    wanted_hash = models.CharField(max_length=64, blank=True)
    file = models.FileField(upload_to=document_path, blank=True, max_length=300, storage=_private_storage)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)
    requested_at = models.DateTimeField(auto_now=True)
    # When the render was last handed to the broker; a pending document not sent, or sent and not rendered within
    # PORTAL_REQUEUE_AFTER_SECONDS (lost with Redis, or its worker killed), is sent again (documents.documents_requeue).
    queued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("dokument")
        verbose_name_plural = _("dokumenter")
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "variant"], name="document_once_per_variant")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} ({self.get_variant_display()})"

    @property
    def is_current(self) -> bool:
        return self.status == self.Status.READY and self.input_hash == self.wanted_hash and bool(self.file)


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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tilgængelighedserklæring")
        verbose_name_plural = _("tilgængelighedserklæringer")

    def __str__(self):
        return str(_("Tilgængelighedserklæring"))

    def save(self, *args, **kwargs):
        from gentofte_portal.common.markdown import render_markdown

        self.body_html = render_markdown(self.body, first_heading=2)
        self.body_en_html = render_markdown(self.body_en, first_heading=2)
        super().save(*args, **kwargs)
