"""Seats are made only by committees.services.memberships: built (and checked) for a bulk load, created one by one
for an appointment, or ensured (made or brought up to date) for data loaded again and again."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from committees.models import CommitteeMembership
from committees.services import membership_build, membership_create, membership_ensure
from tests.factories import PartyFactory, PersonFactory, TaskCommitteeFactory

pytestmark = pytest.mark.django_db

MEMBER, CHAIR = CommitteeMembership.Role.MEMBER, CommitteeMembership.Role.CHAIR
POLITICIAN, CITIZEN = CommitteeMembership.MemberKind.POLITICIAN, CommitteeMembership.MemberKind.CITIZEN


@pytest.fixture
def committee():
    return TaskCommitteeFactory(starts_on=dt.date(2018, 9, 1), ends_on=dt.date(2019, 9, 1))


@pytest.mark.parametrize("check_database", [True, False])
def test_a_built_seat_is_unsaved_and_keeps_its_own_rules_either_way(committee, check_database):
    person = PersonFactory()
    seat = membership_build(committee=committee, person=person, member_kind=CITIZEN, check_database=check_database)
    assert seat.pk is None and not CommitteeMembership.objects.exists()

    with pytest.raises(ValidationError, match="Formand og næstformand"):
        membership_build(
            committee=committee, person=person, member_kind=CITIZEN, role=CHAIR, check_database=check_database
        )
    with pytest.raises(ValidationError):
        membership_build(committee=committee, person=person, member_kind="ukendt", check_database=check_database)


def test_the_quick_check_needs_no_query_and_the_full_one_finds_a_taken_period(committee, django_assert_num_queries):
    person = PersonFactory()
    with django_assert_num_queries(0):
        membership_build(committee=committee, person=person, member_kind=CITIZEN, check_database=False)
    membership_create(committee=committee, person=person, member_kind=CITIZEN, starts_on=committee.starts_on)

    with pytest.raises(ValidationError):  # the same period again
        membership_build(committee=committee, person=person, member_kind=CITIZEN, starts_on=committee.starts_on)


def test_ensure_makes_the_seat_once_and_then_brings_it_up_to_date(committee):
    person, party = PersonFactory(), PartyFactory(letter="C")
    seat = dict(committee=committee, person=person, starts_on=committee.starts_on, member_kind=POLITICIAN)

    first = membership_ensure(**seat, party=party, seat_group="C")
    again = membership_ensure(**seat, party=party, seat_group="C")
    changed = membership_ensure(**seat, role=CHAIR, party=party, seat_group="C", ends_on=committee.ends_on)

    assert first.pk == again.pk == changed.pk
    stored = CommitteeMembership.objects.get()
    assert (stored.role, stored.party, stored.seat_group, stored.ends_on) == (CHAIR, party, "C", committee.ends_on)


def test_ensure_leaves_an_unchanged_seat_unwritten_and_refuses_a_broken_one(committee, django_assert_num_queries):
    person = PersonFactory()
    seat = dict(committee=committee, person=person, starts_on=committee.starts_on, member_kind=CITIZEN)
    membership_ensure(**seat)

    with django_assert_num_queries(3):  # savepoint, the lookup, release: no UPDATE
        membership_ensure(**seat)
    with pytest.raises(ValidationError, match="Formand og næstformand"):
        membership_ensure(**seat, role=CHAIR)
    assert CommitteeMembership.objects.get().role == MEMBER
