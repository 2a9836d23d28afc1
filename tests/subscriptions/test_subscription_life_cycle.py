"""The whole life cycle of an email subscription, over HTTP and through a real SMTP server (issue 14): subscribe,
confirm (double opt-in), receive, one-click unsubscribe, manage, export, delete, expiry of unconfirmed requests."""

import datetime as dt
import json

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gentofte_portal.subscriptions import tasks
from gentofte_portal.subscriptions.models import Delivery, Subscriber
from meetings import services
from meetings.models import Meeting
from tests.subscriptions.conftest import BASE_URL, html_of, links_in, text_of

ADDRESS = "ida.borger@example.org"


def subscribe_url(committee=None) -> str:
    return reverse("subscriptions:subscribe") + (f"?udvalg={committee.slug}" if committee else "")


@pytest.fixture
def post_subscribe(client, django_capture_on_commit_callbacks):
    """POST the form like a browser, running what is scheduled after commit: post(committees, **overrides)."""

    def post(committees, *, ip="10.0.0.1", **overrides):
        data = {"email": ADDRESS, "committees": [c.pk for c in committees], "frequency": "straks", "website": ""}
        data.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(subscribe_url(committees[0] if committees else None), data, REMOTE_ADDR=ip)

    return post


def path_of(url: str) -> str:
    assert url.startswith(BASE_URL + "/"), url
    return url.removeprefix(BASE_URL)


def link(message, part: str) -> str:
    return path_of(next(url for url in links_in(message) if part in url))


def manage_link(message) -> str:
    return next(
        path_of(u) for u in links_in(message) if "/abonnement/" in u and "/afmeld/" not in u and "privatliv" not in u
    )


@pytest.fixture
def subscribed(client, smtp, committee, post_subscribe):
    """Ida subscribed to the committee through the form and confirmed by the link in the email."""
    response = post_subscribe([committee])
    assert response.status_code == 302, response.content.decode()[:2000]
    [confirmation] = smtp.to(ADDRESS)
    response = client.post(link(confirmation, "/bekraeft/"))
    assert response.status_code == 302
    smtp.clear()
    return Subscriber.objects.get(email=ADDRESS)


def test_the_committee_page_and_the_meeting_list_offer_the_subscription(client, committee):
    page = client.get(reverse("pages:committee", args=[committee.slug])).content.decode()
    assert f'action="{reverse("subscriptions:subscribe")}"' in page
    assert f'name="udvalg" value="{committee.slug}"' in page
    assert "Abonnér på udvalget" in page
    feed = reverse("meetings:committee_feed", args=[committee.slug])
    assert '<link rel="alternate" type="application/atom+xml"' in page and f'href="{feed}"' in page
    listing = client.get(reverse("meetings:list")).content.decode()
    assert reverse("subscriptions:subscribe") in listing


def test_the_form_preselects_the_committee_and_offers_both_frequencies(client, committee, other_committee):
    page = client.get(subscribe_url(committee)).content.decode()
    assert f'value="{committee.pk}"' in page and f'value="{other_committee.pk}"' in page
    checked = page.split(f'value="{committee.pk}"')[1].split(">")[0]
    assert "checked" in checked
    assert "checked" not in page.split(f'value="{other_committee.pk}"')[1].split(">")[0]
    assert "Med det samme" in page and "Ugentligt overblik" in page
    assert 'name="website"' in page  # the honeypot


def test_subscribing_sends_only_a_confirmation_until_the_link_is_followed(
    client, smtp, committee, agenda, post_subscribe, publish
):
    response = post_subscribe([committee])
    assert response.status_code == 302
    assert "Tjek din e-mail" in client.get(response["Location"]).content.decode()
    [confirmation] = smtp.messages
    assert confirmation.envelope_to == [ADDRESS]
    assert confirmation["Subject"] == "Bekræft dit abonnement"
    assert "Bekræft abonnementet ved at åbne dette link" in text_of(confirmation)
    assert committee.name in text_of(confirmation) and "Bekræft abonnementet" in html_of(confirmation)
    assert confirmation["List-Unsubscribe"] is None  # nothing is subscribed yet
    subscriber = Subscriber.objects.get()
    assert subscriber.confirmed_at is None

    publish(agenda)  # before confirmation: nothing is sent
    assert len(smtp.messages) == 1
    assert not Delivery.objects.exists()

    confirm = link(confirmation, "/bekraeft/")
    page = client.get(confirm)  # a mail scanner following the link confirms nothing
    assert page.status_code == 200 and "Bekræft abonnementet" in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow"
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is None

    response = client.post(confirm)
    assert response.status_code == 302
    assert "Dit abonnement er bekræftet" in client.get(response["Location"]).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.confirmed_at is not None
    assert list(subscriber.committees.all()) == [committee]


def test_a_published_agenda_reaches_the_subscriber_without_closed_text(client, smtp, subscribed, agenda, publish):
    publish(agenda)
    [message] = smtp.messages
    assert message.envelope_to == [ADDRESS]
    assert message["Subject"] == "Dagsorden: Opgaveudvalg om Innovation 14-03-2019"
    text, html = text_of(message), html_of(message)
    for body in (text, html):
        assert "Punkt 1: Cykelstier langs Strandvejen" in body
        assert "Punkt 2: Lukket" in body
        assert "14. marts 2019 kl. 17:00" in body and "Udvalgsværelse G" in body
    raw = message.as_string()
    assert "Hemmelig" not in raw and "Personsag" not in raw
    meeting_url = f"{BASE_URL}{reverse('meetings:detail', args=[agenda.pk])}"
    pdf_url = f"{BASE_URL}{reverse('meetings:agenda_pdf', args=[agenda.pk])}"
    assert meeting_url in text and pdf_url in text and f'href="{pdf_url}"' in html
    assert client.get(path_of(meeting_url)).status_code == 200
    # RFC 8058: the one-click URL in the header is the link in the body, and it takes a POST
    unsubscribe = link(message, "/afmeld/")
    assert str(message["List-Unsubscribe"]).strip().startswith(f"<{BASE_URL}{unsubscribe}>")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert client.get(manage_link(message)).status_code == 200  # the private manage page
    assert Delivery.objects.get().sent_at is not None


@pytest.mark.parametrize(
    ("level", "fields", "shown"),
    [
        ("titel", {}, "Punkt 2: Personsag: Hemmelig Hansen (Lukket)"),
        ("anonymiseret", {"public_title": "Personalesag"}, "Punkt 2: Personalesag (Lukket)"),
        ("titel", {"has_personal_data": True}, "Punkt 2: Lukket"),
    ],
    ids=["title", "anonymised", "personal-data-overrides"],
)
def test_the_email_follows_the_closed_items_publish_level(smtp, subscribed, agenda, publish, level, fields, shown):
    agenda.items.filter(is_closed=True).update(publish_level=level, **fields)

    publish(agenda)

    [message] = smtp.messages
    for body in (text_of(message), html_of(message)):
        assert shown in body
    if level == "anonymiseret" or fields.get("has_personal_data"):
        assert "Hemmelig" not in message.as_string()


def test_published_and_corrected_minutes_are_sent(
    smtp, subscribed, agenda, members, staff, publish, django_capture_on_commit_callbacks
):
    publish(agenda)
    smtp.clear()
    attendance = {m.person_id: ("tilstede", False) for m in members}
    minutes = services.minutes_save(
        meeting=agenda, attendance=attendance, decisions={}, remarks="", ended_at=None, by=staff
    )
    services.minutes_approve(minutes=minutes, by=staff)
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=staff)
    [message] = smtp.messages
    assert message["Subject"].startswith("Referat: Opgaveudvalg om Innovation")
    assert reverse("meetings:minutes_pdf", args=[agenda.pk]) in text_of(message)
    assert "Hemmelig" not in message.as_string()
    smtp.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_save(
            meeting=agenda,
            attendance=attendance,
            decisions={},
            remarks="Rettet stavefejl",
            ended_at=None,
            by=staff,
            correction_note="Stavefejl rettet",
        )
    [correction] = smtp.messages
    assert correction["Subject"].startswith("Rettet referat: Opgaveudvalg om Innovation")


def test_get_of_the_unsubscribe_link_never_unsubscribes_and_one_click_post_does(
    smtp, subscribed, agenda, publish, meeting
):
    publish(agenda)
    [message] = smtp.messages
    unsubscribe = link(message, "/afmeld/")
    scanner = Client()
    page = scanner.get(unsubscribe)
    assert page.status_code == 200 and "Afmeld mig" in page.content.decode()
    assert Subscriber.objects.filter(pk=subscribed.pk).exists()

    mail_client = Client(enforce_csrf_checks=True)  # no cookie, no token: what a mail client sends (RFC 8058)
    response = mail_client.post(
        unsubscribe, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 200
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert scanner.get(unsubscribe).status_code == 404
    # nothing more is sent
    smtp.clear()
    other = Meeting.objects.create(committee=meeting.committee, starts_at=meeting.starts_at + dt.timedelta(days=7))
    services.agenda_item_add(meeting=other, data={"title": "Budget"}, by=_staff())
    publish(other)
    assert smtp.messages == []


def _staff():
    from django.contrib.auth.models import User

    return User.objects.get(username="signe")


def test_the_unsubscribe_button_page_posts_and_unsubscribes(client, smtp, subscribed, agenda, publish):
    publish(agenda)
    unsubscribe = link(smtp.messages[0], "/afmeld/")
    page = client.get(unsubscribe).content.decode()
    assert f'action="{unsubscribe}"' in page
    response = client.post(unsubscribe)
    assert response.status_code == 200 and "Du er afmeldt" in response.content.decode()
    assert not Subscriber.objects.exists()


def test_the_manage_page_changes_exports_and_deletes(
    client, smtp, subscribed, committee, other_committee, agenda, publish
):
    publish(agenda)
    [message] = smtp.messages
    manage = manage_link(message)
    page = client.get(manage)
    assert page.status_code == 200 and ADDRESS in page.content.decode()
    assert page["X-Robots-Tag"] == "noindex, nofollow" and "no-cache" in page["Cache-Control"]

    bad = client.post(manage, {"frequency": "straks"})
    assert bad.status_code == 400 and "Vælg mindst ét udvalg." in bad.content.decode()
    bad = client.post(manage, {"committees": [committee.pk], "frequency": "hver-time"})
    assert bad.status_code == 400 and "Vælg hvor ofte du vil have e-mails." in bad.content.decode()

    response = client.post(manage, {"committees": [other_committee.pk], "frequency": "ugentligt"})
    assert response.status_code == 200 and "Dine ændringer er gemt." in response.content.decode()
    subscribed.refresh_from_db()
    assert list(subscribed.committees.all()) == [other_committee] and subscribed.frequency == "ugentligt"

    export = client.get(manage + "eksport/")
    assert export.status_code == 200 and "attachment" in export["Content-Disposition"]
    data = json.loads(export.content)
    assert data["e-mail"] == ADDRESS and data["udvalg"] == [other_committee.name]
    assert data["hyppighed"] == "Ugentligt overblik" and data["bekræftet"]
    assert [d["dokument"] for d in data["udsendelser"]] == ["Dagsorden"] and data["udsendelser"][0]["sendt"]

    confirm_page = client.get(manage + "slet/")
    assert confirm_page.status_code == 200 and Subscriber.objects.exists()
    response = client.post(manage + "slet/", {"bekraeft": "ja"})
    assert response.status_code == 200 and "Du er afmeldt" in response.content.decode()
    assert not Subscriber.objects.exists() and not Delivery.objects.exists()
    assert client.get(manage).status_code == 404


def test_forged_and_foreign_links_are_refused(client, subscribed):
    assert client.get(reverse("subscriptions:manage", args=["ikke-et-link"])).status_code == 404
    assert client.get(reverse("subscriptions:confirm", args=["ikke-et-link"])).status_code == 404
    # a confirmation token is not a manage token
    token = signing.dumps(str(subscribed.public_id), salt="subscriptions.unsubscribe")
    assert client.get(reverse("subscriptions:manage", args=[token])).status_code == 404


def test_a_confirmed_subscriber_is_changed_only_through_the_link(
    client, smtp, subscribed, committee, other_committee, post_subscribe
):
    """Knowing an address is not enough to change its subscriptions: a new request only sends a link."""
    response = post_subscribe([other_committee], ip="10.0.0.2", frequency="ugentligt")
    assert response.status_code == 302
    subscribed.refresh_from_db()
    assert list(subscribed.committees.all()) == [committee] and subscribed.frequency == "straks"
    [message] = smtp.messages
    client.post(link(message, "/bekraeft/"))
    subscribed.refresh_from_db()
    assert set(subscribed.committees.all()) == {committee, other_committee} and subscribed.frequency == "ugentligt"


def test_unconfirmed_requests_expire_after_48_hours(client, smtp, committee, post_subscribe, monkeypatch):
    post_subscribe([committee])
    [confirmation] = smtp.messages
    confirm = link(confirmation, "/bekraeft/")
    assert tasks.purge_unconfirmed() == 0  # young requests stay
    Subscriber.objects.update(requested_at=timezone.now() - dt.timedelta(hours=47))
    assert tasks.purge_unconfirmed() == 0
    later = signing.time.time() + 49 * 3600
    monkeypatch.setattr(signing.time, "time", lambda: later)
    assert client.get(confirm).status_code == 404  # the link has expired
    assert client.post(confirm).status_code == 404
    monkeypatch.undo()
    Subscriber.objects.update(requested_at=timezone.now() - dt.timedelta(hours=49))
    assert tasks.purge_unconfirmed() == 1
    assert not Subscriber.objects.exists()
    assert client.get(confirm).status_code == 404


def test_confirmed_subscribers_are_not_purged(subscribed):
    Subscriber.objects.update(requested_at=timezone.now() - dt.timedelta(days=30))
    assert tasks.purge_unconfirmed() == 0
    assert Subscriber.objects.exists()


def test_the_beat_schedule_purges_hourly_and_sends_the_digest_on_monday_morning(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert schedule["subscriptions-purge-unconfirmed"]["task"] == "subscriptions.purge_unconfirmed"
    digest = schedule["subscriptions-weekly-digest"]["schedule"]
    assert schedule["subscriptions-weekly-digest"]["task"] == "subscriptions.weekly_digest"
    assert digest.day_of_week == {1} and digest.hour == {7} and digest.minute == {0}


def test_the_privacy_page_says_what_is_kept_and_for_how_long(client, db):
    page = client.get(reverse("subscriptions:privacy")).content.decode()
    assert "Din e-mailadresse." in page
    assert "Bekræfter du ikke inden 48 timer, sletter vi det hele automatisk." in page
    assert "Hvilke dagsordener og referater vi har sendt dig" in page
    assert reverse("subscriptions:privacy") in client.get(subscribe_url()).content.decode()


def test_the_address_appears_on_no_public_surface(client, subscribed, agenda, publish, committee):
    publish(agenda)
    for url in [
        reverse("pages:committee", args=[committee.slug]),
        reverse("meetings:list"),
        reverse("meetings:detail", args=[agenda.pk]),
        reverse("meetings:committee_feed", args=[committee.slug]),
        reverse("meetings:feed"),
        reverse("subscriptions:subscribe"),
    ]:
        assert ADDRESS not in client.get(url).content.decode(), url
    assert ADDRESS not in str(subscribed)
