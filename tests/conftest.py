"""Shared fixtures: users per role, factories, a real Celery worker for integration tests, and the CI guard.

With CI=true the suite refuses to run on SQLite or with eager tasks, and writes var/test-run.json so .ci/run can
check that the integration tests really ran against PostgreSQL, Redis and a worker.
"""

import json
import os
import socket
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
# Tests that may hand tasks to the real worker (tests/conftest.py's celery_worker_process, the browser journeys'
# mailbox); every other test runs its tasks in-process, as everywhere without REDIS_URL.
WORKER_MARKERS = ("integration", "faults", "browser")
WORKER_FIXTURES = ("celery_worker_process", "mailbox")
_worker = {}  # the running worker process and its Celery hostname, once started
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
    hostname = f"test-worker-{os.getpid()}@{socket.gethostname()}"
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
    proc.hostname = hostname
    _worker["proc"] = proc
    yield proc
    _worker.clear()
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()


def _uses_worker(request) -> bool:
    return any(m in request.keywords for m in WORKER_MARKERS) or any(f in request.fixturenames for f in WORKER_FIXTURES)


def _transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(
        (marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
        or {"transactional_db", "live_server"} & set(request.fixturenames)
    )


def drain_worker(timeout: float = 60) -> None:
    """Waits until the shared worker has finished the task it is running, after dropping what is still queued or
    scheduled for it. A task left running when the test database is flushed would hold row locks against the
    TRUNCATE (a deadlock that failed the flush), and one left queued would run in the next test, on its data."""
    from gentofte_portal.celery import app

    proc = _worker.get("proc")
    if proc is None or proc.poll() is not None:
        return
    app.control.purge()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        # The solo pool answers control messages only between tasks: an answer means it is idle now.
        inspect = app.control.inspect(destination=[proc.hostname], timeout=1.0)
        scheduled = inspect.scheduled()
        if scheduled is not None:
            waiting = [t["request"]["id"] for tasks in scheduled.values() for t in tasks]
            if waiting:
                app.control.revoke(waiting)
            app.control.purge()
            if app.control.ping(destination=[proc.hostname], timeout=1.0):
                return
        time.sleep(0.1)
    raise RuntimeError(f"the test worker was still busy {timeout:.0f} s after the test; see var/test-worker.log")


@pytest.fixture(autouse=True)
def _tasks_in_process_unless_the_test_uses_the_worker(request, settings):
    """With a broker (CI), only the tests that use the worker hand tasks to it; the others run them in-process, as
    without REDIS_URL. Their tasks used to reach the shared worker, which then ran them against later tests' data
    and held locks while a test database was flushed. A worker test's teardown waits for the worker to be idle, and
    comes before the database's flush (the database fixture is set up first)."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        yield
        return
    if not _uses_worker(request):
        settings.CELERY_TASK_ALWAYS_EAGER = True
        yield
        return
    if _transactional(request):
        request.getfixturevalue("_django_db_helper")
    yield
    drain_worker()
