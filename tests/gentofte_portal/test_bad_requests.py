"""What Django answers itself before a view runs: a body too large or unreadable gets the portal's own 400 page, in
Danish (English for those who chose it), and every login form, the admin's included, refuses a username no account
can have before anything is stored."""

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_body_over_the_upload_limit_gets_the_danish_400_page(settings):
    body = "username=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10) + "&password=x"
    response = Client().post(reverse("login"), body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Forespørgslen kunne ikke læses</h1>" in page
    assert "Intet er gemt." in page
    assert "Bad Request" not in page
    assert not AccessAttempt.objects.exists()


def test_a_multipart_body_without_a_boundary_gets_the_400_page():
    response = Client().post(reverse("login"), b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "Forespørgslen kunne ikke læses" in response.content.decode()


def test_the_400_page_speaks_english_to_those_who_chose_it():
    client = Client()
    client.cookies["django_language"] = "en"
    response = client.post(reverse("login"), b"--x\r\n", content_type="multipart/form-data")
    assert response.status_code == 400
    assert "The request could not be read" in response.content.decode()


@pytest.mark.parametrize(
    "username",
    ["a" * 10_000, "sekre\x00tariat", "sekre\x1btariat", "x" * 256],
    ids=["10000-chars", "nul", "escape", "256-chars"],
)
def test_the_admin_login_refuses_a_username_no_account_can_have_before_storing_anything(username):
    response = Client().post(reverse("admin:login"), {"username": username, "password": "forkert"})
    assert response.status_code == 200  # the form again, with the message (as on /log-ind/)
    assert response.context["form"].errors["username"]
    assert not AccessAttempt.objects.exists()
    assert not AccessFailureLog.objects.exists()


def test_the_admin_login_still_records_an_ordinary_failed_attempt():
    """The throttling still counts real attempts: the bound only stops names no account can have."""
    Client().post(reverse("admin:login"), {"username": "sekretariat", "password": "forkert"})
    assert AccessAttempt.objects.filter(username="sekretariat").exists()


def test_the_favicon_answers_where_browsers_look_for_it(client):
    from django.contrib.staticfiles import finders

    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith("img/favicon.ico")
    assert finders.find("img/favicon.ico")


@pytest.mark.parametrize("chosen", ["da", "en"])
def test_each_language_is_offered_in_its_own_language(client, chosen):
    client.cookies["django_language"] = chosen
    page = client.get("/").content.decode()
    assert '<option value="en" lang="en"' in page and ">English</option>" in page
    assert '<option value="da" lang="da"' in page and ">Dansk</option>" in page
    assert "Engelsk" not in page and "engelsk</option>" not in page
