"""Database restarts cost no request: after PostgreSQL restarts (failover, minor upgrade), the gunicorn workers'
persistent connections (CONN_MAX_AGE=60) are dead; Django must notice before using them (CONN_HEALTH_CHECKS), or
the first request of each worker after the restart fails (a 500; a 503 since the portal's "database unavailable" page).

The cluster is the module's own, so restarting it touches no other test or the shared server on 5432.
"""

import threading
import time

import pytest

from tests.faults.stack import PortalStack, wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

PAGES = ["/", "/udvalg/", "/moeder/", "/opslag/", "/tilgaengelighed/"]
DATABASE = "portal"


@pytest.fixture(scope="module")
def portal_database(postgres_cluster, static_root):
    """The portal's schema and the demo data, in the module's cluster (migrate and load_demo take ~7 s)."""
    url = postgres_cluster.createdb(DATABASE)
    setup = PortalStack(
        database_url=url,
        redis_url="",  # no broker: load_demo's follow-up tasks run in the command itself
        static_root=static_root,
        work_dir=postgres_cluster.directory,
        log_dir=postgres_cluster.log.parent,
    )
    setup.manage("migrate", "--noinput")
    setup.manage("load_demo")
    return url


def portal_connections(cluster) -> int:
    """Client connections the portal holds open in its database."""
    sql = "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'"
    return cluster.query(sql, [DATABASE])[0][0]


def restart_under_traffic(cluster, stack) -> tuple[list, list]:
    """Warm both workers' connections, restart the cluster while a visitor keeps reading pages, then read 40 pages.

    The visitor reads the pages every anonymous visitor reads, which come from the page cache (Redis) without a
    query, as on a quiet night: the workers' connections stay as the restart left them. The 40 requests after it
    each carry their own query string, so the page cache cannot answer them and every one reaches the database.
    """
    client = stack.client()
    for path in PAGES:  # fill the page cache
        assert client.get(path).status == 200, f"GET {path} before the restart; {stack.logs()}"

    # Concurrent requests past the cache, so both gunicorn workers open their persistent connection.
    def warm(i):
        for n in range(5):
            stack.client(address=f"198.51.100.{i}").get(f"{PAGES[n % len(PAGES)]}?warm={i}-{n}")

    def warmed():
        threads = [threading.Thread(target=warm, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        return portal_connections(cluster) >= 2

    wait_for(warmed, timeout=30, what="both gunicorn workers holding a database connection", interval=0)

    during: list = []
    done = threading.Event()

    def visitor():
        deadline = time.monotonic() + 60
        n = 0
        while not done.is_set() and time.monotonic() < deadline:
            path = PAGES[n % len(PAGES)]
            n += 1
            try:
                during.append((path, client.get(path).status))
            except OSError as exc:
                during.append((path, type(exc).__name__))
            time.sleep(0.05)

    thread = threading.Thread(target=visitor)
    thread.start()
    try:
        time.sleep(0.3)
        cluster.restart()
        wait_for(cluster.is_ready, timeout=30, what="pg_isready after the restart")
    finally:
        done.set()
        thread.join(timeout=20)

    after = []
    for n in range(40):
        path = f"{PAGES[n % len(PAGES)]}?after={n}"
        try:
            after.append((path, stack.client(address=f"192.0.2.{n}").get(path).status))
        except OSError as exc:
            after.append((path, type(exc).__name__))
    return during, after


def test_a_database_restart_costs_no_request(postgres_cluster, portal_database, redis_server, portal_stack):
    stack = portal_stack(database_url=portal_database, redis_url=redis_server.url)
    stack.start_web()

    during, after = restart_under_traffic(postgres_cluster, stack)

    failed = [(path, status) for path, status in after if status != 200]  # a 500, or the 503 "try again" page
    assert not failed, (
        f"after the restart {len(failed)} of {len(after)} requests failed: {failed}; "
        f"during the restart the visitor saw {summary(during)}; {stack.logs()}"
    )


def test_without_health_checks_a_restart_costs_a_request(postgres_cluster, portal_database, redis_server, portal_stack):
    """The control: the same restart with CONN_HEALTH_CHECKS off costs requests (a 500, or a 503 from the portal's
    'database unavailable' page), so the test above can tell."""
    stack = portal_stack(database_url=portal_database, redis_url=redis_server.url, CONN_HEALTH_CHECKS="false")
    stack.start_web()

    during, after = restart_under_traffic(postgres_cluster, stack)

    assert any(status in (500, 503) for _path, status in after), (
        f"every request succeeded after the restart without health checks, so the restart test cannot tell: "
        f"{summary(after)}; during the restart: {summary(during)}; {stack.logs()}"
    )


def summary(results: list) -> dict:
    counts: dict = {}
    for _path, status in results:
        counts[status] = counts.get(status, 0) + 1
    return counts
