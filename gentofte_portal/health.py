"""``/healthz``: what a load balancer and an operator need to know, as JSON.

200 while the database answers (the portal can serve pages); 503 when it does not. The broker and the worker are
reported but do not fail the check, since pages still work while a worker restarts.
"""

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _broker_and_worker() -> tuple[dict, dict]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        eager = {"status": "eager", "detail": "Ingen broker: opgaver køres i web-processen."}
        return eager, dict(eager)
    from gentofte_portal.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__}, {"status": "unknown"}
    try:
        replies = app.control.ping(timeout=1.0) or []
    except Exception as exc:
        return {"status": "ok"}, {"status": "error", "error": exc.__class__.__name__}
    if not replies:
        return {"status": "ok"}, {"status": "no_answer", "workers": 0}
    return {"status": "ok"}, {"status": "ok", "workers": len(replies)}


def _round_trip(worker: dict) -> None:
    """Send a task through the broker and check the worker answers from the same database as the web process."""
    from gentofte_portal.tasks import probe

    try:
        answer = probe.delay().get(timeout=5)
    except Exception as exc:
        worker["round_trip"] = {"status": "error", "error": exc.__class__.__name__}
        return
    same = answer.get("database_name") == str(connection.settings_dict["NAME"])
    worker["round_trip"] = {"status": "ok" if same else "error", "same_database": same}


@never_cache
@require_GET
def healthz(request):
    """``?deep=1`` also sends a task through the worker (slower; for operators, not load balancers)."""
    database = _database()
    broker, worker = _broker_and_worker()
    if request.GET.get("deep") and worker["status"] == "ok":
        _round_trip(worker)
    ok = database["status"] == "ok"
    body = {"status": "ok" if ok else "error", "database": database, "broker": broker, "worker": worker}
    return JsonResponse(body, status=200 if ok else 503)
