"""Fixtures for recruitment: a task committee with an approved mandate in the current term's council, staff and
politicians, and an open call."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, CouncilMembership, Mandate, Party, Person
from tests.factories import CommitteeFactory, MunicipalityFactory, TermFactory

COUNCIL = {"C": 13, "A": 2, "V": 1, "B": 1, "F": 1, "Ø": 1}


@pytest.fixture
def term(db):
    return TermFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2025, 12, 31))


@pytest.fixture
def council(term):
    """19 council members, C 13, A 2, V 1, B 1, F 1, Ø 1 (Gentofte): letter -> list of Person."""
    municipality = MunicipalityFactory()
    seats = {}
    for letter, n in COUNCIL.items():
        party, _ = Party.objects.get_or_create(municipality=municipality, letter=letter, defaults={"name": letter})
        for i in range(n):
            person = Person.objects.create(name=f"Politiker {letter}{i + 1}")
            CouncilMembership.objects.create(term=term, person=person, party=party)
            seats.setdefault(letter, []).append(person)
    return seats


def make_staff(username="signe", first="Signe", last="Holm") -> User:
    user = User.objects.create_user(username, password="pw-12345-abc", first_name=first, last_name=last)
    user.groups.add(Group.objects.get(name="Sekretariat"))
    return user


@pytest.fixture
def staff(db):
    return make_staff()


@pytest.fixture
def other_staff(db):
    """Staff in "Sekretariat" who is not a caseworker on the call."""
    return make_staff("ole", "Ole", "Lund")


@pytest.fixture
def standing(term, council):
    committee = CommitteeFactory(term=term, name="Kultur-, Unge- og Fritidsudvalget", slug="kuf", seats=7)
    CommitteeMembership.objects.create(
        committee=committee,
        person=council["C"][0],
        member_kind="politiker",
        role="formand",
        party=Party.objects.get(letter="C"),
    )
    return committee


@pytest.fixture
def task_committee(term, standing):
    committee = Committee.objects.create(
        kind=Committee.Kind.TASK,
        term=term,
        name="Opgaveudvalg for Ungepolitik",
        slug="ungepolitik",
        seats=15,
        politician_seats=5,
        citizen_seats=10,
        status=Committee.Status.MANDATE_APPROVED,
    )
    committee.proposed_by.set([standing])
    Mandate.objects.create(
        committee=committee,
        status=Mandate.Status.PUBLISHED,
        purpose="En ungepolitik skrevet af unge.",
        purpose_html="<p>En ungepolitik skrevet af unge.</p>",
        politician_count=5,
        citizen_count=10,
        competences=["Går i skole", "Er i job", "Er aktiv i foreningslivet"],
        age_min=13,
        age_max=25,
        approved_on=dt.date(2022, 3, 1),
        approval_reference="KB 01.03.2022",
    )
    return committee


@pytest.fixture
def open_call(client, staff, task_committee):
    """A call opened by `staff` through the service, deadline in 30 days."""
    from recruitment.services import call_open

    return call_open(
        committee=task_committee,
        title="Bliv medlem af Opgaveudvalg for Ungepolitik",
        text="Vi søger ti unge mellem 13 og 25 år.",
        deadline=timezone.now() + dt.timedelta(days=30),
        by=staff,
    )


def application_data(**overrides) -> dict:
    """A valid application form post (a 20-year-old in Hellerup)."""
    data = {
        "name": "Alma Ravn",
        "email": "alma.ravn@example.org",
        "phone": "",
        "postcode": "2900",
        "district": "hellerup",
        "birth_year": str(timezone.now().year + 0 - 20),
        "gender": "kvinde",
        "competences": ["Går i skole"],
        "motivation": "Jeg vil gerne have, at unge bliver hørt.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


@pytest.fixture(autouse=True)
def _tasks_in_process(settings):
    """Unit tests run the email tasks in-process (mail.outbox), also in CI where a real broker is configured; the
    worker round trip is covered by tests/gentofte_portal/test_integration.py."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
