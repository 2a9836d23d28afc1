from django.conf import settings
from django.core.management.base import BaseCommand

from gentofte_portal.devdata.committees import demo_load
from gentofte_portal.devdata.mandates import DEMO_PASSWORD, STAFF


class Command(BaseCommand):
    help = "Indlæser demodata for Gentofte-modellen (kan køres flere gange uden dubletter)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo-users",
            action="store_true",
            help="Opret demo-logins med kendt adgangskode (sker altid, når DEBUG er slået til).",
        )

    def handle(self, *args, demo_users=False, **options):
        with_users = demo_users or settings.DEBUG
        counts = demo_load(with_users=with_users)
        summary = ", ".join(f"{key}={value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demodata indlæst: {summary}"))
        if with_users:
            names = ", ".join([u for u, _f, _l in STAFF] + ["politiker", "politiker2"])
            self.stdout.write(f"Demo-logins (kun til udvikling): {names}; adgangskode «{DEMO_PASSWORD}».")
