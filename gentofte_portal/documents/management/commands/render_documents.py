from django.core.management.base import BaseCommand

from gentofte_portal.documents.models import Document
from gentofte_portal.documents.services import documents_stale, published_sources
from gentofte_portal.documents.tasks import render_document


class Command(BaseCommand):
    help = "Danner PDF'er af offentliggjorte kommissorier, dagsordener og referater her i processen."

    def add_arguments(self, parser):
        group = parser.add_mutually_exclusive_group()
        group.add_argument("--all", action="store_true", help="Dan alle PDF'er igen, også dem der er aktuelle.")
        group.add_argument("--stale", action="store_true", help="Dan kun manglende og forældede PDF'er (standard).")

    def handle(self, *args, all=False, stale=False, **options):
        if all:
            Document.objects.update(input_hash="", status=Document.Status.PENDING)
        rendered = failed = 0
        for kind, object_id in published_sources():
            for document in documents_stale(kind=kind, object_id=object_id):
                result = render_document.apply(args=[document.pk])
                if result.successful():
                    rendered += result.result == "rendered"
                else:
                    failed += 1
                    self.stderr.write(f"Fejl: {document}: {result.result!r}")
        current = Document.objects.filter(status=Document.Status.READY).count()
        self.stdout.write(
            self.style.SUCCESS(f"PDF'er dannet nu: {rendered}; aktuelle i alt: {current}; fejlet: {failed}.")
        )
