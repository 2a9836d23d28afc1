"""Background work for meetings. Thin: load the row, call a service."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def attachment_text_extract_task(attachment_id: int) -> None:
    """Extract a bilag's text for the search once, after upload (meetings.services.attachment_add)."""
    services.attachment_text_extract(attachment_id=attachment_id)
