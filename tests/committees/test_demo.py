"""`manage.py load_demo` gives a municipal user the Gentofte model as the sources describe it, and loading twice
adds nothing."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from committees.models import (
    Committee,
    CommitteeMembership,
    CouncilMembership,
    Deliverable,
    Mandate,
    MandateComment,
    Person,
    Term,
)

pytestmark = pytest.mark.django_db

TASK_COMMITTEE_TOPICS_2015_2018 = [
    "Innovation",
    "Idræts- og bevægelsespolitik",
    "Integration 1",
    "Integration 2",
    "Erhvervspolitik",
    "Anbringelse",
    "Bæredygtig Gentofte",
    "Specialundervisning",
    "Trafik",
    "Sikker i byen",
    "Arkitektur",
    "Værdighedspolitik",
    "Udskoling",
    "Børn og unge i fællesskaber",
    "Digitalisering",
    "Detailhandel",
    "Ungepolitik",
    "Kulturpolitik",
    "Boligsocial indsats",
    "Skolereform",
    "Sundhedspolitik",
    "Børn kvalitet og struktur",
    "Borgerrettet behandling",
    "Indretning af ungdomsboliger",
    "Forældre i Gentofte",
    "Vi skaber sammen",
]
STANDING = {
    "Økonomiudvalget": 9,
    "Børneudvalget": 7,
    "Skoleudvalget": 7,
    "Socialudvalget": 7,
    "Teknik- og Miljøudvalget": 7,
    "Kultur-, Unge- og Fritidsudvalget": 7,
    "Erhvervs-, Beskæftigelses- og Integrationsudvalget": 7,
    "Bygnings- og Arkitekturudvalget": 7,
}


def load():
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def snapshot():
    return {
        "persons": sorted(Person.objects.values_list("name", flat=True)),
        "council": sorted(CouncilMembership.objects.values_list("term__slug", "person__name", "party__letter", "role")),
        "committees": sorted(Committee.objects.values_list("slug", "kind", "status", "seats", "term__slug")),
        "members": sorted(
            CommitteeMembership.objects.values_list(
                "committee__slug", "person__name", "role", "member_kind", "party__letter"
            )
        ),
        "deliverables": sorted(Deliverable.objects.values_list("committee__slug", "number", "title")),
        "mandates": sorted(Mandate.objects.values_list("committee__slug", "revision", "status", "lock_version")),
        "versions": Mandate.history.count(),
        "comments": MandateComment.objects.count(),
    }


def test_loading_twice_changes_nothing(settings, django_user_model):
    settings.DEBUG = True  # with the demo logins, the draft and the comment
    first_output = load()
    assert django_user_model.objects.count() == 4
    first = snapshot()
    load()
    assert snapshot() == first
    assert "Demodata indlæst" in first_output


def test_council_2018_2021_has_19_members_with_the_sources_mandates():
    load()
    term = Term.objects.get(slug="2018-2021")
    seats = CouncilMembership.objects.filter(term=term)
    assert seats.count() == 19
    by_party = {}
    for letter in seats.values_list("party__letter", flat=True):
        by_party[letter] = by_party.get(letter, 0) + 1
    assert by_party == {"C": 13, "A": 2, "V": 1, "B": 1, "F": 1, "Ø": 1}
    assert seats.get(role="borgmester").party.letter == "C"
    assert seats.get(role="viceborgmester").party.letter == "A"


def test_eight_standing_committees_with_their_sizes_and_members():
    load()
    current = Committee.objects.filter(term__slug="2018-2021", kind=Committee.Kind.STANDING)
    assert {c.name: c.seats for c in current} == STANDING
    for committee in current:
        members = committee.memberships.all()
        assert members.count() == committee.seats
        assert members.filter(role="formand").count() == 1
        assert all(m.member_kind == "politiker" for m in members)


def test_all_26_task_committees_of_2015_2018_with_15_members():
    load()
    task = Committee.objects.filter(kind=Committee.Kind.TASK, starts_on__year__gte=2015, ends_on__year__lte=2018)
    assert task.count() == 26
    names = " | ".join(task.values_list("name", flat=True))
    for topic in TASK_COMMITTEE_TOPICS_2015_2018:
        assert topic.lower() in names.lower(), topic
    for committee in task:
        members = list(committee.memberships.all())
        assert len(members) == 15 == committee.seats
        assert sum(m.member_kind == "politiker" for m in members) == 5
        assert sum(m.member_kind == "borger" for m in members) == 10
        assert committee.proposed_by.exists()
        chair = [m for m in members if m.role == "formand"]
        vice = [m for m in members if m.role == "naestformand"]
        assert len(chair) == len(vice) == 1
        assert chair[0].member_kind == vice[0].member_kind == "politiker"


def test_task_committee_seats_follow_dhondt_over_all_members():
    """15 seats among C 13, A 2, V 1, B 1, F 1, Ø 1: C 12 and A 1 certain, two more by lot (DOMAIN.md)."""
    load()
    for committee in Committee.objects.filter(kind=Committee.Kind.TASK, status="afsluttet"):
        seats = {}
        for letter in committee.memberships.values_list("party__letter", flat=True):
            seats[letter] = seats.get(letter, 0) + 1
        assert seats["C"] >= 12 and seats["A"] >= 1
        assert sum(seats.values()) == 15
        assert all(n <= 1 for letter, n in seats.items() if letter not in ("C", "A"))


def test_youth_policy_committee_has_ten_young_citizens_and_five_politicians():
    load()
    committee = Committee.objects.get(name="Opgaveudvalg for Ungepolitik")
    assert committee.politician_seats == 5 and committee.citizen_seats == 10
    assert "13 og 25" in committee.purpose


def test_innovation_committee_has_its_four_deliverables():
    load()
    committee = Committee.objects.get(name="Opgaveudvalg om Innovation")
    titles = list(committee.deliverables.order_by("number").values_list("title", flat=True))
    assert len(titles) == 4
    assert "DIS-modellen" in titles[0]
    assert "Sparringsrummet" in titles[1]
    assert "tre projekter" in titles[2]
    assert "Læringsopsamling" in titles[3]
    assert committee.meetings.filter(starts_at__year=2018, location="Udvalgsværelse G").exists()


def test_no_real_persons_from_the_sources_ship_in_the_demo():
    """The seeds name real people (e.g. the minutes' attendance list); the demo's people are fictitious."""
    load()
    seeds = Path(__file__).resolve().parents[3] / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside the checkout")
    text = " ".join(p.read_text(encoding="utf-8") for p in seeds.glob("*.txt"))
    real = [name for name in Person.objects.values_list("name", flat=True) if name in text]
    assert real == []


def test_published_mandates_for_the_demo_task_committees():
    load()
    innovation = Mandate.objects.get(committee__name="Opgaveudvalg om Innovation")
    assert innovation.status == "offentliggjort" and innovation.approved_on
    assert [d["title"].split(" ")[0] for d in innovation.deliverables] == [
        "Politisk",
        "Idékatalog",
        "Opsamling",
        "Læringsopsamling",
    ]
    youth = Mandate.objects.get(committee__name="Opgaveudvalg for Ungepolitik")
    assert (youth.age_min, youth.age_max, youth.politician_count, youth.citizen_count) == (13, 25, 5, 10)
    closed = Committee.objects.filter(kind="opgave", status="afsluttet")
    assert all(c.mandates.filter(status="offentliggjort").exists() for c in closed)


def test_a_draft_with_three_versions_by_two_staff_users(settings):
    settings.DEBUG = True  # demo logins are only made in development
    load()
    draft = Mandate.objects.get(committee__name="Opgaveudvalg En times motion dagligt")
    assert draft.status == "kladde"
    versions = list(draft.history.order_by("history_date"))
    assert len(versions) == 3
    assert {v.history_user.username for v in versions} == {"sekretariat", "sekretariat2"}
    discussed = Mandate.objects.get(committee__name="Opgaveudvalget Det internationale Gentofte", revision=2)
    assert discussed.status == "til_droeftelse" and discussed.comments.count() == 1


def test_no_demo_logins_without_debug_or_flag(django_user_model):
    load()
    assert not django_user_model.objects.exists()


def test_innovation_appointment_with_its_lot_recorded_and_reproducible():
    import random

    from recruitment.dhondt import allocate
    from recruitment.models import Allocation

    load()
    allocation = Allocation.objects.get(committee__name="Opgaveudvalg om Innovation")
    assert allocation.appointed_at is not None
    assert allocation.lots and set(allocation.lots[0]["tied"]) == {"C", "A", "V", "B", "F", "Ø"}
    assert allocation.lots[0]["seats"] == 2
    replay = allocate(allocation.votes, 15, random.Random(int(allocation.seed)))
    assert replay.seats == allocation.seats
    members = CommitteeMembership.objects.filter(committee=allocation.committee)
    by_group = {}
    for group in members.values_list("seat_group", flat=True):
        by_group[group] = by_group.get(group, 0) + 1
    assert by_group == {g: n for g, n in allocation.final_seats.items() if n}


def test_open_call_with_forty_fictitious_applications():
    from recruitment.models import Application

    load()
    applications = Application.objects.filter(call__committee__name="Opgaveudvalget Det internationale Gentofte")
    assert applications.count() == 40
    assert all(a.email.endswith("@example.org") for a in applications)
    assert applications.filter(status="indstillet").count() == 8


def test_demo_meetings_as_in_the_sources():
    from meetings.models import Meeting

    load()
    meeting = Meeting.objects.get(committee__name="Opgaveudvalg om Innovation")
    item = meeting.items.get()
    assert item.case_number == "EMN-2018-00651" and not item.is_closed
    assert [a.document_number for a in item.attachments.all()] == [2169741, 2169742, 2169743]
    attendance = list(meeting.minutes.attendance.values_list("presence", flat=True))
    assert attendance.count("tilstede") == 11 and attendance.count("fravaerende") == 4
    assert meeting.minutes.ended_at.strftime("%H:%M") == "19:00" and meeting.minutes.is_published
    finance = Meeting.objects.get(committee__slug="oekonomiudvalget", agenda_published_at__isnull=False)
    assert finance.items.count() == 10 and finance.items.filter(is_closed=True).count() == 3
    from django.utils import timezone

    assert Meeting.objects.filter(starts_at__gte=timezone.now()).count() == 3
