"""Sending to subscribers (issue 14): once per subscriber and publication however often it is announced or retried,
retried after an SMTP failure, rate-limited, the weekly digest, the form's defences, and no address in any log."""

import datetime as dt
import logging

import pytest
from django.urls import reverse

from gentofte_portal.outbox.models import Message
from gentofte_portal.outbox.services import outbox_sweep
from gentofte_portal.subscriptions import tasks
from gentofte_portal.subscriptions.models import Delivery, Publication, Subscriber
from meetings import services
from meetings.models import Meeting
from meetings.signals import agenda_published
from tests.subscriptions.conftest import html_of, text_of

ADDRESS = "ida.borger@example.org"


def make_subscriber(committee, *, address=ADDRESS, frequency="straks", confirmed=True) -> Subscriber:
    from django.utils import timezone

    subscriber = Subscriber.objects.create(
        email=address, frequency=frequency, confirmed_at=timezone.now() if confirmed else None
    )
    subscriber.committees.set([committee])
    return subscriber


def test_publishing_and_retrying_twice_sends_once(smtp, committee, agenda, publish, django_capture_on_commit_callbacks):
    make_subscriber(committee)
    agenda = publish(agenda)
    assert len(smtp.messages) == 1
    publication = Publication.objects.get()
    # the same publication announced again (a retried request, a second signal): the same row, nothing sent
    with django_capture_on_commit_callbacks(execute=True):
        agenda_published.send(sender=Meeting, meeting=agenda, version=agenda.agenda_published_at.isoformat())
    # the tasks delivered again (a redelivery by the broker, the outbox sweep)
    tasks.fan_out_publication.apply(args=[publication.pk])
    tasks.send_publication_batch.apply(args=[publication.pk, [Subscriber.objects.get().pk]])
    outbox_sweep(now=agenda.agenda_published_at + dt.timedelta(hours=1))
    assert len(smtp.messages) == 1
    assert Publication.objects.count() == 1 and Delivery.objects.count() == 1


def test_batches_cover_every_subscriber_once(settings, smtp, committee, other_committee, agenda, publish):
    settings.SUBSCRIPTIONS_BATCH_SIZE = 2
    for n in range(5):
        make_subscriber(committee, address=f"borger{n}@example.org")
    make_subscriber(other_committee, address="andet@example.org")
    make_subscriber(committee, address="ubekraeftet@example.org", confirmed=False)
    publish(agenda)
    assert sorted(m.envelope_to[0] for m in smtp.messages) == [f"borger{n}@example.org" for n in range(5)]
    assert Message.objects.filter(task="subscriptions.send_publication_batch").count() == 3


def test_an_smtp_failure_is_retried_and_the_mail_sent_once(smtp, committee, agenda, publish, waits):
    make_subscriber(committee)
    smtp.fail_next = 1
    publish(agenda)
    assert smtp.refused == 1 and waits == [1]
    assert len(smtp.messages) == 1 and "Punkt 2: Lukket" in text_of(smtp.messages[0])
    assert Delivery.objects.get().sent_at is not None


def test_a_mail_server_down_for_long_leaves_the_work_in_the_outbox_for_the_sweep(smtp, committee, agenda, publish):
    first = make_subscriber(committee)
    make_subscriber(committee, address="bo@example.org")
    smtp.fail_next = 2  # the first try of the batch and its first retry fail (the one after sends both)
    publish(agenda)
    assert sorted(m.envelope_to[0] for m in smtp.messages) == ["bo@example.org", ADDRESS]
    assert Delivery.objects.filter(sent_at__isnull=True).count() == 0
    smtp.clear()
    smtp.fail_next = 1000  # every try fails: nothing is marked sent, the outbox keeps the message
    other = Meeting.objects.create(committee=committee, starts_at=agenda.starts_at + dt.timedelta(days=7))
    services.agenda_item_add(meeting=other, data={"title": "Budget"}, by=_staff())
    publish(other)
    assert smtp.messages == []
    pending = Delivery.objects.filter(publication__meeting=other, sent_at__isnull=True)
    assert pending.count() == 2
    batch = Message.objects.get(
        task="subscriptions.send_publication_batch", args__0=Publication.objects.get(meeting=other).pk
    )
    assert batch.status == Message.Status.PENDING
    smtp.fail_next = 0  # the server is back: the sweep sends what waits, once
    Message.objects.filter(pk=batch.pk).update(
        dispatched_at=None, created_at=batch.created_at - dt.timedelta(minutes=5)
    )
    outbox_sweep()
    assert sorted(m.envelope_to[0] for m in smtp.messages) == ["bo@example.org", ADDRESS]
    assert not pending.exists()
    outbox_sweep()
    assert len(smtp.messages) == 2
    assert first.deliveries.count() == 2


def _staff():
    from django.contrib.auth.models import User

    return User.objects.get(username="signe")


def test_sending_is_rate_limited(settings, smtp, committee, agenda, publish, monkeypatch):
    """Without a worker (no REDIS_URL) the batch waits for the next minute in-process."""
    from gentofte_portal.subscriptions import services as subscription_services

    settings.SUBSCRIPTIONS_SEND_RATE_PER_MINUTE = 2
    clock = [subscription_services._clock()]
    monkeypatch.setattr(subscription_services, "_clock", lambda: clock[0])
    waits = []

    def wait(seconds):  # the minute passes while the task waits
        waits.append(seconds)
        clock[0] += seconds

    monkeypatch.setattr(tasks, "sleep", wait)
    for n in range(3):
        make_subscriber(committee, address=f"borger{n}@example.org")
    publish(agenda)
    assert len(smtp.messages) == 3
    assert len(waits) == 1 and 0 < waits[0] <= 60.2


def test_the_weekly_digest_lists_the_weeks_publications_once(
    smtp, committee, agenda, members, staff, publish, django_capture_on_commit_callbacks
):
    weekly = make_subscriber(committee, frequency="ugentligt")
    publish(agenda)
    attendance = {m.person_id: ("tilstede", False) for m in members}
    minutes = services.minutes_save(
        meeting=agenda, attendance=attendance, decisions={}, remarks="", ended_at=None, by=staff
    )
    services.minutes_approve(minutes=minutes, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=staff)
    assert smtp.messages == []  # nothing at once for a weekly subscriber
    assert weekly.deliveries.filter(digest=True, sent_at__isnull=True).count() == 2

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.weekly_digest() == 1
    [digest] = smtp.messages
    assert digest["Subject"] == "Ugens dagsordener og referater"
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    text = text_of(digest)
    assert "Dagsorden: Opgaveudvalg om Innovation" in text and "Referat: Opgaveudvalg om Innovation" in text
    assert "Punkt 2: Lukket" in text and "Hemmelig" not in digest.as_string()
    assert reverse("meetings:minutes_pdf", args=[agenda.pk]) in html_of(digest)
    with django_capture_on_commit_callbacks(execute=True):
        tasks.weekly_digest()
    tasks.send_digest_batch.apply(args=[[weekly.pk]])
    assert len(smtp.messages) == 1


# --- The form's defences ---------------------------------------------------------------------------------------------


def post(client, committee, *, ip="10.0.0.1", **overrides):
    data = {"email": ADDRESS, "committees": [committee.pk], "frequency": "straks", "website": ""}
    data.update(overrides)
    return client.post(reverse("subscriptions:subscribe"), data, REMOTE_ADDR=ip)


def test_the_honeypot_stores_and_sends_nothing(client, smtp, committee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, committee, website="http://spam.example")
    assert response.status_code == 302
    assert not Subscriber.objects.exists() and smtp.messages == []


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Skriv din e-mailadresse."),
        ({"email": "ikke-en-adresse"}, "Skriv en gyldig e-mailadresse, fx navn@eksempel.dk."),
        ({"committees": []}, "Vælg mindst ét udvalg."),
        ({"committees": ["999999"]}, "Vælg blandt udvalgene på listen."),
        ({"committees": ["9" * 400]}, "Vælg blandt udvalgene på listen."),
        ({"committees": ["abc"]}, "Vælg blandt udvalgene på listen."),
        ({"frequency": "hver-time"}, "Vælg hvor ofte du vil have e-mails."),
        ({"email": "a\x00b@example.org"}, ""),
    ],
)
def test_bad_input_is_refused_in_danish_next_to_the_field(client, committee, smtp, overrides, message):
    response = post(client, committee, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Subscriber.objects.exists() and smtp.messages == []


def test_subscribing_is_rate_limited_per_ip_and_per_address(
    settings, client, committee, smtp, django_capture_on_commit_callbacks
):
    settings.SUBSCRIPTIONS_RATE_LIMIT_IP = "3/h"
    settings.SUBSCRIPTIONS_RATE_LIMIT_ADDRESS = "2/h"
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, committee, ip="10.0.0.1").status_code == 302
        assert post(client, committee, ip="10.0.0.2").status_code == 302
        limited = post(client, committee, ip="10.0.0.3")  # the third request for the address, from a new IP
    assert limited.status_code == 429 and "For mange tilmeldinger" in limited.content.decode()
    assert len(smtp.messages) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, committee, ip="10.0.0.9", email="a@example.org").status_code == 302
        assert post(client, committee, ip="10.0.0.9", email="b@example.org").status_code == 302
        assert post(client, committee, ip="10.0.0.9", email="c@example.org").status_code == 302
        assert post(client, committee, ip="10.0.0.9", email="d@example.org").status_code == 429
    assert len(smtp.messages) == 5


def test_no_address_is_ever_logged(
    caplog, client, smtp, committee, agenda, publish, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    with django_capture_on_commit_callbacks(execute=True):
        post(client, committee)
    subscriber = Subscriber.objects.get()
    Subscriber.objects.update(confirmed_at=subscriber.requested_at)
    smtp.fail_next = 1000  # every try fails, so the failures are logged too
    agenda = publish(agenda)
    smtp.fail_next = 0
    outbox_sweep(now=agenda.agenda_published_at + dt.timedelta(hours=1))
    assert len(smtp.messages) == 2  # the confirmation, and the agenda after the sweep
    assert any(r.levelno >= logging.ERROR for r in caplog.records)  # the failure was logged ...
    # the portal's own logs (not the test's SMTP server's, which records the envelope by design)
    records = [r for r in caplog.records if not r.name.startswith("mail.log")]
    logged = "".join(r.getMessage() + str(r.exc_info) + str(r.args) for r in records)
    assert ADDRESS not in logged  # ... without the address
    assert all(ADDRESS not in (m.error + str(m.args)) for m in Message.objects.all())
