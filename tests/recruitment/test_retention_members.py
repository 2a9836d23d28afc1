"""Appointed members' applications are kept while they sit and deleted once the committee has ended (GDPR art.
5(1)(e)); a postcode typed with spaces is accepted."""

import datetime as dt

import pytest
from django.utils import timezone

from recruitment.models import Application
from recruitment.services import applications_purge

pytestmark = pytest.mark.django_db


def _application(call, status, email):
    return Application.objects.create(
        call=call,
        name="Ida Holm",
        email=email,
        postcode="2900",
        district="hellerup",
        birth_year=2004,
        motivation="Jeg vil være med.",
        consent_at=timezone.now(),
        status=status,
    )


def test_appointed_application_is_deleted_after_the_committee_has_ended(open_call):
    member = _application(open_call, Application.Status.APPOINTED, "ida@example.org")
    committee = open_call.committee
    assert applications_purge(days=90) == 0 and Application.objects.filter(pk=member.pk).exists()
    committee.status = "afsluttet"
    committee.ends_on = timezone.localdate() - dt.timedelta(days=30)
    committee.save()
    assert applications_purge(days=90) == 0  # not yet 90 days after the end
    committee.ends_on = timezone.localdate() - dt.timedelta(days=91)
    committee.save()
    assert applications_purge(days=90) == 1
    assert not Application.objects.filter(pk=member.pk).exists()


def test_postcode_with_spaces_is_accepted(client, open_call):
    from django.urls import reverse

    from tests.recruitment.conftest import application_data

    response = client.post(reverse("recruitment:apply", args=[open_call.pk]), application_data(postcode=" 2900 "))
    assert response.status_code == 302
    assert Application.objects.get().postcode == "2900"


def test_a_citizen_who_leaves_is_replaced_by_another_applicant_in_the_same_group(client, staff, open_call):
    from django.urls import reverse

    from committees.models import CommitteeMembership, Party, Person

    party = Party.objects.get(letter="C")
    leaver = CommitteeMembership.objects.create(
        committee=open_call.committee,
        person=Person.objects.create(name="Asta Borger"),
        member_kind="borger",
        party=party,
        seat_group="C",
        starts_on=timezone.localdate() - dt.timedelta(days=100),
    )
    runner_up = _application(open_call, Application.Status.NOT_APPOINTED, "bo@example.org")
    client.force_login(staff)
    url = reverse("recruitment:vacancy", args=[open_call.committee.slug, leaver.pk])
    page = client.get(url).content.decode()
    assert "Ida Holm (Hellerup, f. 2004, ikke udpeget)" in page
    response = client.post(url, {"ends_on": timezone.localdate().isoformat(), "replacement": runner_up.pk})
    assert response.status_code == 302
    successor = CommitteeMembership.objects.get(replaces=leaver)
    assert successor.person.name == "Ida Holm" and successor.member_kind == "borger"
    assert successor.seat_group == "C"
    runner_up.refresh_from_db()
    assert runner_up.status == Application.Status.APPOINTED
    leaver.refresh_from_db()
    assert leaver.ends_on == timezone.localdate()


def test_a_non_caseworker_sees_no_applicants_when_recording_a_vacancy(client, other_staff, open_call):
    from django.urls import reverse

    from committees.models import CommitteeMembership, Person

    leaver = CommitteeMembership.objects.create(
        committee=open_call.committee,
        person=Person.objects.create(name="Asta Borger"),
        member_kind="borger",
    )
    _application(open_call, Application.Status.NOT_APPOINTED, "bo@example.org")
    client.force_login(other_staff)
    page = client.get(reverse("recruitment:vacancy", args=[open_call.committee.slug, leaver.pk])).content.decode()
    assert "Ida Holm" not in page


def test_the_end_date_is_counted_in_danish_days_also_just_after_midnight(open_call):
    """At 00:30 in Copenhagen it is still the day before in UTC: the 91st day after the end is the 91st Danish day."""
    member = _application(open_call, Application.Status.APPOINTED, "ida@example.org")
    committee = open_call.committee
    committee.status = "afsluttet"
    committee.ends_on = dt.date(2026, 9, 1)  # 91 days before 1 December
    committee.save()
    just_after_midnight = dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC)  # 1 December 00:30 in Copenhagen
    assert applications_purge(now=just_after_midnight, days=90) == 1
    assert not Application.objects.filter(pk=member.pk).exists()
