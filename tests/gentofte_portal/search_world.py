"""A small portal to search (tests/gentofte_portal/test_search*.py): committees, mandates (one published, one
draft, one put to a standing committee), two meetings with open and closed items, a draft and a published referat,
bilag with extracted text (one of a closed item) and an open call. Every secret word is unique, so a test can
ask for it and see who finds it."""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, Mandate, Person
from meetings.models import AgendaItem, Attachment, Meeting, Minutes
from recruitment.models import Call
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

CPH = zoneinfo.ZoneInfo("Europe/Copenhagen")


@dataclass
class World:
    term: object
    children: Committee
    task: Committee
    other: Committee
    meeting: Meeting
    old_meeting: Meeting
    open_item: AgendaItem
    closed_item: AgendaItem
    script_item: AgendaItem
    open_bilag: Attachment
    closed_bilag: Attachment
    call: Call
    staff: User
    member: User
    outsider: User
    citizen: User
    discussing: User


_numbers = iter(range(900000, 999999))


def bilag(item, title, text=""):
    return Attachment.objects.create(
        item=item,
        title=title,
        document_number=next(_numbers),
        file=f"bilag/{item.meeting_id}/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=10,
        text=text,
    )


def build_world() -> World:
    term = TermFactory(starts_on=dt.date(2018, 1, 1), ends_on=dt.date(2021, 12, 31))
    old_term = TermFactory(starts_on=dt.date(2014, 1, 1), ends_on=dt.date(2017, 12, 31))
    children = CommitteeFactory(
        term=term, name="Børneudvalget", slug="boerneudvalget", purpose="Skoler, dagtilbud og fritid."
    )
    task = TaskCommitteeFactory(
        term=term, name="Opgaveudvalget for Trafik", slug="trafik", purpose="Trafik og cykelstier i kommunen."
    )
    task.proposed_by.add(children)
    other = CommitteeFactory(term=old_term, name="Kulturudvalget", slug="kultur", purpose="Biblioteker og museer.")
    MandateFactory(
        committee=task,
        status=Mandate.Status.PUBLISHED,
        published_at=timezone.now(),
        purpose="Kommissoriet beskriver opgaveudvalgets arbejde med trafiksikkerhed.",
        task="Udvalget skal komme med anbefalinger.",
    )
    draft_committee = TaskCommitteeFactory(term=term, name="Opgaveudvalget for Natur", slug="natur")
    draft_committee.proposed_by.add(children)
    MandateFactory(committee=draft_committee, status=Mandate.Status.DRAFT, purpose="Skovrejsningsudkast om skovene.")
    water = TaskCommitteeFactory(term=term, name="Opgaveudvalget for Vand", slug="vand")
    water.proposed_by.add(children)  # so a politician of Børneudvalget sees the draft put to it for discussion
    MandateFactory(committee=water, status=Mandate.Status.IN_DISCUSSION, purpose="Droeftelsesord om havnebadet.")

    meeting = Meeting.objects.create(
        committee=task, starts_at=dt.datetime(2019, 3, 14, 17, 0, tzinfo=CPH), agenda_published_at=timezone.now()
    )
    open_item = AgendaItem.objects.create(
        meeting=meeting,
        position=1,
        title="Godkendelse af dagsordener",
        case_number="EMN-2019-00042",
        summary="Udvalget drøfter cykelparkering ved stationen.",
        recommendation="Forvaltningen indstiller, at sagen godkendes.",
        decision="Beslutningsord godkendt.",
    )
    closed_item = AgendaItem.objects.create(
        meeting=meeting, position=2, title="Personalesag Lukkethemmelighed", is_closed=True, summary="Fortroligt."
    )
    script_item = AgendaItem.objects.create(
        meeting=meeting, position=3, title="Skriptsag <script>alert(1)</script>", summary="<b>fed</b> skriptsag"
    )
    Minutes.objects.create(meeting=meeting, status=Minutes.Status.DRAFT, remarks="Referatkladdeord.")
    open_bilag = bilag(open_item, "Trafikplan", "Kortlægning af Bilagstekstord og cykelstier.")
    closed_bilag = bilag(closed_item, "Lønbilag", "Lukketbilagsord om løn.")

    old_meeting = Meeting.objects.create(
        committee=other, starts_at=dt.datetime(2016, 5, 2, 17, 0, tzinfo=CPH), agenda_published_at=timezone.now()
    )
    AgendaItem.objects.create(
        meeting=old_meeting, position=1, title="Bibliotekernes åbningstider", decision="Vedtaget med Gammelbeslutning."
    )
    Minutes.objects.create(
        meeting=old_meeting,
        status=Minutes.Status.PUBLISHED,
        published_at=timezone.now(),
        remarks="Mødet sluttede tidligt.",
    )
    unpublished = Meeting.objects.create(committee=task, starts_at=dt.datetime(2019, 6, 1, 17, 0, tzinfo=CPH))
    AgendaItem.objects.create(meeting=unpublished, position=1, title="Upubliceretord på kommende dagsorden")

    call = Call.objects.create(
        committee=task,
        title="Bliv medlem af opgaveudvalget",
        text="Vi søger borgere med interesse for Opslagsord.",
        published_at=timezone.now() - dt.timedelta(days=1),
        deadline=timezone.now() + dt.timedelta(days=30),
    )
    task.status = Committee.Status.RECRUITING
    task.save(update_fields=["status"])  # a save, as the services make: the public search index hears of it

    member = UserFactory(username="medlem")
    CommitteeMembership.objects.create(
        committee=task,
        person=Person.objects.create(name="Medlem", user=member),
        member_kind="politiker",
        party=PartyFactory(letter="C"),
        starts_on=dt.date(2018, 9, 1),
    )
    return World(
        term=term,
        children=children,
        task=task,
        other=other,
        meeting=meeting,
        old_meeting=old_meeting,
        open_item=open_item,
        closed_item=closed_item,
        script_item=script_item,
        open_bilag=open_bilag,
        closed_bilag=closed_bilag,
        call=call,
        staff=StaffUserFactory(),
        member=member,
        outsider=PoliticianUserFactory(seat=CommitteeFactory(term=term)),
        citizen=UserFactory(),
        discussing=PoliticianUserFactory(seat=children),
    )
