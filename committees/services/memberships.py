"""Seats in a committee. The core owns its rows: recruitment appoints members and fills vacancies through these
functions, and the demo and load data (gentofte_portal.devdata) make their seats with them, instead of writing
Person and CommitteeMembership themselves."""

from django.db import transaction

from ..models import CommitteeMembership, Person

# What needs a query to check (that the rows referred to exist); the rest of a seat is checked without one.
_REFERENCES = ["committee", "person", "party", "replaces"]


def person_for_citizen(*, name: str, email: str) -> Person:
    """A citizen appointed from an application becomes a Person of their own (their application is not kept)."""
    person = Person(name=name, email=email)
    person.full_clean()
    person.save()
    return person


def membership_build(
    *,
    committee,
    person: Person,
    member_kind: str,
    role: str = CommitteeMembership.Role.MEMBER,
    party=None,
    seat_group: str = "",
    starts_on=None,
    ends_on=None,
    replaces: CommitteeMembership | None = None,
    check_database: bool = True,
) -> CommitteeMembership:
    """An unsaved, validated seat. ``check_database=False`` skips only the checks that cost queries per row (that
    the rows referred to exist, the unique period), for the load generator, which bulk-creates thousands of seats;
    the seat's own rules (choices, chairs are politicians, dates in order) are always checked, and the database's
    constraints still hold."""
    membership = CommitteeMembership(
        committee=committee,
        person=person,
        role=role,
        member_kind=member_kind,
        party=party,
        seat_group=seat_group,
        starts_on=starts_on,
        ends_on=ends_on,
        replaces=replaces,
    )
    _validate(membership, check_database=check_database)
    return membership


def _validate(membership: CommitteeMembership, *, check_database: bool) -> None:
    if check_database:
        membership.full_clean()
    else:
        membership.clean_fields(exclude=_REFERENCES)
        membership.clean()


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
    membership = membership_build(
        committee=committee,
        person=person,
        role=role,
        member_kind=member_kind,
        party=party,
        seat_group=seat_group,
        starts_on=starts_on,
        replaces=replaces,
    )
    membership.save()
    return membership


@transaction.atomic
def membership_ensure(
    *,
    committee,
    person: Person,
    starts_on,
    member_kind: str,
    role: str = CommitteeMembership.Role.MEMBER,
    party=None,
    seat_group: str = "",
    ends_on=None,
) -> CommitteeMembership:
    """The seat of ``person`` in ``committee`` from ``starts_on``, made or brought up to date with these terms, so
    data loaded again and again (the demo) changes seats instead of adding them; an unchanged seat is not written.
    The seat's own rules are checked, not its uniqueness (the lookup is on the unique period) nor its references
    (saved rows the caller holds): those checks cost queries per seat, which slowed a fresh demo by a third."""
    membership = (
        CommitteeMembership.objects.select_for_update()
        .filter(committee=committee, person=person, starts_on=starts_on)
        .order_by("pk")  # not the model's ordering, which joins the person and the committee
        .first()
    )
    if membership is None:
        membership = membership_build(
            committee=committee,
            person=person,
            starts_on=starts_on,
            member_kind=member_kind,
            role=role,
            party=party,
            seat_group=seat_group,
            ends_on=ends_on,
            check_database=False,
        )
        membership.save()
        return membership
    terms = {"member_kind": member_kind, "role": role, "seat_group": seat_group, "ends_on": ends_on}
    party_id = party.pk if party is not None else None
    if membership.party_id == party_id and all(getattr(membership, name) == value for name, value in terms.items()):
        return membership
    for name, value in terms.items():
        setattr(membership, name, value)
    membership.party = party
    _validate(membership, check_database=False)
    membership.save()
    return membership
