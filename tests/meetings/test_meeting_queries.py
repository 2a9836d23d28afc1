"""Meeting pages use a fixed number of queries whatever the number of items and attachments (assert with 100 items)."""

import datetime as dt
import itertools
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from committees.models import CommitteeMembership, Person
from gentofte_portal.common.storage import private_storage
from gentofte_portal.devdata.meetings import minimal_pdf
from meetings.models import AgendaItem, Attachment, Attendance, Meeting, Minutes
from meetings.services import FIRST_DOCUMENT_NUMBER
from tests.factories import CommitteeFactory

pytestmark = pytest.mark.django_db

# The most queries each page may cost, at any size (measured; a change that adds one fails here first).
MAX_QUERIES = {
    "public page, anonymous": 6,  # incl. the PDFs' status
    "public page, committee member": 11,  # 1 keeps the read marks for /mine/ (a no-op once there); 1 the PDFs' status
    "builder": 7,
    "minutes form": 8,
    "meeting list": 4,
}
FEW, MANY = 3, 100
LEVELS = AgendaItem.PublishLevel.values
MEMBERS = 15


def add_meeting(committee, starts_at, items: int, members: list[Person], numbers, stored: str) -> Meeting:
    """A meeting with a published agenda of ``items`` items (every third closed, at each publish level in turn),
    two bilag each, and published minutes recording every member's attendance."""
    now = timezone.now()
    meeting = Meeting.objects.create(
        committee=committee, starts_at=starts_at, location="Udvalgsværelse G", agenda_published_at=now
    )
    created = AgendaItem.objects.bulk_create(
        AgendaItem(
            meeting=meeting,
            position=n,
            title=f"Punkt nummer {n}",
            case_number=f"19/{n:04}",
            is_closed=n % 3 == 0,
            publish_level=LEVELS[n // 3 % len(LEVELS)],
            public_title=f"Anonymiseret punkt {n}",
            has_personal_data=n % 15 == 0,
            summary="Resumé af sagen.",
            summary_html="<p>Resumé af sagen.</p>",
            recommendation="Forvaltningen indstiller,\nat sagen godkendes.",
            earlier_decisions_html="<p>Tidligere behandlet.</p>",
            decision="Godkendt.",
            decision_html="<p>Godkendt.</p>",
        )
        for n in range(1, items + 1)
    )
    Attachment.objects.bulk_create(
        Attachment(
            item=item,
            position=p,
            title=f"Bilag {p} til punkt {item.position}",
            document_number=next(numbers),
            file=stored,
            original_name="bilag.pdf",
            content_type="application/pdf",
            size=1000,
        )
        for item in created
        for p in (1, 2)
    )
    minutes = Minutes.objects.create(
        meeting=meeting,
        status=Minutes.Status.PUBLISHED,
        published_at=now,
        ended_at=dt.time(19, 0),
        remarks_html="<p>Ingen bemærkninger.</p>",
    )
    Attendance.objects.bulk_create(
        Attendance(minutes=minutes, person=person, presence="fravaerende" if i % 5 == 4 else "tilstede")
        for i, person in enumerate(members)
    )
    return meeting


@pytest.fixture
def world(committee, member_user, staff_client):
    """Two meetings of one committee of 15 members (+ ``member_user``): one with 3 items, one with 100."""
    members = Person.objects.bulk_create(Person(name=f"Medlem {i:02}") for i in range(MEMBERS))
    CommitteeMembership.objects.bulk_create(
        CommitteeMembership(committee=committee, person=p, member_kind="borger") for p in members
    )
    stored = private_storage().save("bilag/faelles.pdf", ContentFile(minimal_pdf("Bilag")))
    numbers = itertools.count(FIRST_DOCUMENT_NUMBER)
    start = dt.datetime(2019, 3, 14, 17, 0, tzinfo=timezone.get_default_timezone())
    member = Client()
    member.force_login(member_user)
    return SimpleNamespace(
        few=add_meeting(committee, start, FEW, members, numbers, stored),
        many=add_meeting(committee, start + dt.timedelta(days=14), MANY, members, numbers, stored),
        members=members,
        numbers=numbers,
        stored=stored,
        member=member,
    )


def count_queries(client, url) -> int:
    client.get(url)  # once before, so first-visit writes (read marks) do not count
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


PAGES = {
    "public page, anonymous": ("anonymous", "meetings:detail"),
    "public page, committee member": ("member", "meetings:detail"),
    "builder": ("staff", "meetings:builder"),
    "minutes form": ("staff", "meetings:minutes"),
}


@pytest.mark.parametrize("name", PAGES)
def test_a_meeting_page_costs_the_same_with_3_and_100_items(client, staff_client, world, name):
    who, route = PAGES[name]
    browser = {"anonymous": client, "member": world.member, "staff": staff_client}[who]

    few = count_queries(browser, reverse(route, args=[world.few.pk]))
    many = count_queries(browser, reverse(route, args=[world.many.pk]))

    assert (few, many) == (few, few), f"{name}: {few} queries with {FEW} items, {many} with {MANY}"
    assert many <= MAX_QUERIES[name], f"{name}: {many} queries"


def more_meetings(committees, world, count: int) -> None:
    for n in range(count):
        add_meeting(
            committees[n % len(committees)],
            world.few.starts_at + dt.timedelta(days=n - count // 2),
            FEW,
            world.members,
            world.numbers,
            world.stored,
        )


def test_the_meeting_list_costs_the_same_with_2_and_32_meetings(client, committee, world):
    few = count_queries(client, reverse("meetings:list"))
    more_meetings([committee], world, 30)

    many = count_queries(client, reverse("meetings:list"))

    assert (few, many) == (few, few), f"{few} queries with 2 meetings, {many} with 32"
    assert many <= MAX_QUERIES["meeting list"]


def test_the_meeting_list_costs_the_same_with_1_and_6_committees(client, committee, term, world):
    few = count_queries(client, reverse("meetings:list"))
    committees = [CommitteeFactory(term=term, name=f"Udvalg {n}", slug=f"udvalg-{n}") for n in range(5)]
    more_meetings(committees, world, 10)

    many = count_queries(client, reverse("meetings:list"))

    assert (few, many) == (few, few), f"{few} queries with 1 committee, {many} with 6"


def test_the_big_meeting_is_really_shown(client, world):
    """The counts above are only worth something if the pages show what was made."""
    text = client.get(reverse("meetings:detail", args=[world.many.pk])).content.decode()

    assert text.count("Resumé af sagen.") == MANY - MANY // 3
    assert text.count("/bilag/") == 2 * (MANY - MANY // 3)
    assert "Medlem 14" in text and "Protokollen blev læst og mødet hævet kl. 19:00" in text
