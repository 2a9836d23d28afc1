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


# --- Users per role and mandates (kommissorier) -------------------------------------------------------------------

from django.contrib.auth.models import Group, User  # noqa: E402

from committees.models import Mandate, MandateComment, MandateTransition  # noqa: E402
from committees.permissions import SECRETARIAT_GROUP  # noqa: E402


class UserFactory(factory.django.DjangoModelFactory):
    """A plain login with no Person and no group: a citizen, as far as the portal is concerned."""

    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Bruger {n}")
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("test-pw-123")


class StaffUserFactory(UserFactory):
    """Municipal staff who draft mandates: a member of the group "Sekretariat" (created by migration 0003)."""

    username = factory.Sequence(lambda n: f"sekretariat{n}")

    @factory.post_generation
    def secretariat(obj, create, extracted, **kwargs):
        if create:
            obj.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))


class PoliticianUserFactory(UserFactory):
    """A politician's login: a Person linked to the user, with a current politician seat in ``seat`` (a committee,
    standing unless given) — ``PoliticianUserFactory(seat=committee)``; ``seat__ends_on`` ends the seat."""

    username = factory.Sequence(lambda n: f"politiker{n}")

    @factory.post_generation
    def seat(obj, create, extracted, **kwargs):
        if not create:
            return
        person = PersonFactory(name=f"{obj.first_name} {obj.last_name}", user=obj)
        kwargs.setdefault("member_kind", CommitteeMembership.MemberKind.POLITICIAN)
        CommitteeMembershipFactory(committee=extracted or CommitteeFactory(), person=person, **kwargs)


class MandateFactory(factory.django.DjangoModelFactory):
    """A mandate (kommissorium) for a new task committee, with a purpose typed and rendered; saving it records the
    first version in its history."""

    class Meta:
        model = Mandate

    committee = factory.SubFactory(TaskCommitteeFactory)
    status = Mandate.Status.DRAFT
    purpose = factory.Sequence(lambda n: f"Udvalget skal undersøge emne {n}.")
    purpose_html = factory.LazyAttribute(lambda o: f"<p>{o.purpose}</p>")
    task = "Udvalget skal komme med anbefalinger."
    task_html = "<p>Udvalget skal komme med anbefalinger.</p>"
    politician_count = 5
    citizen_count = 10


class MandateCommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandateComment

    mandate = factory.SubFactory(MandateFactory, status=Mandate.Status.IN_DISCUSSION)
    section = "purpose"
    author = factory.SubFactory(UserFactory)
    text = factory.Sequence(lambda n: f"Kommentar nummer {n}.")


class MandateTransitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MandateTransition

    mandate = factory.SubFactory(MandateFactory, status=Mandate.Status.IN_DISCUSSION)
    name = "send_til_droeftelse"
    from_status = Mandate.Status.DRAFT
    to_status = Mandate.Status.IN_DISCUSSION
    by = factory.SubFactory(StaffUserFactory)
