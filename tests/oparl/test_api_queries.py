"""A crawler's cost: every OParl list page, and every object, costs the same number of SQL queries at two sizes of
data (the page embeds its items, bilag, PDFs and checksums for the whole page at once)."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees.models import CommitteeMembership, CouncilMembership, Deliverable, Municipality, Party, Term
from meetings.models import AgendaItem, Attachment, DeliverableApproval, Meeting, Minutes
from tests.factories import CommitteeFactory, PartyFactory, PersonFactory, TermFactory

pytestmark = pytest.mark.django_db

LISTS = ["organization", "person", "membership", "meeting", "agendaItem", "paper", "consultation", "file"]


def _grow(size: int) -> None:
    """`size` more committees, each with a member, a meeting of 3 items (one closed) with a bilag, a published
    referat and a handed-over deliverable approved at the meeting."""
    term = Term.objects.first() or TermFactory()
    party = Party.objects.first() or PartyFactory(municipality=term.municipality)
    now = timezone.now()
    start = Meeting.objects.count()
    for n in range(start, start + size):
        committee = CommitteeFactory(term=term, name=f"Udvalg {n}", slug=f"udvalg-{term.pk}-{n}")
        person = PersonFactory()
        CouncilMembership.objects.create(term=term, person=person, party=party)
        CommitteeMembership.objects.create(committee=committee, person=person, member_kind="politiker", party=party)
        meeting = Meeting.objects.create(
            committee=committee, starts_at=now - dt.timedelta(days=n + 1), location=f"Sal {n % 3}",
            agenda_published_at=now,
        )  # fmt: skip
        items = [
            AgendaItem.objects.create(
                meeting=meeting, position=p, title=f"Punkt {p}", is_closed=p == 3, decision="Godkendt"
            )
            for p in (1, 2, 3)
        ]
        attachment = Attachment(
            item=items[0], title="Bilag", document_number=10_000 + n, original_name="b.pdf",
            content_type="application/pdf", size=4,
        )  # fmt: skip
        attachment.file.save("b.pdf", ContentFile(b"%PDF"), save=True)
        Minutes.objects.create(meeting=meeting, status="offentliggjort", published_at=now)
        deliverable = Deliverable.objects.create(
            committee=committee, number=1, title="Anbefalinger", handed_over_on=now.date()
        )
        DeliverableApproval.objects.create(deliverable=deliverable, item=items[1])


def _counts(client) -> dict[str, int]:
    body = Municipality.objects.get()
    counts = {}
    for name in LISTS:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/oparl/v1.1/body/{body.pk}/{name}/?limit=100")
        assert response.status_code == 200, (name, response.content[:300])
        assert response.json()["data"], name
        counts[name] = len(queries)
    first_item = AgendaItem.objects.order_by("pk").first()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/oparl/v1.1/agenda-item/{first_item.pk}/").status_code == 200
    counts["one item"] = len(queries)
    return counts


def test_list_pages_cost_the_same_number_of_queries_at_two_sizes(client):
    _grow(3)
    small = _counts(client)
    _grow(12)
    large = _counts(client)
    assert small == large
    assert max(small.values()) <= 12, small


def test_a_list_page_is_a_page_and_says_where_the_next_one_is(client):
    _grow(4)  # 12 items
    body = Municipality.objects.get()
    seen, url, pages = [], f"/oparl/v1.1/body/{body.pk}/agendaItem/?limit=5", 0
    while url:
        data = client.get(url).json()
        seen += [obj["id"] for obj in data["data"]]
        url = data["links"].get("next")
        pages += 1
    assert pages == 3 and len(seen) == len(set(seen)) == 12
