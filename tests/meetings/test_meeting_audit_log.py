"""The audit log names who created, changed and published a meeting's agenda and items, and who proposed a task
committee (django-auditlog, read by administrators in the admin)."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from committees.models import Committee
from meetings.models import AgendaItem, Meeting
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db


def test_adding_an_item_and_publishing_the_agenda_are_logged_with_who(staff_client, staff, meeting):
    response = staff_client.post(
        reverse("meetings:item_add", args=[meeting.pk]),
        {
            "title": "Status på arbejdet",
            "case_number": "",
            "summary": "",
            "recommendation": "",
            "earlier_decisions": "",
        },
    )
    assert response.status_code == 302
    item = AgendaItem.objects.get(meeting=meeting)
    created = LogEntry.objects.get_for_object(item).get(action=LogEntry.Action.CREATE)
    assert created.actor == staff

    assert staff_client.post(reverse("meetings:publish", args=[meeting.pk]), {"bekraeft": "ja"}).status_code == 302

    published = LogEntry.objects.get_for_model(Meeting).filter(action=LogEntry.Action.UPDATE, object_pk=str(meeting.pk))
    entry = next(e for e in published if "agenda_published_at" in e.changes_dict)
    assert entry.actor == staff
    before, after = entry.changes_dict["agenda_published_at"]
    assert before == "None" and after != "None"


def test_proposing_a_task_committee_is_logged_with_who(staff_client, staff, term):
    standing = CommitteeFactory(term=term, name="Børneudvalget", slug="boern")
    response = staff_client.post(
        reverse("committees:propose"),
        {"name": "Opgaveudvalg for Bevægelse", "proposed_by": [standing.pk], "purpose": "Børn skal bevæge sig."},
    )
    assert response.status_code == 302
    committee = Committee.objects.get(name="Opgaveudvalg for Bevægelse")
    entries = LogEntry.objects.get_for_model(type(committee)).filter(object_pk=str(committee.pk))
    assert entries.filter(action=LogEntry.Action.CREATE, actor=staff).exists()
