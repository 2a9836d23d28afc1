"""The admin cannot bypass the workflow: what a role may only view in the admin (mandates, meetings, the deliverable
approvals, allocations) refuses every write with 403, history reverts included, and nothing changes."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Mandate
from gentofte_portal.common.roles import secretariat_permissions_sync
from meetings.models import Meeting
from tests.factories import MandateFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def mandate():
    """A published mandate with two versions in its history: the first was a draft."""
    m = MandateFactory(status=Mandate.Status.DRAFT)
    m.status = Mandate.Status.PUBLISHED
    m.revision = 2
    m.save()
    return m


@pytest.fixture
def meeting(mandate):
    return Meeting.objects.create(
        committee=mandate.committee, starts_at=timezone.now() + dt.timedelta(days=3), location="Rådhuset"
    )


def _client(role: str) -> Client:
    if role == "superuser":
        user = User.objects.create_superuser("root-admin", password="pw-12345-abc")
    else:
        user = User.objects.create_user("signe-admin", password="pw-12345-abc", is_staff=True)
        user.groups.add(Group.objects.get_or_create(name="Sekretariat")[0])
        secretariat_permissions_sync()
    client = Client()
    client.force_login(user)
    return client


def _state():
    return (
        list(Mandate.objects.values()),
        Mandate.history.count(),
        list(Meeting.objects.values()),
    )


@pytest.mark.parametrize("role", ["secretariat", "superuser"])
def test_no_one_reverts_a_mandate_from_its_history(mandate, role):
    client = _client(role)
    first = mandate.history.order_by("history_id").first()
    url = reverse("admin:committees_mandate_simple_history", args=[mandate.pk, first.history_id])
    assert client.get(url).status_code == 200  # the old version can be read
    before = _state()

    response = client.post(url, {})

    assert response.status_code == 403
    assert _state() == before
    mandate.refresh_from_db()
    assert (mandate.status, mandate.revision) == (Mandate.Status.PUBLISHED, 2)


@pytest.mark.parametrize("role", ["secretariat", "superuser"])
def test_the_mandate_admin_refuses_every_write(mandate, role):
    client = _client(role)
    before = _state()
    urls = [
        reverse("admin:committees_mandate_change", args=[mandate.pk]),
        reverse("admin:committees_mandate_add"),
    ]
    if role == "secretariat":
        urls.append(reverse("admin:committees_mandate_delete", args=[mandate.pk]))
    for url in urls:
        response = client.post(url, {"status": "kladde", "post": "yes"})
        assert response.status_code == 403, url
    assert _state() == before


def test_the_secretariat_cannot_write_what_it_may_only_view(mandate, meeting):
    client = _client("secretariat")
    before = _state()
    for url in [
        reverse("admin:meetings_meeting_change", args=[meeting.pk]),
        reverse("admin:meetings_meeting_delete", args=[meeting.pk]),
        reverse("admin:meetings_meeting_add"),
        reverse("admin:recruitment_allocation_add"),
    ]:
        response = client.post(url, {"location": "Et andet sted", "post": "yes"})
        assert response.status_code == 403, url
    assert _state() == before


def test_the_secretariat_still_reverts_the_accessibility_statement_it_may_change():
    from gentofte_portal.pages.models import AccessibilityStatement

    statement = AccessibilityStatement.objects.create(body="Første udgave")
    statement.body = "Anden udgave"
    statement.save()
    first = statement.history.order_by("history_id").first()
    client = _client("secretariat")
    url = reverse("admin:pages_accessibilitystatement_simple_history", args=[statement.pk, first.history_id])

    response = client.post(url, {"body": "Første udgave", "body_en": ""})

    assert response.status_code == 302
    statement.refresh_from_db()
    assert statement.body == "Første udgave"
