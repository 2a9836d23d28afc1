import logging
import os
import sys

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("gentofte_portal")


class CommonConfig(AppConfig):
    """Shared plumbing: no models, but the page cache's signals, the worker supervisor (run_worker), the sweep of
    orphaned private files, and the two-factor login's templates live here."""

    name = "gentofte_portal.common"
    label = "common"
    verbose_name = "Opgaveudvalgsportalen"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .public_cache import connect_signals
        from .roles import secretariat_permissions_sync

        connect_signals()
        # After every migrate (permissions exist only then), so a new installation's staff can use the admin.
        post_migrate.connect(secretariat_permissions_sync, sender=self, dispatch_uid="secretariat_permissions")
        # Said once at start, so whoever reads the log knows no worker is involved. runserver's autoreloader starts
        # a watcher process and a serving child; only the child (RUN_MAIN) says it.
        reloader_parent = sys.argv[1:2] == ["runserver"] and os.environ.get("RUN_MAIN") != "true"
        if settings.CELERY_TASK_ALWAYS_EAGER and not reloader_parent:
            logger.warning("No REDIS_URL configured: Celery tasks run in-process (eager), without a broker or worker.")
