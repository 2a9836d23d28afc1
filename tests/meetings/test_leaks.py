"""Closed items, their bilag and unpublished agendas and minutes never reach anyone not entitled, on any surface."""

import datetime as dt
import html
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode, urljoin, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import Group, Permission, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from committees.models import Committee, CommitteeMembership, CouncilMembership, Deliverable, Party, Person
from committees.permissions import SECRETARIAT_GROUP
from gentofte_portal.devdata.meetings import minimal_pdf
from meetings import services
from meetings.models import AgendaItem, Attachment, Meeting
from tests.factories import TermFactory

pytestmark = pytest.mark.django_db

MAX_URLS = 800  # the crawl's bound; every run must finish well below it (asserted)
SKIP_PREFIXES = ("/static/", "/log-ud/", "/i18n/", "/admin/logout/")
HREF = re.compile(r"""\b(?:href|src)\s*=\s*["']([^"']+)["']""")
LOC = re.compile(r"<loc>\s*([^<\s]+)\s*</loc>")
ICS_URL = re.compile(r"^URL[^:\r\n]*:(\S+)", re.MULTILINE)

# Who must never see what. Markers are "Z<label>Z" with no Z inside the label, so no marker contains another.
PUBLIC = "public"  # open items of published agendas, published minutes, the Sags ID of a closed item: everyone
CLOSED_X = "closed_x"  # closed items (and their bilag) of the traffic committee: its members and the secretariat
CLOSED_Y = "closed_y"  # a closed item of the finance committee: its members and the secretariat
STAFF_ONLY = "staff_only"  # unpublished agendas, draft and approved (unpublished) minutes: the secretariat only
ENTITLED = {
    "anonymous": {PUBLIC},
    "citizen": {PUBLIC},
    "politician_outside": {PUBLIC, CLOSED_Y},
    "committee_member": {PUBLIC, CLOSED_X},
    "citizen_member": {PUBLIC, CLOSED_X},
    "staff": {PUBLIC, CLOSED_X, CLOSED_Y, STAFF_ONLY},
}
NOT_ENTITLED_TO_X = ["anonymous", "citizen", "politician_outside"]
MEMBERS_OF_X = ["committee_member", "citizen_member"]


# Closed items of the held meeting (5-9) at each publish level: (key, label, level, who sees what, decision's kind).
TITLE, ANONYMISED, TITLE_AND_DECISION = "titel", "anonymiseret", "titel_og_beslutning"
LEVEL_ITEMS = [
    ("held_titel", "HOLDT-NIVTITEL", TITLE, {"title": PUBLIC}, CLOSED_X),
    ("held_anon", "HOLDT-NIVANON", ANONYMISED, {"public_title": PUBLIC}, CLOSED_X),
    ("held_titelbeslutning", "HOLDT-NIVBESL", TITLE_AND_DECISION, {"title": PUBLIC}, PUBLIC),
    ("held_person", "HOLDT-NIVPERSON", TITLE_AND_DECISION, {"personal": True}, CLOSED_X),
    ("held_person_anon", "HOLDT-NIVPERSANON", ANONYMISED, {"public_title": CLOSED_X, "personal": True}, CLOSED_X),
]


# --- The world: two committees, five meetings of the traffic committee, a user per role ---------------------------


@dataclass
class World:
    markers: dict[str, set[str]] = field(
        default_factory=lambda: {k: set() for k in (PUBLIC, CLOSED_X, CLOSED_Y, STAFF_ONLY)}
    )
    users: dict[str, User | None] = field(default_factory=dict)
    committees: list[Committee] = field(default_factory=list)
    meetings: dict[str, Meeting] = field(default_factory=dict)
    items: dict[str, AgendaItem] = field(default_factory=dict)
    bilag: dict[str, Attachment] = field(default_factory=dict)
    deliverable: Deliverable | None = None

    def mark(self, kind: str, label: str) -> str:
        assert "Z" not in label
        marker = f"Z{label}Z"
        assert all(marker not in group for group in self.markers.values()), marker
        self.markers[kind].add(marker)
        return marker

    def forbidden_for(self, role: str) -> set[str]:
        return {m for kind, group in self.markers.items() if kind not in ENTITLED[role] for m in group}

    def required_for(self, role: str) -> set[str]:
        return {m for kind in ENTITLED[role] for m in self.markers[kind]}

    def client(self, role: str) -> Client:
        client = Client(raise_request_exception=False)
        if self.users[role] is not None:
            client.force_login(self.users[role])
        return client

    def bilag_url(self, key: str, meeting: Meeting | None = None) -> str:
        attachment = self.bilag[key]
        return reverse("meetings:attachment", args=[(meeting or attachment.item.meeting).pk, attachment.pk])


def _user(username: str, *, secretariat: bool = False) -> User:
    user = User.objects.create_user(username, password="pw-12345-abc", first_name=username.title())
    if secretariat:
        user.groups.add(Group.objects.get(name=SECRETARIAT_GROUP))
    return user


def _person_with_login(username: str, name: str) -> tuple[User, Person]:
    user = _user(username)
    return user, Person.objects.create(name=name, user=user)


def build_world() -> World:
    w = World()
    now = timezone.now()
    today = timezone.localdate()
    term = TermFactory(starts_on=dt.date(today.year - 1, 1, 1), ends_on=dt.date(today.year + 2, 12, 31))
    party = Party.objects.create(municipality=term.municipality, letter="C", name="Det Konservative Folkeparti")
    traffic = Committee.objects.create(
        kind=Committee.Kind.TASK,
        term=term,
        name="Opgaveudvalg om Trafik",
        slug="trafik",
        purpose="Udvalget skal se på trafiksikkerhed.",
        seats=15,
        politician_seats=5,
        citizen_seats=10,
        status=Committee.Status.ESTABLISHED,
        starts_on=today - dt.timedelta(days=300),
    )
    finance = Committee.objects.create(
        kind=Committee.Kind.STANDING, term=term, name="Økonomiudvalget", slug="oekonomi", seats=7, status=""
    )
    w.committees = [traffic, finance]
    seat_from = today - dt.timedelta(days=365)

    staff = _user("sekretariat", secretariat=True)
    outside, outside_person = _person_with_login("udenfor", "Per Udenfor")
    CouncilMembership.objects.create(term=term, person=outside_person, party=party)
    CommitteeMembership.objects.create(
        committee=finance, person=outside_person, member_kind="politiker", role="formand", party=party
    )
    member, member_person = _person_with_login("medlem", "Mette Medlem")
    CouncilMembership.objects.create(term=term, person=member_person, party=party)
    CommitteeMembership.objects.create(
        committee=traffic,
        person=member_person,
        member_kind="politiker",
        role="formand",
        party=party,
        starts_on=seat_from,
    )
    citizen_member, citizen_person = _person_with_login("borgermedlem", "Carla Borger")
    CommitteeMembership.objects.create(
        committee=traffic, person=citizen_person, member_kind="borger", party=party, starts_on=seat_from
    )
    w.users = {
        "anonymous": None,
        "citizen": _user("borger"),
        "politician_outside": outside,
        "committee_member": member,
        "citizen_member": citizen_member,
        "staff": staff,
    }

    def meeting(key, committee, days, location):
        m = services.meeting_create(
            committee=committee,
            starts_at=now + dt.timedelta(days=days),
            location=location,
            kind=Meeting.Kind.ORDINARY,
            by=staff,
        )
        w.meetings[key] = m
        return m

    def item(key, m, kind, label, *, closed=False, case_kind=None, full=True, level=None, **public):
        """``level``: the closed item's publish level; ``public`` may say who sees its ``title``, its anonymised
        ``public_title``, and whether it ``personal``ly identifies someone (forcing "Lukket")."""
        data = {"title": w.mark(public.get("title", kind), f"{label}-TITEL"), "is_closed": closed}
        if level:
            data["publish_level"] = level
        if "public_title" in public:
            data["public_title"] = w.mark(public["public_title"], f"{label}-OFFENTLIG")
        if public.get("personal"):
            data["has_personal_data"] = True
        if case_kind:
            data["case_number"] = w.mark(case_kind, f"{label}-SAG")
        if full:
            data["summary"] = f"Resumé: {w.mark(kind, f'{label}-RESUME')}\n\n- første punkt"
            data["recommendation"] = f"Forvaltningen indstiller, at {w.mark(kind, f'{label}-INDSTILLING')}"
            data["earlier_decisions"] = f"Tidligere: {w.mark(kind, f'{label}-TIDLIGERE')}"
        w.items[key] = services.agenda_item_add(meeting=m, data=data, by=staff)
        return w.items[key]

    def attach(key, it, kind, label):
        upload = SimpleUploadedFile(
            f"{w.mark(kind, f'{label}-FILNAVN')}.pdf",
            minimal_pdf(f"Fortroligt bilag {w.mark(kind, f'{label}-INDHOLD')}"),
            content_type="application/pdf",
        )
        w.bilag[key] = services.attachment_add(item=it, upload=upload, title=w.mark(kind, f"{label}-BILAG"), by=staff)
        return w.bilag[key]

    def publish(m):
        services.agenda_publish(meeting=m, by=staff)
        m.refresh_from_db()

    def minutes(m, decisions, remarks, *, status):
        saved = services.minutes_save(
            meeting=m,
            attendance={member_person.pk: ("tilstede", False), citizen_person.pk: ("fravaerende", True)},
            decisions={it.pk: text for it, text in decisions.items()},
            remarks=remarks,
            ended_at=dt.time(19, 0),
            by=staff,
        )
        if status in ("godkendt", "offentliggjort"):
            saved = services.minutes_approve(minutes=saved, by=staff)
        if status == "offentliggjort":
            saved = services.minutes_publish(minutes=saved, by=staff)
        return saved

    # 1. Held 20 days ago: published agenda with open and closed items and bilag, published minutes.
    held = meeting("held", traffic, -20, "Udvalgsværelse G")
    open1 = item("held_open", held, PUBLIC, "HOLDT-AABEN", case_kind=PUBLIC)
    attach("held_open", open1, PUBLIC, "HOLDT-AABEN")
    closed1 = item("held_closed", held, CLOSED_X, "HOLDT-LUK", closed=True, case_kind=PUBLIC)
    attach("held_closed", closed1, CLOSED_X, "HOLDT-LUK")
    closed2 = item("held_closed2", held, CLOSED_X, "HOLDT-LUKTO", closed=True, case_kind=PUBLIC)
    attach("held_closed2", closed2, CLOSED_X, "HOLDT-LUKTO")
    open2 = item("held_open2", held, PUBLIC, "HOLDT-AABENTO", full=False)
    # Items 5-9: a closed item at every publish level, and two whose personal data overrides the level.
    levels = {}
    for key, label, level, public, decision_kind in LEVEL_ITEMS:
        it = item(key, held, CLOSED_X, label, closed=True, case_kind=PUBLIC, level=level, **public)
        if level == TITLE_AND_DECISION:  # the most the public may see: its bilag stay closed all the same
            attach(key, it, CLOSED_X, label)
        levels[it] = w.mark(decision_kind, f"{label}-BESLUTNING")
    publish(held)
    minutes(
        held,
        {
            open1: w.mark(PUBLIC, "HOLDT-AABEN-BESLUTNING"),
            closed1: w.mark(CLOSED_X, "HOLDT-LUK-BESLUTNING"),
            closed2: w.mark(CLOSED_X, "HOLDT-LUKTO-BESLUTNING"),
            open2: "Taget til efterretning.",
            **levels,
        },
        f"Bemærkning: {w.mark(PUBLIC, 'HOLDT-BEMAERKNING')}",
        status="offentliggjort",
    )

    # 2. and 3. Held 10 and 5 days ago, agenda published, minutes still a draft / approved but not published.
    for key, days, label, status in (("draft", -10, "UDKAST", "kladde"), ("approved", -5, "GODKENDT", "godkendt")):
        m = meeting(key, traffic, days, "Rådhuset")
        o = item(f"{key}_open", m, PUBLIC, f"{label}-AABEN", full=False)
        c = item(f"{key}_closed", m, CLOSED_X, f"{label}-LUK", closed=True, case_kind=PUBLIC)
        # Its title is public at once; its decision only with the referat.
        tb = item(f"{key}_niv", m, CLOSED_X, f"{label}-NIV", closed=True, level=TITLE_AND_DECISION, title=PUBLIC)
        publish(m)
        minutes(
            m,
            {
                o: w.mark(STAFF_ONLY, f"{label}-AABEN-BESLUTNING"),
                c: w.mark(STAFF_ONLY, f"{label}-LUK-BESLUTNING"),
                tb: w.mark(STAFF_ONLY, f"{label}-NIV-BESLUTNING"),
            },
            f"Fremmøde og bemærkninger: {w.mark(STAFF_ONLY, f'{label}-BEMAERKNING')}",
            status=status,
        )

    # 4. In 10 days, agenda not yet published: even its open items are the secretariat's only.
    draft_agenda = meeting("unpublished", traffic, 10, "Rådhuset")
    u_open = item("unpublished_open", draft_agenda, STAFF_ONLY, "KLADDE-AABEN", case_kind=STAFF_ONLY)
    attach("unpublished_open", u_open, STAFF_ONLY, "KLADDE-AABEN")
    u_closed = item(
        "unpublished_closed", draft_agenda, STAFF_ONLY, "KLADDE-LUK", closed=True, case_kind=STAFF_ONLY, level="titel"
    )
    attach("unpublished_closed", u_closed, STAFF_ONLY, "KLADDE-LUK")

    # 5. In 20 days, agenda published, one open and one closed item with a bilag.
    upcoming = meeting("upcoming", traffic, 20, "Udvalgsværelse G")
    item("upcoming_open", upcoming, PUBLIC, "KOMMENDE-AABEN", full=False)
    p_closed = item("upcoming_closed", upcoming, CLOSED_X, "KOMMENDE-LUK", closed=True, case_kind=PUBLIC)
    attach("upcoming_closed", p_closed, CLOSED_X, "KOMMENDE-LUK")
    item("upcoming_anon", upcoming, CLOSED_X, "KOMMENDE-ANON", closed=True, level=ANONYMISED, public_title=PUBLIC)
    publish(upcoming)

    # The finance committee, of which the outside politician is chair: a published agenda with a closed item.
    fin = meeting("finance", finance, 15, "Byrådssalen")
    item("finance_open", fin, PUBLIC, "OEKONOMI-AABEN", full=False)
    f_closed = item("finance_closed", fin, CLOSED_Y, "OEKONOMI-LUK", closed=True, case_kind=PUBLIC)
    attach("finance_closed", f_closed, CLOSED_Y, "OEKONOMI-LUK")
    publish(fin)

    # A deliverable approved under a closed item: the committee page must not name the item.
    w.deliverable = Deliverable.objects.create(committee=traffic, number=1, title="Anbefalinger om trafiksikkerhed")
    services.deliverable_update(
        deliverable=w.deliverable,
        upload=SimpleUploadedFile("leverance.pdf", minimal_pdf("Leverance 1"), content_type="application/pdf"),
        approved_item=closed1,
        handed_over_on=None,
        by=staff,
    )
    return w


@pytest.fixture
def world(db) -> World:
    return build_world()


# --- The crawler ------------------------------------------------------------------------------------------------------


@dataclass
class Page:
    url: str
    status: int
    content_type: str
    text: str  # the body (bytes decoded, binary too) and the response headers
    location: str = ""


def _body(response) -> bytes:
    if response.streaming:
        # Reading the stream to the end closes the response inside the test client. A second close() would fire
        # request_finished and make Django close the test's database connection (seen on PostgreSQL).
        return b"".join(response.streaming_content)
    return response.content


def _normalise(base: str, raw: str, *, any_host: bool = False) -> str | None:
    raw = html.unescape(raw.strip())
    if not raw or raw.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin(f"http://testserver{base}", raw))
    if parts.scheme not in ("http", "https"):
        return None
    if not any_host and parts.hostname not in ("testserver", None):
        return None
    path = parts.path or "/"
    if path.startswith(SKIP_PREFIXES):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


class Crawler:
    """Requests every seed and every same-site link found in a response (href/src in HTML, <loc> in the sitemap,
    links in the Atom feed, URL: in iCalendar, Location on redirects), GET only, once per URL."""

    def __init__(self, client: Client, *, limit: int = MAX_URLS):
        self.client, self.limit = client, limit
        self.pages: dict[str, Page] = {}
        self.unvisited: list[str] = []

    def run(self, seeds, reflections: dict[str, list[str]] | None = None) -> "Crawler":
        reflections = reflections or {}
        queue = deque(dict.fromkeys(seeds))
        while queue and len(self.pages) < self.limit:
            url = queue.popleft()
            if url in self.pages:
                continue
            response = self.client.get(url)
            data = _body(response)
            text = data.decode("utf-8", "replace")
            for echo in reflections.get(url, []):  # the request's own query echoed back (search box, "next")
                text = text.replace(echo, "")
            headers = "\n".join(f"{k}: {v}" for k, v in response.headers.items())
            location = response.headers.get("Location", "")
            content_type = response.headers.get("Content-Type", "")
            self.pages[url] = Page(url, response.status_code, content_type, f"{text}\n{headers}", location)
            links = []
            if location:
                links.append(_normalise(url, location))
            if not content_type.startswith(("application/pdf", "image/")):
                links += [_normalise(url, href) for href in HREF.findall(text)]
                links += [_normalise(url, loc, any_host=True) for loc in LOC.findall(text)]
                links += [_normalise(url, u, any_host=True) for u in ICS_URL.findall(text.replace("\r\n ", ""))]
            queue.extend(link for link in links if link and link not in self.pages)
        self.unvisited = [url for url in queue if url not in self.pages]
        return self

    def found(self, markers) -> dict[str, list[str]]:
        """marker -> the URLs whose response contains it."""
        hits = {}
        for marker in markers:
            urls = [page.url for page in self.pages.values() if marker in page.text]
            if urls:
                hits[marker] = urls
        return hits

    def statuses(self) -> dict[str, int]:
        return {url: page.status for url, page in self.pages.items()}


def search_seeds(w: World) -> dict[str, list[str]]:
    """/soeg/?q= for every secret marker and parts of it -> the echoes of the query to ignore in the response."""
    queries = set()
    for kind in (CLOSED_X, CLOSED_Y, STAFF_ONLY):
        for marker in w.markers[kind]:
            label = marker[1:-1]
            queries |= {marker, label, label.rsplit("-", 1)[-1], label.split("-", 1)[-1]}
            queries |= {part for part in label.split("-") if len(part) >= 3}
    seeds = {}
    for q in sorted(queries):
        url = "/soeg/?" + urlencode({"q": q})
        seeds[url] = [f'value="{html.escape(url)}"', f'name="q" value="{html.escape(q)}"']
    return seeds


def seeds(w: World) -> list[str]:
    urls = [
        "/",
        "/sitemap.xml",
        reverse("meetings:feed"),
        reverse("meetings:list"),
        reverse("meetings:mine"),
        reverse("search"),
        reverse("committees:workspace"),
        "/findes-ikke/",
        "/moeder/999999/",
        reverse("meetings:deliverable_file", args=[w.deliverable.pk]),
        reverse("meetings:deliverable", args=["trafik", w.deliverable.pk]),
        reverse("meetings:staff_list"),
        reverse("meetings:create"),
    ]
    years = sorted({timezone.localtime(m.starts_at).year for m in w.meetings.values()})
    for c in w.committees:
        urls += [
            reverse("pages:committee", args=[c.slug]),
            reverse("committees:mandate_public", args=[c.slug]),
            reverse("meetings:ics", args=[c.slug]),
            f"/moeder/?{urlencode({'udvalg': c.slug})}",
        ]
        urls += [f"/moeder/?{urlencode({'udvalg': c.slug, 'aar': y})}" for y in years]
    urls += [f"/moeder/?aar={y}" for y in years]
    for m in w.meetings.values():
        urls += [
            reverse("meetings:detail", args=[m.pk]),
            reverse("meetings:builder", args=[m.pk]),
            reverse("meetings:item_add", args=[m.pk]),
            reverse("meetings:minutes", args=[m.pk]),
            reverse("meetings:publish", args=[m.pk]),
            reverse("meetings:standard_item", args=[m.pk]),
            reverse("meetings:minutes_status", args=[m.pk]),
            reverse("meetings:attachment", args=[m.pk, 999999]),
        ]
    for it in w.items.values():
        urls += [
            reverse("meetings:item_edit", args=[it.meeting_id, it.pk]),
            reverse("meetings:item_move", args=[it.meeting_id, it.pk]),
            reverse("meetings:attachment_upload", args=[it.meeting_id, it.pk]),
        ]
    for key, a in w.bilag.items():
        urls += [
            w.bilag_url(key),
            w.bilag_url(key, w.meetings["held"]),  # another (published) meeting's URL for the same bilag
            reverse("meetings:attachment_delete", args=[a.item.meeting_id, a.pk]),
        ]
    held, traffic = w.meetings["held"], w.committees[0]
    urls += [
        "/admin/",
        "/admin/meetings/",
        "/admin/meetings/meeting/",
        f"/admin/meetings/meeting/{held.pk}/change/",
        f"/admin/meetings/meeting/{held.pk}/history/",
        "/admin/meetings/agendaitem/",
        f"/admin/meetings/agendaitem/{w.items['held_closed'].pk}/change/",
        "/admin/meetings/attachment/",
        "/admin/meetings/minutes/",
        "/admin/committees/committee/",
        f"/admin/committees/committee/{traffic.pk}/change/",
        f"/admin/committees/taskcommittee/{traffic.pk}/change/",
        "/admin/committees/deliverable/",
    ]
    return urls


def crawl(w: World, role: str) -> Crawler:
    search = search_seeds(w)
    result = Crawler(w.client(role)).run(seeds(w) + list(search), reflections=search)
    assert not result.unvisited, f"the crawl hit its bound of {MAX_URLS} URLs with {len(result.unvisited)} left"
    return result


def _leaks(result: Crawler, markers) -> str:
    return "\n".join(f"{m} in {urls}" for m, urls in sorted(result.found(markers).items()))


def _must_have_visited(w: World, result: Crawler) -> None:
    statuses = result.statuses()
    for m in w.meetings.values():
        assert statuses[reverse("meetings:detail", args=[m.pk])] == 200
    assert statuses["/sitemap.xml"] == 200
    assert statuses[reverse("meetings:feed")] == 200
    assert statuses[reverse("meetings:ics", args=["trafik"])] == 200
    assert statuses[w.bilag_url("held_open")] == 200
    assert statuses["/findes-ikke/"] == 404
    assert any(url.startswith("/soeg/?q=") and code == 200 for url, code in statuses.items())
    assert any(url.startswith("/admin/") for url in statuses)
    errors = {url: code for url, code in statuses.items() if code >= 500}
    assert not errors, f"server errors while crawling: {errors}"


# --- The attack: crawl as each role that is not entitled --------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_ENTITLED_TO_X)
def test_crawler_never_finds_closed_or_unpublished_text(world, role):
    result = crawl(world, role)
    leaks = _leaks(result, world.forbidden_for(role))
    assert not leaks, f"{role} saw what they are not entitled to:\n{leaks}"
    _must_have_visited(world, result)
    # Positive control: the same crawl did read the public agenda, minutes, bilag and the closed items' Sags ID.
    missing = world.required_for(role) - set(result.found(world.required_for(role)))
    assert not missing, f"the crawl as {role} never saw public text {sorted(missing)}"
    print(f"\ncrawl as {role}: {len(result.pages)} URLs")


@pytest.mark.parametrize("role", MEMBERS_OF_X + ["staff"])
def test_crawler_as_entitled_user_finds_what_they_are_entitled_to(world, role):
    """The positive control: the same crawl as a member sees the closed items (so the attack above would have
    noticed them), yet never unpublished agendas or minutes; staff see everything."""
    result = crawl(world, role)
    leaks = _leaks(result, world.forbidden_for(role))
    assert not leaks, f"{role} saw what they are not entitled to:\n{leaks}"
    _must_have_visited(world, result)
    missing = world.required_for(role) - set(result.found(world.required_for(role)))
    assert not missing, f"the crawl as {role} never saw {sorted(missing)}"
    print(f"\ncrawl as {role}: {len(result.pages)} URLs")


# --- Attachments ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_ENTITLED_TO_X)
def test_closed_bilag_is_404_while_the_open_bilag_downloads(world, role):
    client = world.client(role)
    for key in ("held_closed", "held_closed2", "upcoming_closed", "unpublished_open", "unpublished_closed"):
        for url in (world.bilag_url(key), world.bilag_url(key, world.meetings["held"])):
            response = client.get(url)
            assert response.status_code == 404, (key, url)
            assert not any(m in response.content.decode() for m in world.forbidden_for(role)), url
    response = client.get(world.bilag_url("held_open"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    body = _body(response)
    assert body.startswith(b"%PDF-") and b"ZHOLDT-AABEN-INDHOLDZ" in body


@pytest.mark.parametrize("role", list(ENTITLED))
def test_bilag_files_are_not_reachable_under_media_url(world, role):
    client = world.client(role)
    for attachment in world.bilag.values():
        assert attachment.file.name.startswith("bilag/")
        for url in {
            settings.MEDIA_URL + attachment.file.name,
            f"{settings.MEDIA_URL}private/{attachment.file.name}",
            attachment.file.url,
        }:
            response = client.get(url)
            assert response.status_code == 404, url
            assert b"%PDF-" not in _body(response)


# --- Error pages ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["anonymous", "citizen"])
def test_404_page_does_not_echo_the_url(world, role, settings):
    """DEBUG off: the portal's own 404 page, not Django's technical one; the requested path is only in the
    "Log ind" link's next= and the language form's hidden next (both escaped), never in the page text."""
    settings.DEBUG = False
    client = world.client(role)
    for path in ("/moeder/HEMMELIG-MARKER/", "/moeder/HEMMELIG-MARKER/bilag/1/", "/HEMMELIG-MARKER<b>x</b>/"):
        response = client.get(path)
        assert response.status_code == 404
        text = response.content.decode()
        assert "Siden findes ikke" in text
        assert "URLconf" not in text and "Traceback" not in text
        assert "<b>x</b>" not in text
        echo = response.wsgi_request.get_full_path()
        text = text.replace(f'value="{html.escape(echo)}"', "")
        text = text.replace(f"?next={quote(response.wsgi_request.path)}", "")
        assert "HEMMELIG-MARKER" not in text, path


def test_404_for_a_closed_bilag_looks_like_any_other_404(world):
    client = world.client("anonymous")
    closed = client.get(world.bilag_url("held_closed")).content.decode()
    missing = client.get(reverse("meetings:attachment", args=[world.meetings["held"].pk, 999999])).content.decode()
    strip = re.compile(r"next=[^\"&]*|value=\"[^\"]*\"")
    assert strip.sub("", closed) == strip.sub("", missing)


def test_500_page_shows_nothing_of_the_failing_request(world, monkeypatch, settings):
    """An exception whose message holds closed text (here: every title of the meeting) ends in the static 500 page."""
    settings.DEBUG = False

    def failing_agenda(*, meeting, user):
        raise RuntimeError(" ".join(meeting.items.values_list("title", flat=True)))

    monkeypatch.setattr("meetings.selectors.agenda_for", failing_agenda)
    for key in ("held", "unpublished"):
        response = world.client("anonymous").get(reverse("meetings:detail", args=[world.meetings[key].pk]))
        assert response.status_code == 500
        page = response.content.decode()
        assert "Der opstod en fejl" in page and "RuntimeError" not in page
        assert not [m for m in world.forbidden_for("anonymous") if m in page]


# --- Positive control: the entitled do see the closed item ------------------------------------------------------------


@pytest.mark.parametrize("role", MEMBERS_OF_X + ["staff"])
def test_members_and_staff_see_the_closed_item_and_download_its_bilag(world, role):
    client = world.client(role)
    page = client.get(reverse("meetings:detail", args=[world.meetings["held"].pk])).content.decode()
    for marker in (
        "HOLDT-LUK-TITEL",
        "HOLDT-LUK-RESUME",
        "HOLDT-LUK-INDSTILLING",
        "HOLDT-LUK-TIDLIGERE",
        "HOLDT-LUK-BESLUTNING",
        "HOLDT-LUK-BILAG",
        "HOLDT-LUKTO-TITEL",
        "HOLDT-LUKTO-BESLUTNING",
    ):
        assert f"Z{marker}Z" in page, marker
    assert world.bilag_url("held_closed") in page
    response = client.get(world.bilag_url("held_closed"))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert "ZHOLDT-LUK-FILNAVNZ.pdf" in response["Content-Disposition"]
    body = _body(response)
    assert body.startswith(b"%PDF-") and b"ZHOLDT-LUK-INDHOLDZ" in body
    assert client.get(world.bilag_url("upcoming_closed")).status_code == 200
    # ... but never through another meeting's URL, and never another committee's closed bilag.
    assert client.get(world.bilag_url("upcoming_closed", world.meetings["held"])).status_code == 404
    if role != "staff":
        assert client.get(world.bilag_url("finance_closed")).status_code == 404


def test_the_outside_politician_sees_closed_items_of_their_own_committee_only(world):
    client = world.client("politician_outside")
    own = client.get(reverse("meetings:detail", args=[world.meetings["finance"].pk])).content.decode()
    assert "ZOEKONOMI-LUK-TITELZ" in own
    assert client.get(world.bilag_url("finance_closed")).status_code == 200
    other = client.get(reverse("meetings:detail", args=[world.meetings["held"].pk])).content.decode()
    assert "ZHOLDT-LUK-TITELZ" not in other and "ZHOLDT-LUK-SAGZ" in other and "Lukket" in other


# --- Publish levels: what each role sees of each closed item, on the page and in search ---------------------------

# What the public sees of items 5-9 of the held meeting: the heading, and the decision if any.
PUBLIC_HEADINGS = {
    "held_titel": ("Punkt 5: ZHOLDT-NIVTITEL-TITELZ (Lukket)", None),
    "held_anon": ("Punkt 6: ZHOLDT-NIVANON-OFFENTLIGZ (Lukket)", None),
    "held_titelbeslutning": ("Punkt 7: ZHOLDT-NIVBESL-TITELZ (Lukket)", "ZHOLDT-NIVBESL-BESLUTNINGZ"),
    "held_person": ("Punkt 8: Lukket", None),
    "held_person_anon": ("Punkt 9: Lukket", None),
}


def _item_section(page: str, position: int) -> str:
    match = re.search(rf'<section[^>]*id="punkt-{position}".*?</section>', page, re.S)
    assert match, position
    return match.group(0)


@pytest.mark.parametrize("key", list(PUBLIC_HEADINGS))
@pytest.mark.parametrize("role", list(ENTITLED))
def test_each_publish_level_on_the_meeting_page(world, role, key):
    item = AgendaItem.objects.get(pk=world.items[key].pk)
    page = world.client(role).get(reverse("meetings:detail", args=[world.meetings["held"].pk])).content.decode()
    section = _item_section(page, item.position)
    label = next(label for k, label, *_ in LEVEL_ITEMS if k == key)
    if role in MEMBERS_OF_X or role == "staff":
        assert f"Z{label}-TITELZ" in section and f"Z{label}-RESUMEZ" in section and f"Z{label}-BESLUTNINGZ" in section
        assert "Offentliggørelse:" in section
    else:
        heading, decision = PUBLIC_HEADINGS[key]
        assert re.search(r"<h3[^>]*>(.*?)</h3>", section, re.S).group(1).strip() == heading
        assert (decision is not None) == ("Beslutning" in section)
        if decision:
            assert decision in section
        assert f"Sags ID: Z{label}-SAGZ" in section
        secret = [m for m in world.forbidden_for(role) if m in section]
        assert not secret, secret
        for field_name in ("RESUME", "INDSTILLING", "TIDLIGERE", "BILAG"):
            assert f"Z{label}-{field_name}Z" not in page


@pytest.mark.parametrize("role", NOT_ENTITLED_TO_X)
def test_search_finds_a_closed_item_by_its_public_title_only(world, role):
    client = world.client(role)

    def hits(query: str) -> str:
        page = client.get("/soeg/?" + urlencode({"q": query})).content.decode()
        return page.split('<section aria-labelledby="resultater">', 1)[1].split("</section>", 1)[0]

    anchor = f'href="{reverse("meetings:detail", args=[world.meetings["held"].pk])}#punkt-'
    # The closed items the public may see, as search shows them: by the title their publish level makes public.
    public_closed = {
        f"{item.position}. {item.public_view()[0]} (Lukket)"
        for item in AgendaItem.objects.filter(is_closed=True, meeting__agenda_published_at__isnull=False)
        if item.public_view()[0]
    }
    assert f'{anchor}5" class="fw-semibold">5. ZHOLDT-NIVTITEL-TITELZ (Lukket)</a>' in hits("NIVTITEL-TITEL")
    assert f'{anchor}7" class="fw-semibold">7. ZHOLDT-NIVBESL-TITELZ (Lukket)</a>' in hits("NIVBESL-TITEL")
    assert f'{anchor}6" class="fw-semibold">6. ZHOLDT-NIVANON-OFFENTLIGZ (Lukket)</a>' in hits("NIVANON-OFFENTLIG")
    # Never by the real title of an anonymised item, its resumé, Sags ID or decision; never with personal data,
    # never at level "Lukket", never before the agenda is published. On PostgreSQL a query that finds no word may
    # still find titles merely like it (pg_trgm): public titles only, so the secret itself is never shown.
    for query in ("NIVANON-TITEL", "NIVTITEL-RESUME", "NIVBESL-BESLUTNING", "NIVPERSON", "NIVPERSANON", "HOLDT-LUK",
                  "KLADDE-LUK", "UDKAST-NIV-BESLUTNING"):  # fmt: skip
        found = hits(query)
        assert query not in found, (query, found)
        if connection.vendor != "postgresql":
            assert ">0 resultater</h2>" in found, (query, found)
        shown = {t for t in re.findall(r'class="fw-semibold">([^<]*)</a>', found) if t.endswith("(Lukket)")}
        assert shown <= public_closed, (query, shown - public_closed)


# --- Unpublished minutes and agendas ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", list(ENTITLED))
def test_unpublished_minutes_reach_only_staff(world, role):
    client = world.client(role)
    for key, label in (("draft", "UDKAST"), ("approved", "GODKENDT")):
        page = client.get(reverse("meetings:detail", args=[world.meetings[key].pk])).content.decode()
        secret = [f"Z{label}-AABEN-BESLUTNINGZ", f"Z{label}-LUK-BESLUTNINGZ", f"Z{label}-BEMAERKNINGZ"]
        if role == "staff":
            assert all(m in page for m in secret), key
        else:
            assert not any(m in page for m in secret), key
            assert "Dagsorden til møde" in page and 'id="referat"' not in page
        # The agenda itself is published: the open item for all, the closed item for members and staff.
        assert f"Z{label}-AABEN-TITELZ" in page
        assert (f"Z{label}-LUK-TITELZ" in page) == (role in MEMBERS_OF_X + ["staff"])


@pytest.mark.parametrize("role", list(ENTITLED))
def test_unpublished_agenda_reaches_only_staff(world, role):
    response = world.client(role).get(reverse("meetings:detail", args=[world.meetings["unpublished"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    secret = [f"ZKLADDE-{x}Z" for x in ("AABEN-TITEL", "AABEN-RESUME", "AABEN-SAG", "AABEN-BILAG", "LUK-TITEL")]
    if role == "staff":
        assert all(m in page for m in secret)
    else:
        assert not any(m in page for m in secret)
        assert "Dagsordenen er ikke offentliggjort endnu." in page


# --- The admin --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", NOT_ENTITLED_TO_X + MEMBERS_OF_X + ["staff"])
def test_admin_sends_portal_users_to_the_admin_login(world, role):
    """No portal role is an admin user: every admin URL redirects to the admin's login."""
    client = world.client(role)
    traffic = world.committees[0]
    for url in ("/admin/", "/admin/meetings/meeting/", f"/admin/committees/committee/{traffic.pk}/change/"):
        response = client.get(url)
        assert response.status_code == 302 and response.url.startswith("/admin/login/"), url


ADMIN_PERMISSIONS = {
    "read-only": ["view_committee", "view_deliverable"],
    "editor": ["view_committee", "change_committee", "view_deliverable", "change_deliverable"],
}


@pytest.mark.parametrize("grant", list(ADMIN_PERMISSIONS))
def test_admin_user_outside_the_secretariat_sees_no_closed_titles(world, grant):
    """An admin login (is_staff) that is not in "Sekretariat" and not a committee member, e.g. IT support given
    the committee pages in the admin, is not entitled to closed items either."""
    clerk = User.objects.create_user("it-support", password="pw-12345-abc", is_staff=True)
    clerk.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="committees", codename__in=ADMIN_PERMISSIONS[grant])
    )
    client = Client()
    client.force_login(clerk)
    response = client.get(f"/admin/committees/committee/{world.committees[0].pk}/change/")
    assert response.status_code == 200
    page = response.content.decode()
    leaked = sorted(m for m in world.forbidden_for("citizen") if m in page)
    assert not leaked, leaked


# --- The crawler itself -----------------------------------------------------------------------------------------------


def test_the_crawler_would_notice_every_marker(world, monkeypatch):
    """With the permission checks switched off, the anonymous crawl finds every secret marker: so a clean crawl
    above means the text was not there, not that the crawler missed the page."""
    monkeypatch.setattr("meetings.selectors.can_view_meeting", lambda user, meeting: True)
    monkeypatch.setattr("meetings.selectors.can_see_closed_items", lambda user, meeting: True)
    monkeypatch.setattr("meetings.selectors.can_view_minutes", lambda user, minutes: minutes is not None)
    result = crawl(world, "anonymous")
    secret = world.forbidden_for("anonymous")
    assert set(result.found(secret)) == secret


# --- PDFs, rendered ---------------------------------------------------------------------------------------------------
# Above, the world's documents stay "venter" (their on-commit render never runs inside the test's transaction), so
# the crawler only meets "PDF'en dannes …". Here they are rendered in-process, and every PDF's text is read.

MEETING_PDFS = ("meetings:agenda_pdf", "meetings:minutes_pdf")
# Every field of an item the PDFs print: title, resumé, indstilling, tidligere beslutninger, decision, bilag titles.
CLOSED_FIELDS = ("TITEL", "RESUME", "INDSTILLING", "TIDLIGERE", "BESLUTNING", "BILAG")


@pytest.fixture
def rendered_world(db, settings, django_capture_on_commit_callbacks) -> World:
    """The same world, with every document rendered as the worker would (tasks in-process, callbacks run)."""
    from gentofte_portal.documents.models import Document

    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        w = build_world()
        _correct_the_held_minutes(w)
    assert Document.objects.exists() and not Document.objects.exclude(status="klar").exists()
    return w


def _correct_the_held_minutes(w: World) -> None:
    """A correction of the published referat amends an open and a closed decision: the corrected decision is
    rendered into the PDFs and held to the same rule as the first."""
    held = Meeting.objects.select_related("minutes").get(pk=w.meetings["held"].pk)
    open_item, closed_item = (AgendaItem.objects.get(pk=w.items[key].pk) for key in ("held_open", "held_closed"))
    staff = User.objects.get(username="sekretariat")
    services.minutes_save(
        meeting=held,
        attendance={},
        decisions={
            open_item.pk: f"{open_item.decision} {w.mark(PUBLIC, 'HOLDT-AABEN-RETTETBESLUTNING')}",
            closed_item.pk: f"{closed_item.decision} {w.mark(CLOSED_X, 'HOLDT-LUK-RETTETBESLUTNING')}",
        },
        remarks=held.minutes.remarks,
        ended_at=held.minutes.ended_at,
        by=staff,
        correction_note="Beslutningerne under punkt 1 og 2 er præciseret.",
    )


def pdf_texts(w: World, role: str) -> dict[str, str]:
    """Every meeting PDF the role can download, its text with all white space removed (a marker broken over two
    lines is still found)."""
    import io

    from pypdf import PdfReader

    client, texts = w.client(role), {}
    for meeting in w.meetings.values():
        for name in MEETING_PDFS:
            url = reverse(name, args=[meeting.pk])
            response = client.get(url)
            if response.status_code == 404:
                continue
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf", (url, response)
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(_body(response))).pages)
            texts[url] = re.sub(r"\s+", "", text)
    return texts


@pytest.mark.parametrize("role", list(ENTITLED))
def test_every_pdf_carries_exactly_what_the_role_may_see(rendered_world, role):
    w = rendered_world
    texts = pdf_texts(w, role)
    agenda = reverse("meetings:agenda_pdf", args=[w.meetings["held"].pk])
    minutes = reverse("meetings:minutes_pdf", args=[w.meetings["held"].pk])
    assert agenda in texts and minutes in texts, sorted(texts)
    everything = "".join(texts.values())
    leaked = {marker for marker in w.forbidden_for(role) if marker in everything}
    assert not leaked, f"{role} finds in the PDFs: {sorted(leaked)}"
    # Published open items, in full.
    for field_name in CLOSED_FIELDS:
        assert f"ZHOLDT-AABEN-{field_name}Z" in everything, field_name
    assert "ZHOLDT-AABEN-RETTETBESLUTNINGZ" in texts[minutes]  # the correction is rendered
    if role in MEMBERS_OF_X or role == "staff":  # every field of the closed items in their variant
        for label in ("HOLDT-LUK", "HOLDT-LUKTO"):
            for field_name in CLOSED_FIELDS:
                assert f"Z{label}-{field_name}Z" in texts[minutes], (label, field_name)
        assert "ZHOLDT-LUK-RETTETBESLUTNINGZ" in texts[minutes]
        assert "ZKOMMENDE-LUK-TITELZ" in everything
    else:  # the public variant: number, Sags ID and "Lukket", and what each item's publish level shows
        assert "Punkt2:Lukket" in texts[agenda] and "Punkt3:Lukket" in texts[minutes]
        for text in (texts[agenda], texts[minutes]):
            assert "Punkt5:ZHOLDT-NIVTITEL-TITELZ(Lukket)" in text
            assert "Punkt6:ZHOLDT-NIVANON-OFFENTLIGZ(Lukket)" in text
            assert "Punkt7:ZHOLDT-NIVBESL-TITELZ(Lukket)" in text
            assert "Punkt8:Lukket" in text and "Punkt9:Lukket" in text  # personal data overrides the level
        # The decision of a "titel og beslutning" item is in the referat only (the dagsorden has no decisions).
        assert "ZHOLDT-NIVBESL-BESLUTNINGZ" in texts[minutes] and "ZHOLDT-NIVBESL-BESLUTNINGZ" not in texts[agenda]


@pytest.mark.parametrize("role", list(ENTITLED))
def test_no_pdf_of_an_unpublished_agenda_or_minutes(rendered_world, role):
    w = rendered_world
    client = w.client(role)
    for key, name in [("unpublished", "meetings:agenda_pdf"), ("unpublished", "meetings:minutes_pdf"),
                      ("draft", "meetings:minutes_pdf"), ("approved", "meetings:minutes_pdf")]:  # fmt: skip
        response = client.get(reverse(name, args=[w.meetings[key].pk]))
        assert response.status_code == 404, (role, key, name, response.status_code)
