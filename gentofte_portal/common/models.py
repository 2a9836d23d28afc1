"""Shared plumbing has no tables, only the abstract Timestamped. The module also exists so that Django sends this
app ``post_migrate``, on which the Sekretariat's admin permissions are kept in step (roles.secretariat_permissions_sync,
connected in apps.py)."""

from django.db import models
from django.utils import timezone


class Timestamped(models.Model):
    """When a row was made and last changed: the open-data API's ``created`` and ``modified`` (OParl requires both
    on every object, and crawlers fetch only what changed since their last visit). A change made with
    ``QuerySet.update`` or ``save(update_fields=…)`` must name ``modified_at`` itself; the API's signals
    (gentofte_portal.oparl.signals) also move a container's time when something inside it changes or goes."""

    created_at = models.DateTimeField(default=timezone.now, editable=False, db_index=True)
    modified_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        abstract = True
