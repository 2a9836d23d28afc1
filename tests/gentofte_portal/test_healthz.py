"""/healthz tells a load balancer and an operator whether the portal can serve, as JSON."""

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def test_healthz_reports_database_and_task_mode(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    body = response.json()
    assert body["database"]["status"] == "ok"
    if settings.CELERY_TASK_ALWAYS_EAGER:
        assert body["status"] == "ok" and body["failing"] == []
        assert body["broker"]["status"] == body["worker"]["status"] == "eager"
    else:  # Redis runs (CI); whether a worker answers depends on which tests ran before (tests/faults: each state)
        assert body["cache"] == {"status": "ok", "backend": "redis"} and body["broker"] == {"status": "ok"}
        assert body["worker"]["status"] in ("ok", "no_answer")
        assert body["status"] == ("ok" if body["worker"]["status"] == "ok" else "degraded")
        assert body["failing"] == ([] if body["status"] == "ok" else ["worker"])


def test_healthz_is_503_when_the_database_is_down(client, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"]["status"] == "error"
    assert "connection refused" not in response.content.decode()  # no internals leak


def test_healthz_reports_an_unreachable_broker_without_failing(client, settings):
    from gentofte_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old
    assert response.status_code == 200
    body = response.json()
    assert body["broker"]["status"] == "error"
    assert body["status"] == "degraded" and "broker" in body["failing"]


def test_healthz_only_answers_get(client):
    assert client.post("/healthz").status_code == 405
