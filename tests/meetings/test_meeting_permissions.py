"""Every meeting URL answers each role as promised, from the public agenda to the secretariat's pages under /arbejde/."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, CouncilMembership, Deliverable, Party, Person
from committees.permissions import SECRETARIAT_GROUP
from gentofte_portal.devdata.meetings import minimal_pdf
from meetings import services
from meetings import urls as meeting_urls
from meetings.models import AgendaItem, Attachment, Meeting, Minutes, ReadMark
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "citizen", "politician_outside", "committee_member", "citizen_member", "staff"]
ENTITLED_TO_CLOSED = {"committee_member", "citizen_member", "staff"}
LOGIN = "→ /log-ind/"
CLOSED_TITLE = "Køb af grund på Ordrupvej 12"
CLOSED_CASE = "26/0042"
OPEN_TITLE = "Cykelstier på Jægersborg Allé"
DRAFT_TITLE = "Plan for nye træer i Bernstorffsparken"


def everyone(outcome):
    return dict.fromkeys(ROLES, outcome)


PUBLIC = everyone(200)
COMMITTEE = {**everyone(404), **dict.fromkeys(ENTITLED_TO_CLOSED, 200)}  # closed bilag: 404 as if there were none
SECRETARIAT_404 = {**everyone(404), "staff": 200}  # bilag of an agenda not yet published
LOGGED_IN = {**everyone(200), "anonymous": LOGIN}
STAFF_PAGE = {**everyone(403), "anonymous": LOGIN, "staff": 200}
POST_ONLY = everyone(405)  # require_POST wraps login_required: a GET is refused before anything else

GET = {
    "list": PUBLIC,
    "detail_published": PUBLIC,
    "detail_unpublished": PUBLIC,  # the page exists (date and place are public) but shows no items
    "bilag_open": PUBLIC,
    "bilag_closed": COMMITTEE,
    "bilag_unpublished": SECRETARIAT_404,
    "ics": PUBLIC,
    "feed": PUBLIC,
    "mine": LOGGED_IN,
    "staff_list": STAFF_PAGE,
    "create": STAFF_PAGE,
    "builder": STAFF_PAGE,
    "item_add": STAFF_PAGE,
    "item_edit": STAFF_PAGE,
    "minutes": STAFF_PAGE,
    "deliverable": STAFF_PAGE,
    "item_move": POST_ONLY,
    "item_delete": STAFF_PAGE,  # the confirmation page (issue 13)
    "attachment_upload": POST_ONLY,
    "attachment_delete": STAFF_PAGE,  # the confirmation page (issue 13)
    "standard_item": POST_ONLY,
    "publish": STAFF_PAGE,  # the confirmation page (issue 13)
    "minutes_status": STAFF_PAGE,  # the confirmation page (issue 13)
}
# The POST-only actions: anonymous to the login, other non-staff 403 with nothing changed, staff as below.
POST = {
    "item_move": ({"retning": "ned"}, "builder"),
    "item_delete": ({}, "builder"),  # an unpublished agenda: no confirmation needed
    "attachment_upload": ({"title": "Uden fil"}, 400),  # no file: the builder again with the error, HTTP 400
    "attachment_delete": ({"bekraeft": "ja"}, "builder"),
    "standard_item": ({"punkt": "eventuelt"}, "builder"),
    "publish": ({"bekraeft": "ja"}, "builder"),
    "minutes_status": ({"handling": "godkend"}, "minutes"),
}


# --- The world ------------------------------------------------------------------------------------------------------


class World:
    users: dict[str, User | None]
    meetings: dict[str, Meeting]
    items: dict[str, AgendaItem]
    bilag: dict[str, Attachment]
    committee: Committee
    deliverable: Deliverable
    planned: Deliverable

    def client(self, role: str) -> Client:
        client = Client()
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def url(self, name: str) -> str:
        m, i, b = self.meetings, self.items, self.bilag
        unpublished, slug = m["unpublished"].pk, self.committee.slug
        return {
            "list": reverse("meetings:list"),
            "detail_published": reverse("meetings:detail", args=[m["held"].pk]),
            "detail_unpublished": reverse("meetings:detail", args=[unpublished]),
            "bilag_open": reverse("meetings:attachment", args=[m["held"].pk, b["open"].pk]),
            "bilag_closed": reverse("meetings:attachment", args=[m["held"].pk, b["closed"].pk]),
            "bilag_unpublished": reverse("meetings:attachment", args=[unpublished, b["unpublished"].pk]),
            "ics": reverse("meetings:ics", args=[slug]),
            "feed": reverse("meetings:feed"),
            "mine": reverse("meetings:mine"),
            "staff_list": reverse("meetings:staff_list"),
            "create": reverse("meetings:create"),
            "builder": reverse("meetings:builder", args=[unpublished]),
            "item_add": reverse("meetings:item_add", args=[unpublished]),
            "item_edit": reverse("meetings:item_edit", args=[unpublished, i["unpublished_open"].pk]),
            "minutes": reverse("meetings:minutes", args=[m["draft"].pk]),
            "deliverable": reverse("meetings:deliverable", args=[slug, self.deliverable.pk]),
            "item_move": reverse("meetings:item_move", args=[unpublished, i["unpublished_open"].pk]),
            "item_delete": reverse("meetings:item_delete", args=[unpublished, i["unpublished_open"].pk]),
            "attachment_upload": reverse("meetings:attachment_upload", args=[unpublished, i["unpublished_open"].pk]),
            "attachment_delete": reverse("meetings:attachment_delete", args=[unpublished, b["unpublished"].pk]),
            "standard_item": reverse("meetings:standard_item", args=[unpublished]),
            "publish": reverse("meetings:publish", args=[unpublished]),
            "minutes_status": reverse("meetings:minutes_status", args=[m["draft"].pk]),
        }[name]

    def state(self) -> tuple:
        """What the secretariat's actions change: the unpublished agenda and the draft minutes."""
        unpublished = Meeting.objects.get(pk=self.meetings["unpublished"].pk)
        return (
            unpublished.agenda_published_at,
            list(unpublished.items.order_by("position").values_list("pk", "position", "title")),
            list(Attachment.objects.filter(item__meeting=unpublished).values_list("pk", flat=True)),
            Minutes.objects.get(meeting=self.meetings["draft"]).status,
        )


def _user(username: str, *, secretariat: bool = False) -> User:
    user = User.objects.create_user(username, password="pw-12345-abc")
    if secretariat:
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


def _pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf(name), content_type="application/pdf")


def build_world(*, member_seat: tuple[dt.date | None, dt.date | None] = (None, None)) -> World:
    w = World()
    now, today = timezone.now(), timezone.localdate()
    term = TermFactory(starts_on=dt.date(today.year - 1, 1, 1), ends_on=dt.date(today.year + 2, 12, 31))
    party = Party.objects.create(municipality=term.municipality, letter="C", name="Det Konservative Folkeparti")
    w.committee = committee = Committee.objects.create(
        kind=Committee.Kind.TASK,
        term=term,
        name="Opgaveudvalg om Grønne Byrum",
        slug="groenne-byrum",
        seats=15,
        politician_seats=5,
        citizen_seats=10,
        status=Committee.Status.ESTABLISHED,
    )
    other = Committee.objects.create(
        kind=Committee.Kind.STANDING, term=term, name="Teknik- og Miljøudvalget", slug="teknik", seats=7, status=""
    )

    def seat(username, name, committee, kind, role="medlem", council=True, starts_on=None, ends_on=None):
        user = _user(username)
        person = Person.objects.create(name=name, user=user)
        if council:
            CouncilMembership.objects.create(term=term, person=person, party=party)
        CommitteeMembership.objects.create(
            committee=committee,
            person=person,
            member_kind=kind,
            role=role,
            party=party,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        return user

    staff = _user("sekretariat", secretariat=True)
    w.users = {
        "anonymous": None,
        "citizen": _user("borger"),
        "politician_outside": seat("udenfor", "Per Udenfor", other, "politiker", role="formand"),
        "committee_member": seat("medlem", "Mette Medlem", committee, "politiker", "formand", True, *member_seat),
        "citizen_member": seat("borgermedlem", "Carla Borger", committee, "borger", council=False),
        "staff": staff,
    }
    w.meetings, w.items, w.bilag = {}, {}, {}

    def meeting(key, days):
        w.meetings[key] = services.meeting_create(
            committee=committee,
            starts_at=now + dt.timedelta(days=days),
            location="Rådhuset",
            kind="ordinaert",
            by=staff,
        )
        return w.meetings[key]

    def item(key, m, title, **data):
        w.items[key] = services.agenda_item_add(meeting=m, data={"title": title, **data}, by=staff)
        return w.items[key]

    def publish(m):
        services.agenda_publish(meeting=m, by=staff)
        m.refresh_from_db()

    def minutes(m, decisions):
        members = {ms.person_id: ("tilstede", False) for ms in services.members_on(m)}
        return services.minutes_save(
            meeting=m, attendance=members, decisions=decisions, remarks="", ended_at=None, by=staff
        )

    held = meeting("held", -14)
    opened = item("open", held, OPEN_TITLE, case_number="26/0041")
    w.bilag["open"] = services.attachment_add(item=opened, upload=_pdf("cykelstier.pdf"), title="Kort", by=staff)
    closed = item("closed", held, CLOSED_TITLE, case_number=CLOSED_CASE, is_closed=True, summary="Pris og sælger.")
    w.bilag["closed"] = services.attachment_add(item=closed, upload=_pdf("vurdering.pdf"), title="Vurdering", by=staff)
    publish(held)
    done = minutes(held, {opened.pk: "Godkendt.", closed.pk: "Forvaltningen køber grunden."})
    services.minutes_publish(minutes=services.minutes_approve(minutes=done, by=staff), by=staff)

    draft = meeting("draft", -3)
    item("draft_open", draft, "Status på byrumsprojekter")
    publish(draft)
    minutes(draft, {w.items["draft_open"].pk: "Taget til efterretning."})

    unpublished = meeting("unpublished", 7)
    u_open = item("unpublished_open", unpublished, DRAFT_TITLE, summary="Forslag til 40 nye træer.")
    item("unpublished_closed", unpublished, "Ekspropriation af forhave", is_closed=True)
    w.bilag["unpublished"] = services.attachment_add(item=u_open, upload=_pdf("traeer.pdf"), title="Kort", by=staff)

    upcoming = meeting("upcoming", 14)
    item("upcoming_open", upcoming, "Byrumsstrategi: høringssvar")
    publish(upcoming)

    w.deliverable = Deliverable.objects.create(committee=committee, number=1, title="Idékatalog for grønne byrum")
    services.deliverable_update(
        deliverable=w.deliverable, upload=_pdf("idekatalog.pdf"), approved_item=opened, handed_over_on=None, by=staff
    )
    w.planned = Deliverable.objects.create(
        committee=committee, number=2, title="Anbefalinger til Kommunalbestyrelsen", due_on=dt.date(2031, 3, 1)
    )
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


# --- The matrix -------------------------------------------------------------------------------------------------------


def test_the_matrix_covers_every_secretariat_url_of_meetings():
    names = {p.name for p in meeting_urls.urlpatterns if str(p.pattern).startswith("arbejde/")}
    assert names and names <= set(GET)


def _check(response, expected, path):
    if expected == LOGIN:
        assert response.status_code == 302, path
        assert response.url == f"/log-ind/?next={path}"
    else:
        assert response.status_code == expected, path


@pytest.mark.parametrize("name", list(GET))
@pytest.mark.parametrize("role", ROLES)
def test_get(world, role, name):
    path = world.url(name)
    response = world.client(role).get(path)
    _check(response, GET[name][role], path)
    if name.startswith("bilag") and response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert response["Cache-Control"] == ("private, no-store" if name == "bilag_closed" else "public, max-age=300")


@pytest.mark.parametrize("name", list(POST))
@pytest.mark.parametrize("role", ROLES)
def test_post(world, role, name):
    path = world.url(name)
    data, staff_outcome = POST[name]
    before = world.state()
    response = world.client(role).post(path, data)
    if role == "staff":
        if staff_outcome == 400:
            assert response.status_code == 400
            assert world.state() == before
        else:
            assert response.status_code == 302
            assert response.url == world.url(staff_outcome)
            assert world.state() != before
    else:
        _check(response, LOGIN if role == "anonymous" else 403, path)
        assert world.state() == before


# --- What each role sees on the meeting pages -------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_published_meeting_shows_closed_items_to_the_committee_only(world, role):
    page = world.client(role).get(world.url("detail_published")).content.decode()
    entitled = role in ENTITLED_TO_CLOSED
    assert OPEN_TITLE in page and world.url("bilag_open") in page
    assert CLOSED_CASE in page  # the Sags ID of a closed item is public
    assert (CLOSED_TITLE in page) == entitled
    assert ("Pris og sælger." in page) == entitled
    assert ("Forvaltningen køber grunden." in page) == entitled  # a closed item's decision in published minutes
    assert (world.url("bilag_closed") in page) == entitled
    assert ("Punkt 2: Lukket" in page) == (not entitled)
    assert "Godkendt." in page  # the open item's decision


@pytest.mark.parametrize("role", ROLES)
def test_unpublished_meeting_shows_its_items_to_staff_only(world, role):
    response = world.client(role).get(world.url("detail_unpublished"))
    page = response.content.decode()
    assert response.status_code == 200 and "Rådhuset" in page
    assert (DRAFT_TITLE in page) == (role == "staff")
    assert ("Ekspropriation af forhave" in page) == (role == "staff")
    assert ("Dagsordenen er ikke offentliggjort endnu." in page) == (role != "staff")


@pytest.mark.parametrize("role", ROLES)
def test_draft_minutes_are_shown_to_staff_only(world, role):
    page = world.client(role).get(reverse("meetings:detail", args=[world.meetings["draft"].pk])).content.decode()
    assert "Status på byrumsprojekter" in page
    assert ("Taget til efterretning." in page) == (role == "staff")


def test_a_seat_must_cover_the_meeting_day():
    """A member whose seat began after the held meeting (14 days ago) sees the closed items of later meetings only."""
    w = build_world(member_seat=(timezone.localdate() - dt.timedelta(days=7), None))
    client = w.client("committee_member")
    assert client.get(w.url("bilag_closed")).status_code == 404
    assert CLOSED_TITLE not in client.get(w.url("detail_published")).content.decode()
    later = services.agenda_item_add(
        meeting=w.meetings["upcoming"], data={"title": "Lejekontrakt", "is_closed": True}, by=w.users["staff"]
    )
    page = client.get(reverse("meetings:detail", args=[later.meeting_id])).content.decode()
    assert "Lejekontrakt" in page


def test_a_seat_that_ended_before_the_meeting_gives_no_access():
    w = build_world(member_seat=(None, timezone.localdate() - dt.timedelta(days=30)))
    client = w.client("committee_member")
    assert client.get(w.url("bilag_closed")).status_code == 404
    assert CLOSED_TITLE not in client.get(w.url("detail_published")).content.decode()


@pytest.mark.parametrize("year", ["10000", "-5"])
def test_meeting_list_with_an_impossible_year_is_not_a_server_error(world, year):
    client = Client(raise_request_exception=False)
    assert client.get(reverse("meetings:list"), {"aar": year}).status_code < 500


# --- /mine/ -----------------------------------------------------------------------------------------------------------

UNREAD = re.compile(r'<span class="badge text-bg-primary">ulæst</span>')


def test_my_page_for_a_politician_shows_committees_meetings_minutes_and_deliverables_until_read(world):
    client = world.client("committee_member")
    m = world.meetings

    page = client.get(world.url("mine")).content.decode()
    assert "Opgaveudvalg om Grønne Byrum" in page and "(formand)" in page
    assert "Teknik- og Miljøudvalget" not in page
    detail = {key: reverse("meetings:detail", args=[m[key].pk]) for key in m}
    assert f'href="{detail["upcoming"]}"' in page
    assert f'href="{detail["unpublished"]}"' in page and "dagsorden ikke offentliggjort" in page
    assert f'href="{detail["held"]}#referat"' in page  # newly published minutes
    assert f'href="{detail["draft"]}#referat"' not in page  # draft minutes are not news
    assert reverse("meetings:deliverable_file", args=[world.deliverable.pk]) in page
    assert "Idékatalog for grønne byrum" in page
    # A planned deliverable, before any file: what the committee owes and by when, without a link.
    assert "2. Anbefalinger til Kommunalbestyrelsen" in page and "Planlagt · frist 1. marts 2031" in page
    assert reverse("meetings:deliverable_file", args=[world.planned.pk]) not in page
    assert DRAFT_TITLE not in page and CLOSED_TITLE not in page  # links and dates only, no item text
    # Unread: the published upcoming agenda, the published minutes, the deliverable (not the unpublished agenda).
    assert len(UNREAD.findall(page)) == 3

    def unread_after(url):
        client.get(url)
        return len(UNREAD.findall(client.get(world.url("mine")).content.decode()))

    assert unread_after(detail["upcoming"]) == 2
    assert unread_after(detail["held"]) == 1
    assert unread_after(reverse("meetings:deliverable_file", args=[world.deliverable.pk])) == 0
    keys = set(ReadMark.objects.filter(user=world.users["committee_member"]).values_list("key", flat=True))
    assert {f"dagsorden:{m['upcoming'].pk}", f"referat:{m['held'].pk}", f"leverance:{world.deliverable.pk}"} <= keys


def test_a_members_later_visits_to_a_meeting_write_nothing(world):
    """The first visit stores the read marks; later ones are GETs without a write (the cache remembers the marks)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = world.client("committee_member")
    url = reverse("meetings:detail", args=[world.meetings["held"].pk])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as later:
        assert client.get(url).status_code == 200
    writes = ("INSERT", "UPDATE", "DELETE")
    assert any(q["sql"].lstrip().upper().startswith("INSERT") for q in first.captured_queries)
    assert not [q["sql"] for q in later.captured_queries if q["sql"].lstrip().upper().startswith(writes)]
    keys = set(ReadMark.objects.filter(user=world.users["committee_member"]).values_list("key", flat=True))
    assert {f"dagsorden:{world.meetings['held'].pk}", f"referat:{world.meetings['held'].pk}"} <= keys


@pytest.mark.parametrize(
    ("role", "shows"),
    [
        ("citizen", "Du er ikke medlem af et udvalg."),
        ("politician_outside", "Teknik- og Miljøudvalget"),
        ("citizen_member", "Opgaveudvalg om Grønne Byrum"),
        ("staff", "Du er ikke medlem af et udvalg."),
    ],
)
def test_my_page_for_other_roles(world, role, shows):
    page = world.client(role).get(world.url("mine")).content.decode()
    assert shows in page
    upcoming = reverse("meetings:detail", args=[world.meetings["upcoming"].pk])
    assert (upcoming in page) == (role == "citizen_member")
