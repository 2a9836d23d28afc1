"""Hostile input to the meeting forms: plan a meeting, add, edit, move and delete agenda items and standard items,
upload and remove bilag (hostile names and contents), publish the agenda, write the minutes (attendance, decisions,
a correction), approve and publish them, record a deliverable, and the public meeting list's filters. See
tests/hostile.py for what every example checks."""

import re

import pytest
from django.test import Client

from committees.models import Committee
from meetings import services
from meetings.models import Meeting
from tests.hostile import (
    CONFIRM,
    F,
    FormSpec,
    encode_multipart,
    form_tests,
    snapshot,
    snapshot_diff,
    url,
    valid_pdf,
    world_fixture,
)

pytestmark = pytest.mark.django_db
world = world_fixture()

ITEM = {
    "title": F("text", "Orientering om budget"),
    "case_number": F("text", "EMN-2018-00651"),
    "is_closed": F("bool", ""),
    "publish_level": F("choice", "lukket", ["lukket", "titel", "anonymiseret", "titel_og_beslutning"]),
    "public_title": F("text", ""),
    "has_personal_data": F("bool", ""),
    "summary": F("text", "Resumé med **fed** og\n\n- punkt"),
    "recommendation": F("text", "Direktionen indstiller, at udvalget tager orienteringen til efterretning."),
    "earlier_decisions": F("text", ""),
}


def _minutes_fields(meeting, *, correction: bool):
    def fields(w):
        m = Meeting.objects.get(pk=getattr(w, meeting).pk)
        result = {}
        for member in services.members_on(m):
            result[f"presence_{member.person_id}"] = F("choice", "tilstede", ["tilstede", "fravaerende"])
            result[f"apologies_{member.person_id}"] = F("bool", "")
        for item in m.items.all():
            result[f"decision_{item.pk}"] = F("text", "Godkendt.")
        result["remarks"] = F("text", "")
        result["ended_at"] = F("time", "18:45")
        if correction:
            result["correction_note"] = F("text", "Rettet stavefejl i punkt 1.")
        result["presence_999999"] = F("choice", None, ["tilstede"])  # someone not on the committee
        return result

    return fields


def _meeting_pages(w) -> list[str]:
    """Where agenda items, bilag and minutes show: each meeting's page (the staff see unpublished ones too)."""
    return [url("meetings:detail", w.meeting.pk), url("meetings:detail", w.done.pk)]


FORMS = [
    FormSpec(
        "meetings:create",
        lambda w: url("meetings:create"),
        {
            "committee": F(
                "choice",
                lambda w: str(w.established.pk),
                lambda w: list(Committee.objects.values_list("pk", flat=True)),
            ),
            "starts_at": F("datetime", "2027-01-14T17:00"),
            "location": F("text", "Udvalgsværelse G"),
            "kind": F("choice", "ordinaert", Meeting.Kind.values),
        },
    ),
    FormSpec("meetings:create", lambda w: url("meetings:create"), {"udvalg": F("int", "1")}, method="GET"),
    FormSpec(
        "meetings:item_add",
        lambda w: [url("meetings:item_add", w.meeting.pk), url("meetings:item_add", w.done.pk)],
        ITEM,
        show=_meeting_pages,
    ),
    FormSpec(
        "meetings:item_edit",
        lambda w: [
            url("meetings:item_edit", w.meeting.pk, w.items[1].pk),
            url("meetings:item_edit", w.done.pk, w.done_items[0].pk),
        ],
        ITEM,
        show=_meeting_pages,
    ),
    FormSpec(
        "meetings:item_move",
        lambda w: (
            [url("meetings:item_move", w.meeting.pk, i.pk) for i in w.items]
            + [url("meetings:item_move", w.done.pk, w.done_items[0].pk)]
        ),
        {"retning": F("choice", "op", ["op", "ned"])},
    ),
    FormSpec(
        "meetings:item_delete",
        lambda w: [
            url("meetings:item_delete", w.meeting.pk, w.items[2].pk),
            url("meetings:item_delete", w.done.pk, w.done_items[0].pk),
        ],
        {"bekraeft": CONFIRM},
    ),
    FormSpec(
        "meetings:attachment_upload",
        lambda w: [
            url("meetings:attachment_upload", w.meeting.pk, w.items[1].pk),
            url("meetings:attachment_upload", w.done.pk, w.done_items[0].pk),
        ],
        {"title": F("text", "Budgetnotat"), "file": F("file", valid_pdf)},
        multipart=True,
        show=_meeting_pages,
    ),
    FormSpec(
        "meetings:attachment_delete",
        lambda w: url("meetings:attachment_delete", w.meeting.pk, w.attachment.pk),
        {"bekraeft": CONFIRM},
    ),
    FormSpec(
        "meetings:standard_item",
        lambda w: [url("meetings:standard_item", w.meeting.pk), url("meetings:standard_item", w.done.pk)],
        {"punkt": F("choice", "eventuelt", ["godkendelse", "eventuelt"])},
    ),
    FormSpec(
        "meetings:publish",
        lambda w: [url("meetings:publish", w.meeting.pk), url("meetings:publish", w.done.pk)],
        {"bekraeft": CONFIRM},
    ),
    FormSpec(
        "meetings:minutes",
        lambda w: url("meetings:minutes", w.meeting.pk),
        _minutes_fields("meeting", correction=False),
        show=_meeting_pages,
    ),
    FormSpec(
        "meetings:minutes",
        lambda w: url("meetings:minutes", w.done.pk),
        _minutes_fields("done", correction=True),
        label="correction",
        show=_meeting_pages,
    ),
    FormSpec(
        "meetings:minutes_status",
        lambda w: [url("meetings:minutes_status", w.done.pk), url("meetings:minutes_status", w.meeting.pk)],
        {"handling": F("choice", "godkend", ["godkend", "offentliggoer"]), "bekraeft": CONFIRM},
    ),
    FormSpec(
        "meetings:deliverable",
        lambda w: url("meetings:deliverable", w.established.slug, w.deliverable.pk),
        lambda w: {
            "file": F("file", valid_pdf),
            "approved_item": F("choice", str(w.items[1].pk), [i.pk for i in w.items + w.done_items]),
            "handed_over_on": F("date", "2026-06-01"),
        },
        multipart=True,
    ),
    FormSpec(
        "meetings:list",
        lambda w: url("meetings:list"),
        {"udvalg": F("text", "fuzz-innovation"), "aar": F("int", "2026"), "side": F("int", "1")},
        user="anon",
        method="GET",
    ),
]


# The two tests every table of forms gets (tests/hostile.py), collected from this module with its `world`.
test_hostile_input_is_refused_cleanly, test_each_field_alone_refuses_sharp_values_cleanly = form_tests(FORMS)


# --- Regression tests for what the fuzz found ------------------------------------------------------------------------


def _staff(w) -> Client:
    client = Client()
    client.force_login(w.users["staff"])
    return client


def test_a_bilag_title_with_a_control_character_is_refused_next_to_the_title(world):
    """The bilag form was the one form without the control character check: the title was stored with them."""
    item = world.items[1]
    body, content_type = encode_multipart({"title": "Budget\x1b[31m", "file": valid_pdf()})
    response = _staff(world).post(
        url("meetings:attachment_upload", world.meeting.pk, item.pk), body, content_type=content_type
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert re.search(rf'id="titel-fejl-{item.pk}">[^<]*kontroltegn', page)
    assert f'aria-describedby="titel-fejl-{item.pk}"' in page
    assert snapshot_diff(world.baseline, snapshot()) == []


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59"])
def test_a_meeting_in_year_1_or_9999_is_refused_next_to_the_field(world, starts_at):
    """Year 1 overflowed on the way to UTC (a 500); year 9999 would overflow in the calendar feed."""
    response = _staff(world).post(
        url("meetings:create"),
        {"committee": world.established.pk, "starts_at": starts_at, "location": "Rådhuset", "kind": "ordinaert"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == ["Mødetidspunktet skal ligge mellem år 1900 og 2200."]
    assert snapshot_diff(world.baseline, snapshot()) == []


def test_the_meeting_list_filter_ignores_control_characters(world):
    """A NUL in ?udvalg= reached the query: PostgreSQL refuses it (a 500). The rest of the value counts."""
    page = Client().get(url("meetings:list"), {"udvalg": "fuzz-innovation\x00"}).content.decode()
    assert url("meetings:detail", world.done.pk) in page
