"""The Celery app: configured from Django settings (``CELERY_*``) and finding each app's tasks.py.

Without REDIS_URL the settings make every task run eagerly in the calling process (see settings.base).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gentofte_portal.settings.local")

app = Celery("gentofte_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
