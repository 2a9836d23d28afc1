from django.core.management.base import BaseCommand

from gentofte_portal.common.private_files import delete_orphaned_private_files, orphaned_private_files


class Command(BaseCommand):
    help = "Slet filer i PRIVATE_MEDIA_ROOT, som ingen række peger på (ældre end et døgn). Kører også dagligt."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="vis filerne uden at slette dem")

    def handle(self, *args, dry_run=False, **options):
        if dry_run:
            for path in orphaned_private_files():
                self.stdout.write(str(path))
            return
        self.stdout.write(f"Slettede {delete_orphaned_private_files()} forældreløse filer.")
