"""Every page's footer links to the accessibility statement, which the municipality keeps current in the admin
(webtilgængelighedsloven); until the secretariat has saved one, the portal shows a default text."""

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from gentofte_portal.pages.models import AccessibilityStatement

pytestmark = pytest.mark.django_db

URL = reverse("pages:accessibility")


@pytest.fixture
def secretariat_admin(client):
    user = User.objects.create_user("signe-admin", password="x-12345-abc", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])
    from gentofte_portal.common.roles import secretariat_permissions_sync

    secretariat_permissions_sync()
    client.force_login(user)
    return client


def statement_post(body, body_en=""):
    return {"body": body, "body_en": body_en}


@pytest.mark.parametrize("url", ["/", "/udvalg/", "/moeder/", "/opslag/", URL])
def test_every_page_links_to_the_statement(client, url):
    html = client.get(url).content.decode()
    assert f'<a href="{URL}">Tilgængelighedserklæring</a>' in html


def test_a_default_text_until_the_municipality_writes_its_own(client):
    page = client.get(URL).content.decode()
    assert "WCAG 2.1 niveau AA" in page
    assert "Digitaliseringsstyrelsen" in page


def test_the_secretariat_edits_the_statement_in_the_admin(secretariat_admin, client):
    add = reverse("admin:pages_accessibilitystatement_add")
    body = (
        "# Overholdelse\n\nPortalen overholder delvist WCAG 2.1 AA.\n\n"
        "# Kontakt\n\nSkriv til [tilgaengelighed@gentofte.dk](mailto:tilgaengelighed@gentofte.dk).\n\n"
        "<script>alert(1)</script>"
    )
    response = secretariat_admin.post(add, statement_post(body, "# Compliance\n\nPartly compliant."))
    assert response.status_code == 302

    page = client.get(URL).content.decode()
    assert "<h2>Overholdelse</h2>" in page
    assert "Portalen overholder delvist WCAG 2.1 AA." in page
    assert 'href="mailto:tilgaengelighed@gentofte.dk"' in page
    assert "<script>alert(1)</script>" not in page
    assert "Senest opdateret" in page
    assert "Digitaliseringsstyrelsen, som fører tilsyn" not in page  # the default text is gone

    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h2>Compliance</h2>" in english

    # One statement: it is changed, not added to, and never deleted; each save is kept in its history.
    statement = AccessibilityStatement.objects.get()
    assert secretariat_admin.get(add).status_code == 403
    change = reverse("admin:pages_accessibilitystatement_change", args=[statement.pk])
    assert secretariat_admin.post(change, statement_post("Ny tekst.")).status_code == 302
    assert "Ny tekst." in client.get(URL).content.decode()
    assert statement.history.count() == 2
    delete = reverse("admin:pages_accessibilitystatement_delete", args=[statement.pk])
    assert secretariat_admin.post(delete, {"post": "yes"}).status_code == 403
    assert AccessibilityStatement.objects.exists()


def test_the_statements_old_admin_address_leads_to_the_new_one(secretariat_admin):
    statement = AccessibilityStatement.objects.create(body="Erklæring")
    response = secretariat_admin.get(f"/admin/gentofte_portal/accessibilitystatement/{statement.pk}/change/")
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:pages_accessibilitystatement_change", args=[statement.pk])
    assert secretariat_admin.get(response["Location"]).status_code == 200
