"""The public pages: the front page, /udvalg/ per term and each committee's page, in Danish, with a fixed number
of SQL queries however many committees and members there are."""

import datetime as dt
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, Person
from meetings.models import Meeting
from recruitment.models import Call
from tests.factories import CommitteeMembershipFactory, PartyFactory, PersonFactory, TaskCommitteeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", verbosity=0)


def multiply_demo(factor: int = 10) -> None:
    """Add (factor - 1) times the demo's committees and members, so an N+1 query would show."""
    current = Committee.objects.filter(term__slug="2018-2021").first().term
    past = Committee.objects.filter(term__slug="2014-2017").first().term
    parties = [PartyFactory(letter=letter) for letter in ["C", "A", "V", "B", "F", "Ø"]]
    standing = list(Committee.objects.filter(kind="staaende"))
    existing_task = Committee.objects.filter(kind="opgave").count()
    people = Person.objects.bulk_create(Person(name=f"Ekstra person {i}") for i in range(15 * existing_task))
    people = iter(people)
    now = timezone.now()
    for i in range((factor - 1) * existing_task):
        committee = TaskCommitteeFactory(term=current if i % 2 else past, status="nedsat" if i % 3 else "afsluttet")
        committee.proposed_by.set(standing[i % len(standing) : i % len(standing) + 2])
        memberships = (
            [
                CommitteeMembership(
                    committee=committee,
                    person=next(people),
                    role="formand" if j == 0 else "naestformand" if j == 1 else "medlem",
                    member_kind="politiker" if j < 5 else "borger",
                    party=parties[j % len(parties)],
                )
                for j in range(15)
            ]
            if i < 20
            else []
        )
        CommitteeMembership.objects.bulk_create(memberships)
        Meeting.objects.create(committee=committee, starts_at=now + dt.timedelta(days=i + 1), location="Rådhuset")
        Call.objects.create(
            committee=committee, title=f"Opslag {i}", published_at=now, deadline=now + dt.timedelta(days=10)
        )


def test_front_page_shows_current_task_committees_open_calls_and_meetings(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="da">' in page
    assert "Aktuelle opgaveudvalg" in page
    assert "Opgaveudvalg for digitalisering og teknologi" in page
    assert "Bliv medlem af opgaveudvalget Det internationale Gentofte" in page  # the open call
    assert "Kommende møder" in page and "Udvalgsværelse G" in page
    assert "Tilgængelighedserklæring" in page


def test_committee_list_shows_the_current_term(client, demo):
    response = client.get(reverse("committees:list"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "valgperioden 2018–2021" in page
    for name in [
        "Økonomiudvalget",
        "Børneudvalget",
        "Skoleudvalget",
        "Socialudvalget",
        "Teknik- og Miljøudvalget",
        "Kultur-, Unge- og Fritidsudvalget",
        "Erhvervs-, Beskæftigelses- og Integrationsudvalget",
        "Bygnings- og Arkitekturudvalget",
    ]:
        assert name in page
    assert len(re.findall(r'href="/udvalg/[a-z]', page)) == 8 + 4


def test_past_term_lists_all_26_task_committees_of_2015_2018(client, demo):
    response = client.get(reverse("committees:list"), {"valgperiode": "2014-2017"})
    assert response.status_code == 200
    page = response.content.decode()
    for committee in Committee.objects.filter(kind="opgave", term__slug="2014-2017"):
        assert f'href="/udvalg/{committee.slug}/"' in page
    assert Committee.objects.filter(kind="opgave", term__slug="2014-2017").count() == 26
    assert "Opgaveudvalg for Ungepolitik" in page and "Opgaveudvalget Vi skaber sammen" in page


def test_unknown_term_is_404(client, demo):
    assert client.get(reverse("committees:list"), {"valgperiode": "1066-1070"}).status_code == 404


def test_committee_page_lists_members_with_roles_and_party_letters(client, demo):
    committee = Committee.objects.get(name="Opgaveudvalg om Innovation")
    response = client.get(reverse("pages:committee", args=[committee.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    for membership in committee.memberships.select_related("person", "party"):
        assert membership.person.name in page
    assert page.index("Formand") < page.index("Næstformand")
    assert 'class="party-letter" title="Det Konservative Folkeparti">C</abbr>' in page
    assert "Status: Afsluttet" in page
    assert "Foreslået af" in page and "Økonomiudvalget" in page
    assert "DIS-modellen" in page  # deliverables
    assert "31. januar 2018" in page and "Udvalgsværelse G" in page  # meetings


def test_standing_committee_page_shows_the_task_committees_it_proposed(client, demo):
    committee = Committee.objects.get(slug="oekonomiudvalget-2014-2017")
    page = client.get(reverse("pages:committee", args=[committee.slug])).content.decode()
    assert "Opgaveudvalg om Innovation" in page
    assert committee.memberships.count() == 9


def test_unknown_committee_is_404(client, db):
    assert client.get("/udvalg/findes-ikke/").status_code == 404


def test_pages_use_a_fixed_number_of_queries_with_ten_times_the_demo(client, demo, django_assert_max_num_queries):
    multiply_demo(10)
    big = Committee.objects.filter(kind="opgave", memberships__isnull=False).order_by("-id").first()
    assert big.memberships.count() == 15
    assert Committee.objects.filter(kind="opgave").count() == 300
    with django_assert_max_num_queries(4):
        assert client.get("/").status_code == 200
    with django_assert_max_num_queries(4):
        response = client.get(reverse("committees:list"))
    assert len(re.findall(r'href="/udvalg/[a-z]', response.content.decode())) > 100
    with django_assert_max_num_queries(4):
        assert client.get(reverse("committees:list"), {"valgperiode": "2014-2017"}).status_code == 200
    with django_assert_max_num_queries(9):  # a task committee's page also shows its lot: draws, allocation
        assert client.get(reverse("pages:committee", args=[big.slug])).status_code == 200
    oek = Committee.objects.get(slug="oekonomiudvalget")
    with django_assert_max_num_queries(7):
        assert client.get(reverse("pages:committee", args=[oek.slug])).status_code == 200


def test_member_with_ended_seat_still_listed_with_period(client, db):
    membership = CommitteeMembershipFactory(
        person=PersonFactory(name="Karla Ravn"), starts_on=dt.date(2018, 9, 1), ends_on=dt.date(2019, 1, 31)
    )
    page = client.get(reverse("pages:committee", args=[membership.committee.slug])).content.decode()
    assert "Karla Ravn" in page and "31-01-2019" in page


def test_accessibility_statement_is_linked_and_served(client, db):
    response = client.get(reverse("pages:accessibility"))
    assert response.status_code == 200
    assert "WCAG 2.1" in response.content.decode()


def test_english_is_available(client, demo):
    response = client.get("/udvalg/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<html lang="en">' in page
    assert "Standing committees" in page and "Skip to content" in page


def test_the_committee_page_states_the_purpose_once(client, demo):
    """A published kommissorium states the purpose; the committee's own purpose is shown only until then."""
    for committee in Committee.objects.filter(kind="opgave")[:10]:
        page = client.get(reverse("pages:committee", args=[committee.slug])).content.decode()
        has_mandate = 'id="kommissorium"' in page
        assert page.count('id="formaal"') == (0 if has_mandate else int(bool(committee.purpose))), committee.slug
        assert page.count(">Formål<") <= 1, committee.slug
