"""``manage.py run_worker``: a Celery worker that is started again whenever it stops, for `make run`.

docker-compose restarts a stopped worker by its restart policy; a developer's `make run` has no such supervisor,
and a worker can die on its own (a Celery bug while the broker restarts, the OOM killer). Ctrl-C or SIGTERM stops
the worker and this command; any other exit starts a new worker, after a pause that grows while it keeps dying.
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

# A worker that ran this long was healthy: the next restart starts with the shortest pause again.
HEALTHY_SECONDS = 60
MAX_PAUSE = 30.0


class Command(BaseCommand):
    help = "Starter en Celery-worker og starter den igen, hvis den stopper (Ctrl-C stopper begge)."

    def add_arguments(self, parser):
        parser.add_argument("--beat", action="store_true", help="Kør også Celery beat (de periodiske opgaver).")
        parser.add_argument("--concurrency", type=int, default=2)
        parser.add_argument("--schedule", default="var/celerybeat-schedule", help="Beat's schedule file.")
        parser.add_argument("--pause", type=float, default=1.0, help="Seconds before the first restart.")
        parser.add_argument("--max-restarts", type=int, default=0, help="Stop after this many restarts (0: never).")

    def handle(self, *args, beat, concurrency, schedule, pause, max_restarts, **options):
        command = [sys.executable, "-m", "celery", "-A", "gentofte_portal", "worker", "--loglevel=INFO"]
        command += [f"--concurrency={concurrency}"]
        if beat:
            command += ["--beat", "--schedule", schedule]
        stopping = False
        worker = None

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            if worker is not None and worker.poll() is None:
                worker.send_signal(signal.SIGTERM)  # Celery's warm shutdown: running tasks finish first

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        restarts, delay = 0, pause
        while True:
            started = time.monotonic()
            worker = subprocess.Popen(command)
            code = worker.wait()
            if stopping:
                return
            if max_restarts and restarts >= max_restarts:
                raise SystemExit(code or 1)
            delay = pause if time.monotonic() - started > HEALTHY_SECONDS else min(delay * 2, MAX_PAUSE)
            restarts += 1
            self.stderr.write(f"==> The Celery worker stopped (exit {code}); starting it again in {delay:.0f} s")
            time.sleep(delay)
            if stopping:
                return
