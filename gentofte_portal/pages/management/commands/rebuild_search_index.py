"""Rebuild the public search index (SearchEntry) from the data, in one transaction. Saves and deletes keep it
current by themselves; this is for data loaded without signals (bulk_create, loaddata, raw SQL) and after the
migration that made the table. Run it again at any time."""

import time

from django.core.management.base import BaseCommand

from gentofte_portal.pages.search_index import search_index_rebuild_all


class Command(BaseCommand):
    help = "Genopbyg det offentlige søgeindeks (/soeg/ for anonyme besøgende) ud fra data."

    def handle(self, *args, **options):
        started = time.monotonic()
        log = self.stdout.write if options["verbosity"] > 1 else None
        written = search_index_rebuild_all(log=log)
        self.stdout.write(f"Søgeindeks genopbygget: {written} rækker på {time.monotonic() - started:.1f} s.")
