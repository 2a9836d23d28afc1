"""Attachments are stored outside MEDIA_URL and served only through a view that checks permission per object:
a closed item's bilag must never be reachable by guessing a URL."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


def private_storage() -> FileSystemStorage:
    return FileSystemStorage(location=str(settings.PRIVATE_MEDIA_ROOT), base_url=None)
