"""Seats in a committee. The core owns its rows: recruitment appoints members and fills vacancies through these
functions instead of writing Person and CommitteeMembership itself."""

from ..models import CommitteeMembership, Person


def person_for_citizen(*, name: str, email: str) -> Person:
    """A citizen appointed from an application becomes a Person of their own (their application is not kept)."""
    person = Person(name=name, email=email)
    person.full_clean()
    person.save()
    return person


def membership_create(
    *,
    committee,
    person: Person,
    member_kind: str,
    role: str = CommitteeMembership.Role.MEMBER,
    party=None,
    seat_group: str = "",
    starts_on=None,
    replaces: CommitteeMembership | None = None,
) -> CommitteeMembership:
    """A seat, validated before it is saved (the caller's transaction holds the rest of the appointment)."""
    membership = CommitteeMembership(
        committee=committee,
        person=person,
        role=role,
        member_kind=member_kind,
        party=party,
        seat_group=seat_group,
        starts_on=starts_on,
        replaces=replaces,
    )
    membership.full_clean()
    membership.save()
    return membership
