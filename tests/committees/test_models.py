"""The committee data keeps the Gentofte model's rules: chairs are council members, only task committees have a
life-cycle status, and seats add up."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from committees.models import Committee, CommitteeMembership, StandingCommittee, TaskCommittee
from tests.factories import CommitteeMembershipFactory, PartyFactory, PersonFactory, TaskCommitteeFactory, TermFactory

pytestmark = pytest.mark.django_db


def test_citizen_cannot_chair_a_committee():
    membership = CommitteeMembershipFactory.build(
        committee=TaskCommitteeFactory(),
        person=PersonFactory(),
        party=PartyFactory(letter="C"),
        member_kind="borger",
        role="formand",
    )
    with pytest.raises(ValidationError) as err:
        membership.full_clean()
    assert "kommunalbestyrelsen" in str(err.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        membership.save()


def test_proxies_keep_kinds_apart():
    term = TermFactory()
    standing = StandingCommittee.objects.create(term=term, name="Skoleudvalget", slug="skoleudvalget", seats=7)
    task = TaskCommittee.objects.create(term=term, name="Opgaveudvalg om Trafik", slug="trafik", seats=15)
    assert standing.kind == Committee.Kind.STANDING and standing.status == ""
    assert task.kind == Committee.Kind.TASK and task.status == Committee.Status.PROPOSED
    assert list(StandingCommittee.objects.all()) == [standing]
    assert list(TaskCommittee.objects.all()) == [task]


def test_standing_committee_cannot_have_a_status():
    with pytest.raises(IntegrityError), transaction.atomic():
        Committee.objects.create(kind="staaende", term=TermFactory(), name="X", slug="x", seats=7, status="nedsat")


def test_seats_must_add_up():
    committee = TaskCommitteeFactory.build(term=TermFactory(), seats=15, politician_seats=5, citizen_seats=9)
    with pytest.raises(ValidationError) as err:
        committee.full_clean()
    assert "seats" in err.value.message_dict


def test_term_must_end_after_it_starts():
    import datetime as dt

    with pytest.raises(IntegrityError), transaction.atomic():
        TermFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2021, 1, 1))


def test_membership_roles_are_listed_in_danish():
    assert CommitteeMembership.Role.CHAIR.label == "Formand"
    assert CommitteeMembership.Role.VICE_CHAIR.label == "Næstformand"
