"""With PostgreSQL, Redis and a real Celery worker (as in production and CI), tasks enqueued on commit reach a
worker that sees the committed rows, and /healthz says the worker answers."""

import pytest
from django.db import transaction

from committees.models import Committee
from gentofte_portal.pages.tasks import probe
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


def test_application_confirmation_is_mailed_by_the_worker_after_commit(client, celery_worker_process):
    """A citizen applies over HTTP; the worker (another process) sends the receipt with the private link."""
    import datetime as dt
    import time

    from django.utils import timezone

    from committees.models import Committee
    from recruitment.models import Application, Call
    from tests.factories import TermFactory

    committee = Committee.objects.create(
        kind="opgave",
        term=TermFactory(),
        name="Opgaveudvalg for Trafik",
        slug="trafik",
        seats=15,
        politician_seats=5,
        citizen_seats=10,
        status="rekruttering",
    )
    call = Call.objects.create(
        committee=committee,
        title="Bliv medlem",
        published_at=timezone.now(),
        deadline=timezone.now() + dt.timedelta(days=10),
    )
    response = client.post(
        f"/opslag/{call.pk}/ansoeg/",
        {
            "name": "Karla Integration",
            "email": "karla@example.org",
            "postcode": "2900",
            "district": "hellerup",
            "birth_year": "1990",
            "motivation": "Jeg cykler hver dag.",
            "consent": "on",
        },
    )
    assert response.status_code == 302
    application = Application.objects.get()
    deadline = time.monotonic() + 20
    sent = ""
    while time.monotonic() < deadline and "Karla Integration" not in sent:
        time.sleep(0.2)
        sent = "".join(p.read_text() for p in celery_worker_process.mail_dir.glob("*.log"))
    assert "Karla Integration" in sent and "karla@example.org" in sent
    assert "/ansoegning/" in sent and application.call.title


def test_publishing_a_referat_makes_the_worker_render_and_store_its_pdf(client, celery_worker_process):
    """Publish the minutes; after commit the worker renders both variants; the download streams the stored PDF."""
    import datetime as dt
    import io
    import time

    from django.contrib.auth.models import Group, User
    from pypdf import PdfReader

    from gentofte_portal.documents.models import Document
    from meetings import services
    from meetings.models import Minutes
    from tests.factories import CommitteeFactory

    staff = User.objects.create_user("pdf-worker-staff", password="x-12345-abc")
    staff.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])  # transactional tests flush the data
    meeting = services.meeting_create(
        committee=CommitteeFactory(name="Økonomiudvalget", slug="oekonomi"),
        starts_at=dt.datetime(2019, 3, 18, 16, 0, tzinfo=dt.UTC),
        location="Udvalgsværelse A",
        kind="ordinaert",
        by=staff,
    )
    services.agenda_item_add(meeting=meeting, data={"title": "Budgetopfølgning", "case_number": "19/1021"}, by=staff)
    services.agenda_item_add(
        meeting=meeting,
        data={"title": "Hemmelig personalesag", "case_number": "19/0999", "is_closed": True},
        by=staff,
    )
    services.agenda_publish(meeting=meeting, by=staff)
    minutes = Minutes.objects.create(meeting=meeting, status=Minutes.Status.APPROVED)
    with transaction.atomic():
        services.minutes_publish(minutes=minutes, by=staff)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready = Document.objects.filter(kind="referat", object_id=meeting.pk, status="klar").count()
        if ready == 2:
            break
        time.sleep(0.3)
    assert ready == 2, list(Document.objects.values("kind", "variant", "status", "error"))
    response = client.get(f"/moeder/{meeting.pk}/referat.pdf")
    assert response.status_code == 200
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(b"".join(response.streaming_content))).pages)
    assert "Budgetopfølgning" in text and "Punkt 2: Lukket" in text and "Hemmelig personalesag" not in text


def test_a_failed_first_render_is_retried_by_the_worker_and_succeeds(celery_worker_process, settings):
    """The first attempt cannot store the PDF (a file stands where its folder should be); the worker retries with
    backoff, and once the obstacle is gone the retry succeeds. Nothing is killed."""
    import datetime as dt
    import time
    from pathlib import Path

    from django.contrib.auth.models import Group, User

    from gentofte_portal.documents.models import Document
    from meetings import services
    from tests.factories import CommitteeFactory

    staff = User.objects.create_user("pdf-retry-staff", password="x-12345-abc")
    staff.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])
    meeting = services.meeting_create(
        committee=CommitteeFactory(name="Skoleudvalget", slug="skole"),
        starts_at=dt.datetime(2019, 4, 1, 15, 0, tzinfo=dt.UTC),
        location="Mødelokale 2",
        kind="ordinaert",
        by=staff,
    )
    services.agenda_item_add(meeting=meeting, data={"title": "Skolestruktur", "case_number": "19/2001"}, by=staff)
    blocker = Path(settings.PRIVATE_MEDIA_ROOT) / "dokumenter"
    if blocker.is_dir():
        import shutil

        shutil.rmtree(blocker)
    blocker.write_text("not a folder")
    try:
        with transaction.atomic():
            services.agenda_publish(meeting=meeting, by=staff)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            failed_once = Document.objects.filter(kind="dagsorden", object_id=meeting.pk).exclude(error="")
            if failed_once.count() == 2:
                break
            time.sleep(0.2)
        assert not Document.objects.filter(kind="dagsorden", object_id=meeting.pk, status="klar").exists()
    finally:
        blocker.unlink()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        documents = list(Document.objects.filter(kind="dagsorden", object_id=meeting.pk))
        if all(d.status == "klar" for d in documents):
            break
        time.sleep(0.3)
    assert [(d.status, d.attempts >= 2) for d in documents] == [("klar", True), ("klar", True)]


def test_a_published_agenda_is_mailed_to_subscribers_by_the_worker(celery_worker_process):
    """A confirmed subscriber of the committee: publishing the agenda reaches the worker through the outbox, which
    fans out and sends the email with the one-click unsubscribe headers, and the closed item only as "Lukket"."""
    import datetime as dt
    import time

    from django.contrib.auth.models import Group, User

    from gentofte_portal.subscriptions.models import Subscriber
    from meetings import services
    from tests.factories import CommitteeFactory

    staff = User.objects.create_user("subscription-worker-staff", password="x-12345-abc")
    staff.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])
    committee = CommitteeFactory(name="Børneudvalget", slug="boern")
    subscriber = Subscriber.objects.create(
        email="abonnent@example.org", frequency=Subscriber.Frequency.IMMEDIATE, confirmed_at=dt.datetime.now(dt.UTC)
    )
    subscriber.committees.set([committee])
    meeting = services.meeting_create(
        committee=committee,
        starts_at=dt.datetime(2019, 3, 18, 16, 0, tzinfo=dt.UTC),
        location="Udvalgsværelse B",
        kind="ordinaert",
        by=staff,
    )
    services.agenda_item_add(meeting=meeting, data={"title": "Skolestruktur"}, by=staff)
    services.agenda_item_add(meeting=meeting, data={"title": "Hemmelig elevsag", "is_closed": True}, by=staff)
    with transaction.atomic():
        services.agenda_publish(meeting=meeting, by=staff)

    deadline = time.monotonic() + 40
    sent = ""
    while time.monotonic() < deadline and "Skolestruktur" not in sent:
        time.sleep(0.3)
        sent = "".join(p.read_text() for p in celery_worker_process.mail_dir.glob("*.log"))
    assert "abonnent@example.org" in sent and "Skolestruktur" in sent
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in sent
    assert "Punkt 2: Lukket" in sent and "Hemmelig elevsag" not in sent
