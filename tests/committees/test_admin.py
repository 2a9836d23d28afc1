"""Staff maintain the council and committees in the Django admin; others are sent to log in."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from committees.models import Committee

pytestmark = pytest.mark.django_db

MODELS = [
    "municipality",
    "term",
    "party",
    "person",
    "councilmembership",
    "committee",
    "standingcommittee",
    "taskcommittee",
]


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("admin:committees_committee_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize("model", MODELS)
def test_staff_sees_every_changelist(admin_client, demo, model):
    assert admin_client.get(reverse(f"admin:committees_{model}_changelist")).status_code == 200


def test_staff_opens_a_task_committee(admin_client, demo):
    committee = Committee.objects.get(name="Opgaveudvalg om Innovation")
    response = admin_client.get(reverse("admin:committees_taskcommittee_change", args=[committee.pk]))
    assert response.status_code == 200
    assert "Opgaveudvalg om Innovation" in response.content.decode()


def test_status_advances_one_step_through_the_admin_action(admin_client, demo):
    committee = Committee.objects.get(name="Opgaveudvalget Tryghed for borgerne")
    assert committee.status == "kommissorium_godkendt"
    response = admin_client.post(
        reverse("admin:committees_taskcommittee_changelist"),
        {"action": "advance_status", "_selected_action": [committee.pk]},
        follow=True,
    )
    assert response.status_code == 200
    committee.refresh_from_db()
    assert committee.status == "rekruttering"
    assert "Rekruttering" in response.content.decode()


def test_secretariat_staff_can_maintain_the_council_in_the_admin_but_see_no_applicants(client, demo):
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user("signe-admin", password="x-12345-abc", is_staff=True)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    client.force_login(user)
    for model in ["person", "councilmembership", "taskcommittee", "standingcommittee", "party", "term"]:
        assert client.get(reverse(f"admin:committees_{model}_changelist")).status_code == 200, model
    assert client.get(reverse("admin:committees_mandate_changelist")).status_code == 200
    assert client.get(reverse("admin:recruitment_applicationview_changelist")).status_code == 403
    page = client.get(reverse("admin:index")).content.decode()
    assert "Ansøgninger" not in page
