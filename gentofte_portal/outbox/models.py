"""Work that must happen after a commit (an email, and whatever a service asks a worker to do), recorded in the
same transaction as the change that calls for it: a transactional outbox. If the broker is down when the change
commits, or the message is lost with a Redis restart, or the worker dies running it, the row is still here and the
sweep sends it again (gentofte_portal.outbox.services)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Status(models.TextChoices):
        PENDING = "venter", _("Venter")
        DONE = "udfoert", _("Udført")
        FAILED = "fejlet", _("Fejlet")

    # Also the Celery task id: a message delivered twice carries the same id, so the second run is recognised.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    task = models.CharField(max_length=200)
    args = models.JSONField(default=list, blank=True)
    # The same work asked for twice (a double submit, a retried request) is stored, and so done, once.
    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(default=timezone.now)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    dispatch_count = models.PositiveSmallIntegerField(default=0)
    done_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True)

    class Meta:
        verbose_name = _("udgående opgave")
        verbose_name_plural = _("udgående opgaver")
        indexes = [
            models.Index(
                fields=["dispatched_at", "created_at"],
                condition=models.Q(status="venter"),
                name="outbox_pending",
            )
        ]

    def __str__(self):
        return f"{self.task} {self.args} ({self.get_status_display()})"
