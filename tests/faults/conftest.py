"""Fixtures for the fault-injection tests (``-m faults``): private Redis and PostgreSQL servers and the portal's own
processes, so a test can stop, kill or restart any of them without touching the shared services on 6379/5432.

Each process logs to var/faults/<test>/ (the cluster, shared by a module, to var/faults/<module>/); a failed
test's report lists those files. Everything a fixture starts is stopped and removed at teardown, pass or fail.
"""

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.faults.stack import LOGS, ROOT, PortalStack, PostgresCluster, RedisServer, production_env

LOG_DIRS = pytest.StashKey[list]()


def _log_dir(name: str) -> Path:
    path = LOGS / re.sub(r"[^\w.-]+", "_", name)
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.failed:
        dirs = [*item.stash.get(LOG_DIRS, []), LOGS / item.module.__name__.rsplit(".", 1)[-1]]
        files = [str(f) for d in dirs if d.exists() for f in sorted(d.iterdir()) if f.is_file()]
        if files:
            report.sections.append(("fault-injection logs", "\n".join(files)))
    return report


@pytest.fixture
def fault_logs(request) -> Path:
    """var/faults/<test name>/, emptied first."""
    path = _log_dir(request.node.name)
    request.node.stash.setdefault(LOG_DIRS, []).append(path)
    return path


@pytest.fixture
def redis_server(fault_logs):
    """A redis-server of the test's own, on a free port; killed at teardown."""
    directory = Path(tempfile.mkdtemp(prefix="portal-faults-redis-"))
    server = RedisServer(directory, fault_logs / "redis.log")
    try:
        server.start()
        yield server
    finally:
        server.kill()
        shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="module")
def postgres_cluster(request):
    """A PostgreSQL cluster of the module's own (initdb takes a few seconds), started; stopped with ``-m immediate``
    and removed at teardown."""
    log_dir = _log_dir(request.module.__name__.rsplit(".", 1)[-1])
    cluster = PostgresCluster(log_dir / "postgres.log")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="session")
def static_root():
    """Production settings serve static files through CompressedManifestStaticFilesStorage: without its manifest
    every page is a 500. So ``collectstatic`` once per session, into a folder of its own."""
    path = Path(tempfile.mkdtemp(prefix="portal-faults-static-"))
    env = production_env(STATIC_ROOT=str(path))
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
        )
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _test_database_url() -> str:
    """The pytest-django test database, as tests/conftest.py's celery_worker_process builds it."""
    from django.db import connection

    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def portal_stack(transactional_db, static_root, fault_logs):
    """``portal_stack(redis_url=..., database_url=None, **env)`` makes a PortalStack; nothing is started yet.

    Without database_url the stack uses the test database, so the test can make rows with the factories and read
    what the stack stored. Depends on transactional_db so every stack is stopped before the database is flushed.
    """
    stacks: list[PortalStack] = []

    def make(*, redis_url: str, database_url: str | None = None, **env) -> PortalStack:
        stack = PortalStack(
            database_url=database_url or _test_database_url(),
            redis_url=redis_url,
            static_root=static_root,
            work_dir=Path(tempfile.mkdtemp(prefix="portal-faults-stack-")),
            log_dir=fault_logs if not stacks else fault_logs / f"stack{len(stacks) + 1}",
            env=env,
        )
        stacks.append(stack)
        return stack

    try:
        yield make
    finally:
        for stack in stacks:
            try:
                stack.stop()
            finally:
                shutil.rmtree(stack.work_dir, ignore_errors=True)


@pytest.fixture
def running_stack(portal_stack, redis_server):
    """The whole portal on the test database and the test's own Redis: web (2 gunicorn workers), a worker, beat."""
    stack = portal_stack(redis_url=redis_server.url)
    stack.start_web()
    stack.start_worker()
    stack.start_beat()
    return stack
