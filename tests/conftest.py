"""Shared fixtures: users per role, factories, a real Celery worker for integration tests, and the CI guard.

With CI=true the suite refuses to run on SQLite or with eager tasks, and writes var/test-run.json so .ci/run can
check that the integration tests really ran against PostgreSQL, Redis and a worker.
"""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
RUN_REPORT = ROOT / "var" / "test-run.json"
# Outcomes of the tests that need the real services, per marker: CI checks they ran rather than skipped.
REPORTED_MARKERS = ("integration", "faults")
_counts = {marker: {"passed": 0, "failed": 0, "skipped": 0} for marker in REPORTED_MARKERS}


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _backend() -> dict:
    return {
        "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
        "eager": bool(settings.CELERY_TASK_ALWAYS_EAGER),
        "broker": settings.CELERY_BROKER_URL.split("://", 1)[0],
    }


def pytest_report_header(config):
    b = _backend()
    return f"portal backend: database={b['database']} broker={b['broker']} eager_tasks={b['eager']}"


def pytest_sessionstart(session):
    if _in_ci():
        b = _backend()
        if b["database"] != "postgresql" or b["eager"]:
            pytest.exit(
                f"CI=true but the suite would run on {b['database']} with eager_tasks={b['eager']}: "
                "set DATABASE_URL (PostgreSQL) and REDIS_URL.",
                returncode=3,
            )


def pytest_runtest_logreport(report):
    if report.when == "call" or (report.when == "setup" and report.outcome != "passed"):
        for marker in REPORTED_MARKERS:
            if marker in report.keywords:
                _counts[marker][report.outcome] += 1


def pytest_sessionfinish(session, exitstatus):
    RUN_REPORT.parent.mkdir(exist_ok=True)
    RUN_REPORT.write_text(json.dumps({**_backend(), **_counts, "exitstatus": int(exitstatus)}))


def pytest_collection_modifyitems(config, items):
    """Integration and fault-injection tests need PostgreSQL and Redis (a worker or a whole stack in other
    processes must see the test database). Locally they are skipped without them; in CI a skip would hide a missing
    service, so they run and fail."""
    b = _backend()
    if b["database"] == "postgresql" and not b["eager"]:
        return
    if _in_ci():
        return
    skip = pytest.mark.skip(reason="needs DATABASE_URL (PostgreSQL) and REDIS_URL; .ci/run sets both")
    for item in items:
        if any(marker in item.keywords for marker in REPORTED_MARKERS):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the test database, started once for the integration tests."""
    from django.db import connection

    from gentofte_portal.celery import app

    with django_db_blocker.unblock():
        db = connection.settings_dict
    url = f"postgres://{db['USER'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    if db.get("PASSWORD"):
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    mail_dir = ROOT / "var" / "test-worker-mail"
    mail_dir.mkdir(parents=True, exist_ok=True)
    for old in mail_dir.iterdir():
        old.unlink()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "gentofte_portal.settings.test",
        "TEST_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "TEST_EMAIL_FILE_PATH": str(mail_dir),
        "TEST_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "TEST_PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    hostname = f"test-worker-{os.getpid()}@%h"
    app.control.purge()
    (ROOT / "var").mkdir(exist_ok=True)
    log = open(ROOT / "var" / "test-worker.log", "w")  # noqa: SIM115 - closed at teardown
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "gentofte_portal",
            "worker",
            "--loglevel=INFO",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            hostname,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"Celery worker exited with {proc.returncode}; see var/test-worker.log")
        if app.control.ping(timeout=0.5):
            break
    else:
        proc.terminate()
        raise RuntimeError("Celery worker did not answer within 30 s; see var/test-worker.log")
    proc.mail_dir = mail_dir
    yield proc
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
