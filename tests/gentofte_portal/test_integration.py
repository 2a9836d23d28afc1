"""With PostgreSQL, Redis and a real Celery worker (as in production and CI), tasks enqueued on commit reach a
worker that sees the committed rows, and /healthz says the worker answers."""

import pytest
from django.db import transaction

from committees.models import Committee
from gentofte_portal.tasks import probe
from tests.factories import TaskCommitteeFactory

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_task_enqueued_on_commit_runs_in_the_worker_on_the_same_database(celery_worker_process):
    results = []
    with transaction.atomic():
        TaskCommitteeFactory.create_batch(3)
        transaction.on_commit(lambda: results.append(probe.delay()))
        assert results == []  # nothing is sent before the data is committed
    answer = results[0].get(timeout=20)
    assert answer["database"] == "postgresql"
    assert answer["committees"] == Committee.objects.count() == 3


def test_rolled_back_work_enqueues_nothing(celery_worker_process):
    results = []
    with pytest.raises(RuntimeError), transaction.atomic():
        TaskCommitteeFactory()
        transaction.on_commit(lambda: results.append(probe.delay()))
        raise RuntimeError("form invalid")
    assert results == []
    assert Committee.objects.count() == 0


def test_healthz_sees_broker_and_worker(client, celery_worker_process):
    body = client.get("/healthz?deep=1").json()
    assert body["database"] == {"status": "ok", "vendor": "postgresql"}
    assert body["broker"]["status"] == "ok"
    assert body["worker"]["status"] == "ok" and body["worker"]["workers"] >= 1
    assert body["worker"]["round_trip"] == {"status": "ok", "same_database": True}
