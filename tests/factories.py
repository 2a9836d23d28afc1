"""factory_boy factories for the committees data, used to build volumes the demo does not have."""

import datetime as dt

import factory

from committees.models import Committee, CommitteeMembership, CouncilMembership, Municipality, Party, Person, Term


class MunicipalityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)

    name = "Gentofte Kommune"
    slug = "gentofte"


class TermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Term
        django_get_or_create = ("municipality", "slug")

    municipality = factory.SubFactory(MunicipalityFactory)
    starts_on = dt.date(2018, 1, 1)
    ends_on = dt.date(2021, 12, 31)
    slug = factory.LazyAttribute(lambda o: f"{o.starts_on.year}-{o.ends_on.year}")


class PartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party
        django_get_or_create = ("municipality", "letter")

    municipality = factory.SubFactory(MunicipalityFactory)
    letter = factory.Iterator(["C", "A", "V", "B", "F", "Ø"])
    name = factory.LazyAttribute(lambda o: f"Parti {o.letter}")


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Testperson {n}")


class CouncilMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilMembership

    term = factory.SubFactory(TermFactory)
    person = factory.SubFactory(PersonFactory)
    party = factory.SubFactory(PartyFactory)


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    kind = Committee.Kind.STANDING
    term = factory.SubFactory(TermFactory)
    name = factory.Sequence(lambda n: f"Testudvalg {n}")
    slug = factory.Sequence(lambda n: f"testudvalg-{n}")
    seats = 7
    status = ""


class TaskCommitteeFactory(CommitteeFactory):
    kind = Committee.Kind.TASK
    name = factory.Sequence(lambda n: f"Opgaveudvalg {n}")
    slug = factory.Sequence(lambda n: f"opgaveudvalg-{n}")
    seats = 15
    politician_seats = 5
    citizen_seats = 10
    status = Committee.Status.ESTABLISHED
    starts_on = dt.date(2018, 9, 1)
    ends_on = dt.date(2019, 9, 30)


class CommitteeMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommitteeMembership

    committee = factory.SubFactory(TaskCommitteeFactory)
    person = factory.SubFactory(PersonFactory)
    member_kind = CommitteeMembership.MemberKind.CITIZEN
    role = CommitteeMembership.Role.MEMBER
    party = factory.SubFactory(PartyFactory)
