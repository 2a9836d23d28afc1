"""``/healthz``: what a load balancer and an operator need to know, as JSON, checked afresh at every call.

- ``ok`` (200): database, cache, broker and worker answer, and no work is stuck in the outbox.
- ``degraded`` (200): the portal serves pages and stores what citizens send, but a part named in ``failing`` is
  down (Redis as cache or broker, the worker) or work has waited too long; mail and PDFs wait in PostgreSQL.
- ``error`` (503): the database does not answer, so nothing can be served or stored.

Each check opens its own short-lived connection with a timeout of a second or two: a pooled connection left over
from before a Redis restart made the first call in each web process report the worker in error.
"""

from celery import current_app
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from gentofte_portal.common.cache import FailSafeRedisCache
from gentofte_portal.documents.services import documents_backlog
from gentofte_portal.outbox.services import outbox_backlog

from .tasks import probe

# Work waiting longer than this many requeue intervals means the sweep or the workers are not doing their job.
STUCK_FACTOR = 5


def _database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "down"
        return {"status": "error", "vendor": connection.vendor, "error": exc.__class__.__name__}
    return {"status": "ok", "vendor": connection.vendor}


def _cache() -> dict:
    backend = caches["default"]
    if not isinstance(backend, FailSafeRedisCache):
        return {"status": "ok", "backend": "local"}
    try:
        backend.ping()
    except Exception as exc:
        return {"status": "error", "error": exc.__class__.__name__, "fallback": "per-process memory"}
    return {"status": "ok", "backend": "redis"}


def _broker_and_worker() -> tuple[dict, dict]:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        eager = {"status": "eager", "detail": "Ingen broker: opgaver køres i web-processen."}
        return eager, dict(eager)
    app = current_app
    with app.connection_for_write() as conn:  # a new connection, not one from the pool
        try:
            conn.ensure_connection(max_retries=1, interval_start=0, timeout=settings.PORTAL_BROKER_TIMEOUT)
        except Exception as exc:
            return {"status": "error", "error": exc.__class__.__name__}, {"status": "unknown"}
        try:
            replies = app.control.ping(timeout=1.0, connection=conn) or []
        except Exception as exc:
            return {"status": "ok"}, {"status": "error", "error": exc.__class__.__name__}
    if not replies:
        return {"status": "ok"}, {"status": "no_answer", "workers": 0}
    return {"status": "ok"}, {"status": "ok", "workers": len(replies)}


def _backlog() -> dict:
    outbox = outbox_backlog()
    outbox["documents"] = documents_backlog()
    stuck = STUCK_FACTOR * settings.PORTAL_REQUEUE_AFTER_SECONDS
    waiting = max(outbox["oldest_pending_seconds"], outbox["documents"]["oldest_pending_seconds"])
    outbox["status"] = "error" if waiting > stuck and not settings.CELERY_TASK_ALWAYS_EAGER else "ok"
    return outbox


def _round_trip(worker: dict) -> None:
    """Send a task through the broker and check the worker answers from the same database as the web process."""
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
    parts = {"database": _database(), "cache": _cache()}
    parts["broker"], parts["worker"] = _broker_and_worker()
    if request.GET.get("deep") and parts["worker"]["status"] == "ok":
        _round_trip(parts["worker"])
    if parts["database"]["status"] == "ok":
        parts["outbox"] = _backlog()
    failing = [name for name, part in parts.items() if part["status"] not in ("ok", "eager")]
    if parts["worker"].get("round_trip", {}).get("status") == "error" and "worker" not in failing:
        failing.append("worker")
    if "database" in failing:
        status, code = "error", 503
    else:
        status, code = ("degraded" if failing else "ok"), 200
    return JsonResponse({"status": status, "failing": failing, **parts}, status=code)
