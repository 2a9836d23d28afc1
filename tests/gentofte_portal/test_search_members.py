"""/soeg/ for logged-in users other than the secretariat: the public search index plus what only they may see
(their committees' closed items and bilag, the drafts put to them). The yardstick is the search over the tables
with the permission rules (table_search_page, which the secretariat still uses): for every role and query both
must find the same hits."""

import datetime as dt
import re

import pytest
from django.test import Client

from committees.models import CommitteeMembership
from gentofte_portal.pages.search import table_search_page
from meetings.models import AgendaItem, Meeting
from tests.gentofte_portal.search_world import CPH, bilag, build_world

pytestmark = pytest.mark.django_db

ROLES = ["member", "outsider", "citizen", "discussing"]
QUERIES = [
    "Lukkethemmelighed",  # a closed item's title: the member only
    "Fortroligt",  # a closed item's resumé
    "Lønbilag",  # a closed item's bilag, by its title
    "Lukketbilagsord",  # a closed item's bilag text: nobody
    "Titelsag",  # a closed item whose title is public: the member in full, the others by its title
    "Førsædesag",  # a closed item of a meeting before the member's seat: by its public title only
    "Droeftelsesord",  # the draft put to Børneudvalget
    "Skovrejsningsudkast",  # a draft: nobody here
    "Referatkladdeord",  # a draft referat: nobody here
    "Beslutningsord",  # a decision without a published referat: nobody here
    "Gammelbeslutning",  # a decision with a published referat
    "Upubliceretord",  # an unpublished agenda: nobody here
    "Opslagsord",
    "cykelstier",
    "Trafik",
    "udvalg",
    "sag",
]


@pytest.fixture
def world():
    world = build_world()
    AgendaItem.objects.create(
        meeting=world.meeting,
        position=4,
        title="Titelsag om skolebyggeri",
        is_closed=True,
        publish_level=AgendaItem.PublishLevel.TITLE,
        summary="Titelsagens fortrolige resumé.",
    )
    before = Meeting.objects.create(
        committee=world.task, starts_at=dt.datetime(2018, 5, 3, 17, 0, tzinfo=CPH), agenda_published_at=dt.datetime(
            2018, 4, 26, 12, 0, tzinfo=CPH
        )
    )  # fmt: skip
    early = AgendaItem.objects.create(
        meeting=before,
        position=1,
        title="Førsædesag om havnen",
        is_closed=True,
        publish_level=AgendaItem.PublishLevel.TITLE,
        summary="Førsædesagens fortrolige resumé.",
    )
    bilag(early, "Førsædebilag")
    return world


def user_of(world, role):
    return {"member": world.member, "outsider": world.outsider, "citizen": world.citizen}.get(role) or getattr(
        world, role
    )


def found(page_and_hits) -> list[tuple[str, str, str]]:
    _page, hits = page_and_hits
    return sorted((hit.title, hit.url, hit.context) for hit in hits)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_what_the_tables_find(world, role):
    from gentofte_portal.pages.search import search_page

    user = user_of(world, role)
    for query in QUERIES:
        index = search_page(user=user, query=query)
        tables = table_search_page(user=user, query=query)
        assert found(index) == found(tables), (role, query)
        assert index[0].paginator.count == tables[0].paginator.count, (role, query)


@pytest.mark.parametrize(
    "filters",
    [{"kind": "punkt"}, {"kind": "bilag"}, {"kind": "kommissorium"}, {"year": 2019}, {"year": 2018}],
)
def test_filters_find_what_the_tables_find(world, filters):
    from gentofte_portal.pages.search import search_page

    world.task.refresh_from_db()
    cases = [{**filters}, {**filters, "committee_id": world.task.pk}, {**filters, "term_id": world.term.pk}]
    for role in ["member", "discussing"]:
        user = user_of(world, role)
        for case in cases:
            for query in ["sag", "Lønbilag", "Droeftelsesord", "Førsædesag", "Titelsag"]:
                assert found(search_page(user=user, query=query, **case)) == found(
                    table_search_page(user=user, query=query, **case)
                ), (role, case, query)


def page_text(client, **params) -> str:
    response = client.get("/soeg/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_a_member_sees_a_closed_item_once_in_full_and_others_by_its_public_title(world):
    member = Client()
    member.force_login(world.member)
    text = page_text(member, q="Titelsag")
    assert "1 resultat" in text and "Titelsagens fortrolige resumé" in text.replace("<mark>", "").replace("</mark>", "")
    assert "(Lukket)" not in text  # not also as the public's hit
    outsider = Client()
    outsider.force_login(world.outsider)
    text = page_text(outsider, q="Titelsag")
    assert "1 resultat" in text and "(Lukket)" in text and "fortrolige" not in text
    # Before the member's seat began, the member is one of the public.
    text = page_text(member, q="Førsædesag")
    assert "1 resultat" in text and "(Lukket)" in text and "fortrolige" not in text
    assert "Førsædebilag" not in page_text(member, q="Førsædebilag").split('id="resultater"')[-1]


def test_a_member_pages_through_public_and_closed_hits_together(world):
    for n in range(45):
        AgendaItem.objects.create(
            meeting=world.meeting, position=10 + n, title=f"Sidetest nummer {n}", is_closed=n % 3 == 0
        )
    member = Client()
    member.force_login(world.member)
    first = page_text(member, q="Sidetest")
    assert "45 resultater" in first and "Side 1 af 3" in first
    seen = set()
    for number in (1, 2, 3):
        text = page_text(member, q="Sidetest", side=str(number))
        seen |= {int(n) for n in re.findall(r"Sidetest nummer (\d+)", text)}
    assert seen == set(range(45))  # every hit once, the closed ones too, in one ranking
    beyond = page_text(member, q="Sidetest", side="999")
    assert "Side 3 af 3" in beyond and "45 resultater" in beyond
    # The outsider sees only the open ones (a closed item's title is not public at this publish level).
    outsider = Client()
    outsider.force_login(world.outsider)
    assert "30 resultater" in page_text(outsider, q="Sidetest")


def test_a_seat_that_ended_before_the_meeting_shows_nothing_of_it(world):
    CommitteeMembership.objects.filter(person__user=world.member).update(ends_on=dt.date(2019, 1, 1))
    member = Client()
    member.force_login(world.member)
    assert "Ingen resultater" in page_text(member, q="Lukkethemmelighed")
    assert "Lønbilag" not in page_text(member, q="Lønbilag").split('id="resultater"')[-1]


def test_an_inactive_login_finds_what_the_public_finds(world):
    """A login switched off (is_active False) that still reaches the search sees only what the public sees."""
    from django.contrib.auth.models import AnonymousUser

    from gentofte_portal.pages.search import search_page

    world.member.is_active = False
    for query in ["Lukkethemmelighed", "Titelsag", "sag"]:
        assert found(search_page(user=world.member, query=query)) == found(
            search_page(user=AnonymousUser(), query=query)
        ), query
