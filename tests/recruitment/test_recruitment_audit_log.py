"""The audit log records who created, changed, allocated, deleted and viewed applicants' data, and is readable by
administrators only. It outlives the applications, so it must never hold what a citizen wrote about themselves."""

import json

import pytest
from auditlog.models import LogEntry
from django.contrib.auth.models import User
from django.urls import reverse

from recruitment.models import Allocation, Application, Call
from recruitment.tokens import application_token
from tests.recruitment.conftest import application_data
from tests.recruitment.test_allocation import confirm, groups_post, url

pytestmark = pytest.mark.django_db

PERSONAL = ["Alma Ravn", "alma.ravn@example.org", "Jeg vil gerne have, at unge bliver hørt", "Rigtig god kandidat"]


def entries_for(model, action=None):
    qs = LogEntry.objects.get_for_model(model)
    return qs.filter(action=action) if action is not None else qs


def everything_logged() -> str:
    """Every text the log holds, as an administrator could read it."""
    rows = LogEntry.objects.values("object_repr", "changes", "changes_text", "serialized_data", "additional_data")
    return json.dumps(list(rows), ensure_ascii=False, default=str)


def apply(client, call) -> Application:
    response = client.post(reverse("recruitment:apply", args=[call.pk]), application_data())
    assert response.status_code == 302, response.content.decode()
    return Application.objects.get(email="alma.ravn@example.org")


def test_a_citizens_application_staffs_views_and_shortlisting_are_logged_without_personal_data(
    client, staff, open_call
):
    application = apply(client, open_call)
    created = entries_for(Application, LogEntry.Action.CREATE).get(object_pk=str(application.pk))
    assert created.actor is None  # the citizen has no login

    client.force_login(staff)
    assert client.get(reverse("recruitment:review", args=[open_call.pk])).status_code == 200
    detail = reverse("recruitment:application", args=[open_call.pk, application.pk])
    assert client.get(detail).status_code == 200
    response = client.post(detail, {"reason": "Rigtig god kandidat", "action": "indstil"})
    assert response.status_code == 302

    list_view = entries_for(Call, LogEntry.Action.ACCESS).get()
    assert (list_view.actor, list_view.object_pk) == (staff, str(open_call.pk))
    viewed = entries_for(Application, LogEntry.Action.ACCESS).get()
    assert (viewed.actor, viewed.object_pk) == (staff, str(application.pk))
    shortlisted = entries_for(Application, LogEntry.Action.UPDATE).get()
    assert shortlisted.actor == staff
    assert shortlisted.changes_dict["status"] == ["modtaget", "indstillet"]

    logged = everything_logged()
    assert not [text for text in PERSONAL if text in logged]


def test_a_withdrawn_application_leaves_a_deletion_without_personal_data(client, open_call):
    application = apply(client, open_call)
    token = application_token(application)
    assert client.post(reverse("recruitment:withdraw", args=[token]), {"bekraeft": "ja"}).status_code in (200, 302)

    assert not Application.objects.exists()
    assert entries_for(Application, LogEntry.Action.DELETE).filter(object_pk=str(application.pk)).exists()
    logged = everything_logged()
    assert not [text for text in PERSONAL if text in logged]


def test_confirming_an_allocation_is_logged_with_who_did_it(client, staff, council, open_call, task_committee):
    client.force_login(staff)
    client.post(url("allocation", task_committee), groups_post())
    allocation = confirm(client, task_committee)

    entry = entries_for(Allocation, LogEntry.Action.CREATE).get(object_pk=str(allocation.pk))
    assert entry.actor == staff
    assert "final_seats" in entry.changes_dict


def test_administrators_read_the_log_and_staff_do_not(client, staff, open_call):
    apply(client, open_call)
    admin = User.objects.create_superuser("admin", "admin@example.org", "pw-12345-abc")
    changelist = reverse("admin:auditlog_logentry_changelist")

    client.force_login(admin)
    page = client.get(changelist)
    assert page.status_code == 200
    assert "Ansøgning nr." in page.content.decode()

    staff.is_staff = True  # the secretariat uses the admin, but not the log of its own actions
    staff.save()
    client.force_login(staff)
    assert client.get(changelist).status_code == 403
