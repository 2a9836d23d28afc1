"""Rendered documents (PDFs of kommissorier, dagsordener and referater), stored with a hash of their input so an
unchanged document is never rendered twice, and downloads stream the stored file."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .kinds import Kind, Variant


def _private_storage():
    # The full variant holds closed items: documents are served only through views that check permission.
    from gentofte_portal.common.storage import private_storage

    return private_storage()


def document_path(instance, filename):
    return f"dokumenter/{instance.kind}/{instance.object_id}-{instance.variant}-{instance.input_hash[:12]}.pdf"


class Document(models.Model):
    Kind = Kind
    Variant = Variant

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
    # The open-data API's File.created (gentofte_portal.oparl); its modified is rendered_at.
    created_at = models.DateTimeField(default=timezone.now, editable=False)
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
