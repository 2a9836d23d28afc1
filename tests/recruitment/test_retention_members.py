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
