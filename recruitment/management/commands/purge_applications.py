from django.conf import settings
from django.core.management.base import BaseCommand

from recruitment.services import applications_purge


class Command(BaseCommand):
    help = (
        "Sletter ansøgninger fra borgere, der ikke blev udpeget, når opbevaringsperioden efter udpegningen er udløbet "
        "(RECRUITMENT_RETENTION_DAYS). Kun antal gemmes. Køres også dagligt af Celery beat."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=None, help="Antal dage efter udpegningen (standard: indstillingen)."
        )

    def handle(self, *args, days=None, **options):
        days = settings.RECRUITMENT_RETENTION_DAYS if days is None else days
        deleted = applications_purge(days=days)
        self.stdout.write(self.style.SUCCESS(f"Slettede {deleted} ansøgninger (opbevaring {days} dage)."))
