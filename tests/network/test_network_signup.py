"""Joining the network from the public page (issue 16, part 3): double opt-in by an emailed link, explicit consent,
the application form's rate limit and honeypot, and deletion of signups never confirmed."""

import datetime as dt
import types

import pytest
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from gentofte_portal.network import tasks
from gentofte_portal.network.models import Member
from tests.network.conftest import competence, days_ago, interest, link, mails_to, make_member

pytestmark = pytest.mark.django_db

ADDRESS = "ida.borger@example.org"
SIGNUP = "/netvaerk/tilmeld/"


@pytest.fixture
def post_signup(client, django_capture_on_commit_callbacks):
    """POST the form like a browser, running what is scheduled after commit."""

    def post(*, ip="10.0.0.1", **overrides):
        data = {
            "name": "Ida Borger",
            "email": ADDRESS,
            "district": "vangede",
            "competences": [competence("Data").pk, competence("Innovation").pk],
            "interests": [interest("Trafik og mobilitet").pk],
            "consent": "on",
            "website": "",
        }
        data.update(overrides)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP, data, REMOTE_ADDR=ip)

    return post


def test_the_signup_page_asks_for_name_email_district_choices_and_consent(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    page = response.content.decode()
    for field in ["name", "email", "district", "competences", "interests", "consent"]:
        assert f'name="{field}"' in page
    # The staff-maintained lists, seeded with the words of the issue.
    for word in ["Data", "Ledelse", "Digitalisering", "Innovation", "Borgerinddragelse"]:
        assert word in page
    assert "Vangede" in page  # the districts of the application form
    assert reverse("network:privacy") in page


def test_signup_then_confirm_by_the_emailed_link(client, post_signup):
    response = post_signup()
    assert response.status_code == 302 and response["Location"] == reverse("network:requested")
    member = Member.objects.get(email=ADDRESS)
    assert member.consent_at is None  # not in the network before the address is proven
    [message] = mail.outbox
    assert message.to == [ADDRESS]
    confirm = link(message, "/netvaerk/bekraeft/")

    # Following the link (a mail scanner does) shows a button and confirms nothing.
    assert client.get(confirm).status_code == 200
    member.refresh_from_db()
    assert member.consent_at is None

    response = client.post(confirm)
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.consent_at is not None
    assert member.consent_expires_at - member.consent_at == dt.timedelta(days=730)
    assert {c.name for c in member.competences.all()} == {"Data", "Innovation"}
    page = client.get(response["Location"]).content.decode()
    assert "Tak. Du er nu med i Sparringsnetværket." in page
    assert "Ida Borger" in page and ADDRESS in page


def test_no_consent_no_member(client, post_signup):
    response = post_signup(consent="")
    assert response.status_code == 400
    assert "Du skal give dit samtykke for at blive en del af netværket." in response.content.decode()
    assert not Member.objects.exists()
    assert mail.outbox == []


def test_bad_input_is_answered_next_to_the_field(client, post_signup):
    response = post_signup(name="", email="ikke-en-adresse", district="atlantis", competences=["9" * 40])
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv dit navn." in page
    assert "Skriv en gyldig e-mailadresse" in page
    assert "Vælg din bydel." in page
    assert "Vælg blandt punkterne på listen." in page
    assert not Member.objects.exists()


def test_the_honeypot_stores_and_sends_nothing(client, post_signup):
    response = post_signup(website="http://spam.example")
    assert response.status_code == 302
    assert not Member.objects.exists()
    assert mail.outbox == []


def test_signups_are_rate_limited_per_address(client, post_signup):
    for n in range(3):
        assert post_signup(ip=f"10.0.0.{n + 1}").status_code == 302
    response = post_signup(ip="10.0.0.9")
    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_signups_are_rate_limited_per_ip(client, post_signup):
    for n in range(10):
        assert post_signup(email=f"person{n}@example.org").status_code == 302
    assert post_signup(email="one.more@example.org").status_code == 429
    assert Member.objects.count() == 10


def test_a_member_signed_up_again_by_someone_else_is_not_changed(client, post_signup):
    member = make_member("Ida Borger", email=ADDRESS, district="hellerup", competences=["Ledelse"])
    assert post_signup(name="Nogen Andet", district="vangede").status_code == 302
    member.refresh_from_db()
    assert (member.name, member.district) == ("Ida Borger", "hellerup")
    assert [c.name for c in member.competences.all()] == ["Ledelse"]
    [message] = mails_to(ADDRESS)
    assert "du er allerede med" in message.body
    assert link(message, "/netvaerk/medlem/")


def test_unconfirmed_signups_are_deleted_after_the_confirmation_hours(client, post_signup, settings):
    post_signup()
    other = make_member("Nyere Tilmelding", confirmed=False)
    Member.objects.filter(email=ADDRESS).update(requested_at=timezone.now() - dt.timedelta(hours=49))
    result = tasks.housekeeping()
    assert result["unconfirmed"] == 1
    assert not Member.objects.filter(email=ADDRESS).exists()
    assert Member.objects.filter(pk=other.pk).exists()
    response = client.get(link(mail.outbox[0], "/netvaerk/bekraeft/"))
    assert response.status_code == 404
    assert "Linket virker ikke" in response.content.decode()


def test_the_confirmation_link_expires(client, post_signup, monkeypatch):
    post_signup()
    confirm = link(mail.outbox[0], "/netvaerk/bekraeft/")
    later = timezone.now().timestamp() + 49 * 3600
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    assert client.post(confirm).status_code == 404
    assert Member.objects.get(email=ADDRESS).consent_at is None


def test_a_tampered_confirmation_link_is_404(client, post_signup):
    post_signup()
    confirm = link(mail.outbox[0], "/netvaerk/bekraeft/")
    token = confirm.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    assert client.post(f"/netvaerk/bekraeft/{forged}/").status_code == 404
    assert Member.objects.get(email=ADDRESS).consent_at is None


def test_unconfirmed_members_older_than_a_day_are_kept_until_the_limit(client, post_signup):
    post_signup()
    Member.objects.update(requested_at=days_ago(1))
    assert tasks.housekeeping()["unconfirmed"] == 0
    assert Member.objects.exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"name": "Ida\x00Borger"},
        {"name": "I" * 201},
        {"email": "a" * 250 + "@example.org"},
        {"district": "x" * 5000},
        {"interests": ["-1", "abc"]},
    ],
    ids=["control-character", "long-name", "long-address", "unknown-district", "bad-keys"],
)
def test_hostile_input_is_refused_with_400_and_nothing_stored(client, post_signup, overrides):
    response = post_signup(**overrides)
    assert response.status_code == 400
    assert not Member.objects.exists()
    assert mail.outbox == []
