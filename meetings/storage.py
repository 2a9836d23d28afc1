"""Kept for the migration history (meetings/migrations/0001_initial.py names this path); the storage itself is
shared plumbing in gentofte_portal.common.storage."""

from gentofte_portal.common.storage import private_storage

__all__ = ["private_storage"]
