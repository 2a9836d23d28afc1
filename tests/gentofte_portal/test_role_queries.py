"""Every logged-in role's pages cost the same number of SQL queries in a small world and in one ten times bigger
(issue 18): a committee member (politician), a politician outside the committee, a citizen member and the
secretariat, on the pages each of them uses. Measured with the shared fragments off (the test settings'
PORTAL_SHARED_DATA_CACHE_SECONDS=0) and after one warm-up request, so first-visit writes (read marks) do not count.
Each page is also checked to show the world's data, so the counts are of pages that really did the work."""

import datetime as dt
import itertools
import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, Deliverable, Mandate, Person
from gentofte_portal.pages.search_index import search_index_rebuild_all
from meetings.models import AgendaItem, Attachment, Attendance, DeliverableApproval, Meeting, Minutes
from meetings.services import FIRST_DOCUMENT_NUMBER
from recruitment.models import Application, Call
from tests.factories import (
    CommitteeFactory,
    MandateFactory,
    PartyFactory,
    PoliticianUserFactory,
    StaffUserFactory,
    TaskCommitteeFactory,
    TermFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

SMALL, BIG = 1, 10
SEARCH_WORD = "Cykelsti"  # in every open item's title of the committee's meetings: many hits at both sizes

# The most queries each role's page may cost, at any size (measured on SQLite and on PostgreSQL, the same but for
# search; a change that adds one fails here first). Every logged-in page pays 2 for the session and the user; the
# secretariat check (the user's groups) is asked once per request.
PAGES_OF_EVERYONE = {
    "forside": 6,
    "udvalg": 6,
    "udvalget": 11,  # the committee, members, proposing committees both ways, deliverables, mandates, meetings,
    # the lot and the allocation
    "møder": 6,
    "mødet": 10,  # incl. the seat on the meeting's date and the PDFs' status (the read marks are written on the
    # first visit only: measure() visits once before counting)
    "mine": 7,  # seats, upcoming agendas, minutes, deliverables, read marks
    "søg": 10,  # the filters' choices, the ranked page of the public index and the rows only this user may see, the
    # page's index rows, one query per kind beyond the public (closed items, their bilag, drafts)
}
MAX_QUERIES = {
    "member": PAGES_OF_EVERYONE,
    "outsider": PAGES_OF_EVERYONE,
    "citizen member": PAGES_OF_EVERYONE,
    "staff": {
        **PAGES_OF_EVERYONE,
        "mødet": 9,  # no seat to look up: the secretariat sees closed items anyway
        "mine": 4,  # no seats (one query), so no meetings or deliverables to ask for; the read marks
        "søg": 15,  # 14 on SQLite
        "arbejde": 5,
        "arbejde møder": 4,
        "dagsordensbygger": 7,
        "rekruttering": 9,  # was 10 + 1 per call before the caseworker check was one query
        "ansøgninger": 8,  # incl. the caseworker check and the audit log's row (the page shows personal data)
    },
}

PAGES = {
    "forside": lambda w: "/",
    "udvalg": lambda w: "/udvalg/",
    "udvalget": lambda w: f"/udvalg/{w.committee.slug}/",
    "møder": lambda w: "/moeder/",
    "mødet": lambda w: f"/moeder/{w.meeting.pk}/",
    "mine": lambda w: "/mine/",
    "søg": lambda w: f"/soeg/?q={SEARCH_WORD}",
    "arbejde": lambda w: "/arbejde/",
    "arbejde møder": lambda w: "/arbejde/moeder/",
    "dagsordensbygger": lambda w: f"/arbejde/moeder/{w.meeting.pk}/",
    "rekruttering": lambda w: f"/arbejde/udvalg/{w.committee.slug}/rekruttering/",
    "ansøgninger": lambda w: f"/arbejde/opslag/{w.call.pk}/",
}
PUBLIC = ["forside", "udvalg", "udvalget", "møder", "mødet", "mine", "søg"]
ROLES = {
    "member": PUBLIC,
    "outsider": PUBLIC,
    "citizen member": PUBLIC,
    "staff": PUBLIC + ["arbejde", "arbejde møder", "dagsordensbygger", "rekruttering", "ansøgninger"],
}


# --- The world ----------------------------------------------------------------------------------------------------


def build_world() -> SimpleNamespace:
    """The fixed part: a term, the task committee whose pages are measured (a published mandate, an open call with
    the staff user as caseworker), a meeting held a week ago with published minutes, and the four users.
    ``grow`` then adds the data that scales."""
    term = TermFactory(starts_on=dt.date(2022, 1, 1), ends_on=dt.date(2099, 12, 31))
    committee = TaskCommitteeFactory(
        term=term,
        name="Opgaveudvalget for Trafik",
        slug="trafik",
        purpose="Trafik og cykelstier i kommunen.",
        status=Committee.Status.RECRUITING,
        starts_on=None,
        ends_on=None,
    )
    standing = CommitteeFactory(term=term, name="Teknik- og Miljøudvalget", slug="teknik")
    committee.proposed_by.add(standing)
    MandateFactory(
        committee=committee,
        status=Mandate.Status.PUBLISHED,
        published_at=timezone.now(),
        purpose="Udvalget skal se på trafiksikkerhed.",
    )
    now = timezone.now()
    meeting = Meeting.objects.create(
        committee=committee,
        starts_at=now - dt.timedelta(days=7),
        location="Udvalgsværelse G",
        agenda_published_at=now - dt.timedelta(days=14),
    )
    minutes = Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.PUBLISHED,
        published_at=now - dt.timedelta(days=6),
        ended_at=dt.time(19, 0),
        remarks_html="<p>Ingen bemærkninger.</p>",
    )
    staff = StaffUserFactory(first_name="Signe", last_name="Sekretær")
    call = Call.objects.create(
        committee=committee,
        title="Bliv medlem af opgaveudvalget for Trafik",
        text="Vi søger borgere.",
        published_at=now - dt.timedelta(days=1),
        deadline=now + dt.timedelta(days=30),
    )
    call.caseworkers.add(staff)

    member = PoliticianUserFactory(seat=committee, first_name="Ida", last_name="Krag", seat__party=PartyFactory())
    citizen = UserFactory(first_name="Bente", last_name="Borgermedlem")
    CommitteeMembership.objects.create(
        committee=committee,
        person=Person.objects.create(name="Bente Borgermedlem", user=citizen),
        member_kind=CommitteeMembership.MemberKind.CITIZEN,
    )
    outsider = PoliticianUserFactory(seat=standing, first_name="Ole", last_name="Udenfor")
    world = SimpleNamespace(
        term=term,
        committee=committee,
        standing=standing,
        meeting=meeting,
        minutes=minutes,
        call=call,
        staff=staff,
        member=member,
        citizen=citizen,
        outsider=outsider,
        member_person=Person.objects.get(user=member),
        party=PartyFactory(letter="V"),
        scale=0,
        numbers=itertools.count(FIRST_DOCUMENT_NUMBER),
    )
    grow(world, SMALL)
    return world


def add_items(meeting, first: int, count: int, numbers) -> None:
    """``count`` items from position ``first``: every third closed (title and resumé only for members and staff),
    the others open and about cycle paths; two bilag each."""
    items = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            title=f"Lukket personalesag {n}" if n % 3 == 0 else f"{SEARCH_WORD} på strækning {n}",
            case_number=f"24/{n:05}",
            is_closed=n % 3 == 0,
            publish_level=AgendaItem.PublishLevel.CLOSED,
            summary=f"Resumé af sag {n}.",
            summary_html=f"<p>{'Fortroligt resumé' if n % 3 == 0 else 'Resumé'} af sag {n}.</p>",
            recommendation="Forvaltningen indstiller,\nat sagen godkendes.",
            decision="Godkendt.",
            decision_html="<p>Godkendt.</p>",
        )
        for n in range(first, first + count)
    )
    Attachment.objects.bulk_create(
        Attachment(
            item=item,
            position=p,
            title=f"Bilag {p} til punkt {item.position}",
            document_number=next(numbers),
            file=f"bilag/{meeting.pk}/bilag.pdf",
            original_name="bilag.pdf",
            content_type="application/pdf",
            size=1000,
        )
        for item in items
        for p in (1, 2)
    )


def grow(world, scale: int) -> None:
    """Adds what makes a world of size ``scale`` out of one of size ``world.scale``: per unit of size, 6 items with
    12 bilag on the measured meeting, 3 more members (present at it), a past meeting with minutes and an upcoming
    one with an agenda in the committee (3 items each), a deliverable approved at the former, 10 applications and
    a closed earlier call
    (the staff user caseworker of every other one), and a standing committee and a task committee, each with an
    upcoming meeting; the task committee recruits with an open call, has a published mandate, and the member has
    a seat in it."""
    now = timezone.now()
    for unit in range(world.scale, scale):
        add_items(world.meeting, 6 * unit + 1, 6, world.numbers)
        people = Person.objects.bulk_create(Person(name=f"Medlem {unit:02}-{i}") for i in range(3))
        CommitteeMembership.objects.bulk_create(
            CommitteeMembership(committee=world.committee, person=p, member_kind="borger", party=party)
            for p, party in zip(people, [world.party, None, None], strict=True)
        )
        held = Meeting.objects.create(
            committee=world.committee,
            starts_at=now - dt.timedelta(days=30 + 14 * unit),
            agenda_published_at=now - dt.timedelta(days=40 + 14 * unit),
        )
        add_items(held, 1, 3, world.numbers)
        approved_under = held.items.first()
        Minutes.objects.create(meeting=held, status=Minutes.Status.PUBLISHED, published_at=now, ended_at=dt.time(18))
        coming = Meeting.objects.create(
            committee=world.committee,
            starts_at=now + dt.timedelta(days=7 + 14 * unit),
            agenda_published_at=now,
        )
        add_items(coming, 1, 3, world.numbers)
        deliverable = Deliverable.objects.create(
            committee=world.committee, number=unit + 1, title=f"Leverance {unit + 1}", due_on=dt.date(2099, 1, 1)
        )
        DeliverableApproval.objects.create(deliverable=deliverable, item=approved_under)
        Application.objects.bulk_create(
            Application(
                call=world.call,
                name=f"Ansøger {unit:02}-{i}",
                email=f"ansoeger{unit}-{i}@example.org",
                postcode="2820",
                district="gentofte",
                birth_year=1960 + i,
                motivation="Jeg cykler hver dag.",
                consent_at=now,
            )
            for i in range(10)
        )
        earlier = Call.objects.create(
            committee=world.committee,
            title=f"Tidligere opslag {unit}",
            published_at=now - dt.timedelta(days=400 + unit),
            deadline=now - dt.timedelta(days=300 + unit),
        )
        if unit % 2:
            earlier.caseworkers.add(world.staff)
        other = CommitteeFactory(term=world.term, name=f"Stående udvalg {unit:02}", slug=f"staaende-{unit}")
        task = TaskCommitteeFactory(
            term=world.term,
            name=f"Opgaveudvalg {unit:02}",
            slug=f"opgave-{unit}",
            starts_on=None,
            ends_on=None,
            status=Committee.Status.RECRUITING,
        )
        Call.objects.create(
            committee=task,
            title=f"Bliv medlem af opgaveudvalg {unit:02}",
            published_at=now - dt.timedelta(days=1),
            deadline=now + dt.timedelta(days=20 + unit),
        )
        task.proposed_by.add(other)
        MandateFactory(committee=task, status=Mandate.Status.PUBLISHED, published_at=now)
        CommitteeMembership.objects.create(committee=task, person=world.member_person, member_kind="politiker")
        for c in (other, task):
            m = Meeting.objects.create(
                committee=c, starts_at=now + dt.timedelta(days=3 + unit), agenda_published_at=now
            )
            add_items(m, 1, 3, world.numbers)
        # The new members' attendance at the measured meeting: two present, one absent.
        Attendance.objects.bulk_create(
            Attendance(minutes=world.minutes, person=p, presence="fravaerende" if i == 2 else "tilstede")
            for i, p in enumerate(people)
        )
    world.scale = scale


# --- Measuring ----------------------------------------------------------------------------------------------------


def client_for(world, role: str) -> Client:
    user = {"member": world.member, "outsider": world.outsider, "citizen member": world.citizen, "staff": world.staff}
    c = Client()
    c.force_login(user[role])
    return c


def measure(client, url: str) -> tuple[int, str]:
    client.get(url)  # once before, so first-visit writes (read marks) do not count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries), response.content.decode()


def measure_all(world, role: str) -> dict[str, tuple[int, str]]:
    search_index_rebuild_all()  # the world is made with bulk_create, which the index does not hear (as the load data)
    client = client_for(world, role)
    return {page: measure(client, PAGES[page](world)) for page in ROLES[role]}


@pytest.mark.parametrize("role", ROLES)
def test_each_page_costs_the_same_in_a_small_and_a_ten_times_bigger_world(role):
    world = build_world()
    small = measure_all(world, role)
    grow(world, BIG)
    big = measure_all(world, role)

    for page in ROLES[role]:
        check_shown(world, role, page, big[page][1])
    counts = {page: (small[page][0], big[page][0]) for page in ROLES[role]}
    grew = {page: c for page, c in counts.items() if c[0] != c[1]}
    assert not grew, f"{role}: queries at size {SMALL} and {BIG} differ: {grew}"
    over = {page: c[1] for page, c in counts.items() if c[1] > MAX_QUERIES[role][page]}
    assert not over, f"{role}: more queries than {MAX_QUERIES[role]}: {over}"


def results_count(text: str) -> int:
    match = re.search(r'<h2 id="resultater" class="h5">(\d+) resultat', text)
    return int(match.group(1)) if match else -1


def distinct(pattern: str, text: str) -> set[str]:
    return set(re.findall(pattern, text))


def check_shown(world, role: str, page: str, text: str) -> None:
    """The big world's data is on the page (the counts above are only worth something if it is)."""
    last = BIG - 1
    insider = role != "outsider"
    if page == "forside":
        assert world.call.title in text and world.committee.name in text and f"Opgaveudvalg {last:02}" in text
    elif page == "udvalg":
        assert f"Stående udvalg {last:02}" in text and f"Opgaveudvalg {last:02}" in text
    elif page == "udvalget":
        assert f"Medlem {last:02}-2" in text and "Ida Krag" in text and f"Leverance {BIG}" in text
    elif page == "møder":
        assert f"Opgaveudvalg {last:02}" in text and f"Stående udvalg {last:02}" in text
    elif page == "mødet":
        open_items, closed_items = 4 * BIG, 2 * BIG
        assert len(distinct(rf"{SEARCH_WORD} på strækning (\d+)", text)) == open_items
        assert f"Medlem {last:02}-2" in text and "19:00" in text  # the attendance and the minutes
        # Closed items' titles, resumés and bilag only for the committee's members and the secretariat.
        assert len(distinct(r"Fortroligt resumé af sag (\d+)", text)) == (closed_items if insider else 0)
        assert (f"Lukket personalesag {6 * BIG}" in text) is insider
        assert len(distinct(r"/bilag/(\d+)/", text)) == 2 * (open_items + (closed_items if insider else 0))
    elif page == "mine":
        seats = {
            "member": [world.committee.name, f"Opgaveudvalg {last:02}"],
            "citizen member": [world.committee.name],
            "outsider": [world.standing.name],
            "staff": [],
        }[role]
        assert all(name in text for name in seats), seats
    elif page == "søg":
        assert results_count(text) >= 4 * BIG
    elif page == "arbejde":
        assert f"Opgaveudvalg {last:02}" in text
    elif page == "arbejde møder":
        assert f"Opgaveudvalg {last:02}" in text and f"Stående udvalg {last:02}" in text
    elif page == "dagsordensbygger":
        assert f"Lukket personalesag {6 * BIG}" in text and f"Bilag 2 til punkt {6 * BIG}" in text
    elif page == "rekruttering":
        assert f"{10 * BIG} ansøgere" in text and f"Tidligere opslag {last}" in text
        # The applicants' figures and the review link only for the calls the user is a caseworker of.
        earlier = {c.title: c.pk for c in Call.objects.filter(title__startswith="Tidligere opslag")}
        for title, caseworker in (
            (world.call.title, True),
            ("Tidligere opslag 9", True),
            ("Tidligere opslag 8", False),
        ):
            pk = world.call.pk if title == world.call.title else earlier[title]
            assert (f'href="{reverse("recruitment:review", args=[pk])}"' in text) is caseworker, title
            assert (f'href="{reverse("recruitment:call", args=[pk])}"' in text) is not caseworker, title
    elif page == "ansøgninger":
        assert f"Ansøger {last:02}-9" in text and "Ansøger 00-0" in text
    else:
        raise AssertionError(page)
