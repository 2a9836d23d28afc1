"""/healthz in each state the portal can be in, through gunicorn as a load balancer and an operator see it.

The contract: ``{"status": "ok"|"degraded"|"error", "failing": [...], "database", "cache", "broker", "worker",
"outbox"}``; HTTP 503 only when the database is down (nothing can be served), 200 otherwise, since pages still
work while Redis or a worker restarts.
"""

import json
import threading
import time

import pytest

from tests.faults.stack import wait_for

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]


def healthz(stack) -> tuple[int, dict, float]:
    response = stack.get("/healthz")
    try:
        body = response.json()
    except ValueError:
        body = {"unparsed": response.text[:500]}
    return response.status, body, response.elapsed


def healthz_pair(stack) -> list[tuple[int, dict, float]]:
    """Two calls at once. /healthz waits for ping replies, so a sync gunicorn worker is busy with one of them and
    the other goes to the second worker: each web process answers one."""
    results: list = [None, None]

    def call(i):
        results[i] = healthz(stack)

    threads = [threading.Thread(target=call, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return results


def show(status: int, body: dict) -> str:
    return f"HTTP {status} {json.dumps(body, ensure_ascii=False)}"


def wait_for_worker(stack, timeout: float = 30) -> None:
    """The worker answers a ping sent over a fresh connection from the test process (not through /healthz, whose
    calls the tests count)."""
    wait_for(stack.ping_workers, timeout=timeout, what=f"the worker answering a ping; {stack.logs()}", interval=0.5)


@pytest.fixture
def stack(redis_server, portal_stack):
    """The test database, a private Redis, gunicorn with 2 workers and a Celery worker, all up."""
    stack = portal_stack(redis_url=redis_server.url)
    stack.start_web()
    stack.start_worker()
    wait_for_worker(stack)
    return stack


def test_all_up_is_ok(stack):
    for status, body, _elapsed in healthz_pair(stack):
        assert status == 200, show(status, body)
        assert body.get("status") == "ok" and body.get("failing") == [], show(status, body)
        for part in ("database", "cache", "broker", "worker"):
            assert body.get(part, {}).get("status") == "ok", f"{part}: {show(status, body)}"
        assert body["worker"].get("workers") == 1, show(status, body)
        assert "outbox" in body, show(status, body)


def test_no_worker_is_degraded(stack):
    stack.kill_worker()

    status, body, _elapsed = healthz(stack)

    assert status == 200, show(status, body)
    assert body.get("status") == "degraded", show(status, body)
    assert "worker" in body.get("failing", []), show(status, body)
    assert body.get("broker", {}).get("status") == "ok", show(status, body)
    assert body.get("database", {}).get("status") == "ok", show(status, body)


def test_redis_down_is_degraded_and_answers_fast(stack, redis_server):
    redis_server.stop()

    for status, body, elapsed in healthz_pair(stack):
        assert status == 200, show(status, body)
        assert body.get("status") == "degraded", show(status, body)
        assert {"broker", "cache"} <= set(body.get("failing", [])), show(status, body)
        assert body.get("database", {}).get("status") == "ok", show(status, body)
        assert elapsed < 3, f"/healthz took {elapsed:.1f} s with Redis down: {show(status, body)}"


def test_after_redis_returns_the_first_call_in_each_web_process_is_ok(stack, redis_server):
    """Today the first call per web process after a Redis restart reports the worker in error: its pooled broker
    connection died with Redis. A load balancer would take a healthy node out of service for that."""
    healthz_pair(stack)  # each web process has used its broker connection
    redis_server.stop()
    during = healthz_pair(stack)
    redis_server.start()
    wait_for_worker(stack, timeout=60)

    after = [result for _ in range(3) for result in healthz_pair(stack)]

    problems = [show(s, b) for s, b, _ in after if s != 200 or b.get("status") != "ok" or b.get("failing") != []]
    outage = [show(s, b) for s, b, _ in during]
    assert not problems, f"{len(problems)} of 6 calls after Redis returned: {problems}; during the outage: {outage}"
    for status, body, _elapsed in after:
        assert body["worker"].get("status") == "ok", show(status, body)


def test_database_down_is_503(postgres_cluster, redis_server, portal_stack):
    postgres_cluster.createdb("healthz")
    stack = portal_stack(database_url=postgres_cluster.url("healthz"), redis_url=redis_server.url)
    stack.manage("migrate", "--noinput")
    stack.start_web()
    before = healthz(stack)
    assert before[0] == 200, show(*before[:2])
    postgres_cluster.stop()

    started = time.monotonic()
    status, body, _elapsed = healthz(stack)

    assert status == 503, show(status, body)
    assert body.get("status") == "error", show(status, body)
    assert "database" in body.get("failing", []), show(status, body)
    assert time.monotonic() - started < 5, show(status, body)
