"""Redis is a cache and a broker, never a single point of failure: with it down, pages are served, applications are
stored with their receipt page, rate limits still limit, and every email waits in the outbox (PostgreSQL) until
the sweep sends it, once. These run in-process against a Redis address where nothing listens; tests/faults break
real servers."""

import datetime as dt
import time
import uuid

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from gentofte_portal.celery import app
from gentofte_portal.common.breaker import _breakers
from gentofte_portal.outbox.models import Message
from gentofte_portal.outbox.services import MAX_DISPATCHES, outbox_enqueue, outbox_sweep
from recruitment.models import Application
from recruitment.tasks import send_application_confirmation
from tests.recruitment.conftest import application_data

pytestmark = pytest.mark.django_db
NOWHERE = "redis://127.0.0.1:1/0"  # nothing listens on port 1: every connection is refused at once


@pytest.fixture(autouse=True)
def _fresh_breakers():
    for breaker in _breakers.values():
        breaker.reset()
    yield
    for breaker in _breakers.values():
        breaker.reset()


@pytest.fixture
def redis_down(settings):
    """The production shape (fail-safe Redis cache, page cache on, a real broker), with Redis unreachable."""
    settings.CACHES = {"default": {"BACKEND": "gentofte_portal.common.cache.FailSafeRedisCache", "LOCATION": NOWHERE}}
    settings.PORTAL_PUBLIC_CACHE_SECONDS = 60
    settings.CELERY_TASK_ALWAYS_EAGER = False
    old = app.conf.broker_url
    app.conf.broker_url = NOWHERE
    yield
    app.conf.broker_url = old


def apply(client, call, n: int, **overrides):
    return client.post(
        reverse("recruitment:apply", args=[call.pk]),
        application_data(email=f"borger{n}@example.org", name=f"Borger {n}", **overrides),
        REMOTE_ADDR=f"10.0.0.{n}",
    )


def test_public_pages_are_served_while_redis_is_down(client, redis_down, open_call):
    for path in ["/", "/udvalg/", "/moeder/", "/opslag/", f"/opslag/{open_call.pk}/", "/sitemap.xml", "/healthz"]:
        started = time.monotonic()
        response = client.get(path)
        assert response.status_code == 200, path
        assert time.monotonic() - started < 2, path


def test_citizens_apply_while_redis_is_down_and_get_their_receipt_once_it_is_back(
    client, redis_down, open_call, settings, django_capture_on_commit_callbacks
):
    for n in range(1, 6):
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = apply(client, open_call, n)
        assert response.status_code == 302, response.content.decode()[:500]
        assert client.get(response["Location"]).status_code == 200  # the receipt page
        assert time.monotonic() - started < 2  # no broker retries on the request path
    assert Application.objects.count() == 5
    waiting = Message.objects.filter(task="recruitment.send_application_confirmation")
    assert waiting.count() == 5 and set(waiting.values_list("status", "dispatched_at")) == {("venter", None)}
    assert mail.outbox == []

    settings.CELERY_TASK_ALWAYS_EAGER = True  # the broker is back (in-process here)
    later = timezone.now() + dt.timedelta(seconds=5)
    assert outbox_sweep(now=later)["sent"] == 5
    assert sorted(m.to[0] for m in mail.outbox) == [f"borger{n}@example.org" for n in range(1, 6)]
    assert set(waiting.values_list("status", flat=True)) == {"udfoert"}
    assert outbox_sweep(now=later + dt.timedelta(hours=2))["due"] == 0  # done is done
    assert len(mail.outbox) == 5


def test_the_rate_limit_still_limits_while_redis_is_down(client, redis_down, open_call, settings):
    settings.RECRUITMENT_RATE_LIMIT = "3/h"
    statuses = [
        client.post(
            reverse("recruitment:apply", args=[open_call.pk]),
            application_data(email=f"spam{n}@example.org"),
            REMOTE_ADDR="10.9.9.9",
        ).status_code
        for n in range(5)
    ]
    assert statuses == [302, 302, 302, 429, 429]
    assert Application.objects.count() == 3


def test_healthz_names_cache_and_broker_when_redis_is_down(client, redis_down):
    started = time.monotonic()
    response = client.get("/healthz")
    assert time.monotonic() - started < 3
    body = response.json()
    assert response.status_code == 200 and body["status"] == "degraded"
    assert {"cache", "broker"} <= set(body["failing"]) and body["database"]["status"] == "ok"


def test_a_message_delivered_twice_sends_one_email(open_call, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        application = Application.objects.create(
            call=open_call, name="Alma", email="alma@example.org", postcode="2900", district="hellerup",
            birth_year=2000, motivation="x", consent_at=timezone.now(),
        )  # fmt: skip
        message = outbox_enqueue(task=send_application_confirmation, args=[application.pk], key="receipt:test")
    for _ in range(3):  # Redis redelivering, the sweep resending: the same task id each time
        send_application_confirmation.apply(args=[application.pk], task_id=str(message.pk))
    assert len(mail.outbox) == 1
    message.refresh_from_db()
    assert message.status == "udfoert" and message.done_at is not None


def test_the_same_work_asked_twice_is_stored_once(open_call):
    first = outbox_enqueue(task=send_application_confirmation, args=[1], key="receipt:42")
    second = outbox_enqueue(task=send_application_confirmation, args=[1], key="receipt:42")
    assert first.pk == second.pk and Message.objects.count() == 1


def test_rolled_back_work_leaves_nothing_in_the_outbox(open_call, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            outbox_enqueue(task=send_application_confirmation, args=[1], key="receipt:rolled-back")
            raise RuntimeError
    assert Message.objects.count() == 0 and callbacks == []


def test_the_sweep_resends_unfinished_work_with_backoff_and_gives_up_in_the_end(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # publishing fails (nothing listens), so nothing runs
    old = app.conf.broker_url
    app.conf.broker_url = NOWHERE
    now = timezone.now()
    message = Message.objects.create(
        id=uuid.uuid4(), task="recruitment.send_application_confirmation", args=[1], dispatch_count=1,
        created_at=now - dt.timedelta(minutes=5), dispatched_at=now - dt.timedelta(seconds=30),
    )  # fmt: skip
    try:
        assert outbox_sweep(now=now)["due"] == 0  # sent 30 s ago: not yet due (bound 60 s)
        assert outbox_sweep(now=now + dt.timedelta(seconds=45))["due"] == 1
        Message.objects.filter(pk=message.pk).update(dispatch_count=3)  # the third resend waits 4 × the bound
        assert outbox_sweep(now=now + dt.timedelta(seconds=200))["due"] == 0
        assert outbox_sweep(now=now + dt.timedelta(seconds=250))["due"] == 1
        Message.objects.filter(pk=message.pk).update(dispatch_count=MAX_DISPATCHES)
        assert outbox_sweep(now=now + dt.timedelta(hours=2))["failed"] == 1
    finally:
        app.conf.broker_url = old
    message.refresh_from_db()
    assert message.status == "fejlet" and "Not finished" in message.error


def test_a_document_not_sent_is_rendered_by_the_requeue(settings, django_capture_on_commit_callbacks):
    """The broker was down when the referat was published; the requeue (beat, worker start) renders it."""
    from gentofte_portal.documents.models import Document
    from gentofte_portal.documents.services import documents_requeue
    from tests.factories import MandateFactory

    mandate = MandateFactory(status="offentliggjort")
    document = Document.objects.create(kind="kommissorium", object_id=mandate.pk, variant="offentlig")
    Document.objects.filter(pk=document.pk).update(requested_at=timezone.now() - dt.timedelta(seconds=10))
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert documents_requeue() == 1
    document.refresh_from_db()
    assert document.status == "klar" and document.queued_at is not None
    assert documents_requeue() == 0


def test_staff_can_send_a_waiting_document_again(client, settings, django_capture_on_commit_callbacks):
    from django.contrib.auth.models import Group, User

    from gentofte_portal.documents.models import Document
    from tests.factories import MandateFactory

    secretary = User.objects.create_user("dok-staff", password="x-12345-abc")
    secretary.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])
    client.force_login(secretary)
    mandate = MandateFactory(status="offentliggjort")
    waiting = Document.objects.create(kind="kommissorium", object_id=mandate.pk, variant="offentlig")
    page = client.get(reverse("documents_staff")).content.decode()
    assert "Send igen" in page and "Ikke endnu" in page
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("documents_staff"), {"dokument": waiting.pk})
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == "klar"


def _delivered_while_locked(open_call, hold: float) -> tuple[bool, int]:
    """Delivers a receipt's task while another connection holds its outbox row for `hold` seconds (as the
    dispatcher does for the moment it records the send); returns (the task's result, mails sent)."""
    import threading

    from django.db import connection, connections, transaction

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    application = Application.objects.create(
        call=open_call, name="Alma", email="alma@example.org", postcode="2900", district="hellerup",
        birth_year=2000, motivation="x", consent_at=timezone.now(),
    )  # fmt: skip
    # The row as the outbox writes it, not yet sent (the test delivers it itself).
    message = Message.objects.create(task=send_application_confirmation.name, args=[application.pk], key="receipt:lock")
    locked, release = threading.Event(), threading.Event()

    def dispatcher():
        try:
            with transaction.atomic():
                Message.objects.select_for_update().get(pk=message.pk)
                locked.set()
                release.wait(hold)
        finally:
            connections.close_all()

    thread = threading.Thread(target=dispatcher)
    thread.start()
    assert locked.wait(10)
    try:
        result = send_application_confirmation.apply(args=[application.pk], task_id=str(message.pk)).get()
    finally:
        release.set()
        thread.join()
    return result, len(mail.outbox)


@pytest.mark.django_db(transaction=True)
def test_a_delivery_that_arrives_while_the_send_is_being_recorded_still_sends_the_receipt(open_call):
    # The worker can take the task before the web's short update of the row has committed; it waits for it.
    _result, sent = _delivered_while_locked(open_call, hold=0.5)
    assert sent == 1
    assert Message.objects.get(key="receipt:lock").status == "udfoert"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_finding_the_row_held_by_another_run_does_nothing(open_call, monkeypatch):
    from gentofte_portal.outbox import services

    monkeypatch.setattr(services, "RUN_ONCE_LOCK_WAIT", dt.timedelta(seconds=0.3))
    _result, sent = _delivered_while_locked(open_call, hold=3)
    assert sent == 0
    assert Message.objects.get(key="receipt:lock").status == "venter"
