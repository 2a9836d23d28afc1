"""Joining from a link that already proves the address: an applicant from their private application page (the
form filled in from the application), and a citizen member of a committee that ends (an emailed invitation)."""

import time
import types

import pytest
from django.core import mail, signing

from committees.models import Committee
from committees.services import task_committee_set_status
from gentofte_portal.network.models import Member
from gentofte_portal.network.tokens import join_token
from recruitment.models import Application
from tests.network.conftest import application_data, competence, interest, link, mails_to, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def applied(client, open_call, django_capture_on_commit_callbacks):
    """Alma applied to the call through the form; returns the path of her private application page."""
    open_call.competences = ["Data", "Går i skole"]
    open_call.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/opslag/{open_call.pk}/ansoeg/", application_data(competences=["Data"]), REMOTE_ADDR="10.1.1.1"
        )
    assert response.status_code == 302, response.content.decode()[:1000]
    [receipt] = mail.outbox
    mail.outbox.clear()
    return link(receipt, "/ansoegning/")


def test_an_applicant_joins_from_their_application_page(client, applied):
    status = client.get(applied).content.decode()
    assert "Bliv en del af Sparringsnetværket" in status
    join_url = next(part.split('"')[0] for part in status.split('href="')[1:] if "/netvaerk/fra-ansoegning/" in part)

    response = client.get(join_url)
    assert response.status_code == 200
    form = response.context["form"]
    # Filled in from the application: name, district and the competences the list knows.
    assert form.initial["name"] == "Alma Ravn"
    assert form.initial["district"] == "hellerup"
    assert form.initial["competences"] == [competence("Data").pk]
    assert "alma.ravn@example.org" in response.content.decode()

    # Without consent, nothing.
    response = client.post(join_url, {"name": "Alma Ravn", "district": "hellerup"})
    assert response.status_code == 400
    assert not Member.objects.exists()

    data = {
        "name": "Alma Ravn",
        "district": "hellerup",
        "competences": [competence("Data").pk],
        "interests": [interest("Børn og unge").pk],
        "consent": "on",
    }
    response = client.post(join_url, data)
    assert response.status_code == 302
    member = Member.objects.get()
    # The private link of the application proves the address: the member is in at once.
    assert member.email == "alma.ravn@example.org" and member.consent_at is not None
    assert member.source == Member.Source.APPLICATION
    assert "Tak. Du er nu med i Sparringsnetværket." in client.get(response["Location"]).content.decode()
    # The application itself is untouched.
    assert Application.objects.get().status == Application.Status.RECEIVED


def test_a_tampered_application_link_cannot_join(client, applied):
    token = applied.rstrip("/").rsplit("/", 1)[1]
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(f"/netvaerk/fra-ansoegning/{forged}/").status_code == 404
    assert client.post(f"/netvaerk/fra-ansoegning/{forged}/", {"consent": "on"}).status_code == 404
    assert not Member.objects.exists()


def test_when_a_committee_ends_its_citizen_members_are_invited_to_join(
    client, closing_committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        task_committee_set_status(committee=closing_committee, status=Committee.Status.CLOSED)
    # The citizen with an address; not the politician, not the citizen without one.
    assert [m.to for m in mail.outbox] == [["bo.borger@example.org"]]
    message = mail.outbox[0]
    assert closing_committee.name in message.body
    join_url = link(message, "/netvaerk/bliv-medlem/")

    response = client.get(join_url)
    assert response.status_code == 200
    assert response.context["form"].initial == {"name": "Bo Borger"}
    response = client.post(
        join_url,
        {"name": "Bo Borger", "district": "ordrup", "competences": [competence("Ledelse").pk], "consent": "on"},
    )
    assert response.status_code == 302
    member = Member.objects.get()
    assert (member.email, member.source) == ("bo.borger@example.org", Member.Source.COMMITTEE)
    assert member.consent_at is not None


def test_a_committee_that_only_moves_on_sends_no_invitation(task_committee, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        task_committee_set_status(committee=task_committee, status=Committee.Status.RECRUITING)
    assert mail.outbox == []


def test_a_citizen_already_in_the_network_is_not_invited_again(closing_committee, django_capture_on_commit_callbacks):
    make_member("Bo Borger", email="bo.borger@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        task_committee_set_status(committee=closing_committee, status=Committee.Status.CLOSED)
    assert mails_to("bo.borger@example.org") == []


def test_a_tampered_or_expired_invitation_to_join_is_404(client, settings, monkeypatch):
    token = join_token(name="Bo Borger", email="bo.borger@example.org", committee_id=1)
    forged = signing.dumps({"n": "Mallory", "e": "mallory@example.org", "c": 1}, salt="network.manage")
    assert client.get(f"/netvaerk/bliv-medlem/{forged}/").status_code == 404
    assert client.get(f"/netvaerk/bliv-medlem/{token[:-1]}{'x' if token[-1] != 'x' else 'y'}/").status_code == 404
    settings.NETWORK_JOIN_LINK_DAYS = 0
    later = time.time() + 5
    monkeypatch.setattr(signing, "time", types.SimpleNamespace(time=lambda: later))
    assert client.post(f"/netvaerk/bliv-medlem/{token}/", {"consent": "on"}).status_code == 404
    assert not Member.objects.exists()
