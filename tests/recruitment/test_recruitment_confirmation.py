"""A citizen confirms once before withdrawing or deleting their data (issue 13), often on a phone: the private link's
buttons lead to a page that says in Danish what will happen; only its POST with ``bekraeft=ja`` acts."""

import datetime as dt
import html
import re

import pytest
from django.test import Client
from django.utils import timezone

from recruitment.models import Application
from recruitment.tokens import application_token

pytestmark = pytest.mark.django_db

CONFIRMED = {"bekraeft": "ja"}


def text(response) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode())).split())


def confirm_form(response) -> str:
    for form in re.findall(r"<form\b.*?</form>", response.content.decode(), flags=re.S):
        if 'name="bekraeft"' in form:
            return form
    return ""


@pytest.fixture
def application(open_call) -> Application:
    return Application.objects.create(
        call=open_call,
        name="Alma Ravn",
        email="alma.ravn@example.org",
        postcode="2900",
        district="hellerup",
        birth_year=timezone.localdate().year - 20,
        gender="kvinde",
        competences=["Går i skole"],
        motivation="Jeg vil gerne have, at unge bliver hørt.",
        consent_at=timezone.now(),
    )


@pytest.fixture
def status_path(application) -> str:
    return f"/ansoegning/{application_token(application)}/"


ACTIONS = {
    "withdraw": (
        "traek-tilbage/",
        "Træk ansøgningen tilbage",
        [
            "Din ansøgning til Opgaveudvalg for Ungepolitik slettes med det samme",
            "Den kan ikke gendannes, og dit private link holder op med at virke.",
        ],
        "Træk ansøgningen tilbage",
    ),
    "delete": (
        "slet/",
        "Slet mine data",
        [
            "Vi sletter din ansøgning til Opgaveudvalg for Ungepolitik og alle de oplysninger, du har givet os, med det "
            "samme.",
            "Den kan ikke gendannes",
        ],
        "Slet mine data",
    ),
}


def _gone(application) -> bool:
    return not Application.objects.filter(pk=application.pk).exists()


@pytest.mark.parametrize("name", ACTIONS)
def test_get_shows_what_will_happen_and_a_form_to_confirm(client, application, status_path, name):
    suffix, title, says, button = ACTIONS[name]
    url = status_path + suffix

    response = client.get(url)

    assert response.status_code == 200
    assert f"<h1>{title}</h1>" in response.content.decode()
    page = text(response)
    for phrase in says:
        assert phrase in page, phrase
    form = confirm_form(response)
    assert f'method="post" action="{url}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert re.search(r'<button type="submit" name="bekraeft" value="ja"[^>]*>' + re.escape(button), form)
    assert f'href="{status_path}">Fortryd</a>' in form
    # Behind a private link: never in a shared cache, never indexed.
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert not _gone(application)


@pytest.mark.parametrize("name", ACTIONS)
@pytest.mark.parametrize("answer", [None, "", "nej", "JA"])
def test_a_post_without_the_confirmation_changes_nothing(client, application, status_path, name, answer):
    response = client.post(status_path + ACTIONS[name][0], {} if answer is None else {"bekraeft": answer})

    assert response.status_code == 200
    assert confirm_form(response)
    application.refresh_from_db()
    assert application.deletion_requested_at is None


@pytest.mark.parametrize("name", ACTIONS)
def test_the_confirmed_post_deletes_the_application(client, application, status_path, name):
    response = client.post(status_path + ACTIONS[name][0], CONFIRMED)

    assert response.status_code == 200
    assert "Din ansøgning er slettet" in text(response)
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert _gone(application)
    assert client.get(status_path).status_code == 404
    assert client.get(status_path + ACTIONS[name][0]).status_code == 404


@pytest.mark.parametrize("name", ACTIONS)
def test_a_wrong_token_is_refused_on_the_page_and_the_action(client, application, status_path, name, staff):
    """Only the private link opens the page; a forged or another applicant's link is 404, even for staff."""
    token = status_path.split("/")[2]
    forged = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    staff_client = Client()
    staff_client.force_login(staff)
    for who in (client, staff_client):
        url = f"/ansoegning/{forged}/{ACTIONS[name][0]}"
        assert who.get(url).status_code == 404
        assert who.post(url, CONFIRMED).status_code == 404
    assert not _gone(application)


def test_the_status_page_links_to_the_confirmation_pages(client, status_path):
    page = client.get(status_path).content.decode()
    for suffix in ("traek-tilbage/", "slet/"):
        assert f'href="{status_path}{suffix}"' in page
        assert f'action="{status_path}{suffix}"' not in page  # no button that acts at once


# --- An appointed member -------------------------------------------------------------------------------------------


@pytest.fixture
def appointed(application) -> Application:
    Application.objects.filter(pk=application.pk).update(status=Application.Status.APPOINTED)
    application.refresh_from_db()
    return application


def test_an_appointed_member_is_told_why_withdrawing_is_not_possible(client, appointed, status_path):
    response = client.get(status_path + "traek-tilbage/")

    assert response.status_code == 200
    assert "Du er udpeget som medlem. Kontakt sekretariatet, hvis du vil udtræde." in text(response)
    assert not confirm_form(response)
    refused = client.post(status_path + "traek-tilbage/", CONFIRMED)
    assert refused.status_code == 400
    assert "Kontakt sekretariatet" in text(refused)
    assert not _gone(appointed)


def test_an_appointed_member_confirms_a_request_to_the_secretariat(client, appointed, status_path):
    url = status_path + "slet/"
    response = client.get(url)
    assert "Sekretariatet får din anmodning og kontakter dig om, hvad der kan slettes." in text(response)
    assert re.search(r'name="bekraeft" value="ja"[^>]*>Bed om at få slettet mine data', confirm_form(response))

    client.post(url, {})
    appointed.refresh_from_db()
    assert appointed.deletion_requested_at is None

    before = timezone.now()
    response = client.post(url, CONFIRMED)
    assert "Vi har modtaget din anmodning" in text(response)
    appointed.refresh_from_db()
    assert before <= appointed.deletion_requested_at <= timezone.now() + dt.timedelta(seconds=1)
    assert not _gone(appointed)
