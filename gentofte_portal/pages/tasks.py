from celery import shared_task
from django.db import connection

from committees.models import Committee


@shared_task(name="portal.probe", ignore_result=False)
def probe() -> dict:
    """Report what the worker sees, so /healthz?deep=1 can prove a worker reaches the same database as the web."""
    return {
        "database": connection.vendor,
        "database_name": str(connection.settings_dict["NAME"]),
        "committees": Committee.objects.count(),
    }
