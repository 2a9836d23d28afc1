import logging
import os
import sys

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("gentofte_portal")


class PortalConfig(AppConfig):
    name = "gentofte_portal"
    verbose_name = "Opgaveudvalgsportalen"

    def ready(self):
        from celery.signals import worker_ready

        from .common.public_cache import connect_signals
        from .tasks import requeue_documents_on_worker_start

        connect_signals()
        # A worker that starts after a crash sends at once the renders that were owed.
        worker_ready.connect(requeue_documents_on_worker_start, dispatch_uid="documents-requeue-on-worker-start")
        # Said once at start, so whoever reads the log knows no worker is involved. runserver's autoreloader starts
        # a watcher process and a serving child; only the child (RUN_MAIN) says it.
        reloader_parent = sys.argv[1:2] == ["runserver"] and os.environ.get("RUN_MAIN") != "true"
        if settings.CELERY_TASK_ALWAYS_EAGER and not reloader_parent:
            logger.warning("No REDIS_URL configured: Celery tasks run in-process (eager), without a broker or worker.")
