import logging

from django.apps import AppConfig
from django.conf import settings

logger = logging.getLogger("gentofte_portal")


class PortalConfig(AppConfig):
    name = "gentofte_portal"
    verbose_name = "Opgaveudvalgsportalen"

    def ready(self):
        # Said once per process, so whoever reads the log knows no worker is involved.
        if settings.CELERY_TASK_ALWAYS_EAGER:
            logger.warning("No REDIS_URL configured: Celery tasks run in-process (eager), without a broker or worker.")
