"""Files in PRIVATE_MEDIA_ROOT that no row points to any more, and their removal.

A bilag's file is written before its row is saved; if the surrounding transaction is rolled back later (an error
further on in the same request), the row disappears and the file stays. Nothing can reach such a file, but it
should not stay on disk, so a daily task removes them. Every FileField on the private storage counts, history
tables included (an earlier version of a bilag still points to its file), and only files older than a day are
touched, so a file whose transaction is still open is never taken.
"""

import datetime as dt
import os
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

GRACE = dt.timedelta(days=1)


def _referenced() -> set[str]:
    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    names: set[str] = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if not isinstance(field, models.FileField):
                continue
            if Path(field.storage.location).resolve() != root:
                continue
            names.update(
                model._default_manager.exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .values_list(field.name, flat=True)
            )
    return names


def orphaned_private_files(*, now=None) -> list[Path]:
    """Files under PRIVATE_MEDIA_ROOT, older than a day, that no row of any model refers to."""
    root = Path(settings.PRIVATE_MEDIA_ROOT)
    if not root.exists():
        return []
    cutoff = ((now or timezone.now()) - GRACE).timestamp()
    referenced = _referenced()
    orphans = []
    for dirpath, _dirs, files in os.walk(root):
        for name in files:
            path = Path(dirpath) / name
            if path.relative_to(root).as_posix() not in referenced and path.stat().st_mtime < cutoff:
                orphans.append(path)
    return sorted(orphans)


def delete_orphaned_private_files(*, now=None) -> int:
    orphans = orphaned_private_files(now=now)
    for path in orphans:
        path.unlink(missing_ok=True)
    return len(orphans)
