from celery import shared_task

from .private_files import delete_orphaned_private_files


@shared_task(name="portal.clean_private_files")
def clean_private_files() -> int:
    """Daily (beat): files left behind by rolled-back uploads (private_files)."""
    return delete_orphaned_private_files()
