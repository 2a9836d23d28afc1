from django.core.management.base import BaseCommand

from committees.demo import demo_load


class Command(BaseCommand):
    help = "Indlæser demodata for Gentofte-modellen (kan køres flere gange uden dubletter)."

    def handle(self, *args, **options):
        counts = demo_load()
        summary = ", ".join(f"{key}={value}" for key, value in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Demodata indlæst: {summary}"))
