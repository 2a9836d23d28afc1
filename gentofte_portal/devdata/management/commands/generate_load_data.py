from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from gentofte_portal.devdata import loadgen


class Command(BaseCommand):
    help = (
        "Danner belastningsdata til benchmarks: ved --scale 1 10 valgperioder, 300 udvalg, 5.000 møder, "
        "100.000 dagsordenspunkter og 50.000 ansøgninger (med bulk_create; ingen historik, ingen signaler). "
        "Nægter at køre, hvis databasen allerede har belastningsdata, medmindre --force gives; så lægges endnu "
        "et sæt ved siden af."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="Skala; 1 giver tallene ovenfor (standard 1).")
        parser.add_argument("--seed", type=int, default=1, help="Seed til tilfældige valg (standard 1).")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kør også, hvis der allerede er belastningsdata: tilføj et sæt mere ved siden af.",
        )

    def handle(self, *args, scale=1.0, seed=1, force=False, **options):
        if not scale > 0:
            raise CommandError("--scale skal være større end 0.")
        if loadgen.has_load_data() and not force:
            counts = ", ".join(f"{k}={v}" for k, v in loadgen.generated_counts().items())
            raise CommandError(
                f"Databasen har allerede belastningsdata ({counts}). Brug en tom database, eller --force for at "
                "tilføje et sæt mere."
            )
        wanted = loadgen.figures(scale)
        self.stdout.write(
            f"Danner belastningsdata, skala {scale:g}, seed {seed}: " + ", ".join(f"{k}={v}" for k, v in wanted.items())
        )
        generator = loadgen.generate(scale=scale, seed=seed, log=self.stdout.write)
        self.stdout.write("Oprettet: " + ", ".join(f"{k}={v}" for k, v in generator.created.items()))
        # bulk_create sends no signals, so the public search index (gentofte_portal.pages) is built here, by name:
        # devdata does not import the pages app.
        call_command("rebuild_search_index", stdout=self.stdout)
        self.stdout.write(self.style.SUCCESS(f"Færdig på {generator.total_seconds:.1f} s."))
