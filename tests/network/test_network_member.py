"""The member's own pages behind their signed link (update, export, delete, renew), and consent that lapses: a
reminder a month before, removal after 2 years without renewal (time moved by setting the dates)."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from gentofte_portal.network import tasks
from gentofte_portal.network.models import Invitation, Member
from gentofte_portal.network.tokens import confirm_token, manage_token
from tests.network.conftest import competence, days_ago, interest, link, mails_to, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(db):
    return make_member("Karl Ravn", district="ordrup", competences=["Data"], interests=["Idræt"])


def page(member) -> str:
    return reverse("network:manage", args=[manage_token(member)])


def test_the_member_sees_and_updates_their_data(client, member):
    response = client.get(page(member))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    text = response.content.decode()
    assert "Karl Ravn" in text and "karl.ravn@example.org" in text

    response = client.post(
        page(member),
        {
            "name": "Karl S. Ravn",
            "district": "vangede",
            "competences": [competence("Ledelse").pk, competence("Jura").pk],
            "interests": [interest("Ældre").pk],
        },
    )
    assert response.status_code == 200
    assert "Dine ændringer er gemt." in response.content.decode()
    member.refresh_from_db()
    assert (member.name, member.district) == ("Karl S. Ravn", "vangede")
    assert {c.name for c in member.competences.all()} == {"Ledelse", "Jura"}
    assert [i.name for i in member.interests.all()] == ["Ældre"]


def test_an_invalid_update_changes_nothing(client, member):
    response = client.post(page(member), {"name": "", "district": "mars"})
    assert response.status_code == 400
    assert "Skriv dit navn." in response.content.decode()
    member.refresh_from_db()
    assert member.name == "Karl Ravn"


def test_export_holds_everything_stored(client, member, staff):
    Invitation.objects.create(member=member, kind="sparring", task="Sparring om cykelstier", sent_by=staff)
    response = client.get(reverse("network:export", args=[manage_token(member)]))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["navn"] == "Karl Ravn"
    assert data["e-mail"] == "karl.ravn@example.org"
    assert data["bydel"] == "Ordrup"
    assert data["kompetencer"] == ["Data"] and data["interesser"] == ["Idræt"]
    assert data["samtykke_givet"] and data["samtykke_udløber"]
    assert data["invitationer"][0]["opgave"] == "Sparring om cykelstier"
    assert "Signe" not in response.content.decode()  # nothing about the staff member who sent it


def test_delete_asks_once_then_deletes_everything_at_once(client, member, staff):
    Invitation.objects.create(member=member, kind="sparring", task="Sparring", sent_by=staff)
    url = reverse("network:delete", args=[manage_token(member)])
    response = client.get(url)
    assert response.status_code == 200
    assert Member.objects.filter(pk=member.pk).exists()
    response = client.post(url, {"bekraeft": "ja"})
    assert response.status_code == 200
    assert "Dine data er slettet" in response.content.decode()
    assert not Member.objects.filter(pk=member.pk).exists()
    assert not Invitation.objects.exists()
    assert client.get(page(member)).status_code == 404


@pytest.mark.parametrize("name", ["manage", "export", "delete", "renew"])
def test_a_tampered_or_wrong_kind_of_link_is_404(client, member, name):
    token = manage_token(member)
    forged = token[:-1] + ("A" if token[-1] != "A" else "B")
    assert client.get(reverse(f"network:{name}", args=[forged])).status_code == 404
    # The confirmation link's token cannot open the private page (its own salt).
    assert client.get(reverse(f"network:{name}", args=[confirm_token(member)])).status_code == 404
    assert client.get(reverse(f"network:{name}", args=["x"])).status_code == 404


def test_an_unconfirmed_member_has_no_private_page(client):
    member = make_member("Ikke Bekræftet", confirmed=False)
    assert client.get(page(member)).status_code == 404


# --- Consent that lapses ------------------------------------------------------------------------------------------


def test_a_reminder_a_month_before_the_consent_lapses_with_a_renew_link(client, django_capture_on_commit_callbacks):
    due = make_member("Snart Udløbet", consent_at=days_ago(730 - 29))
    not_yet = make_member("Ny Nok", consent_at=days_ago(730 - 31))
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.housekeeping()
    assert result == {"unconfirmed": 0, "expired": 0, "reminded": 1}
    [message] = mail.outbox
    assert message.to == [due.email]
    assert mails_to(not_yet.email) == []
    renew = link(message, "/forny/")

    # Once per consent: the next day's run sends nothing.
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.housekeeping()["reminded"] == 0
    assert len(mail.outbox) == 1

    assert client.get(renew).status_code == 200
    response = client.post(renew)
    assert response.status_code == 302
    due.refresh_from_db()
    assert due.consent_at > days_ago(1)
    assert due.reminded_at is None
    assert "Tak. Dit samtykke er fornyet." in client.get(response["Location"]).content.decode()

    # Renewed, the member is not removed when the old consent would have lapsed.
    Member.objects.filter(pk=not_yet.pk).update(consent_at=days_ago(731))
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.housekeeping()
    assert result["expired"] == 1
    assert Member.objects.filter(pk=due.pk).exists()
    assert not Member.objects.filter(pk=not_yet.pk).exists()


def test_a_member_who_does_not_renew_is_removed_when_the_consent_lapses(client, django_capture_on_commit_callbacks):
    member = make_member("Glemt Forny", consent_at=days_ago(730 - 20))
    with django_capture_on_commit_callbacks(execute=True):
        tasks.housekeeping()
    renew = link(mail.outbox[0], "/forny/")
    Member.objects.filter(pk=member.pk).update(consent_at=days_ago(730 + 1))  # a month goes by without an answer
    with django_capture_on_commit_callbacks(execute=True):
        result = tasks.housekeeping()
    assert result["expired"] == 1
    assert not Member.objects.filter(pk=member.pk).exists()
    assert client.post(renew).status_code == 404  # too late: the data is gone
