"""Extract the text of existing bilag for the search (new ones are extracted after upload by a Celery task).
Only bilag of open items whose text was never extracted; run again at any time, it skips what is done."""

from django.core.management.base import BaseCommand

from meetings.models import Attachment
from meetings.services import attachment_text_extract


class Command(BaseCommand):
    help = "Extract the text of bilag (PDF, DOCX) of open items for the site search, once."

    def handle(self, *args, **options):
        ids = Attachment.objects.filter(text_extracted_at__isnull=True, item__is_closed=False).values_list(
            "pk", flat=True
        )
        done = sum(attachment_text_extract(attachment_id=pk) for pk in list(ids.iterator()))
        self.stdout.write(f"Extracted the text of {done} bilag.")
