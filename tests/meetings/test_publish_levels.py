"""Publish levels of closed items: per closed item the secretariat chooses what the public sees ("Lukket" only, the
title, an anonymised title, or the title and the decision), and "indeholder personoplysninger" forces "Lukket".
Every public surface is crawled in tests/meetings/test_leaks.py; here: the rule, the roles, the form, the change
marks and the history."""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import AnonymousUser, User
from django.urls import reverse
from django.utils import timezone

from committees.models import CommitteeMembership, Person
from meetings import selectors, services
from meetings.models import AgendaItem, Meeting
from tests.factories import PartyFactory

pytestmark = pytest.mark.django_db

L = AgendaItem.PublishLevel
TITLE, PUBLIC_TITLE, DECISION = "Salg af grunden Vejen 4", "Salg af en kommunal grund", "<p>Grunden sælges.</p>"


def item_data(**overrides) -> dict:
    """What the item form posts: a closed item unless ``is_closed=False``; checkboxes are ticked by "on"."""
    data = {
        "title": TITLE,
        "case_number": "19/0001",
        "is_closed": "on",
        "publish_level": "lukket",
        "public_title": "",
        "summary": "Køber: Hans Hansen.",
        "recommendation": "",
        "earlier_decisions": "",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not False}


# --- The rule (no database) -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "personal", "expected"),
    [
        (L.CLOSED, False, (None, None)),
        (L.TITLE, False, (TITLE, None)),
        (L.ANONYMISED, False, (PUBLIC_TITLE, None)),
        (L.TITLE_AND_DECISION, False, (TITLE, DECISION)),
        (L.CLOSED, True, (None, None)),
        (L.TITLE, True, (None, None)),
        (L.ANONYMISED, True, (None, None)),
        (L.TITLE_AND_DECISION, True, (None, None)),
    ],
)
def test_what_the_public_sees_of_a_closed_item(level, personal, expected):
    item = AgendaItem(
        title=TITLE,
        is_closed=True,
        publish_level=level,
        public_title=PUBLIC_TITLE,
        has_personal_data=personal,
        decision_html=DECISION,
    )
    assert item.public_view() == expected


@pytest.mark.parametrize("level", L.values)
def test_an_open_item_is_public_whatever_its_level(level):
    item = AgendaItem(title=TITLE, publish_level=level, has_personal_data=True, decision_html=DECISION)
    assert item.public_view() == (TITLE, DECISION)


def test_an_anonymised_title_of_blanks_is_no_title():
    item = AgendaItem(title=TITLE, is_closed=True, publish_level=L.ANONYMISED, public_title="  ")
    assert item.public_view() == (None, None)


# --- Per role: the selector ---------------------------------------------------------------------------------------


@pytest.fixture
def outside_politician(other_committee) -> User:
    """A politician with a seat in another committee only."""
    user = User.objects.create_user("udenfor", password="pw-12345-abc")
    person = Person.objects.create(name="Per Udenfor", user=user)
    CommitteeMembership.objects.create(
        committee=other_committee, person=person, member_kind="politiker", party=PartyFactory(letter="V")
    )
    return user


@pytest.fixture
def levelled(meeting, add_item, staff) -> dict[str, AgendaItem]:
    """A published agenda with a closed item at each level, one with personal data, and their decisions."""
    specs = {
        "lukket": {"publish_level": L.CLOSED},
        "titel": {"publish_level": L.TITLE},
        "anonymiseret": {"publish_level": L.ANONYMISED, "public_title": PUBLIC_TITLE},
        "titel_og_beslutning": {"publish_level": L.TITLE_AND_DECISION},
        "personoplysninger": {"publish_level": L.TITLE_AND_DECISION, "has_personal_data": True},
    }
    items = {
        key: add_item(meeting, f"Titel {key}", is_closed=True, summary=f"Resumé {key}", **fields)
        for key, fields in specs.items()
    }
    for key, item in items.items():
        item.decision = f"Beslutning {key}"
        item.decision_html = f"<p>Beslutning {key}</p>"
        item.save()
    services.agenda_publish(meeting=meeting, by=staff)
    meeting.refresh_from_db()
    return items


EXPECTED_PUBLIC = {
    "lukket": (None, None),
    "titel": ("Titel titel", None),
    "anonymiseret": (PUBLIC_TITLE, None),
    "titel_og_beslutning": ("Titel titel_og_beslutning", "<p>Beslutning titel_og_beslutning</p>"),
    "personoplysninger": (None, None),
}


@pytest.mark.parametrize("role", ["anonymous", "citizen", "outside_politician", "member", "staff"])
def test_the_agenda_per_role_and_level(request, meeting, levelled, role):
    user = {
        "anonymous": lambda: AnonymousUser(),
        "citizen": lambda: request.getfixturevalue("citizen"),
        "outside_politician": lambda: request.getfixturevalue("outside_politician"),
        "member": lambda: request.getfixturevalue("member_user"),
        "staff": lambda: request.getfixturevalue("staff"),
    }[role]()
    agenda = {entry.pk: entry for entry in selectors.agenda_for(meeting=meeting, user=user)}
    for key, item in levelled.items():
        entry = agenda[item.pk]
        if role in ("member", "staff"):
            assert isinstance(entry, AgendaItem) and entry.title == f"Titel {key}"
        else:
            assert isinstance(entry, selectors.ClosedItem) and entry.redacted
            assert (entry.public_title, entry.public_decision_html) == EXPECTED_PUBLIC[key], key
            assert not hasattr(entry, "summary_html") and not hasattr(entry, "attachments")


def test_the_public_page_shows_each_level(client, meeting, levelled):
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Punkt 1: Lukket" in page
    assert "Punkt 2: Titel titel (Lukket)" in page
    assert f"Punkt 3: {PUBLIC_TITLE} (Lukket)" in page
    assert "Punkt 4: Titel titel_og_beslutning (Lukket)" in page
    assert "Punkt 5: Lukket" in page
    for hidden in ("Titel lukket", "Titel anonymiseret", "Titel personoplysninger", "Resumé", "Beslutning"):
        assert hidden not in page, hidden  # no referat yet: not even the allowed decision


def test_the_members_page_says_what_the_public_sees(client, member_user, meeting, levelled):
    client.force_login(member_user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Titel lukket" in page and "Resumé personoplysninger" in page
    assert f"Offentliggørelse: en anonymiseret titel «{PUBLIC_TITLE}»" in page
    assert (
        "Offentliggørelse: kun «Lukket», da punktet indeholder personoplysninger (valgt: titlen og beslutningen)"
        in (page)
    )


# --- The staff form -------------------------------------------------------------------------------------------------


def test_the_form_explains_the_levels(staff_client, meeting):
    page = staff_client.get(reverse("meetings:item_add", args=[meeting.pk])).content.decode()
    assert "Hvad må offentligheden se af det lukkede punkt?" in page
    for value in L.values:
        assert f'name="publish_level" value="{value}"' in page
    assert "Kun «Lukket» (standard)" in page and "Titlen og beslutningen: offentligheden ser titlen" in page
    assert "uanset hvad der er valgt ovenfor" in page  # the personal data mark overrides
    assert 'id="lukket-offentliggoerelse"' in page and "js/closed-item.js" in page
    assert "Gælder kun, når «Lukket punkt» er valgt" in page  # without JavaScript the group always shows


def test_an_anonymised_level_needs_a_public_title(staff_client, meeting):
    url = reverse("meetings:item_add", args=[meeting.pk])
    response = staff_client.post(url, item_data(publish_level="anonymiseret"))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Skriv den anonymiserede titel, som offentligheden skal se." in page
    assert not AgendaItem.objects.exists()

    response = staff_client.post(url, item_data(publish_level="anonymiseret", public_title=f"  {PUBLIC_TITLE} "))
    assert response.status_code == 302
    item = AgendaItem.objects.get()
    assert (item.publish_level, item.public_title) == ("anonymiseret", PUBLIC_TITLE)


@pytest.mark.parametrize(
    ("field", "value"),
    [("publish_level", "alt"), ("publish_level", "9" * 400), ("public_title", "x" * 301), ("public_title", "a\x00b")],
)
def test_bad_level_input_is_refused_in_danish(staff_client, meeting, field, value):
    response = staff_client.post(reverse("meetings:item_add", args=[meeting.pk]), item_data(**{field: value}))
    assert response.status_code == 400
    page = response.content.decode()
    assert any(
        m in page for m in ("Marker en gyldig valgmulighed", "højst have 300 tegn", "kontroltegn", "Null-tegn")
    ), field
    assert not AgendaItem.objects.exists()


def test_the_level_is_ignored_for_an_open_item(staff_client, client, meeting, staff):
    response = staff_client.post(
        reverse("meetings:item_add", args=[meeting.pk]),
        item_data(is_closed=False, publish_level="anonymiseret", has_personal_data="on"),
    )
    assert response.status_code == 302
    services.agenda_publish(meeting=meeting, by=staff)
    page = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert f"Punkt 1: {TITLE}" in page and "Køber: Hans Hansen." in page


def test_without_a_level_a_closed_item_is_lukket(staff_client, meeting):
    data = item_data()
    del data["publish_level"]
    assert staff_client.post(reverse("meetings:item_add", args=[meeting.pk]), data).status_code == 302
    assert AgendaItem.objects.get().publish_level == "lukket"


def test_the_level_and_mark_are_stored_and_shown_in_the_builder(staff_client, meeting):
    staff_client.post(
        reverse("meetings:item_add", args=[meeting.pk]),
        item_data(publish_level="titel_og_beslutning", has_personal_data="on"),
    )
    item = AgendaItem.objects.get()
    assert (item.publish_level, item.has_personal_data) == ("titel_og_beslutning", True)
    page = staff_client.get(reverse("meetings:builder", args=[meeting.pk])).content.decode()
    assert "Offentliggørelse: kun «Lukket», da punktet indeholder personoplysninger" in page
    edit = staff_client.get(reverse("meetings:item_edit", args=[meeting.pk, item.pk])).content.decode()
    assert re.search(r'value="titel_og_beslutning"[^>]*checked', edit)
    assert re.search(r'name="has_personal_data"[^>]*checked', edit)


# --- Changes after publication and the history ------------------------------------------------------------------------


@pytest.fixture
def published_closed(meeting, add_item, staff) -> AgendaItem:
    item = add_item(meeting, TITLE, is_closed=True, case_number="19/0001", summary="Køber: Hans Hansen.")
    services.agenda_publish(meeting=meeting, by=staff)
    Meeting.objects.filter(pk=meeting.pk).update(agenda_public_changed_at=None, agenda_changed_at=None)
    return item


@pytest.mark.parametrize(
    ("first", "then", "public"),
    [
        ({}, {"summary": "Køber: Jens Jensen."}, False),  # inside the closed item
        ({}, {"title": "Ny titel"}, False),  # the public sees no title at level "lukket"
        ({}, {"publish_level": "titel"}, True),  # the title appears
        ({"publish_level": "titel"}, {"title": "Ny titel"}, True),
        ({"publish_level": "titel"}, {"summary": "Køber: Jens Jensen."}, False),
        ({"publish_level": "anonymiseret", "public_title": "A"}, {"public_title": "B"}, True),
        ({"publish_level": "anonymiseret", "public_title": "A"}, {"title": "Ny titel"}, False),
        ({"publish_level": "titel"}, {"has_personal_data": True}, True),  # the title disappears
        ({"has_personal_data": True}, {"publish_level": "titel"}, False),  # still "Lukket"
    ],
)
def test_a_change_counts_as_public_when_the_public_sees_it(published_closed, staff, first, then, public):
    item = published_closed
    fields = ["title", "case_number", "is_closed", "publish_level", "public_title", "has_personal_data", "summary"]
    data = {f: getattr(item, f) for f in fields}
    if first:
        item = services.agenda_item_update(item=item, data={**data, **first}, by=staff)
        Meeting.objects.filter(pk=item.meeting_id).update(agenda_public_changed_at=None, agenda_changed_at=None)
        data = {f: getattr(item, f) for f in fields}
    services.agenda_item_update(item=item, data={**data, **then}, by=staff)
    meeting = Meeting.objects.get(pk=item.meeting_id)
    assert meeting.agenda_changed_at is not None
    assert (meeting.agenda_public_changed_at is not None) == public


def test_the_level_is_part_of_the_items_history(staff_client, staff, published_closed, meeting):
    item = published_closed
    response = staff_client.post(
        reverse("meetings:item_edit", args=[meeting.pk, item.pk]),
        item_data(publish_level="anonymiseret", public_title=PUBLIC_TITLE, has_personal_data="on"),
    )
    assert response.status_code == 302
    latest, before = item.history.order_by("-history_date", "-history_id")[:2]
    assert (before.publish_level, before.public_title, before.has_personal_data) == ("lukket", "", False)
    assert (latest.publish_level, latest.public_title, latest.has_personal_data) == ("anonymiseret", PUBLIC_TITLE, True)
    assert latest.history_user == staff


def test_the_decision_follows_the_published_referat_only(client, staff, meeting, levelled, members):
    """The decision of a "titel og beslutning" item reaches the public with the published referat, not before."""
    minutes = services.minutes_save(
        meeting=meeting,
        attendance={m.person_id: ("tilstede", False) for m in members},
        decisions={item.pk: f"Beslutning {key}" for key, item in levelled.items()},
        remarks="",
        ended_at=dt.time(19, 0),
        by=staff,
    )
    url = reverse("meetings:detail", args=[meeting.pk])
    assert "Beslutning titel_og_beslutning" not in client.get(url).content.decode()
    services.minutes_approve(minutes=minutes, by=staff)
    assert meeting.starts_at < timezone.now()
    services.minutes_publish(minutes=minutes, by=staff)
    page = client.get(url).content.decode()
    assert "Beslutning titel_og_beslutning" in page
    for key in ("lukket", "titel", "anonymiseret", "personoplysninger"):
        assert f"<p>Beslutning {key}</p>" not in page, key
